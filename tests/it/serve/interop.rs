//! Data directories shared with Debian's docker-registry (distribution 2.8.2): what one wrote,
//! the other serves, byte for byte.

use std::path::Path;
use std::process::Command;

use super::{Options, RctlServer, skopeo};
use crate::harness::image::{
    Flavor, ImageIndex, SkopeoAuth, multi_platform_index, push_with_skopeo, skopeo_raw_digest,
    small_image,
};
use crate::harness::registry::Registry;
use crate::harness::tool;

/// Push an OCI index as `multi:v1` and a Docker image as `team/tool:1.0` to `address`.
fn push_fixtures(address: &str) -> (ImageIndex, crate::harness::image::Image) {
    let index = multi_platform_index(Flavor::Oci);
    let docker = small_image(Flavor::Docker, "linux/amd64");
    let dir = tempfile::tempdir().unwrap();
    let layout = index.write_layout(&dir.path().join("index"), "v1");
    push_with_skopeo(
        &layout,
        &format!("{address}/multi:v1"),
        &SkopeoAuth::anonymous(),
    );
    let layout = docker.write_layout(&dir.path().join("docker"), "1.0");
    push_with_skopeo(
        &layout,
        &format!("{address}/team/tool:1.0"),
        &SkopeoAuth::anonymous(),
    );
    (index, docker)
}

/// Check that `address` serves both fixtures exactly, and that a pull gets the layers back.
fn assert_serves_fixtures(
    address: &str,
    index: &ImageIndex,
    docker: &crate::harness::image::Image,
) {
    let anonymous = SkopeoAuth::anonymous();
    assert_eq!(
        skopeo_raw_digest(&format!("{address}/multi:v1"), &anonymous),
        index.index.digest
    );
    assert_eq!(
        skopeo_raw_digest(&format!("{address}/team/tool:1.0"), &anonymous),
        docker.manifest.digest
    );
    let pulled = tempfile::tempdir().unwrap();
    tool(
        skopeo()
            .args(["copy", "--all", "--quiet", "--src-tls-verify=false"])
            .arg(format!("docker://{address}/multi:v1"))
            .arg(format!("dir:{}", pulled.path().display())),
    );
    for image in &index.images {
        for layer in &image.layers {
            let hex = layer.digest.trim_start_matches("sha256:");
            assert_eq!(std::fs::read(pulled.path().join(hex)).unwrap(), layer.bytes);
        }
    }
    let tags = tool(
        skopeo()
            .args(["list-tags", "--tls-verify=false"])
            .arg(format!("docker://{address}/team/tool")),
    );
    assert!(tags.contains("\"1.0\""), "{tags}");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    tool(
        Command::new("cp")
            .arg("-a")
            .arg(from.join("docker"))
            .arg(to),
    );
}

#[test]
fn rctl_serves_a_data_directory_written_by_docker_registry() {
    let registry = Registry::plain();
    let (index, docker) = push_fixtures(&registry.address);

    let server = RctlServer::with(Options {
        data: Some(&registry.data_dir),
        ..Options::default()
    });
    assert_serves_fixtures(&server.address, &index, &docker);
}

#[test]
fn docker_registry_serves_a_data_directory_written_by_rctl() {
    let mut server = RctlServer::start();
    let (index, docker) = push_fixtures(&server.address);
    server.kill_hard();

    let registry = Registry::plain();
    copy_tree(&server.data, &registry.data_dir);
    assert_serves_fixtures(&registry.address, &index, &docker);
}
