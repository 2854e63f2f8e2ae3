//! The distribution-spec scenarios, checked with raw HTTP: chunk order and 416, session
//! status, streamed and monolithic uploads, mounts (201 and 202), pagination with `Link`,
//! referrers with an `artifactType` filter, tag and manifest deletion, and the error codes.

use serde_json::json;

use super::http::{Reply, request};
use super::{Options, RctlServer};
use crate::harness::image::sha256_digest;

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// Upload `bytes` to `repo` in one POST; returns the digest.
fn upload(server: &RctlServer, repo: &str, bytes: &[u8]) -> String {
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
fn manifest(server: &RctlServer, repo: &str, seed: &str, extra: serde_json::Value) -> Vec<u8> {
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

fn put_manifest(server: &RctlServer, repo: &str, reference: &str, body: &[u8]) -> Reply {
    request(
        "PUT",
        &server.url(&format!("/v2/{repo}/manifests/{reference}")),
    )
    .header("Content-Type", OCI_MANIFEST)
    .body(body.to_vec())
    .send()
}

#[test]
fn chunks_must_arrive_in_order_and_the_session_reports_its_range() {
    let server = RctlServer::start();
    let content: Vec<u8> = (0..30u8).collect();
    let digest = sha256_digest(&content);

    let started = request("POST", &server.url("/v2/chunks/blobs/uploads/")).send();
    assert_eq!(started.status, 202);
    assert_eq!(started.header("range"), Some("0-0"));
    let location = started.header("location").unwrap().to_string();
    assert!(location.starts_with(&format!(
        "http://{}/v2/chunks/blobs/uploads/",
        server.address
    )));

    let first = request("PATCH", &location)
        .header("Content-Range", "0-9")
        .body(content[..10].to_vec())
        .send();
    assert_eq!(first.status, 202);
    assert_eq!(first.header("range"), Some("0-9"));

    let skipped = request("PATCH", &location)
        .header("Content-Range", "20-29")
        .body(content[20..].to_vec())
        .send();
    assert_eq!(skipped.status, 416, "{}", skipped.text());

    let status = request("GET", &location).send();
    assert_eq!(status.status, 204);
    assert_eq!(status.header("range"), Some("0-9"));
    assert!(status.header("location").is_some());

    let second = request("PATCH", &location)
        .header("Content-Range", "10-19")
        .body(content[10..20].to_vec())
        .send();
    assert_eq!(second.status, 202);
    assert_eq!(second.header("range"), Some("0-19"));

    // The closing PUT carries the last chunk.
    let closed = request("PUT", &format!("{location}?digest={digest}"))
        .header("Content-Range", "20-29")
        .body(content[20..].to_vec())
        .send();
    assert_eq!(closed.status, 201, "{}", closed.text());
    assert_eq!(
        closed.header("docker-content-digest"),
        Some(digest.as_str())
    );

    let fetched = request("GET", &server.url(&format!("/v2/chunks/blobs/{digest}"))).send();
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body, content);
    let ranged = request("GET", &server.url(&format!("/v2/chunks/blobs/{digest}")))
        .header("Range", "bytes=5-9")
        .send();
    assert_eq!(ranged.status, 206);
    assert_eq!(ranged.body, content[5..10]);
    assert_eq!(ranged.header("content-range"), Some("bytes 5-9/30"));
    let head = request("HEAD", &server.url(&format!("/v2/chunks/blobs/{digest}"))).send();
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("30"));

    // The session is gone once closed.
    assert_eq!(request("GET", &location).send().status, 404);
}

#[test]
fn streamed_patch_then_empty_put_and_a_wrong_digest_stores_nothing() {
    let server = RctlServer::start();
    let content = b"streamed content".to_vec();
    let digest = sha256_digest(&content);
    let location = |reply: &Reply| reply.header("location").unwrap().to_string();

    let started = request("POST", &server.url("/v2/stream/blobs/uploads/")).send();
    let patched = request("PATCH", &location(&started))
        .body(content.clone())
        .send();
    assert_eq!(patched.status, 202);
    assert_eq!(patched.header("range"), Some("0-15"));
    let closed = request("PUT", &format!("{}?digest={digest}", location(&patched))).send();
    assert_eq!(closed.status, 201);

    let wrong = sha256_digest(b"something else");
    let started = request("POST", &server.url("/v2/stream/blobs/uploads/")).send();
    let patched = request("PATCH", &location(&started))
        .body(b"other bytes".to_vec())
        .send();
    let refused = request("PUT", &format!("{}?digest={wrong}", location(&patched))).send();
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code(), "DIGEST_INVALID");
    let missing = request("HEAD", &server.url(&format!("/v2/stream/blobs/{wrong}"))).send();
    assert_eq!(missing.status, 404);

    // A chunk shorter than its Content-Range says is refused and not appended.
    let started = request("POST", &server.url("/v2/stream/blobs/uploads/")).send();
    let short = request("PATCH", &location(&started))
        .header("Content-Range", "0-99")
        .body(b"ten bytes!".to_vec())
        .send();
    assert_eq!(short.status, 400, "{}", short.text());
    assert_eq!(short.error_code(), "SIZE_INVALID");
    assert_eq!(
        request("GET", &location(&started)).send().header("range"),
        Some("0-0")
    );

    // DELETE cancels a session.
    assert_eq!(request("DELETE", &location(&started)).send().status, 204);
    assert_eq!(request("GET", &location(&started)).send().status, 404);
}

#[test]
fn mount_answers_201_when_the_source_has_the_blob_and_opens_a_session_otherwise() {
    let server = RctlServer::start();
    let digest = upload(&server, "source/repo", b"shared layer");

    let mounted = request(
        "POST",
        &server.url(&format!(
            "/v2/target/blobs/uploads/?mount={digest}&from=source/repo"
        )),
    )
    .send();
    assert_eq!(mounted.status, 201);
    assert!(
        mounted
            .header("location")
            .unwrap()
            .ends_with(&format!("/v2/target/blobs/{digest}"))
    );
    let fetched = request("GET", &server.url(&format!("/v2/target/blobs/{digest}"))).send();
    assert_eq!(fetched.body, b"shared layer");

    let unknown = sha256_digest(b"not uploaded anywhere");
    for query in [
        format!("mount={unknown}&from=source/repo"),
        format!("mount={digest}"),
    ] {
        let fallback = request(
            "POST",
            &server.url(&format!("/v2/other/blobs/uploads/?{query}")),
        )
        .send();
        assert_eq!(fallback.status, 202, "{query}");
        assert!(
            fallback
                .header("location")
                .unwrap()
                .contains("/v2/other/blobs/uploads/")
        );
    }
}

#[test]
fn tags_and_catalog_paginate_with_n_last_and_link() {
    let server = RctlServer::start();
    let body = manifest(&server, "paged", "one", json!({}));
    for tag in ["t3", "t0", "t4", "t1", "t2"] {
        assert_eq!(put_manifest(&server, "paged", tag, &body).status, 201);
    }
    for repo in ["paged2", "paged3"] {
        let body = manifest(&server, repo, repo, json!({}));
        assert_eq!(put_manifest(&server, repo, "latest", &body).status, 201);
    }

    let all = request("GET", &server.url("/v2/paged/tags/list")).send();
    assert_eq!(
        all.json(),
        json!({"name": "paged", "tags": ["t0", "t1", "t2", "t3", "t4"]})
    );
    assert!(all.header("link").is_none());

    let first = request("GET", &server.url("/v2/paged/tags/list?n=2")).send();
    assert_eq!(first.json()["tags"], json!(["t0", "t1"]));
    let link = first.header("link").expect("a Link to the next page");
    assert!(
        link.contains("last=t1") && link.ends_with("rel=\"next\""),
        "{link}"
    );
    let next = link.trim_start_matches('<').split('>').next().unwrap();
    let second = request("GET", &server.url(next)).send();
    assert_eq!(second.json()["tags"], json!(["t2", "t3"]));
    let last = request("GET", &server.url("/v2/paged/tags/list?n=2&last=t3")).send();
    assert_eq!(last.json()["tags"], json!(["t4"]));
    assert!(last.header("link").is_none());

    let none = request("GET", &server.url("/v2/paged/tags/list?n=0")).send();
    assert_eq!(none.json()["tags"], json!([]));
    assert!(none.header("link").is_none());

    let catalog = request("GET", &server.url("/v2/_catalog?n=2")).send();
    assert_eq!(catalog.json()["repositories"], json!(["paged", "paged2"]));
    assert!(catalog.header("link").unwrap().contains("last=paged2"));
    let rest = request("GET", &server.url("/v2/_catalog?n=2&last=paged2")).send();
    assert_eq!(rest.json()["repositories"], json!(["paged3"]));

    let bad = request("GET", &server.url("/v2/paged/tags/list?n=many")).send();
    assert_eq!(bad.status, 400);
    let unknown = request("GET", &server.url("/v2/nothing/tags/list")).send();
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "NAME_UNKNOWN");
}

#[test]
fn referrers_list_manifests_with_a_subject_and_filter_by_artifact_type() {
    let server = RctlServer::start();
    let subject_body = manifest(&server, "signed", "subject", json!({}));
    let subject_digest = sha256_digest(&subject_body);
    let subject =
        json!({"mediaType": OCI_MANIFEST, "digest": subject_digest, "size": subject_body.len()});

    // Referrers may arrive before their subject.
    let mut referrers = Vec::new();
    for (seed, artifact_type) in [
        ("sig", "application/vnd.example.signature"),
        ("sbom", "application/vnd.example.sbom"),
    ] {
        let body = manifest(
            &server,
            "signed",
            seed,
            json!({"artifactType": artifact_type, "subject": subject, "annotations": {"seed": seed}}),
        );
        let digest = sha256_digest(&body);
        let reply = put_manifest(&server, "signed", &digest, &body);
        assert_eq!(reply.status, 201, "{}", reply.text());
        assert_eq!(reply.header("oci-subject"), Some(subject_digest.as_str()));
        referrers.push(digest);
    }
    assert_eq!(
        put_manifest(&server, "signed", "v1", &subject_body).status,
        201
    );

    let listed = request(
        "GET",
        &server.url(&format!("/v2/signed/referrers/{subject_digest}")),
    )
    .send();
    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.header("content-type"),
        Some("application/vnd.oci.image.index.v1+json")
    );
    let index = listed.json();
    assert_eq!(index["manifests"].as_array().unwrap().len(), 2);
    assert!(listed.header("oci-filters-applied").is_none());

    let filtered = request(
        "GET",
        &server.url(&format!(
            "/v2/signed/referrers/{subject_digest}?artifactType=application/vnd.example.sbom"
        )),
    )
    .send();
    assert_eq!(filtered.header("oci-filters-applied"), Some("artifactType"));
    let manifests = filtered.json()["manifests"].clone();
    assert_eq!(manifests.as_array().unwrap().len(), 1);
    assert_eq!(manifests[0]["digest"], referrers[1].as_str());
    assert_eq!(manifests[0]["artifactType"], "application/vnd.example.sbom");
    assert_eq!(manifests[0]["annotations"]["seed"], "sbom");

    let none = request(
        "GET",
        &server.url(&format!("/v2/signed/referrers/{}", sha256_digest(b"x"))),
    )
    .send();
    assert_eq!(none.status, 200);
    assert_eq!(none.json()["manifests"], json!([]));
    let malformed = request("GET", &server.url("/v2/signed/referrers/sha256:nothex")).send();
    assert_eq!(malformed.status, 400);
}

#[test]
fn deleting_a_tag_keeps_the_manifest_and_deleting_a_digest_removes_its_tags() {
    let server = RctlServer::start();
    let body = manifest(&server, "del", "x", json!({}));
    let digest = sha256_digest(&body);
    for tag in ["v1", "v2"] {
        assert_eq!(put_manifest(&server, "del", tag, &body).status, 201);
    }
    let get = |reference: &str| {
        request(
            "GET",
            &server.url(&format!("/v2/del/manifests/{reference}")),
        )
        .send()
        .status
    };

    assert_eq!(
        request("DELETE", &server.url("/v2/del/manifests/v1"))
            .send()
            .status,
        202
    );
    assert_eq!(get("v1"), 404);
    assert_eq!(get("v2"), 200);
    assert_eq!(get(&digest), 200);

    assert_eq!(
        request(
            "DELETE",
            &server.url(&format!("/v2/del/manifests/{digest}"))
        )
        .send()
        .status,
        202
    );
    assert_eq!(get("v2"), 404);
    assert_eq!(get(&digest), 404);
    let again = request(
        "DELETE",
        &server.url(&format!("/v2/del/manifests/{digest}")),
    )
    .send();
    assert_eq!(again.status, 404);
    assert_eq!(again.error_code(), "MANIFEST_UNKNOWN");

    let blob = upload(&server, "del", b"layer");
    assert_eq!(
        request("DELETE", &server.url(&format!("/v2/del/blobs/{blob}")))
            .send()
            .status,
        202
    );
    assert_eq!(
        request("HEAD", &server.url(&format!("/v2/del/blobs/{blob}")))
            .send()
            .status,
        404
    );
}

#[test]
fn bad_input_gets_the_spec_error_code_and_never_a_500() {
    let server = RctlServer::start();
    let long_name = "a".repeat(256);
    for path in [
        "/v2/Upper/tags/list".to_string(),
        "/v2/a/../b/tags/list".to_string(),
        "/v2/a%2Fb/tags/list".to_string(),
        "/v2/..%2F..%2Fetc/manifests/latest".to_string(),
        format!("/v2/{long_name}/tags/list"),
    ] {
        let reply = request("GET", &server.url(&path)).send();
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(reply.error_code(), "NAME_INVALID", "{path}");
        assert_eq!(
            reply.header("docker-distribution-api-version"),
            Some("registry/2.0")
        );
    }
    for path in [
        "/v2/ok/blobs/sha256:abc",
        "/v2/ok/blobs/md5:abc",
        "/v2/ok/manifests/sha256:zz",
    ] {
        let reply = request("GET", &server.url(path)).send();
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, "DIGEST_INVALID"),
            "{path}"
        );
    }
    let missing_blob = request(
        "GET",
        &server.url(&format!("/v2/ok/blobs/{}", sha256_digest(b"?"))),
    )
    .send();
    assert_eq!(
        (missing_blob.status, missing_blob.error_code().as_str()),
        (404, "BLOB_UNKNOWN")
    );
    let missing_manifest = request("GET", &server.url("/v2/ok/manifests/latest")).send();
    assert_eq!(
        (
            missing_manifest.status,
            missing_manifest.error_code().as_str()
        ),
        (404, "MANIFEST_UNKNOWN")
    );
    let bad_session = request("GET", &server.url("/v2/ok/blobs/uploads/not-a-uuid")).send();
    assert_eq!(
        (bad_session.status, bad_session.error_code().as_str()),
        (404, "BLOB_UPLOAD_UNKNOWN")
    );

    let garbage = put_manifest(&server, "ok", "v1", b"{not json");
    assert_eq!(
        (garbage.status, garbage.error_code().as_str()),
        (400, "MANIFEST_INVALID")
    );
    let dangling = json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256_digest(b"no config"), "size": 9},
        "layers": [],
    });
    let dangling = put_manifest(&server, "ok", "v1", &serde_json::to_vec(&dangling).unwrap());
    assert_eq!(
        (dangling.status, dangling.error_code().as_str()),
        (400, "MANIFEST_BLOB_UNKNOWN")
    );
    let body = manifest(&server, "ok", "real", json!({}));
    let wrong_digest = put_manifest(&server, "ok", &sha256_digest(b"other"), &body);
    assert_eq!(
        (wrong_digest.status, wrong_digest.error_code().as_str()),
        (400, "DIGEST_INVALID")
    );
    let huge = vec![b' '; 4 * 1024 * 1024 + 10];
    assert_eq!(put_manifest(&server, "ok", "big", &huge).status, 413);

    let bad_tag = request("GET", &server.url("/v2/ok/manifests/-bad")).send();
    assert_eq!(bad_tag.status, 400);
    assert!(!server.log().contains("status=500"), "{}", server.log());
}

#[test]
fn manifests_are_served_as_pushed_whatever_accept_says_with_forwarded_locations() {
    let server = RctlServer::start();
    let body = manifest(&server, "exact", "bytes", json!({}));
    let reply = put_manifest(&server, "exact", "v1", &body);
    assert_eq!(reply.status, 201);

    let fetched = request("GET", &server.url("/v2/exact/manifests/v1"))
        .header(
            "Accept",
            "application/vnd.docker.distribution.manifest.v2+json",
        )
        .send();
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body, body);
    assert_eq!(fetched.header("content-type"), Some(OCI_MANIFEST));
    let head = request("HEAD", &server.url("/v2/exact/manifests/v1")).send();
    assert_eq!(
        head.header("docker-content-digest"),
        Some(sha256_digest(&body).as_str())
    );
    assert_eq!(
        head.header("content-length"),
        Some(body.len().to_string().as_str())
    );

    let proxied = request("POST", &server.url("/v2/exact/blobs/uploads/"))
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "registry.example.com")
        .send();
    assert!(
        proxied
            .header("location")
            .unwrap()
            .starts_with("https://registry.example.com/v2/exact/blobs/uploads/"),
        "{:?}",
        proxied.header("location")
    );
    for path in ["/", "/healthz"] {
        assert_eq!(request("GET", &server.url(path)).send().status, 200);
    }
    let metrics = request("GET", &server.url("/metrics")).send().text();
    assert!(
        metrics.contains("rctl_http_requests_total{method=\"PUT\",status=\"201\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("rctl_uploads_in_progress"), "{metrics}");
}

#[test]
fn no_delete_and_read_only_refuse_with_unsupported() {
    let server = RctlServer::with(Options {
        extra: vec!["--no-delete"],
        ..Options::default()
    });
    let body = manifest(&server, "keep", "x", json!({}));
    assert_eq!(put_manifest(&server, "keep", "v1", &body).status, 201);
    let refused = request("DELETE", &server.url("/v2/keep/manifests/v1")).send();
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (405, "UNSUPPORTED")
    );

    let read_only = RctlServer::with(Options {
        data: Some(&server.data),
        extra: vec!["--read-only"],
        ..Options::default()
    });
    let push = request("POST", &read_only.url("/v2/keep/blobs/uploads/")).send();
    assert_eq!(
        (push.status, push.error_code().as_str()),
        (405, "UNSUPPORTED")
    );
    let pulled = request("GET", &read_only.url("/v2/keep/manifests/v1")).send();
    assert_eq!(pulled.body, body);
}
