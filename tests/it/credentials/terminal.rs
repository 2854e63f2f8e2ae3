//! `rctl login` on a terminal: a pseudo-terminal from util-linux `script`, with the user's
//! answers typed after each prompt appears. The password must not be echoed back.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::assert_no_secret;
use super::registry::{LoginRegistry, TAG};
use crate::harness::{ChildGuard, Env, Run, rctl_bin};

/// Everything the terminal showed so far.
fn screen(output: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&output.lock().unwrap()).into_owned()
}

#[track_caller]
fn wait_for_text(output: &Mutex<Vec<u8>>, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !screen(output).contains(text) {
        assert!(
            Instant::now() < deadline,
            "the terminal never showed {text:?}:\n{}",
            screen(output)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn login_on_a_terminal_prompts_for_the_username_and_a_hidden_password() {
    let registry = LoginRegistry::start();
    let env = Env::new();

    // `script` runs the command on a new pseudo-terminal and relays our stdin to it.
    let inner = format!(
        "'{}' -vv login {} --store file",
        rctl_bin().display(),
        registry.address
    );
    let mut command = Command::new("script");
    command.args([
        "--quiet",
        "--flush",
        "--return",
        "--command",
        &inner,
        "/dev/null",
    ]);
    for (key, value) in env.rctl().get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    command
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut guard = ChildGuard::spawn("script", &mut command);
    let mut stdin = guard.child.stdin.take().unwrap();
    let mut stdout = guard.child.stdout.take().unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let output = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                output.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        })
    };

    wait_for_text(&output, "Username for");
    writeln!(stdin, "{}", registry.username).unwrap();
    wait_for_text(&output, "Password:");
    // The prompt is printed just before echo is turned off: give rctl that moment, as a
    // person's typing would.
    std::thread::sleep(Duration::from_millis(300));
    writeln!(stdin, "{}", registry.password).unwrap();
    wait_for_text(&output, "Login Succeeded");

    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = guard.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "rctl login did not finish");
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    reader.join().unwrap();
    let mut stderr = String::new();
    guard
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: screen(&output),
        stderr,
    };
    run.ok();
    assert!(run.stdout.contains(&registry.username), "{}", run.stdout);
    assert_no_secret(&run, &registry.username, &registry.password);

    let tags = env.run(&["tags", &registry.repository()]);
    assert_eq!(tags.ok().trim(), TAG);
}
