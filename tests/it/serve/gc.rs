//! `rctl gc` on a data directory the server is using: unreferenced blobs go, referenced ones
//! stay, untagged manifests go only with `--delete-untagged`, a dry run removes nothing, and
//! the grace period protects what was just pushed.

use super::RctlServer;
use super::http::request;
use crate::harness::Env;
use crate::harness::image::{Flavor, Image, SkopeoAuth, push_with_skopeo, small_image};

fn push(server: &RctlServer, image: &Image, reference: &str) {
    let dir = tempfile::tempdir().unwrap();
    let layout = image.write_layout(dir.path(), "v1");
    push_with_skopeo(
        &layout,
        &server.reference(reference),
        &SkopeoAuth::anonymous(),
    );
}

fn blob_on_disk(server: &RctlServer, digest: &str) -> bool {
    let hex = digest.trim_start_matches("sha256:");
    server
        .data
        .join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data")
        .is_file()
}

#[test]
fn gc_sweeps_unreferenced_blobs_and_untagged_manifests_only_when_asked() {
    let server = RctlServer::start();
    let kept = small_image(Flavor::Oci, "linux/amd64");
    let deleted = small_image(Flavor::Oci, "linux/arm64/v8");
    let untagged = small_image(Flavor::Docker, "linux/arm/v7");
    push(&server, &kept, "kept:v1");
    push(&server, &deleted, "deleted:v1");
    push(&server, &untagged, "untagged:tmp");
    let url = server.url(&format!(
        "/v2/deleted/manifests/{}",
        deleted.manifest.digest
    ));
    assert_eq!(request("DELETE", &url).send().status, 202);
    assert_eq!(
        request("DELETE", &server.url("/v2/untagged/manifests/tmp"))
            .send()
            .status,
        202
    );

    let env = Env::new();
    let data = server.data.display().to_string();
    let gc = |extra: &[&str]| {
        let mut args = vec!["gc", "--data", data.as_str()];
        args.extend_from_slice(extra);
        env.run(&args).ok().to_string()
    };

    // The default grace period (1h) protects everything just pushed.
    assert!(gc(&[]).contains("removed 0 blobs"));
    let dry = gc(&["--grace", "0s", "--dry-run"]);
    assert!(dry.starts_with("would remove"), "{dry}");
    assert!(blob_on_disk(&server, &deleted.layers[0].digest));

    let report = gc(&["--grace", "0s"]);
    assert!(!report.contains("removed 0 blobs"), "{report}");
    for blob in deleted
        .layers
        .iter()
        .chain([&deleted.config, &deleted.manifest])
    {
        assert!(
            !blob_on_disk(&server, &blob.digest),
            "{} survived",
            blob.digest
        );
    }
    for blob in untagged.blobs().into_iter().chain(kept.blobs()) {
        assert!(
            blob_on_disk(&server, &blob.digest),
            "{} was swept",
            blob.digest
        );
    }

    let report = gc(&["--grace", "0s", "--delete-untagged"]);
    assert!(report.contains("1 manifests"), "{report}");
    let by_digest = server.url(&format!(
        "/v2/untagged/manifests/{}",
        untagged.manifest.digest
    ));
    assert_eq!(request("GET", &by_digest).send().status, 404);
    assert!(!blob_on_disk(&server, &untagged.layers[0].digest));

    // What is still referenced still pulls, byte for byte.
    let manifest = request("GET", &server.url("/v2/kept/manifests/v1")).send();
    assert_eq!(manifest.body, kept.manifest.bytes);
    for layer in &kept.layers {
        let url = server.url(&format!("/v2/kept/blobs/{}", layer.digest));
        assert_eq!(request("GET", &url).send().body, layer.bytes);
    }
}
