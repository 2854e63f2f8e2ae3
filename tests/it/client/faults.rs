//! Faults a real registry will not produce on demand, from the fault server: a blob redirected
//! to another host or down to plain HTTP, 429 with `Retry-After`, a dropped connection, a body
//! cut short, a server that is not a registry.

use std::time::{Duration, Instant};

use crate::harness::Env;
use crate::harness::certs::TestCerts;
use crate::harness::fault_server::{FAULT_TOKEN, Fault, FaultServer};
use crate::harness::image::{Flavor, Image, small_image};

fn image() -> Image {
    small_image(Flavor::Oci, "linux/amd64")
}

fn server(fault: Fault) -> (FaultServer, Image) {
    let image = image();
    (FaultServer::start(fault, "app", "v1", image.clone()), image)
}

#[test]
fn redirected_blob_download_does_not_carry_authorization_to_the_other_host() {
    let (server, image) = server(Fault::RedirectBlobs);
    let env = Env::new();

    let stdout = env
        .run(&["inspect", "--config", &server.reference("app:v1")])
        .ok()
        .to_string();

    let config: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let expected: serde_json::Value = serde_json::from_slice(&image.config.bytes).unwrap();
    assert_eq!(config, expected);

    let blob_path = format!("/v2/app/blobs/{}", image.config.digest);
    let asked = server.requests_to(&blob_path);
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(
        asked[0].authorization.as_deref(),
        Some(format!("Bearer {FAULT_TOKEN}").as_str()),
        "the registry itself gets the token"
    );
    let redirected = server.requests_to("/redirected/");
    assert_eq!(redirected.len(), 1, "{:?}", server.requests());
    assert!(
        redirected[0].host.starts_with("localhost:"),
        "{redirected:?}"
    );
    assert_eq!(
        redirected[0].authorization, None,
        "Authorization followed the redirect to another host"
    );
}

#[test]
fn too_many_requests_is_retried_after_the_delay_the_registry_asks_for() {
    let (server, image) = server(Fault::TooManyRequests {
        times: 1,
        retry_after: 1,
    });
    let env = Env::new();

    let started = Instant::now();
    let stdout = env
        .run(&["inspect", "--raw", &server.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(stdout.as_bytes(), image.manifest.bytes.as_slice());
    assert_eq!(server.requests_to("/manifests/").len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured ({:?})",
        started.elapsed()
    );
}

#[test]
fn too_many_requests_that_persist_fail_with_the_rate_limit_and_a_hint() {
    let (server, _) = server(Fault::TooManyRequests {
        times: usize::MAX,
        retry_after: 0,
    });
    let env = Env::new();

    let run = env.run(&["digest", &server.reference("app:v1")]);

    let stderr = run.fails_with_hint(1);
    assert!(stderr.contains("429"), "{stderr}");
    assert!(stderr.contains("remaining 0"), "{stderr}");
    assert!(server.requests_to("/manifests/").len() > 1, "no retry");
}

#[test]
fn dropped_connection_is_retried() {
    let (server, image) = server(Fault::DropConnection { times: 2 });
    let env = Env::new();

    let stdout = env
        .run(&["digest", &server.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(stdout.trim(), image.manifest.digest);
    assert_eq!(server.requests_to("/manifests/").len(), 3);
}

#[test]
fn insufficient_scope_is_retried_once_with_the_wider_scope() {
    let extra = "repository:other/base:pull".to_string();
    let (server, image) = server(Fault::InsufficientScope {
        extra: extra.clone(),
    });
    let env = Env::new();

    let stdout = env
        .run(&["digest", &server.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(stdout.trim(), image.manifest.digest);
    let tokens = server.requests_to("/token");
    assert!(tokens.len() >= 2, "{tokens:?}");
    let last = &tokens.last().unwrap().path;
    assert!(last.contains("repository%3Aother%2Fbase%3Apull"), "{last}");
    assert!(last.contains("repository%3Aapp%3Apull"), "{last}");
}

#[test]
fn forbidden_is_reported_as_denied_access_with_a_login_hint() {
    let (server, _) = server(Fault::Forbidden);
    let env = Env::new();

    let stderr = env
        .run(&["inspect", &server.reference("app:v1")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("denied access"), "{stderr}");
    assert!(stderr.contains("DENIED"), "{stderr}");
    assert!(stderr.contains("rctl login"), "{stderr}");
    assert_eq!(
        server.requests_to("/manifests/").len(),
        1,
        "a 403 is not retried"
    );
}

#[test]
fn web_server_that_is_not_a_registry_is_named_as_such() {
    let (server, _) = server(Fault::NotARegistry);
    let env = Env::new();

    let stderr = env
        .run(&["tags", &server.reference("app")])
        .fails_with_hint(1)
        .to_string();

    assert!(stderr.contains("not a container registry"), "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");
}

#[test]
fn manifest_cut_short_is_fetched_again() {
    let (server, image) = server(Fault::TruncateBody { times: 1 });
    let env = Env::new();

    let run = env.run(&["inspect", "--raw", &server.reference("app:v1")]);

    assert_eq!(run.ok().as_bytes(), image.manifest.bytes.as_slice());
    assert_eq!(server.requests_to("/manifests/").len(), 2);
}

#[test]
fn image_config_cut_short_is_fetched_again() {
    let (server, image) = server(Fault::TruncateBody { times: 1 });
    let env = Env::new();

    // The manifest is cut once, then the config blob once.
    let run = env.run(&["inspect", "--config", &server.reference("app:v1")]);

    assert_eq!(
        json_bytes(run.ok().as_bytes()),
        json_bytes(&image.config.bytes)
    );
    assert_eq!(server.requests_to("/manifests/").len(), 2);
    assert_eq!(server.requests_to("/blobs/").len(), 2);
}

fn json_bytes(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[test]
fn https_registry_redirect_to_plain_http_is_refused() {
    let certs = TestCerts::new();
    let plain = FaultServer::start(Fault::None, "app", "v1", image());
    let base = format!("http://{}", plain.address);
    let tls = FaultServer::start_tls(
        Fault::RedirectBlobsTo { base },
        "app",
        "v1",
        image(),
        &certs,
    );
    let mut env = Env::new();
    env.set_var("SSL_CERT_FILE", &certs.ca_cert);

    let run = env.run(&["inspect", "--config", &tls.reference("app:v1")]);

    let stderr = run.fails(1);
    assert!(stderr.contains("error:"), "{stderr}");
    assert!(stderr.contains("HTTPS to plain HTTP"), "{stderr}");
    crate::harness::assert_no_dump(stderr);
    assert_eq!(tls.requests_to("/blobs/").len(), 1, "{:?}", tls.requests());
    assert!(plain.requests().is_empty(), "{:?}", plain.requests());
}

#[test]
fn https_redirect_to_another_host_does_not_carry_authorization() {
    let certs = TestCerts::new();
    let image = image();
    let server = FaultServer::start_tls(Fault::RedirectBlobs, "app", "v1", image.clone(), &certs);
    let mut env = Env::new();
    env.set_var("SSL_CERT_FILE", &certs.ca_cert);

    let run = env.run(&["inspect", "--config", &server.reference("app:v1")]);

    assert_eq!(
        json_bytes(run.ok().as_bytes()),
        json_bytes(&image.config.bytes)
    );
    let redirected = server.requests_to("/redirected/");
    assert_eq!(redirected.len(), 1, "{:?}", server.requests());
    assert!(
        redirected[0].host.starts_with("localhost:"),
        "{redirected:?}"
    );
    assert_eq!(redirected[0].authorization, None);
    let blob = server.requests_to("/v2/app/blobs/");
    assert!(blob[0].authorization.is_some(), "{blob:?}");
}

#[test]
fn tags_follow_link_pagination() {
    let tags: Vec<String> = (1..=7).map(|i| format!("1.{i}")).collect();
    let fault = Fault::PagedTags {
        tags: tags.clone(),
        page: 3,
    };
    let (server, _) = server(fault);
    let env = Env::new();

    let listed = env
        .run(&["tags", &server.reference("app")])
        .ok()
        .to_string();

    assert_eq!(listed.lines().collect::<Vec<_>>(), tags);
    let pages = server.requests_to("/tags/list");
    let authorized = pages.iter().filter(|r| r.authorization.is_some()).count();
    assert_eq!(authorized, 3, "{pages:?}");
    assert!(
        pages.iter().any(|r| r.path.contains("last=1.6")),
        "{pages:?}"
    );
}

#[test]
fn relative_token_realm_is_resolved_against_the_registry() {
    let (server, image) = server(Fault::RelativeRealm);
    let env = Env::new();

    let digest = env
        .run(&["digest", &server.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(digest.trim(), image.manifest.digest);
    assert_eq!(
        server.requests_to("/token").len(),
        1,
        "{:?}",
        server.requests()
    );
}

#[test]
fn credentials_for_another_registry_are_never_sent() {
    let (server, _) = server(Fault::None);
    let env = Env::new();
    let elsewhere = format!("127.0.0.1:{}", crate::harness::free_port());
    env.docker_login(&elsewhere, "user", "secret-for-elsewhere");

    env.run(&["tags", &server.reference("app")]).ok();

    let requests = server.requests();
    assert!(
        requests.iter().all(|r| !r
            .authorization
            .as_deref()
            .unwrap_or("")
            .starts_with("Basic")),
        "{requests:?}"
    );
    let token = server.requests_to("/token");
    assert!(
        !token.is_empty() && token.iter().all(|r| !r.path.contains("account=")),
        "{token:?}"
    );
}

#[test]
fn credentials_go_to_the_realm_and_only_the_token_to_the_registry() {
    use base64::Engine as _;
    let (server, _) = server(Fault::None);
    let env = Env::new();
    env.docker_login(&server.address, "user", "pass");

    env.run(&["tags", &server.reference("app")]).ok();

    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("user:pass")
    );
    for request in server.requests() {
        let expected = if request.path.starts_with("/token") {
            Some(basic.as_str())
        } else if request.path == "/v2/" {
            None
        } else {
            Some("Bearer fault-server-token")
        };
        assert_eq!(request.authorization.as_deref(), expected, "{request:?}");
    }
    assert!(
        server.requests_to("account=user").len() == 1,
        "{:?}",
        server.requests()
    );
}

#[test]
fn service_unavailable_is_retried_with_backoff() {
    let (server, image) = server(Fault::Unavailable { times: 2 });
    let env = Env::new();

    let stdout = env
        .run(&["inspect", "--raw", &server.reference("app:v1")])
        .ok()
        .to_string();

    assert_eq!(stdout.as_bytes(), image.manifest.bytes.as_slice());
    assert_eq!(server.requests_to("/manifests/").len(), 3);
}

#[test]
fn service_that_stays_unavailable_fails_after_a_few_tries() {
    let (server, _) = server(Fault::Unavailable { times: usize::MAX });
    let env = Env::new();

    let run = env.run(&["digest", &server.reference("app:v1")]);

    let stderr = run.fails(1);
    assert!(
        stderr.contains("error:") && stderr.contains("503"),
        "{stderr}"
    );
    crate::harness::assert_no_dump(stderr);
    let tries = server.requests_to("/manifests/").len();
    assert!((2..=5).contains(&tries), "{tries} tries");
}
