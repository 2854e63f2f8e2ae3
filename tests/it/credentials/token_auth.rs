//! Logins and stored credentials against docker-registry with token auth over TLS: the login
//! is checked with the token service, and identity (OAuth2 refresh) tokens from docker's
//! `config.json` or a credential helper are exchanged with the OAuth2 POST form.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use serde_json::json;

use super::{rctl, run};
use crate::harness::certs::TestCerts;
use crate::harness::image::{Flavor, SkopeoAuth, push_with_skopeo, small_image};
use crate::harness::registry::{PASSWORD, Registry, USER};
use crate::harness::token_server::{REFRESH_TOKEN, TokenServer};
use crate::harness::{Env, Run};

/// A token-auth registry holding `team/app:v1`, with the token server that serves it.
struct TokenSetup {
    certs: TestCerts,
    tokens: TokenServer,
    registry: Registry,
}

impl TokenSetup {
    fn start() -> TokenSetup {
        let certs = TestCerts::new();
        let tokens = TokenServer::start(&certs);
        let registry = Registry::token(&certs, &tokens.realm);
        let dir = tempfile::tempdir().unwrap();
        let layout = small_image(Flavor::Oci, "linux/amd64").write_layout(dir.path(), "v1");
        push_with_skopeo(
            &layout,
            &registry.reference("team/app:v1"),
            &SkopeoAuth::with_creds(USER, PASSWORD),
        );
        TokenSetup {
            certs,
            tokens,
            registry,
        }
    }

    /// `rctl -vv ARGS`, trusting the test CA, without a keyring.
    fn rctl(&self, env: &Env, args: &[&str]) -> Command {
        let mut command = rctl(env, args);
        command
            .env("SSL_CERT_FILE", &self.certs.ca_cert)
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
        command
    }

    fn tags(&self, env: &Env) -> Run {
        run(
            &mut self.rctl(env, &["tags", &self.registry.reference("team/app")]),
            None,
        )
    }

    /// Whether the token server answered a refresh-token POST for the test user.
    fn refresh_token_was_used(&self) -> bool {
        self.tokens.requests().iter().any(|r| {
            r.method == "POST"
                && r.grant_type.as_deref() == Some("refresh_token")
                && r.user.as_deref() == Some(USER)
                && r.status == 200
        })
    }
}

#[test]
fn login_to_a_token_registry_is_checked_with_the_token_service() {
    let setup = TokenSetup::start();
    let env = Env::new();
    let address = setup.registry.address.clone();
    let login = |password: &str| {
        run(
            &mut setup.rctl(
                &env,
                &[
                    "login",
                    &address,
                    "-u",
                    USER,
                    "--password-stdin",
                    "--store",
                    "file",
                ],
            ),
            Some(password),
        )
    };

    let wrong = login("not-the-password");
    let stderr = wrong.fails(1);
    assert!(
        stderr.contains("rejected the username or password"),
        "{stderr}"
    );
    assert!(!env.path().join("config/rctl/credentials.json").exists());
    assert!(
        setup
            .tokens
            .requests()
            .iter()
            .any(|r| r.status == 401 && r.user.is_none()),
        "the token service saw the wrong password"
    );

    assert_eq!(login(PASSWORD).ok().trim(), "Login Succeeded");
    assert_eq!(setup.tags(&env).ok().trim(), "v1");
}

#[test]
fn identity_token_in_docker_config_is_exchanged_for_access() {
    let setup = TokenSetup::start();
    let env = Env::new();
    std::fs::write(
        env.path().join("docker/config.json"),
        serde_json::to_vec(&json!({
            "auths": { &setup.registry.address: { "auth": "", "identitytoken": REFRESH_TOKEN } },
        }))
        .unwrap(),
    )
    .unwrap();

    assert_eq!(setup.tags(&env).ok().trim(), "v1");
    assert!(
        setup.refresh_token_was_used(),
        "{:?}",
        setup.tokens.requests()
    );
}

#[test]
fn identity_token_from_a_credential_helper_is_exchanged_for_access() {
    let setup = TokenSetup::start();
    let env = Env::new();
    let bin = tempfile::tempdir().unwrap();
    let helper = bin.path().join("docker-credential-rctltoken");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\ncat >/dev/null\n\
             echo '{{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"{REFRESH_TOKEN}\"}}'\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        env.path().join("docker/config.json"),
        serde_json::to_vec(&json!({ "credHelpers": { &setup.registry.address: "rctltoken" } }))
            .unwrap(),
    )
    .unwrap();

    let mut command = setup.rctl(&env, &["tags", &setup.registry.reference("team/app")]);
    let path = std::env::var("PATH").unwrap_or_default();
    command.env("PATH", format!("{}:{path}", bin.path().display()));
    let result = run(&mut command, None);
    assert_eq!(result.ok().trim(), "v1");
    assert!(!result.stderr.contains(REFRESH_TOKEN), "{}", result.stderr);
    assert!(
        setup.refresh_token_was_used(),
        "{:?}",
        setup.tokens.requests()
    );
}
