//! `rctl serve` against real peers: skopeo and podman push and pull through it, Debian's
//! docker-registry shares data directories with it both ways, a crash during parallel pushes
//! loses nothing that was acknowledged, and the spec's scenarios are checked with raw HTTP
//! (curl) where clients would hide the details.

mod crash;
mod full_disk;
mod gc;
pub mod http;
mod interop;
mod operations;
mod podman;
mod skopeo;
mod spec;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::harness::certs::TestCerts;
use crate::harness::registry::{PASSWORD, USER};
use crate::harness::{ChildGuard, TempDir, free_port, rctl_bin, tool, wait_for_port};

/// A running `rctl serve`, killed by pid when dropped.
pub struct RctlServer {
    /// Declared first so the process dies before its directory goes.
    pub process: Option<ChildGuard>,
    pub dir: TempDir,
    pub data: PathBuf,
    pub port: u16,
    /// `127.0.0.1:PORT`
    pub address: String,
    pub log_file: PathBuf,
    args: Vec<String>,
}

/// How a test server is set up.
#[derive(Default)]
pub struct Options<'a> {
    /// Serve an existing data directory instead of a fresh one.
    pub data: Option<&'a Path>,
    /// TLS with the test CA's server certificate.
    pub certs: Option<&'a TestCerts>,
    /// Require [`USER`]:[`PASSWORD`].
    pub htpasswd: bool,
    pub extra: Vec<&'a str>,
}

impl RctlServer {
    /// Plain HTTP, no auth, fresh data directory.
    pub fn start() -> RctlServer {
        RctlServer::with(Options::default())
    }

    /// TLS with the test CA and Basic auth for [`USER`]:[`PASSWORD`].
    pub fn secure(certs: &TestCerts) -> RctlServer {
        RctlServer::with(Options {
            certs: Some(certs),
            htpasswd: true,
            ..Options::default()
        })
    }

    pub fn with(options: Options<'_>) -> RctlServer {
        let dir = tempfile::tempdir().expect("create a server directory");
        let data = match options.data {
            Some(data) => data.to_path_buf(),
            None => dir.path().join("data"),
        };
        let port = free_port();
        let mut args = vec![
            "serve".to_string(),
            "--addr".to_string(),
            format!("127.0.0.1:{port}"),
            "--data".to_string(),
            data.display().to_string(),
        ];
        if let Some(certs) = options.certs {
            args.push("--tls-cert".into());
            args.push(certs.server_cert.display().to_string());
            args.push("--tls-key".into());
            args.push(certs.server_key.display().to_string());
        }
        if options.htpasswd {
            let file = dir.path().join("htpasswd");
            let line = tool(Command::new("htpasswd").args(["-Bbn", USER, PASSWORD]));
            std::fs::write(&file, line.trim_end().to_string() + "\n").unwrap();
            args.push("--htpasswd".into());
            args.push(file.display().to_string());
        }
        args.extend(options.extra.iter().map(|s| s.to_string()));
        let mut server = RctlServer {
            process: None,
            log_file: dir.path().join("serve.log"),
            dir,
            data,
            port,
            address: format!("127.0.0.1:{port}"),
            args,
        };
        server.restart();
        server
    }

    /// Start (again) with the same arguments and data; the log is appended to.
    pub fn restart(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_file)
            .unwrap();
        let mut command = Command::new(rctl_bin());
        command
            .args(&self.args)
            .env_remove("RUST_LOG")
            .env_remove("REGISTRY_HTTP_ADDR")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        self.process = Some(ChildGuard::spawn("rctl serve", &mut command));
        wait_for_port(self.port, Duration::from_secs(20));
    }

    /// `kill -9` the server (by its pid).
    pub fn kill_hard(&mut self) {
        if let Some(mut guard) = self.process.take() {
            let _ = guard.child.kill();
            let _ = guard.child.wait();
        }
    }

    /// `127.0.0.1:PORT/<path>`
    pub fn reference(&self, path: &str) -> String {
        format!("{}/{path}", self.address)
    }

    /// `http://127.0.0.1:PORT<path>`
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }
}

/// A directory holding the test CA as `ca.crt`: what skopeo and podman take as `--cert-dir`.
pub fn cert_dir(certs: &TestCerts) -> PathBuf {
    let dir = certs.path().join("cert-dir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&certs.ca_cert, dir.join("ca.crt")).unwrap();
    dir
}

/// skopeo with an empty auth file of its own and no need for a `policy.json` (the images are
/// the test's own), as the harness runs it; the harness's builder is private to its module.
pub fn skopeo() -> Command {
    let mut command = Command::new("skopeo");
    command
        .env("REGISTRY_AUTH_FILE", "/nonexistent-rctl-test/auth.json")
        .env_remove("DOCKER_CONFIG")
        .arg("--insecure-policy");
    command
}
