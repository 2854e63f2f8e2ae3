//! OCI layouts, OCI archives and docker archives, read back by skopeo and podman.

use super::{push_index, raw_digest, temp_files};
use crate::harness::Env;
use crate::harness::registry::Registry;
use crate::harness::tool;

fn skopeo(args: &[&str]) -> String {
    tool(
        std::process::Command::new("skopeo")
            .args(args)
            .env("REGISTRY_AUTH_FILE", "/nonexistent-rctl-test/auth.json"),
    )
}

fn sha256(bytes: &[u8]) -> String {
    crate::harness::image::sha256_digest(bytes)
}

#[test]
fn oci_layout_and_archive_round_trips_keep_the_digest() {
    let registry = Registry::plain();
    let index = push_index(&registry, "team/app:v1");
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let layout = format!("oci:{}:v1", dir.path().join("layout").display());
    let archive = format!("oci-archive:{}:v1", dir.path().join("image.tar").display());

    env.run(&["copy", &registry.reference("team/app:v1"), &layout])
        .ok();
    let raw = skopeo(&["inspect", "--raw", &layout]);
    assert_eq!(sha256(raw.as_bytes()), index.index.digest);
    env.run(&["copy", &layout, &archive]).ok();
    let raw = skopeo(&["inspect", "--raw", &archive]);
    assert_eq!(sha256(raw.as_bytes()), index.index.digest);

    let back = registry.reference("back/app:v1");
    env.run(&["copy", &archive, &back]).ok();
    assert_eq!(raw_digest(&back), index.index.digest);
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );
}

#[test]
fn docker_archive_round_trip_is_read_by_skopeo_and_loaded_by_podman() {
    let registry = Registry::plain();
    let index = push_index(&registry, "team/app:v1");
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.tar");
    let archive = format!("docker-archive:{}:localhost/team/app:v1", file.display());

    let run = env.run(&[
        "copy",
        "--platform",
        "linux/amd64",
        &registry.reference("team/app:v1"),
        &archive,
    ]);
    run.ok();
    let amd64 = index.image("linux/amd64");
    let inspected: serde_json::Value = serde_json::from_str(&skopeo(&[
        "inspect",
        &format!("docker-archive:{}", file.display()),
    ]))
    .unwrap();
    assert_eq!(inspected["Architecture"], "amd64");
    assert_eq!(
        inspected["Layers"].as_array().unwrap().len(),
        amd64.layers.len()
    );

    // Back to a registry: the layers and config are the same blobs.
    let back = registry.reference("back/app:v1");
    env.run(&["copy", &format!("docker-archive:{}", file.display()), &back])
        .ok();
    let manifest: serde_json::Value = serde_json::from_str(&skopeo(&[
        "inspect",
        "--raw",
        "--tls-verify=false",
        &format!("docker://{back}"),
    ]))
    .unwrap();
    assert_eq!(manifest["config"]["digest"], amd64.config.digest.as_str());
    assert_eq!(
        manifest["layers"][0]["digest"],
        amd64.layers[0].digest.as_str()
    );

    let podman = tempfile::tempdir().unwrap();
    let out = tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args(["load", "-i", file.to_str().unwrap()]),
    );
    assert!(out.contains("localhost/team/app:v1"), "{out}");
    let images = tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args(["images", "--format", "{{.Repository}}:{{.Tag}}"]),
    );
    assert!(images.contains("localhost/team/app:v1"), "{images}");
}

#[test]
fn podman_pulls_what_rctl_pushed() {
    let registry = Registry::plain();
    let index = push_index(&registry, "team/app:v1");
    let env = Env::new();
    env.run(&["pull", &registry.reference("team/app:v1")]).ok();
    let target = registry.reference("pushed/app:v1");
    env.run(&["tag", &registry.reference("team/app:v1"), &target])
        .ok();
    env.run(&["push", &target]).ok();

    let podman = tempfile::tempdir().unwrap();
    tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args(["pull", "--tls-verify=false", "--quiet", &target]),
    );
    let inspected = tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args([
                "image",
                "inspect",
                &target,
                "--format",
                "{{.Architecture}} {{.Digest}}",
            ]),
    );
    assert!(inspected.starts_with("amd64 "), "{inspected}");
    assert!(
        inspected.contains(&index.image("linux/amd64").manifest.digest),
        "{inspected}"
    );
}

/// podman as root in a throwaway storage, without a runtime.
pub fn podman_args(dir: &std::path::Path) -> Vec<String> {
    vec![
        "--storage-driver".into(),
        "vfs".into(),
        "--root".into(),
        dir.join("root").display().to_string(),
        "--runroot".into(),
        dir.join("run").display().to_string(),
    ]
}
