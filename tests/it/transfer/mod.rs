//! The copy engine and the docker workflow end to end: rctl against two Debian docker-registry
//! instances, with skopeo and podman reading back what rctl wrote.

mod copy_registry;
mod faults;
mod full_disk;
mod local_formats;
mod nested;
mod paged_referrers;
mod upload_faults;
mod workflow;

use std::path::Path;

use crate::harness::image::{
    Flavor, ImageBuilder, ImageIndex, SkopeoAuth, multi_platform_index, push_with_skopeo,
    skopeo_raw_digest,
};
use crate::harness::registry::Registry;

/// Push the harness's three-platform OCI index to `reference` (`127.0.0.1:PORT/repo:tag`).
pub fn push_index(registry: &Registry, path: &str) -> ImageIndex {
    let index = multi_platform_index(Flavor::Oci);
    push_layout(&index, registry, path);
    index
}

/// Push `index` to `path` on `registry` with skopeo.
pub fn push_layout(index: &ImageIndex, registry: &Registry, path: &str) {
    let dir = tempfile::tempdir().unwrap();
    let layout = index.write_layout(&dir.path().join("layout"), "v1");
    push_with_skopeo(&layout, &registry.reference(path), &SkopeoAuth::anonymous());
}

/// An index of four platforms, each with an incompressible layer of `size` bytes.
pub fn big_index(size: usize) -> ImageIndex {
    let images = [
        "linux/amd64",
        "linux/arm64/v8",
        "linux/arm/v7",
        "linux/s390x",
    ]
    .iter()
    .enumerate()
    .map(|(i, platform)| {
        ImageBuilder::new(Flavor::Oci)
            .platform(platform)
            .file("etc/platform", platform.as_bytes())
            .random_layer(size, 1000 + i as u64)
            .build()
    })
    .collect();
    ImageIndex::new(Flavor::Oci, images)
}

/// The sha256 of the raw manifest skopeo reads at `reference`.
pub fn raw_digest(reference: &str) -> String {
    skopeo_raw_digest(reference, &SkopeoAuth::anonymous())
}

/// Whether skopeo finds a manifest at `reference` (a registry reference).
pub fn exists(reference: &str) -> bool {
    std::process::Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{reference}"))
        .env("REGISTRY_AUTH_FILE", "/nonexistent-rctl-test/auth.json")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Blob upload requests (`POST` or `PUT` on `/blobs/uploads/`) in a registry's log.
pub fn uploads(registry: &Registry) -> usize {
    registry.count_requests("POST", "/blobs/uploads/")
        + registry.count_requests("PUT", "/blobs/uploads/")
        + registry.count_requests("PATCH", "/blobs/uploads/")
}

/// Files below `dir` whose name starts with `.tmp-` or `.rctl-tmp-`: leftovers of a write.
pub fn temp_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".tmp-") || name.starts_with(".rctl-tmp-") {
            found.push(entry.path().display().to_string());
        }
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(temp_files(&entry.path()));
        }
    }
    found
}
