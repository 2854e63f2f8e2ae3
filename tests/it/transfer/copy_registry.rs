//! Registry to registry: digests kept, nothing moved twice, mounts inside a registry, subsets.

use super::{exists, push_index, raw_digest, uploads};
use crate::harness::Env;
use crate::harness::registry::Registry;

#[test]
fn multi_platform_index_keeps_its_digest_and_a_second_copy_uploads_nothing() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = push_index(&source, "team/app:v1");
    let env = Env::new();
    let from = source.reference("team/app:v1");
    let to = destination.reference("mirror/app:v1");

    let run = env.run(&["copy", &from, &to]);
    let stdout = run.ok();
    assert!(
        stdout.contains(&format!(
            "v1: digest: {} size: {}",
            index.index.digest,
            index.index.size()
        )),
        "final line: {stdout}"
    );
    assert_eq!(raw_digest(&to), index.index.digest);
    for image in &index.images {
        let child = destination.reference(&format!("mirror/app@{}", image.manifest.digest));
        assert_eq!(raw_digest(&child), image.manifest.digest);
    }
    let first = uploads(&destination);
    assert!(first > 0, "the first copy uploaded nothing");

    let again = env.run(&["copy", &from, &to, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(again.ok()).unwrap();
    assert_eq!(report["bytes_moved"], 0, "{report}");
    assert_eq!(report["digest"], index.index.digest.as_str());
    assert_eq!(
        uploads(&destination),
        first,
        "the second copy uploaded blobs"
    );
}

#[test]
fn copy_to_another_repository_of_the_same_registry_mounts_blobs() {
    let registry = Registry::plain();
    let index = push_index(&registry, "team/app:v1");
    let env = Env::new();
    let before = uploads(&registry);
    let puts_before = registry.count_requests("PUT", "/blobs/uploads/");

    let run = env.run(&[
        "copy",
        &registry.reference("team/app:v1"),
        &registry.reference("other/app:v2"),
    ]);
    run.ok();
    assert!(
        run.stderr.contains("Mounted from team/app"),
        "{}",
        run.stderr
    );
    assert!(registry.count_requests("POST", "mount=") > 0);
    // Mounts are the only upload requests: no PUT of blob bytes.
    assert_eq!(
        registry.count_requests("PUT", "/blobs/uploads/"),
        puts_before
    );
    assert!(uploads(&registry) > before);
    assert_eq!(
        raw_digest(&registry.reference("other/app:v2")),
        index.index.digest
    );
}

#[test]
fn one_platform_copies_that_image_alone_and_several_make_a_new_index() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = push_index(&source, "team/app:v1");
    let env = Env::new();
    let from = source.reference("team/app:v1");

    let one = destination.reference("one/app:v1");
    let run = env.run(&["copy", "--platform", "linux/arm64", &from, &one]);
    run.ok();
    assert!(run.stderr.contains("Digest changed"), "{}", run.stderr);
    assert_eq!(
        raw_digest(&one),
        index.image("linux/arm64/v8").manifest.digest
    );

    let two = destination.reference("two/app:v1");
    let run = env.run(&[
        "copy",
        "--platform",
        "linux/amd64,linux/arm/v7",
        &from,
        &two,
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    assert_ne!(report["digest"], index.index.digest.as_str());
    assert!(
        report["digest_changed"]
            .as_str()
            .unwrap()
            .contains("new index")
    );
    let raw = std::process::Command::new("skopeo")
        .args([
            "inspect",
            "--raw",
            "--tls-verify=false",
            &format!("docker://{two}"),
        ])
        .output()
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&raw.stdout).unwrap();
    let platforms: Vec<String> = body["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["platform"]["architecture"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(platforms, ["amd64", "arm"]);
    assert!(!exists(&destination.reference(&format!(
        "two/app@{}",
        index.image("linux/arm64/v8").manifest.digest
    ))));
}
