//! The docker workflow without a daemon: pull, tag, push, rmi, images, pull again, save, load.

use super::local_formats::podman_args;
use super::{push_index, raw_digest};
use crate::harness::registry::Registry;
use crate::harness::{Env, tool};

#[test]
fn pull_tag_push_rmi_images_and_pull_again() {
    let registry_a = Registry::plain();
    let registry_b = Registry::plain();
    let index = push_index(&registry_a, "library/busybox:latest");
    let env = Env::new();
    let amd64 = index.image("linux/amd64");
    let name_a = registry_a.reference("library/busybox");
    let name_b = registry_b.reference("busybox");

    let pull = env.run(&["pull", &name_a]);
    assert_eq!(pull.ok().trim(), format!("{name_a}:latest"));
    assert!(
        pull.stderr.contains("Using default tag: latest"),
        "{}",
        pull.stderr
    );
    assert!(
        pull.stderr
            .contains(&format!("Digest: {}", index.index.digest))
    );
    assert!(
        pull.stderr.contains("Status: Downloaded newer image"),
        "{}",
        pull.stderr
    );

    env.run(&["tag", &name_a, &name_b]).ok();
    let push = env.run(&["push", &name_b]);
    assert!(
        push.ok()
            .contains(&format!("latest: digest: {}", amd64.manifest.digest)),
        "{push:?}"
    );
    assert_eq!(
        raw_digest(&format!("{name_b}:latest")),
        amd64.manifest.digest
    );

    let images: serde_json::Value =
        serde_json::from_str(env.run(&["images", "--format", "json"]).ok()).unwrap();
    let mut names: Vec<String> = images
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reference"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut expected = vec![format!("{name_a}:latest"), format!("{name_b}:latest")];
    expected.sort();
    assert_eq!(names, expected);
    let table = env.run(&["images"]);
    assert!(table.ok().contains("REPOSITORY"));
    assert!(table.stdout.contains("2024-01-01T00:00:00Z"));

    let store = env.path().join("data/rctl/store");
    let inspected = tool(
        std::process::Command::new("skopeo")
            .args(["inspect", "--raw"])
            .arg(format!("oci:{}:{name_b}:latest", store.display())),
    );
    assert_eq!(
        crate::harness::image::sha256_digest(inspected.as_bytes()),
        amd64.manifest.digest
    );

    env.run(&["rmi", &name_a, &name_b]).ok();
    let images: serde_json::Value =
        serde_json::from_str(env.run(&["images", "--format", "json"]).ok()).unwrap();
    assert_eq!(images.as_array().unwrap().len(), 0);
    let blobs = std::fs::read_dir(store.join("blobs/sha256"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))
        })
        .count();
    assert_eq!(blobs, 0, "rmi left unreferenced blobs");

    let again = env.run(&["pull", &name_b]);
    again.ok();
    assert!(
        again
            .stderr
            .contains(&format!("Digest: {}", amd64.manifest.digest))
    );
}

#[test]
fn save_is_loaded_by_podman_and_load_reads_it_back() {
    let registry = Registry::plain();
    push_index(&registry, "team/app:v1");
    let env = Env::new();
    let name = registry.reference("team/app:v1");
    env.run(&["pull", &name]).ok();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("saved.tar");
    env.run(&["save", &name, "-o", file.to_str().unwrap()]).ok();

    let podman = tempfile::tempdir().unwrap();
    let out = tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args(["load", "-i", file.to_str().unwrap()]),
    );
    assert!(out.contains(&name), "{out}");

    // podman's own save (docker format) loads into a fresh rctl store.
    let podman_file = dir.path().join("podman.tar");
    tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args([
                "save",
                "--format",
                "docker-archive",
                "-o",
                podman_file.to_str().unwrap(),
                &name,
            ]),
    );
    let fresh = Env::new();
    let load = fresh.run(&["load", "-i", podman_file.to_str().unwrap()]);
    assert!(
        load.ok().contains(&format!("Loaded image: {name}")),
        "{load:?}"
    );
    let images: serde_json::Value =
        serde_json::from_str(fresh.run(&["images", "--format", "json"]).ok()).unwrap();
    assert_eq!(images[0]["reference"], name.as_str());

    // And podman's OCI archive too.
    let oci_file = dir.path().join("podman-oci.tar");
    tool(
        std::process::Command::new("podman")
            .args(podman_args(podman.path()))
            .args([
                "save",
                "--format",
                "oci-archive",
                "-o",
                oci_file.to_str().unwrap(),
                &name,
            ]),
    );
    let third = Env::new();
    let load = third.run(&["load", "-i", oci_file.to_str().unwrap()]);
    assert!(load.ok().contains("Loaded image: "), "{load:?}");
    let images: serde_json::Value =
        serde_json::from_str(third.run(&["images", "--format", "json"]).ok()).unwrap();
    assert_eq!(images.as_array().unwrap().len(), 1, "{images}");
}

#[test]
fn concurrent_pulls_and_tags_into_one_store_keep_every_name() {
    let registry = Registry::plain();
    push_index(&registry, "team/app:v1");
    push_index(&registry, "team/other:v1");
    let env = Env::new();
    let names: Vec<String> = (0..4)
        .map(|i| {
            let repository = if i % 2 == 0 { "team/app" } else { "team/other" };
            registry.reference(&format!("{repository}:v1"))
        })
        .collect();
    let children: Vec<_> = names
        .iter()
        .map(|name| {
            env.rctl()
                .args(["pull", "-q", name])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let tags: Vec<_> = (0..6)
        .map(|i| {
            env.rctl()
                .args(["tag", &names[0], &format!("localhost:5000/copy/n{i}:v1")])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in tags {
        assert!(child.wait().unwrap().success());
    }
    let images: serde_json::Value =
        serde_json::from_str(env.run(&["images", "--format", "json"]).ok()).unwrap();
    assert_eq!(images.as_array().unwrap().len(), 8, "{images}");
}
