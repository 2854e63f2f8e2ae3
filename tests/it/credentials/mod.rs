//! Logins and stored credentials, end to end: `rctl login` and `rctl logout` against a real
//! docker-registry with htpasswd auth, credentials kept in a real Secret Service
//! (gnome-keyring), in `--store file`, in docker's `config.json` (with a credential helper on
//! PATH) and in podman's `auth.json`, and later rctl processes picking them up.
//!
//! Every test has its own registry on its own port, so its credential key (`127.0.0.1:PORT`) is
//! unique and tests sharing the one Secret Service never see each other's entries. Every run
//! uses `-vv` and is checked for the secret in its output.

mod docker_config;
mod keyring;
mod no_keyring;
mod registry;
mod terminal;
mod token_auth;

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine as _;

use crate::harness::{Env, Run};
use registry::LoginRegistry;

/// Assert that neither the secret nor a Basic `Authorization` value made from it appears in
/// what rctl printed.
#[track_caller]
fn assert_no_secret(run: &Run, username: &str, secret: &str) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{secret}"));
    for (name, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(
            !text.contains(secret) && !text.contains(&basic),
            "the secret appears on {name}:\n{text}"
        );
    }
}

/// `rctl -vv ARGS` in `env`: the most verbose logs, so the secret checks cover debug output.
fn rctl(env: &Env, args: &[&str]) -> Command {
    let mut command = env.rctl();
    command.arg("-vv").args(args);
    command
}

/// Run `command`, feeding `input` (if any) on stdin.
fn run(command: &mut Command, input: Option<&str>) -> Run {
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run rctl");
    if let Some(input) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    Run::from(child.wait_with_output().expect("wait for rctl"))
}

/// `rctl -vv login ADDRESS -u USER --password-stdin [EXTRA]`; the caller feeds the password.
fn login(env: &Env, registry: &LoginRegistry, extra: &[&str]) -> Command {
    let mut command = rctl(
        env,
        &[
            "login",
            &registry.address,
            "-u",
            &registry.username,
            "--password-stdin",
        ],
    );
    command.args(extra);
    command
}
