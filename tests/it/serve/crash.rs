//! A crash in the middle of pushes: `kill -9` while 20 skopeo pushes run in parallel, then a
//! restart. Every push that was acknowledged pulls back and verifies, no blob is served whose
//! bytes do not match its digest, and `rctl gc` removes what the crash left behind.

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::http::request;
use super::{RctlServer, skopeo};
use crate::harness::Env;
use crate::harness::image::{Flavor, Image, ImageBuilder, MIB, sha256_digest};
use crate::harness::tool;

const PUSHES: usize = 20;

/// Every blob file in the data directory hashes to the digest its path names.
fn assert_blobs_match_their_digests(data: &Path) {
    let root = data.join("docker/registry/v2/blobs/sha256");
    for prefix in std::fs::read_dir(&root).unwrap() {
        for blob in std::fs::read_dir(prefix.unwrap().path()).unwrap() {
            let blob = blob.unwrap().path();
            let Ok(bytes) = std::fs::read(blob.join("data")) else {
                continue;
            };
            let name = blob.file_name().unwrap().to_string_lossy().to_string();
            assert_eq!(
                sha256_digest(&bytes),
                format!("sha256:{name}"),
                "corrupt blob visible"
            );
        }
    }
}

fn leftovers(data: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![data.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let path = entry.path();
            if dir.file_name().is_some_and(|n| n == "_uploads") || name.starts_with(".tmp-") {
                count += 1;
            }
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    count
}

#[test]
fn kill_9_during_parallel_pushes_loses_nothing_acknowledged_and_gc_cleans_up() {
    let mut server = RctlServer::start();
    let sources = tempfile::tempdir().unwrap();
    let images: Vec<Image> = (0..PUSHES)
        .map(|i| {
            ImageBuilder::new(Flavor::Oci)
                .file("id", i.to_string().as_bytes())
                .random_layer(3 * MIB, i as u64 + 1)
                .build()
        })
        .collect();
    let mut pushes: Vec<Child> = images
        .iter()
        .enumerate()
        .map(|(i, image)| {
            let layout = image.write_layout(&sources.path().join(i.to_string()), "v1");
            skopeo()
                .args([
                    "copy",
                    "--quiet",
                    "--retry-times",
                    "0",
                    "--dest-tls-verify=false",
                ])
                .arg(&layout.source)
                .arg(format!(
                    "docker://{}",
                    server.reference(&format!("crash/{i}:v1"))
                ))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start skopeo")
        })
        .collect();

    // Kill once a few pushes have been acknowledged, so the crash lands mid-push.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let acknowledged = server
            .log()
            .lines()
            .filter(|l| {
                l.contains("method=PUT")
                    && l.contains("reference=\"v1\"")
                    && l.contains("status=201")
            })
            .count();
        if acknowledged >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill_hard();
    let succeeded: Vec<bool> = pushes
        .iter_mut()
        .map(|child| child.wait().map(|s| s.success()).unwrap_or(false))
        .collect();
    let acknowledged = succeeded.iter().filter(|ok| **ok).count();
    assert!(
        acknowledged >= 3,
        "expected some pushes to finish before the crash"
    );
    eprintln!("{acknowledged} of {PUSHES} pushes acknowledged before the crash");

    assert_blobs_match_their_digests(&server.data);
    server.restart();
    for (i, image) in images.iter().enumerate() {
        let manifest = request("GET", &server.url(&format!("/v2/crash/{i}/manifests/v1"))).send();
        if succeeded[i] {
            assert_eq!(manifest.status, 200, "acknowledged push {i} lost");
        }
        if manifest.status == 200 {
            // Whatever is served is complete: the manifest and every blob it names.
            assert_eq!(manifest.body, image.manifest.bytes, "push {i}");
            for blob in image.layers.iter().chain([&image.config]) {
                let fetched = request(
                    "GET",
                    &server.url(&format!("/v2/crash/{i}/blobs/{}", blob.digest)),
                )
                .send();
                assert_eq!(fetched.status, 200);
                assert_eq!(sha256_digest(&fetched.body), blob.digest, "push {i}");
            }
        } else {
            assert_eq!(manifest.status, 404, "push {i}");
        }
    }

    // gc removes interrupted sessions and temporary files, and keeps every pushed image.
    server.kill_hard();
    let before = leftovers(&server.data);
    let env = Env::new();
    let data = server.data.display().to_string();
    let report = env
        .run(&[
            "gc",
            "--data",
            &data,
            "--grace",
            "0s",
            "--upload-max-age",
            "0s",
        ])
        .ok()
        .to_string();
    assert!(report.contains("removed"), "{report}");
    eprintln!("{before} sessions and temporary files left by the crash");
    assert_eq!(
        leftovers(&server.data),
        0,
        "gc left sessions or temp files ({before} before)"
    );
    server.restart();
    for (i, ok) in succeeded.iter().enumerate() {
        if *ok {
            tool(
                skopeo()
                    .args(["inspect", "--raw", "--tls-verify=false"])
                    .arg(format!(
                        "docker://{}",
                        server.reference(&format!("crash/{i}:v1"))
                    )),
            );
        }
    }
}
