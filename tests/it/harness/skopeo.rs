//! skopeo as the reference client: pushing generated images to a registry and reporting the
//! digests it sees, to compare with rctl's answers.
//!
//! skopeo runs with an auth file that does not exist, so the host's logins never leak in;
//! credentials are passed per call with `--creds`. Copies use `--insecure-policy`: the images are
//! the test's own, and no `policy.json` needs to exist on the machine.

use std::process::Command;

use super::image::{Layout, sha256_digest};
use super::tool;

/// How skopeo reaches a registry.
#[derive(Debug, Clone, Default)]
pub struct SkopeoAuth {
    /// `user:pass` for `--creds`.
    pub creds: Option<String>,
    /// Verify TLS (false: `--tls-verify=false`, which also allows plain HTTP).
    pub tls_verify: bool,
}

impl SkopeoAuth {
    /// Plain HTTP or unverified TLS, no credentials.
    pub fn anonymous() -> SkopeoAuth {
        SkopeoAuth::default()
    }

    /// Unverified TLS with `user:pass`.
    pub fn with_creds(user: &str, password: &str) -> SkopeoAuth {
        SkopeoAuth {
            creds: Some(format!("{user}:{password}")),
            tls_verify: false,
        }
    }

    fn args(&self, prefix: &str) -> Vec<String> {
        let mut args = vec![format!("--{prefix}tls-verify={}", self.tls_verify)];
        if let Some(creds) = &self.creds {
            args.push(format!("--{prefix}creds={creds}"));
        }
        args
    }
}

/// Push `layout` (all platforms, digests preserved) to `dest` (`127.0.0.1:PORT/repo:tag`) with
/// skopeo.
pub fn push_with_skopeo(layout: &Layout, dest: &str, auth: &SkopeoAuth) {
    let mut command = skopeo();
    command
        .args([
            "--insecure-policy",
            "copy",
            "--all",
            "--preserve-digests",
            "--quiet",
        ])
        .args(auth.args("dest-"))
        .arg(&layout.source)
        .arg(format!("docker://{dest}"));
    tool(&mut command);
}

/// The digest skopeo computes over the raw manifest of `reference` (`127.0.0.1:PORT/repo:tag`).
pub fn skopeo_raw_digest(reference: &str, auth: &SkopeoAuth) -> String {
    let mut command = skopeo();
    command
        .args(["inspect", "--raw"])
        .args(auth.args(""))
        .arg(format!("docker://{reference}"));
    let output = command.output().expect("run skopeo inspect --raw");
    assert!(
        output.status.success(),
        "skopeo inspect --raw failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    sha256_digest(&output.stdout)
}

/// What `skopeo inspect --format '{{.Digest}}'` reports for `reference`.
pub fn skopeo_digest(reference: &str, auth: &SkopeoAuth) -> String {
    let mut command = skopeo();
    command
        .args(["inspect", "--format", "{{.Digest}}"])
        .args(auth.args(""))
        .arg(format!("docker://{reference}"));
    tool(&mut command).trim().to_string()
}

/// skopeo with its own (empty) auth file, so no host credentials leak in.
fn skopeo() -> Command {
    let mut command = Command::new("skopeo");
    command
        .env("REGISTRY_AUTH_FILE", "/nonexistent-rctl-test/auth.json")
        .env_remove("DOCKER_CONFIG");
    for proxy in super::PROXY_VARIABLES {
        command.env_remove(proxy);
    }
    command
}
