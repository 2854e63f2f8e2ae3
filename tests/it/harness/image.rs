//! Test images, generated in memory: deterministic gzip layers built with `tar` and `flate2`,
//! an image config, a manifest, and multi-platform indexes, in OCI or Docker media types.
//!
//! The same inputs always give the same bytes, so tests can compare the digests computed here
//! with what a registry, skopeo or rctl reports. Images are written as an OCI image layout
//! (`oci-layout`, `index.json`, `blobs/sha256/…`) that `skopeo copy oci:DIR:TAG docker://…`
//! pushes ([`push_with_skopeo`]); nothing is downloaded.

use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::json;
use sha2::{Digest as _, Sha256};

pub use super::skopeo::{SkopeoAuth, push_with_skopeo, skopeo_digest, skopeo_raw_digest};

/// The platforms of [`multi_platform_index`].
pub const PLATFORMS: [&str; 3] = ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"];

/// One mebibyte, for [`ImageBuilder::random_layer`].
pub const MIB: usize = 1024 * 1024;

/// Which family of media types an image uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `application/vnd.oci.image.*`
    Oci,
    /// `application/vnd.docker.distribution.manifest.*` and friends.
    Docker,
}

impl Flavor {
    pub fn manifest_type(self) -> &'static str {
        match self {
            Flavor::Oci => "application/vnd.oci.image.manifest.v1+json",
            Flavor::Docker => "application/vnd.docker.distribution.manifest.v2+json",
        }
    }

    pub fn index_type(self) -> &'static str {
        match self {
            Flavor::Oci => "application/vnd.oci.image.index.v1+json",
            Flavor::Docker => "application/vnd.docker.distribution.manifest.list.v2+json",
        }
    }

    pub fn config_type(self) -> &'static str {
        match self {
            Flavor::Oci => "application/vnd.oci.image.config.v1+json",
            Flavor::Docker => "application/vnd.docker.container.image.v1+json",
        }
    }

    pub fn layer_type(self) -> &'static str {
        match self {
            Flavor::Oci => "application/vnd.oci.image.layer.v1.tar+gzip",
            Flavor::Docker => "application/vnd.docker.image.rootfs.diff.tar.gzip",
        }
    }
}

/// Content-addressed bytes with their media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub media_type: String,
    /// `sha256:<hex>`
    pub digest: String,
    pub bytes: Vec<u8>,
}

impl Blob {
    pub fn new(media_type: &str, bytes: Vec<u8>) -> Blob {
        Blob {
            media_type: media_type.to_string(),
            digest: sha256_digest(&bytes),
            bytes,
        }
    }

    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The descriptor that points at this blob.
    pub fn descriptor(&self) -> serde_json::Value {
        json!({
            "mediaType": self.media_type,
            "digest": self.digest,
            "size": self.size(),
        })
    }

    /// The hex part of the digest.
    pub fn hex(&self) -> &str {
        self.digest.trim_start_matches("sha256:")
    }
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// An operating system, architecture and optional variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    /// Parse `os/arch[/variant]`.
    pub fn parse(text: &str) -> Platform {
        let mut parts = text.split('/');
        let os = parts.next().expect("platform os").to_string();
        let architecture = parts.next().expect("platform architecture").to_string();
        Platform {
            os,
            architecture,
            variant: parts.next().map(str::to_string),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        let mut value = json!({"architecture": self.architecture, "os": self.os});
        if let Some(variant) = &self.variant {
            value["variant"] = json!(variant);
        }
        value
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// One single-platform image: config, layers and the manifest that ties them.
#[derive(Debug, Clone)]
pub struct Image {
    pub flavor: Flavor,
    pub platform: Platform,
    pub config: Blob,
    pub layers: Vec<Blob>,
    pub manifest: Blob,
}

impl Image {
    /// Every blob a registry must hold for this image, manifest last.
    pub fn blobs(&self) -> Vec<&Blob> {
        let mut blobs: Vec<&Blob> = self.layers.iter().collect();
        blobs.push(&self.config);
        blobs.push(&self.manifest);
        blobs
    }

    /// Write this image at `dir` as a layout skopeo reads (see [`write_layout`]).
    pub fn write_layout(&self, dir: &Path, tag: &str) -> Layout {
        write_layout(self.flavor, dir, tag, &self.manifest, &self.blobs(), &[])
    }
}

/// A multi-platform index and its images.
#[derive(Debug, Clone)]
pub struct ImageIndex {
    pub flavor: Flavor,
    pub index: Blob,
    pub images: Vec<Image>,
}

impl ImageIndex {
    /// Build an index over `images` (all of one flavor).
    pub fn new(flavor: Flavor, images: Vec<Image>) -> ImageIndex {
        let manifests: Vec<serde_json::Value> = images
            .iter()
            .map(|image| {
                let mut descriptor = image.manifest.descriptor();
                descriptor["platform"] = image.platform.json();
                descriptor
            })
            .collect();
        let body = json!({
            "schemaVersion": 2,
            "mediaType": flavor.index_type(),
            "manifests": manifests,
        });
        ImageIndex {
            flavor,
            index: Blob::new(flavor.index_type(), to_json(&body)),
            images,
        }
    }

    /// The image for `platform` (`os/arch[/variant]`).
    pub fn image(&self, platform: &str) -> &Image {
        self.images
            .iter()
            .find(|i| i.platform.to_string() == platform)
            .unwrap_or_else(|| panic!("no image for {platform} in the test index"))
    }

    /// Every blob of every image, then the index.
    pub fn blobs(&self) -> Vec<&Blob> {
        let mut blobs: Vec<&Blob> = self.images.iter().flat_map(Image::blobs).collect();
        blobs.push(&self.index);
        blobs
    }

    /// Write the index and its images at `dir` as a layout skopeo reads (see [`write_layout`]).
    pub fn write_layout(&self, dir: &Path, tag: &str) -> Layout {
        let manifests: Vec<&Blob> = self.images.iter().map(|i| &i.manifest).collect();
        write_layout(
            self.flavor,
            dir,
            tag,
            &self.index,
            &self.blobs(),
            &manifests,
        )
    }
}

/// Builds one image from files and optional random bytes.
#[derive(Debug, Clone)]
pub struct ImageBuilder {
    flavor: Flavor,
    platform: Platform,
    files: Vec<(String, Vec<u8>)>,
    random: Option<(usize, u64)>,
}

impl ImageBuilder {
    /// A linux/amd64 image with no files yet.
    pub fn new(flavor: Flavor) -> ImageBuilder {
        ImageBuilder {
            flavor,
            platform: Platform::parse("linux/amd64"),
            files: Vec::new(),
            random: None,
        }
    }

    /// Set the platform, `os/arch[/variant]`.
    pub fn platform(mut self, platform: &str) -> ImageBuilder {
        self.platform = Platform::parse(platform);
        self
    }

    /// Add a regular file to the first layer.
    pub fn file(mut self, path: &str, content: &[u8]) -> ImageBuilder {
        self.files.push((path.to_string(), content.to_vec()));
        self
    }

    /// Add a second layer holding `bytes` incompressible pseudo-random bytes from `seed`.
    pub fn random_layer(mut self, bytes: usize, seed: u64) -> ImageBuilder {
        self.random = Some((bytes, seed));
        self
    }

    pub fn build(self) -> Image {
        let flavor = self.flavor;
        let mut tars = vec![tar_of(&self.files, Compression::default())];
        if let Some((size, seed)) = self.random {
            let data = random_bytes(size, seed);
            // Stored deflate blocks: random bytes do not compress, and this keeps it fast.
            tars.push(tar_of(
                &[("random.bin".to_string(), data)],
                Compression::none(),
            ));
        }

        let diff_ids: Vec<String> = tars.iter().map(|(tar, _)| sha256_digest(tar)).collect();
        let layers: Vec<Blob> = tars
            .into_iter()
            .map(|(_, gz)| Blob::new(flavor.layer_type(), gz))
            .collect();

        let mut config = json!({
            "created": "2024-01-01T00:00:00Z",
            "architecture": self.platform.architecture,
            "os": self.platform.os,
            "config": {
                "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                "Cmd": ["/bin/sh"],
            },
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": layers.iter().map(|_| json!({
                "created": "2024-01-01T00:00:00Z",
                "created_by": "rctl test harness",
            })).collect::<Vec<_>>(),
        });
        if let Some(variant) = &self.platform.variant {
            config["variant"] = json!(variant);
        }
        let config = Blob::new(flavor.config_type(), to_json(&config));

        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": flavor.manifest_type(),
            "config": config.descriptor(),
            "layers": layers.iter().map(Blob::descriptor).collect::<Vec<_>>(),
        });
        Image {
            flavor,
            platform: self.platform,
            manifest: Blob::new(flavor.manifest_type(), to_json(&manifest)),
            config,
            layers,
        }
    }
}

/// A small image for `platform`, whose one layer names the platform (so every platform's
/// manifest has its own digest).
pub fn small_image(flavor: Flavor, platform: &str) -> Image {
    ImageBuilder::new(flavor)
        .platform(platform)
        .file("etc/hello.txt", b"hello from the rctl test harness\n")
        .file("etc/platform", platform.as_bytes())
        .build()
}

/// An index over small images for [`PLATFORMS`].
pub fn multi_platform_index(flavor: Flavor) -> ImageIndex {
    let images = PLATFORMS.iter().map(|p| small_image(flavor, p)).collect();
    ImageIndex::new(flavor, images)
}

/// Images written to disk in a form skopeo copies from.
#[derive(Debug, Clone)]
pub struct Layout {
    pub dir: PathBuf,
    /// The skopeo source: `oci:DIR:TAG` or `dir:DIR`.
    pub source: String,
}

/// Write `top` (a manifest or index) and `blobs` at `dir`.
///
/// OCI images become an OCI image layout with `top` tagged `tag`. skopeo's `oci:` transport
/// only finds OCI media types in `index.json`, so Docker images use its `dir:` transport instead
/// (`manifest.json`, `<hex>.manifest.json` for each of `instances`, blobs named by hex).
pub fn write_layout(
    flavor: Flavor,
    dir: &Path,
    tag: &str,
    top: &Blob,
    blobs: &[&Blob],
    instances: &[&Blob],
) -> Layout {
    match flavor {
        Flavor::Oci => {
            let blob_dir = dir.join("blobs/sha256");
            std::fs::create_dir_all(&blob_dir).expect("create layout blobs dir");
            for blob in blobs {
                std::fs::write(blob_dir.join(blob.hex()), &blob.bytes).expect("write layout blob");
            }
            std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
            let mut descriptor = top.descriptor();
            descriptor["annotations"] = json!({"org.opencontainers.image.ref.name": tag});
            let index = json!({"schemaVersion": 2, "manifests": [descriptor]});
            std::fs::write(dir.join("index.json"), to_json(&index)).unwrap();
            Layout {
                dir: dir.to_path_buf(),
                source: format!("oci:{}:{tag}", dir.display()),
            }
        }
        Flavor::Docker => {
            std::fs::create_dir_all(dir).expect("create layout dir");
            for blob in blobs {
                std::fs::write(dir.join(blob.hex()), &blob.bytes).expect("write layout blob");
            }
            for instance in instances {
                std::fs::write(
                    dir.join(format!("{}.manifest.json", instance.hex())),
                    &instance.bytes,
                )
                .unwrap();
            }
            std::fs::write(dir.join("manifest.json"), &top.bytes).unwrap();
            std::fs::write(dir.join("version"), "Directory Transport Version: 1.1\n").unwrap();
            Layout {
                dir: dir.to_path_buf(),
                source: format!("dir:{}", dir.display()),
            }
        }
    }
}

/// A gzip-compressed tar holding `files` with fixed metadata; returns (tar, gzip).
fn tar_of(files: &[(String, Vec<u8>)], level: Compression) -> (Vec<u8>, Vec<u8>) {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(1_704_067_200);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, content.as_slice())
            .expect("append tar entry");
    }
    let tar = builder.into_inner().expect("finish tar");

    let mut gz = GzEncoder::new(Vec::new(), level);
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    (tar.clone(), gz.finish().unwrap())
}

/// `size` pseudo-random bytes from `seed` (splitmix64): the same seed gives the same bytes.
pub fn random_bytes(size: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(size + 8);
    while out.len() < size {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(size);
    out
}

fn to_json(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("serialize test JSON")
}
