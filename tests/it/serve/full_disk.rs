//! A full disk: uploads fail with a 500 and a clear log line, nothing partial becomes visible,
//! an interrupted chunk leaves the session at its last acknowledged length, and the server
//! keeps working once space is back. Uses a 4 MiB tmpfs, so it needs the right to mount: run
//! the suite as root, as CI does (`scripts/test.sh` needs root or sudo for its packages anyway).

use super::http::request;
use super::{Options, RctlServer};
use crate::harness::disk::SmallDisk;
use crate::harness::image::sha256_digest;

#[test]
fn a_full_disk_gives_500_with_a_log_line_and_leaves_nothing_partial() {
    let disk = SmallDisk::mount("4m");
    let mut server = RctlServer::with(Options {
        data: Some(disk.path()),
        ..Options::default()
    });

    let big = vec![1u8; 6 * 1024 * 1024];
    let digest = sha256_digest(&big);
    let refused = request(
        "POST",
        &server.url(&format!("/v2/full/blobs/uploads/?digest={digest}")),
    )
    .body(big.clone())
    .send();
    assert_eq!(refused.status, 500, "{}", refused.text());
    assert_eq!(refused.error_code(), "UNKNOWN");
    assert!(
        !refused.text().contains(disk.path().to_str().unwrap()),
        "a path leaked to the client"
    );
    let head = request("HEAD", &server.url(&format!("/v2/full/blobs/{digest}"))).send();
    assert_eq!(head.status, 404);

    // A chunk that does not fit leaves the session where it was.
    let started = request("POST", &server.url("/v2/full/blobs/uploads/")).send();
    let location = started.header("location").unwrap().to_string();
    let first = request("PATCH", &location)
        .header("Content-Range", "0-9")
        .body(vec![2u8; 10])
        .send();
    assert_eq!(first.status, 202);
    let too_big = request("PATCH", &location).body(big.clone()).send();
    assert_eq!(too_big.status, 500);
    assert_eq!(
        request("GET", &location).send().header("range"),
        Some("0-9")
    );

    // With the space back, small uploads work.
    assert_eq!(request("DELETE", &location).send().status, 204);
    let small = b"fits".to_vec();
    let digest = sha256_digest(&small);
    let stored = request(
        "POST",
        &server.url(&format!("/v2/full/blobs/uploads/?digest={digest}")),
    )
    .body(small)
    .send();
    assert_eq!(stored.status, 201, "{}", stored.text());

    let log = server.log();
    assert!(
        log.contains("storage failure while writing an upload"),
        "{log}"
    );
    assert!(
        log.contains("StorageFull") || log.contains("No space"),
        "{log}"
    );
    server.kill_hard();
}
