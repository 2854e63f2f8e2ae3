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

#[test]
fn catalog_follows_link_pagination() {
    use crate::harness::image::{Flavor, SkopeoAuth, push_with_skopeo, small_image};
    use crate::harness::registry::{Mode, Registry};

    let registry = Registry::start_with_config(Mode::Plain, None, "catalog:\n  maxentries: 2\n");
    let dir = tempfile::tempdir().unwrap();
    let layout = small_image(Flavor::Oci, "linux/amd64").write_layout(dir.path(), "v1");
    let names = ["a/one", "b/two", "c/three", "d/four", "e/five"];
    for name in names {
        push_with_skopeo(
            &layout,
            &registry.reference(&format!("{name}:v1")),
            &SkopeoAuth::anonymous(),
        );
    }
    let env = crate::harness::Env::new();

    let catalog = env.run(&["catalog", &registry.address]).ok().to_string();

    assert_eq!(catalog.lines().collect::<Vec<_>>(), names);
    let pages = registry
        .requests()
        .into_iter()
        .filter(|r| r.user_agent.starts_with("rctl/") && r.uri.starts_with("/v2/_catalog"))
        .count();
    assert_eq!(pages, 3, "{:?}", registry.requests());
}

#[test]
fn digest_is_a_head_request_with_rctl_user_agent() {
    let f = Fixture::plain();

    f.env.run(&["digest", &f.reference("app:v1")]).ok();

    let ours: Vec<_> = f
        .registry
        .requests()
        .into_iter()
        .filter(|r| r.user_agent.starts_with("rctl"))
        .collect();
    let manifests: Vec<_> = ours
        .iter()
        .filter(|r| r.uri.contains("/manifests/"))
        .collect();
    assert_eq!(manifests.len(), 1, "{ours:?}");
    assert_eq!(manifests[0].method, "HEAD");
    let agent = format!("rctl/{}", env!("CARGO_PKG_VERSION"));
    assert!(ours.iter().all(|r| r.user_agent == agent), "{ours:?}");
}

#[test]
fn one_token_serves_every_request_for_the_same_scope() {
    let f = Fixture::token();
    f.login();
    f.tokens.as_ref().unwrap().clear_requests();

    let run = f.env.run(&[
        "inspect",
        "--config",
        "--platform",
        "linux/arm/v7",
        &f.reference("app:v1"),
    ]);

    assert_eq!(
        json(run.ok()),
        json_bytes(&f.index.image("linux/arm/v7").config.bytes)
    );
    let tokens = f.tokens.as_ref().unwrap().requests();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(tokens[0].scopes, ["repository:app:pull"]);
    let registry_gets = f
        .registry
        .requests()
        .into_iter()
        .filter(|r| r.user_agent.starts_with("rctl") && r.status == 200 && r.uri != "/v2/")
        .count();
    assert_eq!(registry_gets, 3, "index, manifest and config");
}

#[test]
fn plain_http_registry_needs_no_flag_on_loopback() {
    let f = Fixture::plain();
    let run = f.env.run(&["-q", "digest", &f.reference("app:v1")]);
    assert_eq!(run.ok().trim(), f.index.index.digest);
    assert_eq!(run.stderr, "", "-q leaves stderr empty");
}
