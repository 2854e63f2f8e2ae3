//! Faults a real registry will not produce on demand, from the fault server: a blob redirected
//! to another host, 429 with `Retry-After`, a dropped connection, a server that is not a
//! registry.

use std::time::{Duration, Instant};

use crate::harness::Env;
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
