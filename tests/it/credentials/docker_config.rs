//! Credentials rctl reads but never writes: docker's `config.json` (`auths`, and credential
//! helpers named by `credHelpers` or `credsStore`, run from PATH) and podman's `auth.json`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::json;

use super::registry::{LoginRegistry, TAG};
use super::{assert_no_secret, login, rctl, run};
use crate::harness::{Env, Run, TempDir};

fn auth_entry(username: &str, password: &str) -> serde_json::Value {
    json!({ "auth": base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}")) })
}

fn write_docker_config(env: &Env, config: serde_json::Value) {
    std::fs::write(
        env.path().join("docker/config.json"),
        serde_json::to_vec_pretty(&config).unwrap(),
    )
    .unwrap();
}

/// `rctl -vv tags 127.0.0.1:PORT/app`, with `path_dir` (if any) first on PATH.
fn tags(env: &Env, registry: &LoginRegistry, path_dir: Option<&Path>) -> Run {
    let mut command = rctl(env, &["tags", &registry.repository()]);
    if let Some(dir) = path_dir {
        let path = std::env::var("PATH").unwrap_or_default();
        command.env("PATH", format!("{}:{path}", dir.display()));
    }
    run(&mut command, None)
}

/// A `docker-credential-test` helper in a fresh directory: it records the server URL it is
/// asked about in `requests.log` and answers with `answer` (a shell snippet).
fn helper(answer: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("requests.log");
    let script = dir.path().join("docker-credential-test");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             [ \"$1\" = get ] || {{ echo \"unexpected action $1\" >&2; exit 3; }}\n\
             url=$(cat)\n\
             printf '%s\\n' \"$url\" >> '{log}'\n\
             {answer}\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, log)
}

#[test]
fn docker_config_auths_entry_is_used() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    write_docker_config(
        &env,
        json!({ "auths": { &registry.address: auth_entry(&registry.username, &registry.password) } }),
    );

    let result = tags(&env, &registry, None);
    assert_eq!(result.ok().trim(), TAG);
    assert!(
        result.stderr.contains("source=docker config"),
        "{}",
        result.stderr
    );
    assert_no_secret(&result, &registry.username, &registry.password);
}

#[test]
fn docker_config_legacy_url_key_matches_the_host() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    write_docker_config(
        &env,
        json!({ "auths": {
            format!("https://{}", registry.address): auth_entry(&registry.username, &registry.password),
        } }),
    );

    assert_eq!(tags(&env, &registry, None).ok().trim(), TAG);
}

#[test]
fn cred_helpers_entry_runs_the_helper_from_path_and_wins_over_auths() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    let (dir, log) = helper(&format!(
        "printf '{{\"ServerURL\":\"%s\",\"Username\":\"{}\",\"Secret\":\"{}\"}}' \"$url\"",
        registry.username, registry.password
    ));
    write_docker_config(
        &env,
        json!({
            "credHelpers": { &registry.address: "test" },
            "auths": { &registry.address: auth_entry(&registry.username, "not-the-password") },
        }),
    );

    let result = tags(&env, &registry, Some(dir.path()));
    assert_eq!(result.ok().trim(), TAG);
    assert!(
        result.stderr.contains("docker-credential-test"),
        "{}",
        result.stderr
    );
    assert_no_secret(&result, &registry.username, &registry.password);
    let asked = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        asked.trim(),
        registry.address,
        "server URL on the helper's stdin"
    );
}

#[test]
fn helper_without_credentials_falls_through_to_auths() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    let (dir, log) = helper("echo 'credentials not found in native keychain'; exit 1");
    write_docker_config(
        &env,
        json!({
            "credsStore": "test",
            "auths": { &registry.address: auth_entry(&registry.username, &registry.password) },
        }),
    );

    let result = tags(&env, &registry, Some(dir.path()));
    assert_eq!(result.ok().trim(), TAG);
    assert!(
        result.stderr.contains("source=docker config"),
        "{}",
        result.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&log).unwrap().trim(),
        registry.address
    );
}

#[test]
fn missing_helper_is_an_error_that_names_it() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    write_docker_config(&env, json!({ "credsStore": "rctl-test-absent" }));

    let result = tags(&env, &registry, None);
    let stderr = result.fails(1);
    assert!(
        stderr.contains("docker-credential-rctl-test-absent"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
}

#[test]
fn podman_auth_file_is_used() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    // The harness points REGISTRY_AUTH_FILE here.
    std::fs::write(
        env.path().join("runtime/auth.json"),
        serde_json::to_vec(&json!({
            "auths": { &registry.address: auth_entry(&registry.username, &registry.password) },
        }))
        .unwrap(),
    )
    .unwrap();

    let result = tags(&env, &registry, None);
    assert_eq!(result.ok().trim(), TAG);
    assert!(
        result.stderr.contains("source=podman auth file"),
        "{}",
        result.stderr
    );
    assert_no_secret(&result, &registry.username, &registry.password);
}

#[test]
fn rctl_login_comes_before_docker_config() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    write_docker_config(
        &env,
        json!({ "auths": { &registry.address: auth_entry(&registry.username, "not-the-password") } }),
    );
    let mut login_command = login(&env, &registry, &["--store", "file"]);
    login_command.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    run(&mut login_command, Some(&registry.password)).ok();

    let result = tags(&env, &registry, None);
    assert_eq!(result.ok().trim(), TAG);
    assert!(
        result.stderr.contains("credentials.json"),
        "{}",
        result.stderr
    );
}
