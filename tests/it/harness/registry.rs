//! Debian's `docker-registry` (distribution 2.8.2), one process per test, on a free loopback
//! port with its own YAML config and a data directory in a temporary directory.
//!
//! Three modes: plain HTTP without auth, TLS with htpasswd (Basic), and TLS with token auth
//! against a [`super::token_server::TokenServer`]. Deletes are enabled; upload purging is off.
//! The process writes its log (info level: one "response completed" line per request, plus the
//! access log) to a file that [`Registry::requests`] parses, and is killed by pid when the
//! [`Registry`] is dropped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::certs::TestCerts;
use super::{ChildGuard, TempDir, free_port, tool};

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
    /// stdout and stderr of the process: the request log and the access log.
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

    /// Start docker-registry in `mode` and wait until it listens.
    ///
    /// Readiness is the registry's own "listening on" log line, which it writes after binding:
    /// a port that merely accepts connections could belong to another test that grabbed the
    /// same free port. When the registry exits instead (the port was taken), it is started
    /// again on another port.
    pub fn start(mode: Mode, certs: Option<&TestCerts>) -> Registry {
        Registry::start_with_config(mode, certs, "")
    }

    /// As [`Registry::start`], with `extra_yaml` (top-level sections such as
    /// `"catalog:\n  maxentries: 2\n"`) appended to the generated config.
    pub fn start_with_config(mode: Mode, certs: Option<&TestCerts>, extra_yaml: &str) -> Registry {
        let dir = tempfile::tempdir().expect("create a registry directory");
        let data_dir = dir.path().join("data");
        std::fs::create_dir_all(&data_dir).unwrap();
        let log_file = dir.path().join("registry.log");
        let config = dir.path().join("config.yml");

        for _ in 0..5 {
            let port = free_port();
            let yaml = config_yaml(&mode, port, &data_dir, dir.path(), certs) + extra_yaml;
            std::fs::write(&config, yaml).unwrap();
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
            let mut process = ChildGuard::spawn("docker-registry", &mut command);

            let ready = format!("listening on 127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let log = std::fs::read_to_string(&log_file).unwrap_or_default();
                if log.contains(&ready) {
                    return Registry {
                        process,
                        dir,
                        address: format!("127.0.0.1:{port}"),
                        port,
                        mode,
                        data_dir,
                        log_file,
                    };
                }
                if process.child.try_wait().ok().flatten().is_some() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "docker-registry did not start within 20s:\n{log}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!(
            "docker-registry kept exiting:\n{}",
            std::fs::read_to_string(&log_file).unwrap_or_default()
        );
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

    /// Every completed request in the log, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.log()
            .lines()
            .filter_map(LoggedRequest::parse)
            .collect()
    }

    /// How many completed requests the log shows with `method` and a URI containing `uri_part`
    /// (`count_requests("POST", "/blobs/uploads/")` counts started uploads).
    pub fn count_requests(&self, method: &str, uri_part: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.uri.contains(uri_part))
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

/// One "response completed" line of the registry's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    /// Path and query, as the client sent them.
    pub uri: String,
    pub status: u16,
    pub user_agent: String,
}

impl LoggedRequest {
    fn parse(line: &str) -> Option<LoggedRequest> {
        if !line.contains("msg=\"response completed\"") {
            return None;
        }
        Some(LoggedRequest {
            method: log_field(line, "http.request.method")?,
            uri: log_field(line, "http.request.uri")?,
            status: log_field(line, "http.response.status")?.parse().ok()?,
            user_agent: log_field(line, "http.request.useragent").unwrap_or_default(),
        })
    }
}

/// The value of `key=value` or `key="quoted value"` in a logrus text line.
fn log_field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!(" {key}="))? + key.len() + 2;
    let rest = &line[start..];
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => value.extend(chars.next()),
                '"' => return Some(value),
                c => value.push(c),
            }
        }
        None
    } else {
        Some(rest.split(' ').next().unwrap_or_default().to_string())
    }
}
