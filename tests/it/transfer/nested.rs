//! Nested indexes (an index whose entry is another index): copied with every inner child,
//! children first, the digest kept; a chain deeper than the engine follows is refused before
//! anything is written.

use super::{exists, push_index, raw_digest};
use crate::harness::Env;
use crate::harness::image::{Blob, ImageIndex, sha256_digest};
use crate::harness::registry::Registry;
use crate::serve::http::request;

const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// An OCI index whose only entry is `inner`.
fn index_of(inner: &Blob) -> Blob {
    let body = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [inner.descriptor()],
    });
    Blob::new(OCI_INDEX, serde_json::to_vec_pretty(&body).unwrap())
}

/// Store `index` (whose children are already there) as `repo:reference` with a manifest PUT.
fn put_index(registry: &Registry, repo: &str, reference: &str, index: &Blob) {
    let url = format!(
        "http://{}",
        registry.reference(&format!("v2/{repo}/manifests/{reference}"))
    );
    let reply = request("PUT", &url)
        .header("Content-Type", OCI_INDEX)
        .body(index.bytes.clone())
        .send();
    assert_eq!(reply.status, 201, "{}", reply.text());
}

/// Push the harness's three-platform index as `repo:inner` and an index naming it as
/// `repo:v1`. Returns (inner, outer).
fn push_nested(registry: &Registry, repo: &str) -> (ImageIndex, Blob) {
    let inner = push_index(registry, &format!("{repo}:inner"));
    let outer = index_of(&inner.index);
    put_index(registry, repo, "v1", &outer);
    (inner, outer)
}

#[test]
fn a_nested_index_is_copied_with_its_inner_children_between_registries() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let (inner, outer) = push_nested(&source, "nested/app");
    let env = Env::new();
    let to = destination.reference("mirror/app:v1");

    env.run(&["copy", &source.reference("nested/app:v1"), &to])
        .ok();

    assert_eq!(raw_digest(&to), outer.digest);
    let at = |digest: &str| destination.reference(&format!("mirror/app@{digest}"));
    assert_eq!(raw_digest(&at(&inner.index.digest)), inner.index.digest);
    for image in &inner.images {
        assert_eq!(
            raw_digest(&at(&image.manifest.digest)),
            image.manifest.digest
        );
        for blob in image.layers.iter().chain([&image.config]) {
            assert!(
                destination.blob_path(&blob.digest).exists(),
                "blob {} of {} is missing",
                blob.digest,
                image.platform
            );
        }
    }
}

#[test]
fn a_nested_index_is_copied_to_a_layout_and_back_with_its_digest() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let (inner, outer) = push_nested(&source, "nested/app");
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let layout = dir.path().join("layout");
    let oci = format!("oci:{}:v1", layout.display());

    env.run(&["copy", &source.reference("nested/app:v1"), &oci])
        .ok();

    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["manifests"][0]["digest"], outer.digest.as_str());
    let mut expected: Vec<&Blob> = inner.blobs();
    expected.push(&outer);
    for blob in expected {
        let path = layout.join("blobs/sha256").join(blob.hex());
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{} is missing from the layout: {e}", blob.digest));
        assert_eq!(sha256_digest(&bytes), blob.digest);
    }

    // And back out of the layout into a registry, still whole.
    let back = destination.reference("back/app:v1");
    env.run(&["copy", &oci, &back]).ok();
    assert_eq!(raw_digest(&back), outer.digest);
    for image in &inner.images {
        let child = destination.reference(&format!("back/app@{}", image.manifest.digest));
        assert_eq!(raw_digest(&child), image.manifest.digest);
    }
}

#[test]
fn indexes_nested_deeper_than_four_levels_are_refused_before_anything_is_written() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let inner = push_index(&source, "deep/app:inner");

    // Four levels of indexes copy; a fifth is refused.
    let mut top = inner.index.clone();
    for level in 2..=5 {
        top = index_of(&top);
        put_index(&source, "deep/app", &format!("level{level}"), &top);
    }
    let env = Env::new();
    env.run(&[
        "copy",
        &source.reference("deep/app:level4"),
        &destination.reference("ok/app:v1"),
    ])
    .ok();
    assert_eq!(raw_digest(&destination.reference("ok/app:v1")), {
        let mut four = inner.index.clone();
        for _ in 2..=4 {
            four = index_of(&four);
        }
        four.digest
    });

    let to = destination.reference("deep/app:v1");
    let refused = env.run(&["copy", &source.reference("deep/app:level5"), &to]);
    let stderr = refused.fails_with_hint(1);
    assert!(
        stderr.contains("nests indexes more than 4 deep"),
        "{stderr}"
    );
    assert!(!exists(&to), "a tag was written for a refused copy");
    assert!(
        !exists(&destination.reference(&format!("deep/app@{}", inner.images[0].manifest.digest))),
        "a refused copy stored manifests"
    );
}
