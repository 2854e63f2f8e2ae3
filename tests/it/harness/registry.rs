//! Debian's `docker-registry` (distribution 2.8.2), one process per test, on a free loopback
//! port with its own YAML config and a data directory in a temporary directory.
//!
//! Three modes: plain HTTP without auth, TLS with htpasswd (Basic), and TLS with token auth
//! against a [`super::token_server::TokenServer`]. Deletes are enabled. The process writes its
//! log (info level: one "response completed" line per request, plus the access log) to a file tests can read, and
//! is killed by pid when the [`Registry`] is dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::certs::TestCerts;
use super::{ChildGuard, TempDir, free_port, tool, wait_for_port};

/// The username every authenticated test registry accepts.
pub const USER: &str = "user";
/// The password of [`USER`].
pub const PASSWORD: &str = "pass";
/// The `service` docker-registry names in its token challenge.
pub const TOKEN_SERVICE: &str = "rctl-test-registry";
/// The issuer docker-registry expects in tokens.
pub const TOKEN_ISSUER: &str = "rctl-test-token-server";

/// How a registry authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Plain HTTP, no authentication.
    Plain,
    /// TLS with the test CA, Basic auth from an htpasswd file holding [`USER`]:[`PASSWORD`].
    Htpasswd,
    /// TLS with the test CA, Bearer tokens from the token server at `realm`.
    Token { realm: String },
}

/// A running docker-registry.
pub struct Registry {
    /// Declared first: fields drop in order, so the process dies before its directory goes.
    process: ChildGuard,
    /// Holds the config, data and log; removed on drop.
    pub dir: TempDir,
    /// `127.0.0.1:PORT`: the registry part of a reference.
    pub address: String,
    pub port: u16,
    pub mode: Mode,
    /// `storage.filesystem.rootdirectory`: blobs live under `docker/registry/v2/blobs/…`.
    pub data_dir: PathBuf,
    /// stdout and stderr of the process: the access log and debug log.
    pub log_file: PathBuf,
}

impl Registry {
    /// Plain HTTP, no authentication.
    pub fn plain() -> Registry {
        Registry::start(Mode::Plain, None)
    }

    /// TLS (server certificate from `certs`) with Basic auth for [`USER`]:[`PASSWORD`].
    pub fn htpasswd(certs: &TestCerts) -> Registry {
        Registry::start(Mode::Htpasswd, Some(certs))
    }

    /// TLS with token auth: tokens from `realm`, verified with `certs.signing_cert`.
    pub fn token(certs: &TestCerts, realm: &str) -> Registry {
        Registry::start(
            Mode::Token {
                realm: realm.to_string(),
            },
            Some(certs),
        )
    }

    /// Start docker-registry in `mode` and wait until it accepts connections.
    pub fn start(mode: Mode, certs: Option<&TestCerts>) -> Registry {
        let dir = tempfile::tempdir().expect("create a registry directory");
        let data_dir = dir.path().join("data");
        std::fs::create_dir_all(&data_dir).unwrap();
        let port = free_port();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            config_yaml(&mode, port, &data_dir, dir.path(), certs),
        )
        .unwrap();

        let log_file = dir.path().join("registry.log");
        let log = std::fs::File::create(&log_file).unwrap();
        let mut command = Command::new("/usr/bin/docker-registry");
        command
            .arg("serve")
            .arg(&config)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        let process = ChildGuard::spawn("docker-registry", &mut command);
        wait_for_port(port, Duration::from_secs(20));

        Registry {
            process,
            dir,
            address: format!("127.0.0.1:{port}"),
            port,
            mode,
            data_dir,
            log_file,
        }
    }

    /// `127.0.0.1:PORT/<path>`, a reference into this registry.
    pub fn reference(&self, path: &str) -> String {
        format!("{}/{path}", self.address)
    }

    /// The process id, for tests that stop or inspect it.
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The registry's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }

    /// How many completed requests the log shows with `method` and a URI containing `uri_part`.
    pub fn count_requests(&self, method: &str, uri_part: &str) -> usize {
        let method = format!("http.request.method={method} ");
        self.log()
            .lines()
            .filter(|l| l.contains("response completed"))
            .filter(|l| l.contains(&method))
            .filter(|l| {
                l.split_whitespace()
                    .any(|f| f.starts_with("http.request.uri=") && f.contains(uri_part))
            })
            .count()
    }

    /// The file of a blob in the data directory (`sha256:<hex>` in).
    pub fn blob_path(&self, digest: &str) -> PathBuf {
        let hex = digest.trim_start_matches("sha256:");
        self.data_dir
            .join("docker/registry/v2/blobs/sha256")
            .join(&hex[..2])
            .join(hex)
            .join("data")
    }
}

fn config_yaml(
    mode: &Mode,
    port: u16,
    data_dir: &Path,
    dir: &Path,
    certs: Option<&TestCerts>,
) -> String {
    let mut yaml = format!(
        "version: 0.1\n\
         log:\n  level: info\n  formatter: text\n  accesslog:\n    disabled: false\n\
         storage:\n  filesystem:\n    rootdirectory: {data}\n  delete:\n    enabled: true\n  \
         maintenance:\n    uploadpurging:\n      enabled: false\n\
         http:\n  addr: 127.0.0.1:{port}\n  secret: rctl-test-secret\n",
        data = data_dir.display(),
    );
    if *mode != Mode::Plain {
        let certs = certs.expect("TLS modes need test certificates");
        yaml.push_str(&format!(
            "  tls:\n    certificate: {}\n    key: {}\n",
            certs.server_cert.display(),
            certs.server_key.display()
        ));
    }
    match mode {
        Mode::Plain => {}
        Mode::Htpasswd => {
            let file = dir.join("htpasswd");
            let line = tool(Command::new("htpasswd").args(["-Bbn", USER, PASSWORD]));
            std::fs::write(&file, line.trim_end().to_string() + "\n").unwrap();
            yaml.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: rctl-test\n    path: {}\n",
                file.display()
            ));
        }
        Mode::Token { realm } => {
            let certs = certs.expect("token mode needs test certificates");
            yaml.push_str(&format!(
                "auth:\n  token:\n    realm: {realm}\n    service: {TOKEN_SERVICE}\n    \
                 issuer: {TOKEN_ISSUER}\n    rootcertbundle: {}\n",
                certs.signing_cert.display()
            ));
        }
    }
    yaml
}
