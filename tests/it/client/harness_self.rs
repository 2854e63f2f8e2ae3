//! The harness checks itself: generated images survive a skopeo push with their digests.

use crate::harness::image::{
    Flavor, SkopeoAuth, multi_platform_index, push_with_skopeo, skopeo_digest, skopeo_raw_digest,
};
use crate::harness::registry::Registry;

#[test]
fn generated_indexes_push_with_skopeo_and_keep_their_digests() {
    let registry = Registry::plain();
    for (flavor, tag) in [(Flavor::Oci, "oci"), (Flavor::Docker, "docker")] {
        let index = multi_platform_index(flavor);
        let dir = tempfile::tempdir().unwrap();
        let layout = index.write_layout(dir.path(), tag);
        let reference = registry.reference(&format!("app:{tag}"));
        push_with_skopeo(&layout, &reference, &SkopeoAuth::anonymous());

        assert_eq!(
            skopeo_raw_digest(&reference, &SkopeoAuth::anonymous()),
            index.index.digest
        );
        assert_eq!(
            skopeo_digest(&reference, &SkopeoAuth::anonymous()),
            index.index.digest
        );
        let amd64 = registry.reference(&format!(
            "app@{}",
            index.image("linux/amd64").manifest.digest
        ));
        assert_eq!(
            skopeo_raw_digest(&amd64, &SkopeoAuth::anonymous()),
            index.image("linux/amd64").manifest.digest
        );
    }
    assert_eq!(registry.count_requests("PUT", "/v2/app/manifests/oci"), 1);
    assert!(
        registry
            .blob_path(
                &multi_platform_index(Flavor::Oci)
                    .image("linux/arm/v7")
                    .config
                    .digest
            )
            .exists()
    );
}

#[test]
fn skopeo_pushes_through_htpasswd_and_token_auth() {
    let certs = crate::harness::certs::TestCerts::new();
    let tokens = crate::harness::token_server::TokenServer::start(&certs);
    let token_registry = Registry::token(&certs, &tokens.realm);
    let basic_registry = Registry::htpasswd(&certs);
    let image = crate::harness::image::small_image(Flavor::Oci, "linux/amd64");
    let dir = tempfile::tempdir().unwrap();
    let layout = image.write_layout(dir.path(), "v1");
    let auth = SkopeoAuth::with_creds("user", "pass");
    for registry in [&token_registry, &basic_registry] {
        let reference = registry.reference("team/app:v1");
        push_with_skopeo(&layout, &reference, &auth);
        assert_eq!(skopeo_raw_digest(&reference, &auth), image.manifest.digest);
    }
    let requests = tokens.requests();
    assert!(
        requests.iter().any(|r| r
            .scopes
            .iter()
            .any(|s| s == "repository:team/app:pull,push")),
        "{requests:?}"
    );
    assert!(
        requests.iter().all(|r| r.user.as_deref() == Some("user")),
        "{requests:?}"
    );
}

#[test]
fn generated_images_are_deterministic_and_random_layers_are_incompressible() {
    use crate::harness::image::{ImageBuilder, MIB};
    let build = || {
        ImageBuilder::new(Flavor::Oci)
            .platform("linux/arm64/v8")
            .file("etc/motd", b"hi\n")
            .random_layer(MIB, 7)
            .build()
    };
    let (first, second) = (build(), build());
    assert_eq!(first.manifest, second.manifest);
    assert_eq!(first.layers.len(), 2);
    assert!(first.layers[1].size() > MIB, "random bytes do not compress");

    let other_seed = ImageBuilder::new(Flavor::Oci)
        .platform("linux/arm64/v8")
        .file("etc/motd", b"hi\n")
        .random_layer(MIB, 8)
        .build();
    assert_ne!(other_seed.layers[1].digest, first.layers[1].digest);
    assert_eq!(other_seed.layers[0].digest, first.layers[0].digest);

    let config: serde_json::Value = serde_json::from_slice(&first.config.bytes).unwrap();
    assert_eq!(config["architecture"], "arm64");
    assert_eq!(config["variant"], "v8");
    assert_eq!(config["rootfs"]["diff_ids"].as_array().unwrap().len(), 2);
}
