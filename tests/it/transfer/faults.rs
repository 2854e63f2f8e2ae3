//! Bad input and faults: a tampered blob, a killed copy, a dropped connection, missing images.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use super::{big_index, exists, push_index, push_layout, raw_digest, temp_files};
use crate::harness::Env;
use crate::harness::registry::Registry;

#[test]
fn a_tampered_source_blob_fails_the_copy_and_leaves_no_tag() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = push_index(&source, "team/app:v1");
    let layer = &index.image("linux/arm/v7").layers[0];
    let path = source.blob_path(&layer.digest);
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();

    let env = Env::new();
    let to = destination.reference("mirror/app:v1");
    let run = env.run(&["copy", &source.reference("team/app:v1"), &to]);
    let stderr = run.fails(1);
    assert!(stderr.contains("error:"), "{stderr}");
    assert!(!exists(&to), "a tag was pushed despite the corrupt blob");
    assert!(
        !destination.blob_path(&layer.digest).exists(),
        "the corrupt blob was committed"
    );

    // The local store refuses it too, and keeps no partial file.
    let pull = env.run(&[
        "pull",
        "--platform",
        "linux/arm/v7",
        &source.reference("team/app:v1"),
    ]);
    assert!(pull.fails(1).contains("does not match"), "{}", pull.stderr);
    let store = env.path().join("data/rctl/store");
    assert!(!store.join("blobs/sha256").join(layer.hex()).exists());
    assert!(temp_files(&store).is_empty());
}

#[test]
fn a_copy_killed_mid_transfer_completes_when_run_again() {
    let source = Registry::plain();
    let destination = Registry::plain();
    let index = big_index(24 * 1024 * 1024);
    push_layout(&index, &source, "big/app:v1");
    let env = Env::new();
    let from = source.reference("big/app:v1");
    let to = destination.reference("big/app:v1");

    let mut child = env
        .rctl()
        .args(["copy", "--jobs", "1", &from, &to])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while destination.count_requests("PUT", "/blobs/uploads/") < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    if !finished_early {
        assert!(!exists(&to), "a killed copy left a tag");
    }

    env.run(&["copy", &from, &to]).ok();
    assert_eq!(raw_digest(&to), index.index.digest);
}

/// A TCP proxy that forwards to `target` but cuts the first `cuts` connections after `limit`
/// bytes from the server: big enough for pings and manifests, too small for a blob.
fn cutting_proxy(target: u16, limit: usize, cuts: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let remaining = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(cuts));
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let remaining = remaining.clone();
            let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                continue;
            };
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c_read, &mut s_write);
            });
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let mut sent = 0;
                let mut buffer = [0u8; 16384];
                while let Ok(n) = s_read.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let cutting = remaining.load(std::sync::atomic::Ordering::SeqCst) > 0;
                    let n = if cutting { n.min(limit - sent) } else { n };
                    if c_write.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                    sent += n;
                    if cutting && sent >= limit {
                        remaining.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                        let _ = c_write.shutdown(std::net::Shutdown::Both);
                        let _ = s_read.shutdown(std::net::Shutdown::Both);
                        break;
                    }
                }
            });
        }
    });
    port
}

#[test]
fn a_connection_dropped_mid_blob_is_a_clear_error_and_nothing_is_visible() {
    let source = Registry::plain();
    let index = big_index(4 * 1024 * 1024);
    push_layout(&index, &source, "big/app:v1");
    let proxy = cutting_proxy(source.port, 256 * 1024, usize::MAX);
    let env = Env::new();
    let from = format!("127.0.0.1:{proxy}/big/app:v1");

    let dir = tempfile::tempdir().unwrap();
    let layout = format!("oci:{}:v1", dir.path().join("layout").display());
    let run = env.run(&["copy", &from, &layout]);
    let stderr = run.fails(1);
    assert!(stderr.contains("error:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let index_json =
        std::fs::read_to_string(dir.path().join("layout/index.json")).unwrap_or_default();
    assert!(
        !index_json.contains("ref.name"),
        "a tag was written: {index_json}"
    );
    assert!(
        temp_files(dir.path()).is_empty(),
        "{:?}",
        temp_files(dir.path())
    );

    let pull = env.run(&["pull", &from]);
    pull.fails(1);
    let images = env.run(&["images", "--format", "json"]);
    assert_eq!(images.ok().trim(), "[]");
}

#[test]
fn missing_images_give_clear_errors() {
    let registry = Registry::plain();
    let env = Env::new();

    let run = env.run(&[
        "copy",
        &registry.reference("nothing/here:v1"),
        &registry.reference("x/y:v1"),
    ]);
    let stderr = run.fails(1);
    assert!(stderr.contains("not found"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");

    let run = env.run(&["push", &registry.reference("never/pulled:v1")]);
    let stderr = run.fails(1);
    assert!(stderr.contains("not found in the local store"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");

    let run = env.run(&["tag", "never/pulled", "other/name"]);
    assert!(run.fails(1).contains("not found"));

    let run = env.run(&["pull", &registry.reference("nothing/here")]);
    assert!(run.fails(1).contains("not found"), "{}", run.stderr);

    let run = env.run(&["copy", "oci:/nonexistent-rctl/layout", "oci:/tmp/x"]);
    assert!(run.fails(1).contains("index.json"), "{}", run.stderr);
}

#[test]
fn delete_by_digest_works_and_a_tag_delete_names_the_digest() {
    let registry = Registry::plain();
    let index = push_index(&registry, "team/app:v1");
    let env = Env::new();

    let run = env.run(&["delete", &registry.reference("team/app:v1")]);
    let stderr = run.fails(1);
    assert!(stderr.contains("cannot delete tags"), "{stderr}");
    assert!(stderr.contains(&index.index.digest), "{stderr}");

    let by_digest = registry.reference(&format!("team/app@{}", index.index.digest));
    env.run(&["delete", &by_digest]).ok();
    assert!(!exists(&by_digest));
}

#[test]
fn delete_on_a_registry_without_deletes_says_deletion_is_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::harness::free_port();
    let config = dir.path().join("config.yml");
    std::fs::write(
        &config,
        format!(
            "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let _registry = crate::harness::ChildGuard::spawn(
        "docker-registry",
        std::process::Command::new("/usr/bin/docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null()),
    );
    crate::harness::wait_for_port(port, Duration::from_secs(20));
    let index = crate::harness::image::multi_platform_index(crate::harness::image::Flavor::Oci);
    let layouts = tempfile::tempdir().unwrap();
    let layout = index.write_layout(&layouts.path().join("l"), "v1");
    crate::harness::image::push_with_skopeo(
        &layout,
        &format!("127.0.0.1:{port}/team/app:v1"),
        &crate::harness::image::SkopeoAuth::anonymous(),
    );

    let env = Env::new();
    let run = env.run(&[
        "delete",
        &format!("127.0.0.1:{port}/team/app@{}", index.index.digest),
    ]);
    let stderr = run.fails(1);
    assert!(
        stderr.contains("deletion is disabled on this registry"),
        "{stderr}"
    );
    assert!(
        stderr.contains("REGISTRY_STORAGE_DELETE_ENABLED=true"),
        "{stderr}"
    );
}

#[test]
fn a_download_dropped_once_resumes_with_range() {
    let source = Registry::plain();
    let index = big_index(4 * 1024 * 1024);
    push_layout(&index, &source, "big/app:v1");
    let proxy = cutting_proxy(source.port, 1024 * 1024, 1);
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let layout = format!("oci:{}:v1", dir.path().join("layout").display());

    let run = env.run(&[
        "copy",
        "--platform",
        "linux/amd64",
        &format!("127.0.0.1:{proxy}/big/app:v1"),
        &layout,
    ]);
    run.ok();
    assert!(run.stderr.contains("resuming"), "{}", run.stderr);
    let amd64 = index.image("linux/amd64");
    for layer in &amd64.layers {
        assert!(
            dir.path()
                .join("layout/blobs/sha256")
                .join(layer.hex())
                .exists()
        );
    }
    assert!(temp_files(dir.path()).is_empty());
}
