//! The distribution-spec scenarios, checked with raw HTTP: uploads (chunk order and 416,
//! session status, streamed and monolithic uploads, mounts) and content (pagination with
//! `Link`, referrers with an `artifactType` filter, tag and manifest deletion, error codes).

mod content;
mod uploads;

use serde_json::json;

use super::RctlServer;
use super::http::{Reply, request};
use crate::harness::image::sha256_digest;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// Upload `bytes` to `repo` in one POST; returns the digest.
pub fn upload(server: &RctlServer, repo: &str, bytes: &[u8]) -> String {
    let digest = sha256_digest(bytes);
    let reply = request(
        "POST",
        &server.url(&format!("/v2/{repo}/blobs/uploads/?digest={digest}")),
    )
    .body(bytes.to_vec())
    .send();
    assert_eq!(reply.status, 201, "{}", reply.text());
    digest
}

/// An image manifest over an uploaded config (and optional subject / artifact type).
pub fn manifest(server: &RctlServer, repo: &str, seed: &str, extra: serde_json::Value) -> Vec<u8> {
    let config = format!("{{\"seed\":\"{seed}\"}}");
    let digest = upload(server, repo, config.as_bytes());
    let mut body = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest, "size": config.len()},
        "layers": [],
    });
    if let (Some(target), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        target.extend(extra.clone());
    }
    serde_json::to_vec(&body).unwrap()
}

pub fn put_manifest(server: &RctlServer, repo: &str, reference: &str, body: &[u8]) -> Reply {
    request(
        "PUT",
        &server.url(&format!("/v2/{repo}/manifests/{reference}")),
    )
    .header("Content-Type", OCI_MANIFEST)
    .body(body.to_vec())
    .send()
}
