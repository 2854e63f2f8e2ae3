//! Logging in and using credentials against docker-registry with htpasswd (Basic) and with
//! token auth: missing logins, wrong passwords, docker's `config.json`, and the token requests
//! rctl makes.

use super::{Fixture, login};
use crate::harness::registry::{PASSWORD, USER};
use crate::harness::token_server::{Policy, REFRESH_TOKEN};

fn assert_login_hint(stderr: &str, f: &Fixture) {
    let hint = format!("rctl login {}", f.registry.address);
    assert!(stderr.contains(&hint), "hint names `{hint}`:\n{stderr}");
}

#[test]
fn htpasswd_registry_without_login_fails_with_a_login_hint() {
    let f = Fixture::htpasswd();
    let stderr = f
        .env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();
    assert!(stderr.contains("requires authentication"), "{stderr}");
    assert_login_hint(&stderr, &f);
}

#[test]
fn token_registry_without_login_fails_with_a_login_hint() {
    let f = Fixture::token();
    let stderr = f
        .env
        .run(&["inspect", &f.reference("app:v1")])
        .fails_with_hint(1)
        .to_string();
    assert_login_hint(&stderr, &f);

    let requests = f.tokens.as_ref().unwrap().requests();
    assert!(!requests.is_empty(), "rctl never asked the token server");
    assert!(requests.iter().all(|r| r.user.is_none()), "{requests:?}");
    assert!(
        requests.iter().any(|r| r.scopes == ["repository:app:pull"]),
        "{requests:?}"
    );
}

#[test]
fn htpasswd_login_with_a_wrong_password_fails_and_stores_nothing() {
    let f = Fixture::htpasswd();
    let run = login(&f.env, &f.registry.address, USER, "wrong");
    let stderr = run.fails_with_hint(1);
    assert!(!run.stdout.contains("Login Succeeded"), "{run:?}");
    assert!(!stderr.contains("wrong"), "the password leaked:\n{stderr}");

    let stderr = f
        .env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();
    assert!(
        !stderr.contains("rejected the stored"),
        "something was stored:\n{stderr}"
    );
}

#[test]
fn token_login_with_a_wrong_password_fails_with_a_hint() {
    let f = Fixture::token();
    let run = login(&f.env, &f.registry.address, USER, "wrong");
    run.fails_with_hint(1);
    assert!(!run.stdout.contains("Login Succeeded"), "{run:?}");
    let requests = f.tokens.as_ref().unwrap().requests();
    assert!(requests.iter().any(|r| r.status == 401), "{requests:?}");
}

#[test]
fn htpasswd_wrong_password_in_docker_config_fails_with_a_login_hint() {
    let f = Fixture::htpasswd();
    f.env.docker_login(&f.registry.address, USER, "wrong");
    let stderr = f
        .env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();
    assert!(stderr.contains("rejected"), "{stderr}");
    assert_login_hint(&stderr, &f);
}

#[test]
fn token_wrong_password_in_docker_config_fails_with_a_login_hint() {
    let f = Fixture::token();
    f.env.docker_login(&f.registry.address, USER, "wrong");
    let stderr = f
        .env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();
    assert_login_hint(&stderr, &f);
}

#[test]
fn docker_config_auths_are_used_for_basic_auth() {
    let f = Fixture::htpasswd();
    f.env.docker_login(&f.registry.address, USER, PASSWORD);
    let tags = f.env.run(&["tags", &f.reference("app")]).ok().to_string();
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
}

#[test]
fn docker_config_auths_are_used_for_token_auth_with_the_right_scopes() {
    let f = Fixture::token();
    f.env.docker_login(&f.registry.address, USER, PASSWORD);
    let digest = f
        .env
        .run(&["digest", &f.reference("team/tool:1.0")])
        .ok()
        .to_string();
    assert_eq!(digest.trim(), f.docker_image.manifest.digest);
    f.env.run(&["catalog", &f.registry.address]).ok();

    let requests = f.tokens.as_ref().unwrap().requests();
    let pull = requests
        .iter()
        .find(|r| r.scopes == ["repository:team/tool:pull"])
        .unwrap_or_else(|| panic!("no pull token asked: {requests:?}"));
    assert_eq!(pull.user.as_deref(), Some(USER));
    assert_eq!(pull.account.as_deref(), Some(USER));
    assert_eq!(
        pull.service.as_deref(),
        Some(crate::harness::registry::TOKEN_SERVICE)
    );
    assert!(
        requests.iter().any(|r| r.scopes == ["registry:catalog:*"]),
        "{requests:?}"
    );
}

#[test]
fn login_then_a_second_process_uses_the_stored_credentials() {
    let f = Fixture::token();
    f.login();
    let tags = f.env.run(&["tags", &f.reference("app")]).ok().to_string();
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
}

#[test]
fn identity_token_in_docker_config_is_exchanged_with_the_oauth2_post_form() {
    let f = Fixture::token();
    f.env.write_docker_config(&serde_json::json!({
        "auths": {f.registry.address.as_str(): {
            "auth": base64_of(&format!("{USER}:")),
            "identitytoken": REFRESH_TOKEN,
        }}
    }));

    let tags = f.env.run(&["tags", &f.reference("app")]).ok().to_string();

    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
    let requests = f.tokens.as_ref().unwrap().requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert_eq!(request.method, "POST", "{requests:?}");
        assert_eq!(request.grant_type.as_deref(), Some("refresh_token"));
        assert_eq!(request.user.as_deref(), Some(USER));
    }
    assert!(
        requests.iter().any(|r| r.scopes == ["repository:app:pull"]),
        "{requests:?}"
    );
}

#[test]
fn rejected_identity_token_fails_with_a_login_hint() {
    let f = Fixture::token();
    f.env.write_docker_config(&serde_json::json!({
        "auths": {f.registry.address.as_str(): {"identitytoken": "expired-refresh-token"}}
    }));

    let stderr = f
        .env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();

    assert_login_hint(&stderr, &f);
    assert!(
        !stderr.contains("expired-refresh-token"),
        "the token leaked:\n{stderr}"
    );
}

#[test]
fn login_to_a_registry_without_auth_succeeds() {
    let f = Fixture::plain();
    let run = login(&f.env, &f.registry.address, USER, PASSWORD);
    assert!(run.ok().contains("Login Succeeded"), "{run:?}");
    let tags = f.env.run(&["tags", &f.reference("app")]).ok().to_string();
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
}

fn base64_of(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[test]
fn public_token_registry_serves_anonymous_pulls_without_login() {
    let f = Fixture::token();
    f.set_token_policy(Policy {
        anonymous_actions: vec!["pull".into()],
        ..Policy::default()
    });

    let digest = f
        .env
        .run(&["digest", &f.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(digest.trim(), f.index.index.digest);
    let requests = f.tokens.as_ref().unwrap().requests();
    assert!(requests.iter().all(|r| r.user.is_none()), "{requests:?}");
}

#[test]
fn logged_in_user_without_access_is_told_so() {
    let f = Fixture::token();
    f.set_token_policy(Policy {
        user_actions: Some(Vec::new()),
        ..Policy::default()
    });
    f.env.docker_login(&f.registry.address, USER, PASSWORD);

    let stderr = f
        .env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("denied access"), "{stderr}");
    assert!(stderr.contains("repository:app:pull"), "{stderr}");
    assert!(
        !stderr.contains("rejected"),
        "the login itself worked:\n{stderr}"
    );
    assert_login_hint(&stderr, &f);
}
