//! A docker-registry with htpasswd (Basic) auth for one user whose password is fresh for every
//! registry, so tests can look for it in rctl's output. Plain HTTP on loopback, which rctl uses
//! for `127.0.0.1` without `--insecure`; the harness's TLS registries share one fixed password,
//! which is too common a word to search output for.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::harness::image::{Flavor, SkopeoAuth, push_with_skopeo, small_image};
use crate::harness::{ChildGuard, TempDir, free_port, wait_for_port};

/// The one image every login registry holds: `app:v1`.
pub const REPOSITORY: &str = "app";
pub const TAG: &str = "v1";

/// A running docker-registry that accepts [`LoginRegistry::username`] and
/// [`LoginRegistry::password`].
pub struct LoginRegistry {
    /// Declared first so the process dies before its directory is removed.
    _process: ChildGuard,
    _dir: TempDir,
    /// `127.0.0.1:PORT`, the registry and its credential key.
    pub address: String,
    pub username: String,
    pub password: String,
    pub log_file: PathBuf,
}

impl LoginRegistry {
    /// Start the registry and push `app:v1` into it with skopeo.
    pub fn start() -> LoginRegistry {
        let dir = tempfile::tempdir().expect("create a registry directory");
        let port = free_port();
        let username = format!("user{port}");
        let password = format!("pw-{}", uuid::Uuid::new_v4().simple());

        let hash = bcrypt::hash_with_result(&password, 4)
            .expect("hash the test password")
            .format_for_version(bcrypt::Version::TwoA);
        let htpasswd = dir.path().join("htpasswd");
        std::fs::write(&htpasswd, format!("{username}:{hash}\n")).unwrap();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\n\
                 log:\n  level: info\n\
                 storage:\n  filesystem:\n    rootdirectory: {data}\n\
                 http:\n  addr: 127.0.0.1:{port}\n  secret: rctl-test-secret\n\
                 auth:\n  htpasswd:\n    realm: rctl-login-test\n    path: {htpasswd}\n",
                data = dir.path().join("data").display(),
                htpasswd = htpasswd.display(),
            ),
        )
        .unwrap();

        let log_file = dir.path().join("registry.log");
        let log = std::fs::File::create(&log_file).unwrap();
        let process = ChildGuard::spawn(
            "docker-registry",
            Command::new("/usr/bin/docker-registry")
                .arg("serve")
                .arg(&config)
                .env_clear()
                .env("PATH", "/usr/bin:/bin")
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log),
        );
        wait_for_port(port, Duration::from_secs(20));

        let registry = LoginRegistry {
            _process: process,
            _dir: dir,
            address: format!("127.0.0.1:{port}"),
            username,
            password,
            log_file,
        };
        let image_dir = tempfile::tempdir().unwrap();
        let layout = small_image(Flavor::Oci, "linux/amd64").write_layout(image_dir.path(), TAG);
        push_with_skopeo(
            &layout,
            &format!("{}/{REPOSITORY}:{TAG}", registry.address),
            &SkopeoAuth::with_creds(&registry.username, &registry.password),
        );
        registry
    }

    /// `127.0.0.1:PORT/app`, for `rctl tags`.
    pub fn repository(&self) -> String {
        format!("{}/{REPOSITORY}", self.address)
    }

    /// The registry's log: which user each request authenticated as.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }
}
