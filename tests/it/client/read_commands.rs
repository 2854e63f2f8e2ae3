//! `inspect`, `digest`, `tags` and `catalog` against docker-registry in each of its three
//! modes, compared with what was pushed and with what skopeo reports.

use super::{Fixture, json, json_bytes};
use crate::harness::image::{skopeo_digest, skopeo_raw_digest};

/// The same checks for every mode: `$fixture` builds the registry, `$login` says whether rctl
/// must log in first.
macro_rules! read_command_tests {
    ($mode:ident, $fixture:expr, $login:expr) => {
        mod $mode {
            use super::Fixture;

            fn fixture() -> Fixture {
                let fixture: Fixture = $fixture;
                if $login {
                    fixture.login();
                }
                fixture
            }

            #[test]
            fn inspect_shows_the_index_and_its_exact_bytes() {
                super::inspect_shows_the_index_and_its_exact_bytes(&fixture());
            }

            #[test]
            fn inspect_picks_a_platform_from_the_index() {
                super::inspect_picks_a_platform_from_the_index(&fixture());
            }

            #[test]
            fn digest_is_what_skopeo_reports() {
                super::digest_is_what_skopeo_reports(&fixture());
            }

            #[test]
            fn tags_and_catalog_list_what_was_pushed() {
                super::tags_and_catalog_list_what_was_pushed(&fixture());
            }
        }
    };
}

read_command_tests!(plain_http, Fixture::plain(), false);
read_command_tests!(htpasswd, Fixture::htpasswd(), true);
read_command_tests!(token_auth, Fixture::token(), true);

fn inspect_shows_the_index_and_its_exact_bytes(f: &Fixture) {
    let shown = f
        .env
        .run(&["inspect", &f.reference("app:v1")])
        .ok()
        .to_string();
    assert_eq!(json(&shown), json_bytes(&f.index.index.bytes));

    let raw = f.env.run(&["inspect", "--raw", &f.reference("app:v2")]);
    assert_eq!(raw.ok().as_bytes(), f.index.index.bytes.as_slice());

    let docker = f
        .env
        .run(&["inspect", "--raw", &f.reference("team/tool:1.0")]);
    assert_eq!(
        docker.ok().as_bytes(),
        f.docker_image.manifest.bytes.as_slice()
    );
}

fn inspect_picks_a_platform_from_the_index(f: &Fixture) {
    for platform in ["linux/arm64/v8", "linux/arm/v7", "linux/amd64"] {
        let image = f.index.image(platform);
        let run = f
            .env
            .run(&["inspect", "--platform", platform, &f.reference("app:v1")]);
        assert_eq!(
            json(run.ok()),
            json_bytes(&image.manifest.bytes),
            "{platform}"
        );

        let run = f.env.run(&[
            "inspect",
            "--config",
            "--platform",
            platform,
            &f.reference("app:v1"),
        ]);
        assert_eq!(
            json(run.ok()),
            json_bytes(&image.config.bytes),
            "{platform}"
        );
    }

    let missing = f.env.run(&[
        "inspect",
        "--platform",
        "linux/s390x",
        &f.reference("app:v1"),
    ]);
    let stderr = missing.fails_with_hint(1);
    assert!(
        stderr.contains("linux/arm64/v8"),
        "available platforms listed:\n{stderr}"
    );
}

fn digest_is_what_skopeo_reports(f: &Fixture) {
    let reference = f.reference("app:v1");
    let digest = f.env.run(&["digest", &reference]).ok().trim().to_string();
    assert_eq!(digest, f.index.index.digest);
    assert_eq!(digest, skopeo_digest(&reference, &f.skopeo));
    assert_eq!(digest, skopeo_raw_digest(&reference, &f.skopeo));

    let docker = f.reference("team/tool:1.0");
    let digest = f.env.run(&["digest", &docker]).ok().trim().to_string();
    assert_eq!(digest, f.docker_image.manifest.digest);
    assert_eq!(digest, skopeo_digest(&docker, &f.skopeo));

    let arm = &f.index.image("linux/arm/v7").manifest;
    let by_digest = f.reference(&format!("app@{}", arm.digest));
    let run = f.env.run(&["digest", "--format", "json", &by_digest]);
    let shown = json(run.ok());
    assert_eq!(shown["digest"], arm.digest.as_str());
    assert_eq!(shown["mediaType"], arm.media_type.as_str());
    assert_eq!(shown["size"], arm.size());
}

fn tags_and_catalog_list_what_was_pushed(f: &Fixture) {
    let tags = f.env.run(&["tags", &f.reference("app")]).ok().to_string();
    assert_eq!(tags.lines().collect::<Vec<_>>(), ["v1", "v2"]);

    let run = f
        .env
        .run(&["tags", "--format", "json", &f.reference("team/tool")]);
    assert_eq!(json(run.ok())["tags"], serde_json::json!(["1.0"]));

    let catalog = f
        .env
        .run(&["catalog", &f.registry.address])
        .ok()
        .to_string();
    assert_eq!(catalog.lines().collect::<Vec<_>>(), ["app", "team/tool"]);

    let run = f
        .env
        .run(&["catalog", "--format", "json", &f.registry.address]);
    assert_eq!(
        json(run.ok())["repositories"],
        serde_json::json!(["app", "team/tool"])
    );
}
