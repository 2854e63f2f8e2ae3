//! The local image store on a full disk: a pull that does not fit fails with a hint naming the
//! disk, leaves no partial blob, temporary file or name behind, keeps earlier images intact, and
//! succeeds once the disk has room. Mounts a small tmpfs, so the suite must run as root (as CI
//! does); without the right to mount the test fails.

use std::path::Path;

use super::temp_files;
use crate::harness::Env;
use crate::harness::disk::SmallDisk;
use crate::harness::image::{Flavor, ImageBuilder, sha256_digest, small_image};
use crate::harness::registry::Registry;
use crate::harness::skopeo::{SkopeoAuth, push_with_skopeo};

/// Blobs in the store whose content does not hash to their name.
fn corrupt_blobs(store: &Path) -> Vec<String> {
    let dir = store.join("blobs/sha256");
    let mut corrupt = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        if sha256_digest(&bytes) != format!("sha256:{name}") {
            corrupt.push(name);
        }
    }
    corrupt
}

/// The names `rctl images` lists.
fn image_names(env: &Env) -> Vec<String> {
    let listed: serde_json::Value =
        serde_json::from_str(env.run(&["images", "--format", "json"]).ok()).unwrap();
    let mut names: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["reference"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_pull_bigger_than_the_disk_fails_cleanly_and_succeeds_with_room() {
    let registry = Registry::plain();
    let images = tempfile::tempdir().unwrap();
    let small = small_image(Flavor::Oci, "linux/amd64");
    let layout = small.write_layout(&images.path().join("small"), "v1");
    push_with_skopeo(
        &layout,
        &registry.reference("small:v1"),
        &SkopeoAuth::anonymous(),
    );
    let big = ImageBuilder::new(Flavor::Oci)
        .platform("linux/amd64")
        .random_layer(6 * 1024 * 1024, 7)
        .build();
    let layout = big.write_layout(&images.path().join("big"), "v1");
    push_with_skopeo(
        &layout,
        &registry.reference("big:v1"),
        &SkopeoAuth::anonymous(),
    );

    let disk = SmallDisk::mount("4m");
    let mut env = Env::new();
    env.set_var("RCTL_DATA_DIR", disk.path());
    let store = disk.path().join("store");
    let small_name = registry.reference("small:v1");
    let big_name = registry.reference("big:v1");
    env.run(&["pull", &small_name]).ok();

    let failed = env.run(&["pull", &big_name]);
    let hint = failed.fails_with_hint(1);
    assert!(
        hint.contains(&format!(
            "hint: the disk that holds `{}` is full",
            store.join("blobs/sha256").display()
        )),
        "the hint does not name the disk: {}",
        failed.stderr
    );
    assert_eq!(temp_files(disk.path()), Vec::<String>::new());
    assert_eq!(corrupt_blobs(&store), Vec::<String>::new());
    assert!(
        !store
            .join("blobs/sha256")
            .join(big.layers.last().unwrap().hex())
            .exists(),
        "the layer that did not fit is in the store"
    );
    let index = std::fs::read_to_string(store.join("index.json")).unwrap();
    assert!(!index.contains(&big_name), "{index}");
    assert_eq!(image_names(&env), vec![small_name.clone()]);
    for blob in small.blobs() {
        assert!(
            store.join("blobs/sha256").join(blob.hex()).exists(),
            "the earlier image lost {}",
            blob.digest
        );
    }

    disk.resize("16m");
    env.run(&["pull", &big_name]).ok();
    let mut expected = vec![big_name.clone(), small_name.clone()];
    expected.sort();
    assert_eq!(image_names(&env), expected);
    assert_eq!(corrupt_blobs(&store), Vec::<String>::new());
    assert_eq!(temp_files(disk.path()), Vec::<String>::new());
}
