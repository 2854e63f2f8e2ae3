//! The failures a user meets, each with `error:`, its cause, a `hint:` and exit code 1 (2 for
//! usage errors), never a panic or a debug dump.

use super::Fixture;
use crate::harness::certs::TestCerts;
use crate::harness::image::{Flavor, SkopeoAuth, push_with_skopeo, small_image};
use crate::harness::registry::Registry;
use crate::harness::token_server::TokenServer;
use crate::harness::{Env, free_port};

#[test]
fn refused_connection_names_the_registry_and_suggests_checking_the_address() {
    let env = Env::new();
    let address = format!("127.0.0.1:{}", free_port());

    let stderr = env
        .run(&["digest", &format!("{address}/app:v1")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains(&address), "{stderr}");
    assert!(stderr.contains("connect"), "{stderr}");
}

#[test]
fn unknown_host_is_reported_as_such() {
    let env = Env::new();

    let stderr = env
        .run(&["inspect", "no-such-host.invalid:5000/app:v1"])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("no-such-host.invalid"), "{stderr}");
    assert!(stderr.contains("resolve"), "{stderr}");
}

#[test]
fn unknown_repository_is_a_404_with_a_tags_hint() {
    let registry = Registry::plain();
    let env = Env::new();

    let stderr = env
        .run(&["inspect", &registry.reference("nothing/here:v1")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("not found"), "{stderr}");
    let hint = format!("rctl tags {}", registry.reference("nothing/here"));
    assert!(stderr.contains(&hint), "{stderr}");
}

#[test]
fn unknown_tag_is_a_404_with_a_tags_hint() {
    let registry = Registry::plain();
    let image = small_image(Flavor::Oci, "linux/amd64");
    let dir = tempfile::tempdir().unwrap();
    let layout = image.write_layout(dir.path(), "v1");
    push_with_skopeo(
        &layout,
        &registry.reference("app:v1"),
        &SkopeoAuth::anonymous(),
    );
    let env = Env::new();

    for command in ["inspect", "digest"] {
        let stderr = env
            .run(&[command, &registry.reference("app:v9")])
            .fails_with_hint(1)
            .to_string();
        assert!(stderr.contains("not found"), "{command}: {stderr}");
        assert!(stderr.contains("v9"), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("rctl tags {}", registry.reference("app"))),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn https_server_that_is_not_a_registry_is_named_as_such() {
    let certs = TestCerts::new();
    let tokens = TokenServer::start(&certs);
    let mut env = Env::new();
    env.set_var("SSL_CERT_FILE", &certs.ca_cert);

    let stderr = env
        .run(&["tags", &format!("{}/app", tokens.address)])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("not a container registry"), "{stderr}");
}

#[test]
fn usage_errors_exit_two() {
    let env = Env::new();
    for args in [
        &["inspect"][..],
        &["tags"],
        &["inspect", "--platform", "linux", "127.0.0.1:5000/app:v1"],
        &["inspect", "--raw", "--config", "127.0.0.1:5000/app:v1"],
        &["digest", "127.0.0.1:5000/UPPER:v1"],
        &["--format", "yaml", "tags", "127.0.0.1:5000/app"],
        &["completion", "no-such-shell"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(run.stderr.contains("error:"), "{args:?}: {}", run.stderr);
        crate::harness::assert_no_dump(&run.stderr);
    }
}

#[test]
fn content_altered_in_the_registry_is_rejected_by_digest() {
    let f = Fixture::plain();
    let image = f.index.image("linux/arm64/v8");
    let mut config = image.config.bytes.clone();
    config[10] ^= 0x20;
    std::fs::write(f.registry.blob_path(&image.config.digest), &config).unwrap();

    let run = f.env.run(&[
        "inspect",
        "--config",
        "--platform",
        "linux/arm64/v8",
        &f.reference("app:v1"),
    ]);

    let stderr = run.fails_with_hint(1);
    assert!(stderr.contains("does not match its digest"), "{stderr}");
    assert!(stderr.contains(&image.config.digest), "{stderr}");
    assert_eq!(run.stdout, "", "nothing printed from altered content");
}

#[test]
fn manifest_altered_in_the_registry_is_rejected_when_pulled_by_digest() {
    let f = Fixture::plain();
    let manifest = &f.index.image("linux/amd64").manifest;
    let mut altered = manifest.bytes.clone();
    let at = altered.len() - 2;
    altered.insert(at, b' ');
    std::fs::write(f.registry.blob_path(&manifest.digest), &altered).unwrap();

    let run = f
        .env
        .run(&["inspect", &f.reference(&format!("app@{}", manifest.digest))]);

    let stderr = run.fails_with_hint(1);
    assert!(stderr.contains("does not match its digest"), "{stderr}");
}
