//! Logins kept in a real Secret Service: gnome-keyring on a private D-Bus session, as
//! `scripts/with-keyring.sh` starts it. These tests fail, rather than skip, without one.

use std::process::Command;

use super::registry::{LoginRegistry, TAG};
use super::{assert_no_secret, login, rctl, run};
use crate::harness::Env;

/// Panic with the way to run these tests unless a Secret Service owns its name on the session
/// bus.
fn require_secret_service() {
    let owned = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        && Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"));
    assert!(
        owned,
        "no Secret Service on the D-Bus session bus: run the tests under scripts/with-keyring.sh \
         (`dbus-run-session -- scripts/with-keyring.sh cargo test --test it`)"
    );
}

/// rctl's items in the Secret Service for `key`, as `secret-tool` (libsecret) sees them: each
/// item's secret.
fn keyring_secrets(key: &str) -> Vec<String> {
    let output = Command::new("secret-tool")
        .args(["search", "--all", "service", "rctl", "username", key])
        .output()
        .expect("run secret-tool");
    assert!(output.status.success(), "secret-tool search failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("secret = "))
        .map(str::to_string)
        .collect()
}

#[test]
fn login_stores_an_item_that_a_second_process_uses_and_logout_removes() {
    require_secret_service();
    let registry = LoginRegistry::start();
    let env = Env::new();
    let (user, password) = (&registry.username, &registry.password);

    let anonymous = run(&mut rctl(&env, &["tags", &registry.repository()]), None);
    let stderr = anonymous.fails(1);
    assert!(
        stderr.contains(&format!("rctl login {}", registry.address)),
        "{stderr}"
    );

    let login_run = run(
        &mut login(&env, &registry, &[]),
        Some(&format!("{password}\n")),
    );
    assert_eq!(login_run.ok().trim(), "Login Succeeded");
    assert_no_secret(&login_run, user, password);
    let stored = keyring_secrets(&registry.address);
    assert_eq!(stored.len(), 1, "one keyring item for {}", registry.address);
    let record: serde_json::Value = serde_json::from_str(&stored[0]).unwrap();
    assert_eq!(record["username"], user.as_str());
    assert_eq!(record["password"], password.as_str());

    let tags = run(&mut rctl(&env, &["tags", &registry.repository()]), None);
    assert_eq!(tags.ok().trim(), TAG);
    assert!(
        tags.stderr.contains("source=the OS keyring"),
        "{}",
        tags.stderr
    );
    assert_no_secret(&tags, user, password);
    assert!(registry.log().contains(&format!("auth.user.name={user}")));

    let logout = run(&mut rctl(&env, &["logout", &registry.address]), None);
    assert!(
        logout.ok().contains("from the OS keyring"),
        "{}",
        logout.stdout
    );
    assert_no_secret(&logout, user, password);
    assert!(keyring_secrets(&registry.address).is_empty());
    run(&mut rctl(&env, &["tags", &registry.repository()]), None).fails(1);

    let again = run(&mut rctl(&env, &["logout", &registry.address]), None);
    assert_eq!(
        again.ok().trim(),
        format!("Not logged in to {}", registry.address)
    );
}

#[test]
fn wrong_password_stores_nothing_and_exits_one() {
    require_secret_service();
    let registry = LoginRegistry::start();
    let env = Env::new();
    let wrong = format!("{}-wrong", registry.password);

    let failed = run(&mut login(&env, &registry, &[]), Some(&wrong));
    let stderr = failed.fails(1);
    assert!(
        stderr.contains("rejected the username or password"),
        "{stderr}"
    );
    assert!(!failed.stdout.contains("Login Succeeded"));
    assert_no_secret(&failed, &registry.username, &wrong);
    assert!(keyring_secrets(&registry.address).is_empty());
    assert!(!env.path().join("config/rctl/credentials.json").exists());
}

#[test]
fn login_again_replaces_the_item_instead_of_adding_one() {
    require_secret_service();
    let registry = LoginRegistry::start();
    let env = Env::new();

    for _ in 0..2 {
        run(&mut login(&env, &registry, &[]), Some(&registry.password)).ok();
    }
    assert_eq!(keyring_secrets(&registry.address).len(), 1);
    run(&mut rctl(&env, &["logout", &registry.address]), None).ok();
    assert!(keyring_secrets(&registry.address).is_empty());
}

#[test]
fn password_flag_works_with_a_warning_and_stays_out_of_the_output() {
    require_secret_service();
    let registry = LoginRegistry::start();
    let env = Env::new();

    let login_run = run(
        &mut rctl(
            &env,
            &[
                "login",
                &registry.address,
                "-u",
                &registry.username,
                "-p",
                &registry.password,
            ],
        ),
        None,
    );
    assert_eq!(login_run.ok().trim(), "Login Succeeded");
    assert!(
        login_run.stderr.contains("warning:") && login_run.stderr.contains("--password-stdin"),
        "{}",
        login_run.stderr
    );
    assert_no_secret(&login_run, &registry.username, &registry.password);
    assert_eq!(keyring_secrets(&registry.address).len(), 1);
    run(&mut rctl(&env, &["logout", &registry.address]), None).ok();
}
