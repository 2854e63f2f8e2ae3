//! Blob uploads: chunks in order and 416, session status and cancel, streamed PATCH with an
//! empty closing PUT, digest mismatches, and mounts answered 201 or 202.

use super::upload;
use crate::harness::image::sha256_digest;
use crate::serve::RctlServer;
use crate::serve::http::{Reply, request};

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
