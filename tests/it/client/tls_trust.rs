//! How rctl comes to trust a registry's certificate: `SSL_CERT_FILE` (for the registry and its
//! token realm), podman's `certs.d` under `$HOME`, `ca_file` and `tls` in config.toml, and
//! `--insecure`; and what it says when it does not.

use super::Fixture;
use crate::harness::Env;
use crate::harness::certs::TestCerts;
use crate::harness::registry::{PASSWORD, USER};

/// An environment that does not trust the test CA, logged in through docker's `config.json`.
fn untrusting_env(f: &Fixture) -> Env {
    let env = Env::new();
    env.docker_login(&f.registry.address, USER, PASSWORD);
    env
}

/// Put the test CA where podman looks for `host:port`, under the environment's `$HOME`.
fn install_certs_d(env: &Env, f: &Fixture) {
    let dir = env
        .path()
        .join(".config/containers/certs.d")
        .join(&f.registry.address);
    std::fs::create_dir_all(&dir).unwrap();
    let ca = &f.certs.as_ref().unwrap().ca_cert;
    std::fs::copy(ca, dir.join("ca.crt")).unwrap();
}

#[test]
fn ssl_cert_file_trusts_the_registry_and_its_token_realm() {
    let f = Fixture::token();
    f.env.docker_login(&f.registry.address, USER, PASSWORD);

    let digest = f
        .env
        .run(&["digest", &f.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(digest.trim(), f.index.index.digest);
    let requests = f.tokens.as_ref().unwrap().requests();
    assert!(
        requests.iter().any(|r| r.user.as_deref() == Some(USER)),
        "the realm was not reached: {requests:?}"
    );
}

#[test]
fn untrusted_certificate_fails_with_a_tls_hint() {
    let f = Fixture::htpasswd();
    let env = untrusting_env(&f);

    let stderr = env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("TLS"), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("certificate"),
        "cause shown:\n{stderr}"
    );
    assert!(stderr.contains("SSL_CERT_FILE"), "{stderr}");
}

#[test]
fn certificate_from_another_ca_is_not_trusted() {
    let f = Fixture::htpasswd();
    let other = TestCerts::new();
    let mut env = untrusting_env(&f);
    env.set_var("SSL_CERT_FILE", &other.ca_cert);

    let stderr = env
        .run(&["tags", &f.reference("app")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("TLS"), "{stderr}");
}

#[test]
fn containers_certs_d_in_home_trusts_the_registry() {
    let f = Fixture::htpasswd();
    let env = untrusting_env(&f);
    install_certs_d(&env, &f);

    let tags = env.run(&["tags", &f.reference("app")]).ok().to_string();

    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
}

#[test]
fn containers_certs_d_in_home_also_covers_the_token_realm() {
    let f = Fixture::token();
    let env = untrusting_env(&f);
    install_certs_d(&env, &f);

    let digest = env
        .run(&["digest", &f.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(digest.trim(), f.index.index.digest);
}

#[test]
fn insecure_flag_skips_verification() {
    let f = Fixture::htpasswd();
    let env = untrusting_env(&f);

    let tags = env
        .run(&["--insecure", "tags", &f.reference("app")])
        .ok()
        .to_string();

    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
}

fn write_config(env: &Env, toml: &str) {
    let dir = env.path().join("config/rctl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), toml).unwrap();
}

#[test]
fn ca_file_in_config_trusts_the_registry() {
    let f = Fixture::htpasswd();
    let env = untrusting_env(&f);
    let ca = f.certs.as_ref().unwrap().ca_cert.display().to_string();
    write_config(
        &env,
        &format!(
            "[registries.\"{}\"]\nca_file = \"{ca}\"\n",
            f.registry.address
        ),
    );

    let tags = env.run(&["tags", &f.reference("app")]).ok().to_string();

    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);
}

#[test]
fn skip_verify_in_config_applies_to_that_registry_only() {
    let f = Fixture::htpasswd();
    let other = Fixture::htpasswd();
    let env = untrusting_env(&f);
    write_config(
        &env,
        &format!(
            "[registries.\"{}\"]\ntls = \"skip-verify\"\n",
            f.registry.address
        ),
    );

    let digest = env
        .run(&["digest", &f.reference("app:v1")])
        .ok()
        .to_string();
    assert_eq!(digest.trim(), f.index.index.digest);

    let stderr = env
        .run(&["digest", &other.reference("app:v1")])
        .fails_with_hint(1)
        .to_string();
    assert!(stderr.contains("TLS"), "{stderr}");
}
