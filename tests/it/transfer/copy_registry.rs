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

/// Upload `bytes` as a blob with curl (POST for a session, then PUT with the digest).
fn curl_blob(registry: &Registry, repository: &str, bytes: &[u8]) -> String {
    let digest = crate::harness::image::sha256_digest(bytes);
    let headers = crate::harness::tool(std::process::Command::new("curl").args([
        "-s",
        "-D",
        "-",
        "-o",
        "/dev/null",
        "-X",
        "POST",
        &format!("http://{}/v2/{repository}/blobs/uploads/", registry.address),
    ]));
    let location = headers
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .unwrap()
        .trim()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blob");
    std::fs::write(&file, bytes).unwrap();
    let url = if location.starts_with("http") {
        location
    } else {
        format!("http://{}{location}", registry.address)
    };
    crate::harness::tool(std::process::Command::new("curl").args([
        "-sf",
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/octet-stream",
        "--data-binary",
        &format!("@{}", file.display()),
        &format!("{url}&digest={digest}"),
    ]));
    digest
}

/// PUT a manifest with curl.
fn curl_manifest(
    registry: &Registry,
    repository: &str,
    reference: &str,
    media_type: &str,
    bytes: &[u8],
) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("manifest");
    std::fs::write(&file, bytes).unwrap();
    crate::harness::tool(std::process::Command::new("curl").args([
        "-sf",
        "-X",
        "PUT",
        "-H",
        &format!("Content-Type: {media_type}"),
        "--data-binary",
        &format!("@{}", file.display()),
        &format!(
            "http://{}/v2/{repository}/manifests/{reference}",
            registry.address
        ),
    ]));
}

/// Push a signature-like artifact whose subject is `index` to `team/app`, listed in the
/// `sha256-<hex>` index because docker-registry has no referrers API. Returns its digest and
/// that tag.
fn push_signature(
    source: &Registry,
    index: &crate::harness::image::ImageIndex,
) -> (String, String) {
    let config = curl_blob(source, "team/app", b"{}");
    let payload = curl_blob(source, "team/app", b"signature bytes");
    let artifact = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.signature",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": config, "size": 2},
        "layers": [{"mediaType": "application/octet-stream", "digest": payload, "size": 15}],
        "subject": {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": index.index.digest, "size": index.index.size()},
    });
    let artifact = serde_json::to_vec(&artifact).unwrap();
    let artifact_digest = crate::harness::image::sha256_digest(&artifact);
    curl_manifest(
        source,
        "team/app",
        &artifact_digest,
        "application/vnd.oci.image.manifest.v1+json",
        &artifact,
    );
    let tag_index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": artifact_digest, "size": artifact.len(), "artifactType": "application/vnd.example.signature"}],
    });
    let tag = format!(
        "sha256-{}",
        index.index.digest.trim_start_matches("sha256:")
    );
    curl_manifest(
        source,
        "team/app",
        &tag,
        "application/vnd.oci.image.index.v1+json",
        &serde_json::to_vec(&tag_index).unwrap(),
    );

    (artifact_digest, tag)
}

#[test]
fn referrers_follow_the_image_through_the_tag_schema() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = push_index(&source, "team/app:v1");
    let (artifact_digest, tag) = push_signature(&source, &index);

    let env = Env::new();
    let to = destination.reference("mirror/app:v1");
    env.run(&["copy", "--referrers", &source.reference("team/app:v1"), &to])
        .ok();
    assert_eq!(raw_digest(&to), index.index.digest);
    assert_eq!(
        raw_digest(&destination.reference(&format!("mirror/app@{artifact_digest}"))),
        artifact_digest
    );
    let listed = std::process::Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!(
            "docker://{}",
            destination.reference(&format!("mirror/app:{tag}"))
        ))
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["manifests"][0]["digest"], artifact_digest.as_str());

    // Copying the artifact alone keeps its subject's tag-schema index up to date too.
    let solo = destination.reference(&format!("solo/app@{artifact_digest}"));
    env.run(&[
        "copy",
        &source.reference(&format!("team/app@{artifact_digest}")),
        &solo,
    ])
    .ok();
    let listed = std::process::Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!(
            "docker://{}",
            destination.reference(&format!("solo/app:{tag}"))
        ))
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["manifests"][0]["digest"], artifact_digest.as_str());
    assert_eq!(
        listed["manifests"][0]["artifactType"],
        "application/vnd.example.signature"
    );

    // Through an OCI layout and back: the layout lists the referrer in `index.json`.
    let dir = tempfile::tempdir().unwrap();
    let layout = format!("oci:{}:v1", dir.path().join("layout").display());
    env.run(&[
        "copy",
        "--referrers",
        &source.reference("team/app:v1"),
        &layout,
    ])
    .ok();
    let index_json = std::fs::read_to_string(dir.path().join("layout/index.json")).unwrap();
    assert!(index_json.contains(&artifact_digest), "{index_json}");
    let back = destination.reference("back/app:v1");
    env.run(&["copy", "--referrers", &layout, &back]).ok();
    assert_eq!(
        raw_digest(&destination.reference(&format!("back/app@{artifact_digest}"))),
        artifact_digest
    );
    assert_eq!(
        raw_digest(&destination.reference(&format!("back/app:{tag}"))).len(),
        "sha256:".len() + 64
    );

    // Without the flag, nothing that refers to the image moves.
    let plain = destination.reference("plain/app:v1");
    env.run(&["copy", &source.reference("team/app:v1"), &plain])
        .ok();
    assert!(!exists(
        &destination.reference(&format!("plain/app@{artifact_digest}"))
    ));
}

#[test]
fn chunked_uploads_patch_with_content_range_and_keep_the_digest() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = super::big_index(3 * 1024 * 1024);
    super::push_layout(&index, &source, "big/app:v1");
    let env = Env::new();
    let to = destination.reference("big/app:v1");

    let chunk = (1024 * 1024).to_string();
    env.run(&[
        "copy",
        "--chunk-size",
        &chunk,
        &source.reference("big/app:v1"),
        &to,
    ])
    .ok();
    assert_eq!(raw_digest(&to), index.index.digest);
    // Four 3 MiB layers in 1 MiB chunks: at least three PATCHes each.
    assert!(
        destination.count_requests("PATCH", "/blobs/uploads/") >= 12,
        "{}",
        destination.count_requests("PATCH", "/blobs/uploads/")
    );
}

#[test]
fn docker_schema2_images_keep_their_media_types() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = crate::harness::image::multi_platform_index(crate::harness::image::Flavor::Docker);
    super::push_layout(&index, &source, "docker/app:v1");
    let env = Env::new();
    let to = destination.reference("docker/app:v1");

    env.run(&["copy", &source.reference("docker/app:v1"), &to])
        .ok();
    assert_eq!(raw_digest(&to), index.index.digest);
    let raw = std::process::Command::new("skopeo")
        .args([
            "inspect",
            "--raw",
            "--tls-verify=false",
            &format!("docker://{to}"),
        ])
        .output()
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&raw.stdout).unwrap();
    assert_eq!(
        body["mediaType"],
        "application/vnd.docker.distribution.manifest.list.v2+json"
    );
}

#[test]
fn mount_under_token_auth_asks_one_token_for_both_repositories() {
    let fixture = crate::client::Fixture::token();
    fixture.login();
    let tokens = fixture.tokens.as_ref().unwrap();
    tokens.clear_requests();

    let run = fixture.env.run(&[
        "copy",
        &fixture.reference("app:v1"),
        &fixture.reference("mirror/app:v1"),
    ]);
    run.ok();
    assert!(run.stderr.contains("Mounted from app"), "{}", run.stderr);
    let both = tokens.requests().into_iter().any(|r| {
        r.scopes
            .iter()
            .any(|s| s == "repository:mirror/app:push,pull")
            && r.scopes.iter().any(|s| s == "repository:app:pull")
    });
    assert!(
        both,
        "no token request scoped for both: {:?}",
        tokens.requests()
    );
    let digest = crate::harness::image::skopeo_raw_digest(
        &fixture.reference("mirror/app:v1"),
        &fixture.skopeo,
    );
    assert_eq!(digest, fixture.index.index.digest);
}

#[test]
fn plain_progress_names_each_blob_and_quiet_prints_nothing() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = push_index(&source, "team/app:v1");
    let env = Env::new();
    let from = source.reference("team/app:v1");

    let run = env.run(&["copy", &from, &destination.reference("a/app:v1")]);
    run.ok();
    let layer = &index.image("linux/amd64").layers[0];
    assert!(
        run.stderr
            .contains(&format!("{}: Copied", &layer.hex()[..12])),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("manifest {}: Copied", index.index.digest))
    );

    let mounted = env.run(&["copy", &from, &source.reference("b/app:v1")]);
    assert!(
        mounted.stderr.contains("Mounted from team/app"),
        "{}",
        mounted.stderr
    );
    let again = env.run(&["copy", &from, &destination.reference("a/app:v1")]);
    assert!(
        again.stderr.contains("Image is up to date"),
        "{}",
        again.stderr
    );

    let quiet = env.run(&["copy", "-q", &from, &destination.reference("c/app:v1")]);
    quiet.ok();
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, "");
}

#[test]
fn referrers_copied_to_rctl_serve_use_its_referrers_api() {
    let source = Registry::plain();
    let index = push_index(&source, "team/app:v1");
    let (artifact_digest, tag) = push_signature(&source, &index);
    let server = crate::serve::RctlServer::start();
    let env = Env::new();

    env.run(&[
        "copy",
        "--referrers",
        &source.reference("team/app:v1"),
        &server.reference("mirror/app:v1"),
    ])
    .ok();
    let listed = crate::harness::tool(std::process::Command::new("curl").args([
        "-sf",
        &server.url(&format!("/v2/mirror/app/referrers/{}", index.index.digest)),
    ]));
    assert!(listed.contains(&artifact_digest), "{listed}");
    // The API answers, so no tag-schema index is written.
    assert!(!exists(&server.reference(&format!("mirror/app:{tag}"))));
}
