//! The test harness: the rctl binary in an isolated environment, temporary directories, free
//! loopback ports, and child processes that are stopped (by pid) when a test ends.
//!
//! The real peers and their fixtures live in submodules:
//!
//! - [`image`]: deterministic test images, indexes and layouts, generated in memory;
//! - [`skopeo`]: pushing them with skopeo and reading the digests skopeo reports;
//! - [`certs`]: a test CA, a server certificate for `127.0.0.1`/`localhost`, a token signing pair;
//! - [`registry`]: Debian's docker-registry in plain HTTP, htpasswd and token modes;
//! - [`token_server`]: an in-process HTTPS token server whose JWTs docker-registry accepts;
//! - [`disk`]: a small tmpfs for full-disk tests;
//! - [`fault_server`]: a fake registry for the faults a real one will not produce on demand.

#![allow(dead_code)]

pub mod certs;
pub mod disk;
pub mod fault_server;
pub mod image;
pub mod registry;
pub mod skopeo;
pub mod token_server;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A directory removed when the test ends.
pub use tempfile::TempDir;

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind an ephemeral port")
        .local_addr()
        .unwrap()
        .port()
}

/// Wait until something accepts TCP connections on `127.0.0.1:port`.
pub fn wait_for_port(port: u16, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("nothing listened on 127.0.0.1:{port} within {timeout:?}");
}

/// A child process killed (by its own pid) and reaped when dropped.
pub struct ChildGuard {
    pub child: Child,
    pub name: String,
}

impl ChildGuard {
    pub fn spawn(name: &str, command: &mut Command) -> ChildGuard {
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        ChildGuard {
            child,
            name: name.to_string(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An isolated home for rctl: its own config, data, docker and podman directories, so tests
/// never read or write the real user's credentials.
pub struct Env {
    pub dir: TempDir,
    /// Extra environment variables for every rctl run, such as `SSL_CERT_FILE`.
    pub vars: Vec<(String, std::ffi::OsString)>,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("create a temporary home");
        for sub in ["config", "data", "docker", "runtime"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Env {
            dir,
            vars: Vec::new(),
        }
    }

    /// Set an environment variable for every later rctl run.
    pub fn set_var(&mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> &mut Env {
        self.vars
            .push((key.to_string(), value.as_ref().to_os_string()));
        self
    }

    /// Write docker's `config.json` (in `$DOCKER_CONFIG`) with `auths` for `registry`.
    pub fn docker_login(&self, registry: &str, user: &str, password: &str) {
        use base64::Engine as _;
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        self.write_docker_config(&serde_json::json!({"auths": {registry: {"auth": auth}}}));
    }

    /// Write docker's `config.json` (in `$DOCKER_CONFIG`) with any content.
    pub fn write_docker_config(&self, config: &serde_json::Value) {
        std::fs::write(
            self.path().join("docker/config.json"),
            serde_json::to_vec_pretty(config).unwrap(),
        )
        .unwrap();
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `rctl` with this environment; the caller adds arguments.
    pub fn rctl(&self) -> Command {
        let mut command = Command::new(rctl_bin());
        let home = self.path();
        command
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("DOCKER_CONFIG", home.join("docker"))
            .env("REGISTRY_AUTH_FILE", home.join("runtime/auth.json"))
            .env("NO_COLOR", "1")
            .env_remove("RUST_LOG")
            .env_remove("RCTL_CONFIG")
            .env_remove("RCTL_INSECURE")
            .stdin(Stdio::null());
        // Every peer is on loopback; a proxy from the host's environment must not get between.
        for proxy in PROXY_VARIABLES {
            command.env_remove(proxy);
        }
        for (key, value) in &self.vars {
            command.env(key, value);
        }
        command
    }

    /// Run rctl with `args` and collect its output.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.rctl().args(args).output().expect("run rctl"))
    }

    /// Run rctl with `args`, feeding `input` on stdin.
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = self
            .rctl()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run rctl");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        Run::from(child.wait_with_output().expect("wait for rctl"))
    }
}

/// Proxy settings that HTTP clients (rctl, skopeo) pick up from the environment.
pub const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The outcome of one rctl run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Assert success and return stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "rctl failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Assert failure with `code` and return stderr.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &str {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stderr
    }
}

impl Run {
    /// Assert a failure a user can act on: exit `code`, an `error:` line, a `hint:`, and no panic
    /// or debug dump. Returns stderr.
    #[track_caller]
    pub fn fails_with_hint(&self, code: i32) -> &str {
        let stderr = self.fails(code);
        assert!(
            stderr.lines().any(|l| l.starts_with("error: ")),
            "stderr must have an `error: ` line:\n{stderr}"
        );
        assert!(
            stderr.contains("\nhint: "),
            "stderr must carry a hint:\n{stderr}"
        );
        assert_no_dump(stderr);
        stderr
    }
}

/// Assert that `stderr` holds no panic and no `Debug` dump of a struct.
#[track_caller]
pub fn assert_no_dump(stderr: &str) {
    for marker in ["panicked", "Error {", "Error(", " { ", "RUST_BACKTRACE"] {
        assert!(
            !stderr.contains(marker),
            "stderr contains `{marker}`:\n{stderr}"
        );
    }
}

/// The rctl binary cargo built for these tests.
pub fn rctl_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rctl"))
}

/// Run an external tool and return its stdout, panicking with its stderr on failure.
#[track_caller]
pub fn tool(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed\nstdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
