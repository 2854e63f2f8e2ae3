//! Running the server: rctl's own client against it, sessions that survive a restart and are
//! purged when stale, concurrent uploads of one blob, startup errors for bad certificates,
//! graceful shutdown on SIGTERM, and the JSON request log.

use std::process::Command;
use std::time::Duration;

use super::http::request;
use super::{Options, RctlServer};
use crate::client::login;
use crate::harness::certs::TestCerts;
use crate::harness::image::{Flavor, SkopeoAuth, push_with_skopeo, sha256_digest, small_image};
use crate::harness::registry::{PASSWORD, USER};
use crate::harness::{Env, rctl_bin, tool};

#[test]
fn rctl_client_logs_in_and_reads_tags_digests_and_catalog_from_rctl_serve() {
    let certs = TestCerts::new();
    let server = RctlServer::secure(&certs);
    let image = small_image(Flavor::Docker, "linux/amd64");
    let dir = tempfile::tempdir().unwrap();
    let layout = image.write_layout(dir.path(), "1.0");
    push_with_skopeo(
        &layout,
        &server.reference("team/tool:1.0"),
        &SkopeoAuth::with_creds(USER, PASSWORD),
    );

    let mut env = Env::new();
    env.set_var("SSL_CERT_FILE", &certs.ca_cert);
    let refused = login(&env, &server.address, USER, "wrong");
    assert_ne!(refused.code, 0, "{refused:?}");
    let run = login(&env, &server.address, USER, PASSWORD);
    assert!(run.ok().contains("Login Succeeded"), "{run:?}");

    let tags = env
        .run(&["tags", &server.reference("team/tool")])
        .ok()
        .to_string();
    assert_eq!(tags.trim(), "1.0");
    let digest = env
        .run(&["digest", &server.reference("team/tool:1.0")])
        .ok()
        .to_string();
    assert_eq!(digest.trim(), image.manifest.digest);
    let catalog = env.run(&["catalog", &server.address]).ok().to_string();
    assert!(catalog.contains("team/tool"), "{catalog}");
}

#[test]
fn upload_sessions_survive_a_restart_and_stale_ones_are_purged() {
    let mut server = RctlServer::start();
    let content: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let digest = sha256_digest(&content);
    let started = request("POST", &server.url("/v2/resume/blobs/uploads/")).send();
    let location = started.header("location").unwrap().to_string();
    let first = request("PATCH", &location)
        .header("Content-Range", "0-49999")
        .body(content[..50_000].to_vec())
        .send();
    assert_eq!(first.status, 202);

    server.kill_hard();
    server.restart();
    let status = request("GET", &location).send();
    assert_eq!(
        (status.status, status.header("range")),
        (204, Some("0-49999"))
    );
    let closed = request("PUT", &format!("{location}?digest={digest}"))
        .header("Content-Range", "50000-99999")
        .body(content[50_000..].to_vec())
        .send();
    assert_eq!(closed.status, 201, "{}", closed.text());
    let fetched = request("GET", &server.url(&format!("/v2/resume/blobs/{digest}"))).send();
    assert_eq!(fetched.body, content);

    // A session older than --upload-max-age is gone after a restart.
    let stale = request("POST", &server.url("/v2/resume/blobs/uploads/")).send();
    let stale = stale.header("location").unwrap().to_string();
    server.kill_hard();
    std::thread::sleep(Duration::from_millis(1100));
    let purging = RctlServer::with(Options {
        data: Some(&server.data),
        extra: vec!["--upload-max-age", "1s"],
        ..Options::default()
    });
    let path = stale.split_once("/v2/").unwrap().1;
    let reply = request("GET", &purging.url(&format!("/v2/{path}"))).send();
    assert_eq!(reply.status, 404);
}

#[test]
fn the_same_blob_uploaded_concurrently_succeeds_for_every_client() {
    let server = RctlServer::start();
    let content = vec![7u8; 2 * 1024 * 1024];
    let digest = sha256_digest(&content);
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let url = server.url(&format!("/v2/same/{i}/blobs/uploads/?digest={digest}"));
            let body = content.clone();
            std::thread::spawn(move || request("POST", &url).body(body).send().status)
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 201);
    }
    for i in 0..8 {
        let head = request("HEAD", &server.url(&format!("/v2/same/{i}/blobs/{digest}"))).send();
        assert_eq!(head.status, 200);
    }
}

#[test]
fn bad_certificate_or_key_stops_startup_with_a_clear_error() {
    let certs = TestCerts::new();
    let data = tempfile::tempdir().unwrap();
    let serve = |cert: &std::path::Path, key: &std::path::Path| {
        Command::new(rctl_bin())
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .arg("--tls-cert")
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .output()
            .unwrap()
    };
    // A key from another pair (the CA's) does not match the server certificate.
    let mismatched = serve(&certs.server_cert, &certs.ca_key);
    assert_eq!(mismatched.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&mismatched.stderr);
    assert!(stderr.contains("does not match"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");

    let missing = serve(&certs.path().join("nope.pem"), &certs.server_key);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nope.pem"), "{stderr}");
}

#[test]
fn sigterm_shuts_down_gracefully_and_json_logs_have_one_line_per_request() {
    let mut server = RctlServer::with(Options {
        extra: vec!["--log-format", "json"],
        ..Options::default()
    });
    assert_eq!(request("GET", &server.url("/v2/")).send().status, 200);
    assert_eq!(
        request("GET", &server.url("/v2/x/tags/list")).send().status,
        404
    );

    let guard = server.process.as_mut().unwrap();
    tool(Command::new("kill").args(["-TERM", &guard.pid().to_string()]));
    let status = guard.child.wait().unwrap();
    assert!(status.success(), "exit after SIGTERM: {status:?}");

    let log = server.log();
    let requests: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["message"] == "request")
        .collect();
    assert_eq!(requests.len(), 2, "{log}");
    assert_eq!(requests[1]["repository"], "x");
    assert_eq!(requests[1]["status"], 404);
    assert!(log.contains("shutting down"), "{log}");
}
