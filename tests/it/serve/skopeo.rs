//! skopeo (containers/image) as the client of `rctl serve`: copies in and out with OCI and
//! Docker media types, multi-platform indexes with `--all`, and login, inspect, list-tags and
//! delete over TLS with htpasswd.

use std::path::Path;

use super::http::request;
use super::{RctlServer, skopeo};
use crate::harness::certs::TestCerts;
use crate::harness::image::{
    Flavor, SkopeoAuth, multi_platform_index, push_with_skopeo, skopeo_raw_digest, small_image,
};
use crate::harness::registry::{PASSWORD, USER};
use crate::harness::tool;

/// A directory holding `ca.crt`, the form skopeo and podman take with `--cert-dir`.
fn cert_dir(certs: &TestCerts) -> std::path::PathBuf {
    let dir = certs.path().join("cert-dir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&certs.ca_cert, dir.join("ca.crt")).unwrap();
    dir
}

fn pulled_blob(dir: &Path, digest: &str) -> Vec<u8> {
    let hex = digest.trim_start_matches("sha256:");
    std::fs::read(dir.join("blobs/sha256").join(hex))
        .or_else(|_| std::fs::read(dir.join(hex)))
        .unwrap_or_else(|e| panic!("pulled copy lacks {digest}: {e}"))
}

#[test]
fn skopeo_copies_single_images_in_and_out_with_oci_and_docker_media_types() {
    let server = RctlServer::start();
    for (flavor, repo) in [
        (Flavor::Oci, "oci/app:v1"),
        (Flavor::Docker, "docker/app:v1"),
    ] {
        let image = small_image(flavor, "linux/amd64");
        let source = tempfile::tempdir().unwrap();
        let layout = image.write_layout(source.path(), "v1");
        push_with_skopeo(&layout, &server.reference(repo), &SkopeoAuth::anonymous());

        // The manifest comes back byte for byte, with the media type it was pushed with.
        let reference = server.reference(repo);
        assert_eq!(
            skopeo_raw_digest(&reference, &SkopeoAuth::anonymous()),
            image.manifest.digest
        );
        let name = repo.split(':').next().unwrap();
        let reply = request("GET", &server.url(&format!("/v2/{name}/manifests/v1"))).send();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some(flavor.manifest_type()));
        assert_eq!(
            reply.header("docker-content-digest"),
            Some(image.manifest.digest.as_str())
        );

        // Pull it back out and compare every blob.
        let pulled = tempfile::tempdir().unwrap();
        tool(
            skopeo()
                .args(["copy", "--quiet", "--src-tls-verify=false"])
                .arg(format!("docker://{reference}"))
                .arg(format!("dir:{}", pulled.path().display())),
        );
        for blob in image.layers.iter().chain([&image.config]) {
            assert_eq!(pulled_blob(pulled.path(), &blob.digest), blob.bytes);
        }
        assert_eq!(
            std::fs::read(pulled.path().join("manifest.json")).unwrap(),
            image.manifest.bytes
        );
    }
}

#[test]
fn skopeo_copies_a_multi_platform_index_with_all() {
    let server = RctlServer::start();
    for (flavor, repo) in [
        (Flavor::Oci, "multi/oci:v1"),
        (Flavor::Docker, "multi/docker:v1"),
    ] {
        let index = multi_platform_index(flavor);
        let source = tempfile::tempdir().unwrap();
        let layout = index.write_layout(source.path(), "v1");
        push_with_skopeo(&layout, &server.reference(repo), &SkopeoAuth::anonymous());
        assert_eq!(
            skopeo_raw_digest(&server.reference(repo), &SkopeoAuth::anonymous()),
            index.index.digest
        );

        let pulled = tempfile::tempdir().unwrap();
        tool(
            skopeo()
                .args(["copy", "--all", "--quiet", "--src-tls-verify=false"])
                .arg(format!("docker://{}", server.reference(repo)))
                .arg(format!("dir:{}", pulled.path().display())),
        );
        assert_eq!(
            std::fs::read(pulled.path().join("manifest.json")).unwrap(),
            index.index.bytes
        );
        for image in &index.images {
            let name = repo.split(':').next().unwrap();
            let child = format!("{}@{}", server.reference(name), image.manifest.digest);
            assert_eq!(
                skopeo_raw_digest(&child, &SkopeoAuth::anonymous()),
                image.manifest.digest
            );
            for layer in &image.layers {
                assert_eq!(pulled_blob(pulled.path(), &layer.digest), layer.bytes);
            }
        }
    }
}

#[test]
fn skopeo_logs_in_inspects_lists_tags_and_deletes_over_tls_with_htpasswd() {
    let certs = TestCerts::new();
    let server = RctlServer::secure(&certs);
    let certs_dir = cert_dir(&certs);
    let auth_file = server.dir.path().join("auth.json");
    let cert_arg = format!("--cert-dir={}", certs_dir.display());
    let authfile_arg = format!("--authfile={}", auth_file.display());

    // Without credentials: 401 with a Basic challenge, on /v2/ and on every endpoint.
    let url = format!("https://{}/v2/", server.address);
    let cacert = certs.ca_cert.display().to_string();
    for path in [
        "/v2/",
        "/v2/app/tags/list",
        "/v2/app/manifests/v1",
        "/v2/_catalog",
    ] {
        let reply = request("GET", &format!("https://{}{path}", server.address))
            .curl_args(&["--cacert", &cacert])
            .send();
        assert_eq!(reply.status, 401, "{path}");
        assert_eq!(
            reply.header("www-authenticate"),
            Some("Basic realm=\"Registry Realm\"")
        );
        assert_eq!(reply.error_code(), "UNAUTHORIZED");
    }
    let wrong = format!("{USER}:wrong");
    let reply = request("GET", &url)
        .curl_args(&["--cacert", &cacert, "-u", &wrong])
        .send();
    assert_eq!(reply.status, 401);
    let reply = request("GET", &url)
        .curl_args(&["--cacert", &cacert, "-u", "nobody:x"])
        .send();
    assert_eq!(reply.status, 401);
    assert_eq!(
        request("GET", &format!("https://{}/healthz", server.address))
            .curl_args(&["--cacert", &cacert])
            .send()
            .status,
        200
    );

    // HTTP/2 is offered through ALPN.
    let creds = format!("{USER}:{PASSWORD}");
    let version = tool(std::process::Command::new("curl").args([
        "-sS",
        "--http2",
        "-o",
        "/dev/null",
        "-w",
        "%{http_version}",
        "--cacert",
        &cacert,
        "-u",
        &creds,
        &url,
    ]));
    assert_eq!(version, "2");

    // A wrong password is refused by skopeo login, the right one accepted.
    let refused = skopeo()
        .args([
            "login",
            &cert_arg,
            &authfile_arg,
            "-u",
            USER,
            "-p",
            "wrong",
            &server.address,
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    tool(skopeo().args([
        "login",
        &cert_arg,
        &authfile_arg,
        "-u",
        USER,
        "-p",
        PASSWORD,
        &server.address,
    ]));

    let image = small_image(Flavor::Oci, "linux/amd64");
    let source = tempfile::tempdir().unwrap();
    let layout = image.write_layout(source.path(), "v1");
    for tag in ["v1", "v2"] {
        tool(
            skopeo()
                .args(["copy", "--quiet", &authfile_arg])
                .arg(format!("--dest-cert-dir={}", certs_dir.display()))
                .arg(&layout.source)
                .arg(format!(
                    "docker://{}",
                    server.reference(&format!("app:{tag}"))
                )),
        );
    }

    let inspected = tool(
        skopeo()
            .args(["inspect", &cert_arg, &authfile_arg])
            .arg(format!("docker://{}", server.reference("app:v1"))),
    );
    let inspected: serde_json::Value = serde_json::from_str(&inspected).unwrap();
    assert_eq!(inspected["Digest"], image.manifest.digest.as_str());

    let tags = tool(
        skopeo()
            .args(["list-tags", &cert_arg, &authfile_arg])
            .arg(format!("docker://{}", server.reference("app"))),
    );
    let tags: serde_json::Value = serde_json::from_str(&tags).unwrap();
    assert_eq!(tags["Tags"], serde_json::json!(["v1", "v2"]));

    // skopeo delete removes the manifest by digest, and with it every tag.
    tool(
        skopeo()
            .args(["delete", &cert_arg, &authfile_arg])
            .arg(format!("docker://{}", server.reference("app:v1"))),
    );
    let gone = skopeo()
        .args(["inspect", &cert_arg, &authfile_arg])
        .arg(format!("docker://{}", server.reference("app:v2")))
        .output()
        .unwrap();
    assert!(
        !gone.status.success(),
        "tag v2 still resolves after its manifest was deleted"
    );
    let log = server.log();
    assert!(
        log.contains(&format!("user=\"{USER}\"")),
        "access log names the user:\n{log}"
    );
    assert!(
        !log.contains(PASSWORD) || PASSWORD.len() < 5,
        "password leaked into the log"
    );
    assert!(
        !log.contains("Basic "),
        "Authorization header leaked into the log"
    );
}
