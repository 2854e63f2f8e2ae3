//! podman (4.3, vfs storage in a temporary root, no container runtime needed) logs in, pushes
//! and pulls over TLS, trusting the test CA through `--cert-dir`.

use std::path::Path;
use std::process::Command;

use super::RctlServer;
use crate::harness::certs::TestCerts;
use crate::harness::image::{Flavor, small_image};
use crate::harness::registry::{PASSWORD, USER};
use crate::harness::tool;

/// podman with its own storage, runtime dir and auth file under `root`.
fn podman(root: &Path) -> Command {
    let mut command = Command::new("podman");
    command
        .env("REGISTRY_AUTH_FILE", root.join("auth.json"))
        .env("HOME", root)
        .env("XDG_RUNTIME_DIR", root.join("run"))
        .env_remove("DOCKER_CONFIG")
        .args(["--storage-driver", "vfs", "--root"])
        .arg(root.join("storage"))
        .arg("--runroot")
        .arg(root.join("runroot"))
        .args(["--events-backend", "none"]);
    command
}

#[test]
fn podman_logs_in_pushes_and_pulls_over_tls_with_a_test_ca() {
    let certs = TestCerts::new();
    let server = RctlServer::secure(&certs);
    let cert_dir = certs.path().join("podman-certs");
    std::fs::create_dir_all(&cert_dir).unwrap();
    std::fs::copy(&certs.ca_cert, cert_dir.join("ca.crt")).unwrap();
    let cert_arg = format!("--cert-dir={}", cert_dir.display());
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("run")).unwrap();
    std::fs::write(root.path().join("auth.json"), "{}").unwrap();

    let image = small_image(Flavor::Oci, "linux/amd64");
    let source = tempfile::tempdir().unwrap();
    let layout = image.write_layout(source.path(), "v1");
    // podman names `oci:` images after their path; skopeo stores it under a proper name.
    let store = format!(
        "containers-storage:[vfs@{}+{}]localhost/app:v1",
        root.path().join("storage").display(),
        root.path().join("runroot").display()
    );
    tool(super::skopeo().args(["copy", "--quiet", &layout.source, &store]));
    let local = "localhost/app:v1";
    let local_id =
        tool(podman(root.path()).args(["image", "inspect", "--format", "{{.Id}}", local]));

    let refused = podman(root.path())
        .args([
            "login",
            &cert_arg,
            "-u",
            USER,
            "-p",
            "wrong",
            &server.address,
        ])
        .output()
        .unwrap();
    assert!(
        !refused.status.success(),
        "login with a wrong password succeeded"
    );
    tool(podman(root.path()).args([
        "login",
        &cert_arg,
        "-u",
        USER,
        "-p",
        PASSWORD,
        &server.address,
    ]));

    let remote = server.reference("podman/app:v1");
    tool(podman(root.path()).args([
        "push",
        "-q",
        &cert_arg,
        local,
        &format!("docker://{remote}"),
    ]));
    tool(podman(root.path()).args(["rmi", "-a", "-f"]));
    tool(podman(root.path()).args(["pull", "-q", &cert_arg, &remote]));
    let pulled_id =
        tool(podman(root.path()).args(["image", "inspect", "--format", "{{.Id}}", &remote]));
    assert_eq!(pulled_id.trim(), local_id.trim());
    assert_eq!(format!("sha256:{}", pulled_id.trim()), image.config.digest);
}
