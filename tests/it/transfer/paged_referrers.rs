//! Referrers answers in pages: `copy --referrers` follows every `Link: rel="next"` page.
//! Neither docker-registry (no referrers API) nor `rctl serve` (one page) pages its answers, so
//! the source is the fake registry.

use super::raw_digest;
use crate::harness::Env;
use crate::harness::fault_server::{Fault, FaultServer, Referrer};
use crate::harness::image::{Flavor, small_image};
use crate::harness::registry::Registry;

#[test]
fn copy_referrers_follows_every_page_of_the_referrers_answer() {
    let image = small_image(Flavor::Oci, "linux/amd64");
    let referrers: Vec<Referrer> = (1..=5)
        .map(|n| Referrer::signature(&image.manifest, n))
        .collect();
    let fault = Fault::PagedReferrers {
        referrers: referrers.clone(),
        page: 2,
    };
    let source = FaultServer::start(fault, "app", "v1", image.clone());
    let destination = Registry::plain();
    let env = Env::new();
    let to = destination.reference("mirror/app:v1");

    let run = env.run(&["copy", "--referrers", &source.reference("app:v1"), &to]);
    run.ok();

    assert_eq!(raw_digest(&to), image.manifest.digest);
    for page in ["?page=1", "?page=2"] {
        assert!(
            source.requests_to(page).iter().any(|r| r.method == "GET"),
            "page {page} was not requested: {:?}",
            source.requests_to("/referrers/")
        );
    }
    for referrer in &referrers {
        let digest = &referrer.manifest.digest;
        assert!(
            run.stderr.contains(&format!("Referrer {digest} copied")),
            "{}",
            run.stderr
        );
        let at = destination.reference(&format!("mirror/app@{digest}"));
        assert_eq!(raw_digest(&at), *digest);
    }

    // docker-registry has no referrers API: the tag-schema index lists all five.
    let tag = format!(
        "mirror/app:sha256-{}",
        image.manifest.digest.trim_start_matches("sha256:")
    );
    let listed = std::process::Command::new("skopeo")
        .args(["inspect", "--raw", "--tls-verify=false"])
        .arg(format!("docker://{}", destination.reference(&tag)))
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&listed.stderr)));
    let mut found: Vec<&str> = listed["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["digest"].as_str().unwrap())
        .collect();
    found.sort();
    let mut expected: Vec<&str> = referrers
        .iter()
        .map(|r| r.manifest.digest.as_str())
        .collect();
    expected.sort();
    assert_eq!(found, expected);
}
