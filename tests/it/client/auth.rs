//! Logging in and using credentials against docker-registry with htpasswd (Basic) and with
//! token auth: missing logins, wrong passwords, docker's `config.json`, and the token requests
//! rctl makes.

use super::{Fixture, login};
use crate::harness::registry::{PASSWORD, USER};

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
