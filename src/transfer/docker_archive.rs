//! `docker save` archives: `manifest.json`, `repositories`, a config and layer tars per image.
//!
//! Reading accepts what `docker save` (classic and 25+) and `podman save` write: the paths in
//! `manifest.json` are followed wherever they point, layers may be plain or gzip tars. The
//! image becomes a Docker schema 2 manifest in a scratch OCI layout, so the copy engine treats
//! it like any other source.
//!
//! Writing puts each blob under `blobs/sha256/<hex>` (the docker 25 layout), with
//! `manifest.json` and `repositories` beside them; `docker load` and `podman load` accept
//! compressed layers, so they are written as they are.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::{Error, Result};
use super::oci_archive::{Scratch, pack, unpack};
use super::oci_layout::OciLayout;
use crate::oci::{Digest, Manifest, Reference, media_type};

/// The name given to the image inside the scratch layout of an imported archive.
pub const IMPORTED: &str = "imported";

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Entry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// An archive unpacked and turned into a layout holding one image named [`IMPORTED`].
pub struct Imported {
    pub scratch: Scratch,
    pub layout: OciLayout,
    /// The names the archive gave the image.
    pub repo_tags: Vec<String>,
}

/// Whether `dir` (an unpacked archive) is a docker archive.
pub fn is_docker_archive(dir: &Path) -> bool {
    dir.join("manifest.json").is_file()
}

/// Unpack `archive` and import the image `reference` names (or its only image).
pub fn import(archive: &Path, reference: Option<&Reference>) -> Result<Imported> {
    let scratch = Scratch::new()?;
    unpack(archive, scratch.path())?;
    let (layout, repo_tags) = import_dir(archive, scratch.path(), reference)?;
    Ok(Imported {
        scratch,
        layout,
        repo_tags,
    })
}

/// The images (their `RepoTags`) of an unpacked docker archive.
pub fn list(dir: &Path) -> Result<Vec<Vec<String>>> {
    Ok(read_entries(dir, dir)?
        .into_iter()
        .map(|e| e.repo_tags.unwrap_or_default())
        .collect())
}

/// Import one image of an unpacked docker archive in `dir` into a layout in the same directory.
pub fn import_dir(
    archive: &Path,
    dir: &Path,
    reference: Option<&Reference>,
) -> Result<(OciLayout, Vec<String>)> {
    let invalid = |what: String| Error::Invalid {
        kind: "docker archive",
        path: archive.to_path_buf(),
        what,
    };
    let entries = read_entries(archive, dir)?;
    let entry = match reference {
        Some(wanted) => entries
            .into_iter()
            .find(|e| {
                e.repo_tags.iter().flatten().any(|tag| {
                    tag.parse::<Reference>()
                        .is_ok_and(|r| r.to_string() == wanted.to_string())
                })
            })
            .ok_or_else(|| Error::NotFound {
                what: format!("image `{wanted}`"),
                place: archive.display().to_string(),
            })?,
        None => {
            if entries.len() != 1 {
                return Err(invalid(format!(
                    "it holds {} images; name one as `docker-archive:FILE:REF`",
                    entries.len()
                )));
            }
            entries
                .into_iter()
                .next()
                .ok_or_else(|| invalid("no images".into()))?
        }
    };

    let layout = OciLayout::create(dir)?;
    let config_path = inside(dir, &entry.config)
        .ok_or_else(|| invalid(format!("bad path `{}`", entry.config)))?;
    let config = std::fs::read(&config_path).map_err(Error::io("read", &config_path))?;
    let config_digest = Digest::sha256_of(&config);
    layout.write_small(&config_digest, &config)?;

    let mut layers = Vec::new();
    for layer in &entry.layers {
        let path = inside(dir, layer).ok_or_else(|| invalid(format!("bad path `{layer}`")))?;
        let (digest, size, gzip) = hash_file(&path)?;
        let target = layout.blob_path(&digest);
        if !target.exists() {
            std::fs::hard_link(&path, &target)
                .or_else(|_| std::fs::copy(&path, &target).map(|_| ()))
                .map_err(Error::io("store layer", &target))?;
        }
        let media_type = if gzip {
            media_type::DOCKER_LAYER_GZIP
        } else {
            "application/vnd.docker.image.rootfs.diff.tar"
        };
        layers.push(json!({"mediaType": media_type, "size": size, "digest": digest}));
    }
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": media_type::DOCKER_MANIFEST,
        "config": {"mediaType": media_type::DOCKER_CONFIG, "size": config.len(), "digest": config_digest},
        "layers": layers,
    });
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    let manifest = Manifest::from_bytes(bytes.into(), None)
        .map_err(|e| Error::Manifest(archive.display().to_string(), e))?;
    layout.write_small(manifest.digest(), manifest.bytes())?;
    let lock = layout.lock()?;
    layout.set_ref(Some(IMPORTED), &manifest.descriptor(), &lock)?;
    Ok((layout, entry.repo_tags.unwrap_or_default()))
}

fn read_entries(archive: &Path, dir: &Path) -> Result<Vec<Entry>> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).map_err(Error::io("read", &path))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
        kind: "docker archive",
        path: archive.to_path_buf(),
        what: format!("`manifest.json`: {e}"),
    })
}

/// `relative` inside `dir`, refusing absolute paths and `..`.
fn inside(dir: &Path, relative: &str) -> Option<std::path::PathBuf> {
    let path = Path::new(relative);
    let safe = path.components().all(|c| {
        matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    safe.then(|| dir.join(path))
}

/// The sha256 digest, size and gzip-ness of a file, read in pieces.
fn hash_file(path: &Path) -> Result<(Digest, u64, bool)> {
    let mut file = std::fs::File::open(path).map_err(Error::io("open", path))?;
    let mut hasher = crate::oci::digest::Hasher::new(crate::oci::digest::Algorithm::Sha256);
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    let mut head = [0u8; 2];
    loop {
        let n = file.read(&mut buffer).map_err(Error::io("read", path))?;
        if n == 0 {
            break;
        }
        if size == 0 && n >= 2 {
            head.copy_from_slice(&buffer[..2]);
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
    Ok((hasher.finish(), size, head == [0x1f, 0x8b]))
}

/// One image to write into an archive: its manifest in `layout` and the names to give it.
pub struct ArchiveImage {
    pub manifest: Manifest,
    pub names: Vec<Reference>,
}

/// Write `images` (image manifests whose blobs are in `layout`) as a docker archive at `target`.
pub fn export(layout: &OciLayout, images: &[ArchiveImage], target: &Path) -> Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let scratch = Scratch::new_in(parent)?;
    let blobs = scratch.path().join("blobs/sha256");
    std::fs::create_dir_all(&blobs).map_err(Error::io("create", &blobs))?;

    let mut entries = Vec::new();
    let mut repositories = serde_json::Map::new();
    for image in images {
        let Some(config) = image.manifest.body().config.clone() else {
            return Err(Error::IndexUnsupported("a docker archive".into()));
        };
        let mut files = vec![config.digest.clone()];
        files.extend(
            image
                .manifest
                .body()
                .layers
                .iter()
                .map(|l| l.digest.clone()),
        );
        for digest in &files {
            let target = blobs.join(digest.hex());
            if !target.exists() {
                let source = layout.blob_path(digest);
                std::fs::hard_link(&source, &target)
                    .or_else(|_| std::fs::copy(&source, &target).map(|_| ()))
                    .map_err(Error::io("copy blob", &source))?;
            }
        }
        let tags: Vec<String> = image.names.iter().map(docker_name).collect();
        for name in &image.names {
            let repo = docker_name(name);
            let repo = repo
                .rsplit_once(':')
                .map_or(repo.as_str(), |(r, _)| r)
                .to_string();
            let tags = repositories
                .entry(repo)
                .or_insert_with(|| serde_json::Value::Object(Default::default()));
            if let (Some(map), Some(tag)) = (tags.as_object_mut(), name.tag()) {
                map.insert(tag.into(), config.digest.hex().into());
            }
        }
        entries.push(Entry {
            config: format!("blobs/sha256/{}", config.digest.hex()),
            repo_tags: Some(tags),
            layers: files[1..]
                .iter()
                .map(|d| format!("blobs/sha256/{}", d.hex()))
                .collect(),
        });
    }
    let manifest_json = serde_json::to_vec(&entries).unwrap_or_default();
    let repositories_json = serde_json::to_vec(&repositories).unwrap_or_default();
    for (name, bytes) in [
        ("manifest.json", manifest_json),
        ("repositories", repositories_json),
    ] {
        let path = scratch.path().join(name);
        std::fs::write(&path, bytes).map_err(Error::io("write", &path))?;
    }
    pack(scratch.path(), target, &[])
}

/// The short name docker uses: `busybox:latest` for Docker Hub's library, else `host/repo:tag`.
fn docker_name(reference: &Reference) -> String {
    let repository = reference.repository();
    let name = if reference.registry() == crate::oci::reference::DOCKER_HUB {
        repository
            .strip_prefix("library/")
            .unwrap_or(repository)
            .to_string()
    } else {
        format!("{}/{repository}", reference.registry())
    };
    format!("{name}:{}", reference.tag().unwrap_or("latest"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_names_are_short_for_docker_hub() {
        let hub: Reference = "busybox".parse().unwrap();
        assert_eq!(docker_name(&hub), "busybox:latest");
        let local: Reference = "localhost:5000/team/app:v1".parse().unwrap();
        assert_eq!(docker_name(&local), "localhost:5000/team/app:v1");
    }

    #[test]
    fn archive_paths_stay_inside() {
        let dir = Path::new("/x");
        assert!(inside(dir, "../etc/passwd").is_none());
        assert!(inside(dir, "/etc/passwd").is_none());
        assert_eq!(
            inside(dir, "blobs/sha256/a").unwrap(),
            Path::new("/x/blobs/sha256/a")
        );
    }
}
