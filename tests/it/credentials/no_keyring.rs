//! Without a reachable keyring (a D-Bus address that leads nowhere): login refuses and names
//! `--store file`; `--store file` keeps a mode-0600 file that later commands use.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use super::registry::{LoginRegistry, TAG};
use super::{assert_no_secret, login, rctl, run};
use crate::harness::Env;

/// rctl in `env` with no D-Bus session to find a Secret Service on.
fn without_dbus(mut command: Command) -> Command {
    command.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent");
    command
}

#[test]
fn login_without_a_keyring_fails_and_names_store_file() {
    let registry = LoginRegistry::start();
    let env = Env::new();

    let failed = run(
        &mut without_dbus(login(&env, &registry, &[])),
        Some(&registry.password),
    );
    let stderr = failed.fails(1);
    assert!(
        stderr.contains("the OS keyring is not available"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint:") && stderr.contains("--store file"),
        "{stderr}"
    );
    assert!(stderr.contains("Secret Service"), "{stderr}");
    assert!(!failed.stdout.contains("Login Succeeded"));
    assert_no_secret(&failed, &registry.username, &registry.password);
    assert!(!env.path().join("config/rctl/credentials.json").exists());
}

#[test]
fn store_file_writes_a_private_file_that_later_commands_use() {
    let registry = LoginRegistry::start();
    let env = Env::new();
    let (user, password) = (&registry.username, &registry.password);
    let file = env.path().join("config/rctl/credentials.json");

    let login_run = run(
        &mut without_dbus(login(&env, &registry, &["--store", "file"])),
        Some(password),
    );
    assert_eq!(login_run.ok().trim(), "Login Succeeded");
    assert!(
        login_run.stderr.contains("unencrypted") && login_run.stderr.contains("credentials.json"),
        "{}",
        login_run.stderr
    );
    assert_no_secret(&login_run, user, password);

    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "credentials file mode {mode:o}");
    let dir_mode = std::fs::metadata(file.parent().unwrap())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o077, 0, "config directory mode {dir_mode:o}");
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        stored["auths"][&registry.address]["username"],
        user.as_str()
    );

    let tags = run(
        &mut without_dbus(rctl(&env, &["tags", &registry.repository()])),
        None,
    );
    assert_eq!(tags.ok().trim(), TAG);
    assert!(tags.stderr.contains("credentials.json"), "{}", tags.stderr);
    assert_no_secret(&tags, user, password);

    let logout = run(
        &mut without_dbus(rctl(&env, &["logout", &registry.address])),
        None,
    );
    assert!(
        logout.ok().contains("credentials.json"),
        "{}",
        logout.stdout
    );
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(stored["auths"].get(&registry.address).is_none());
    run(
        &mut without_dbus(rctl(&env, &["tags", &registry.repository()])),
        None,
    )
    .fails(1);
}

#[test]
fn login_without_a_terminal_or_password_is_a_usage_error() {
    let registry = LoginRegistry::start();
    let env = Env::new();

    let failed = run(
        &mut without_dbus(rctl(
            &env,
            &[
                "login",
                &registry.address,
                "-u",
                &registry.username,
                "--store",
                "file",
            ],
        )),
        None,
    );
    let stderr = failed.fails(2);
    assert!(stderr.contains("--password-stdin"), "{stderr}");
    assert!(!env.path().join("config/rctl/credentials.json").exists());

    // Usage is checked before the keyring is.
    let failed = run(
        &mut without_dbus(rctl(
            &env,
            &["login", &registry.address, "--password-stdin"],
        )),
        Some(&registry.password),
    );
    let stderr = failed.fails(2);
    assert!(stderr.contains("--username"), "{stderr}");
    assert_no_secret(&failed, &registry.username, &registry.password);
}
