//! The local image store behind `pull`, `tag`, `push`, `images`, `rmi`, `save` and `load`.
//!
//! It is an OCI image layout in `<data dir>/store` (`$XDG_DATA_HOME/rctl/store` on Linux):
//! blobs are shared by all images, and each name is an `index.json` entry whose
//! `org.opencontainers.image.ref.name` is the full reference (`docker.io/library/busybox:latest`),
//! so `skopeo inspect oci:<store>:<reference>` reads it.
//!
//! Several rctl processes may use the store at once: blobs and `index.json` are written to a
//! temporary file and renamed, `index.json` changes hold an exclusive lock, and writers hold a
//! shared lock on `.gc.lock` while they add blobs, which garbage collection takes exclusively, so
//! it never frees a blob another process is about to name.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::error::{Error, Result};
use super::oci_layout::{OciLayout, ref_name};
use crate::oci::{Descriptor, Digest, Manifest, Reference};

/// The local image store.
pub struct Store {
    layout: OciLayout,
}

/// A shared hold on the store that keeps garbage collection away while blobs are added.
pub struct WriteGuard {
    _file: File,
}

/// One name in the store, as `rctl images` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImageEntry {
    pub reference: String,
    pub repository: String,
    pub tag: String,
    pub digest: Digest,
    pub media_type: String,
    /// The sum of the image's blob and manifest sizes (for an index, of every platform).
    pub size: u64,
    /// The `created` time of the image's config, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

impl Store {
    /// Open (creating when needed) the store under `data_dir`.
    pub fn open(data_dir: Option<&Path>) -> Result<Store> {
        let Some(data_dir) = data_dir else {
            return Err(Error::NotFound {
                what: "a data directory".into(),
                place: "the environment (set `RCTL_DATA_DIR` or `XDG_DATA_HOME`)".into(),
            });
        };
        let root = data_dir.join("store");
        Ok(Store {
            layout: OciLayout::create(&root)?,
        })
    }

    pub fn layout(&self) -> &OciLayout {
        &self.layout
    }

    pub fn root(&self) -> &Path {
        self.layout.root()
    }

    /// Hold off garbage collection while blobs are written.
    pub fn write_guard(&self) -> Result<WriteGuard> {
        let file = self.gc_lock_file()?;
        file.lock_shared()
            .map_err(Error::io("lock", self.gc_lock_path()))?;
        Ok(WriteGuard { _file: file })
    }

    /// The descriptor a name points at.
    pub fn resolve(&self, reference: &Reference) -> Result<Option<Descriptor>> {
        self.layout.resolve(Some(&reference.to_string()))
    }

    /// Give the image `source` names the additional name `target`.
    pub fn tag(&self, source: &Reference, target: &Reference) -> Result<Descriptor> {
        let lock = self.layout.lock()?;
        let descriptor = self.resolve(source)?.ok_or_else(|| not_found(source))?;
        let mut entry = descriptor.clone();
        entry.annotations = None;
        self.layout
            .set_ref(Some(&target.to_string()), &entry, &lock)?;
        Ok(descriptor)
    }

    /// Remove names; then free blobs no remaining name reaches. Returns the freed bytes.
    pub fn remove(&self, references: &[Reference]) -> Result<u64> {
        {
            let lock = self.layout.lock()?;
            for reference in references {
                if !self.layout.remove_ref(&reference.to_string(), &lock)? {
                    return Err(not_found(reference));
                }
            }
        }
        self.collect_garbage()
    }

    /// Delete every blob that no name reaches, under the exclusive collection lock.
    pub fn collect_garbage(&self) -> Result<u64> {
        let file = self.gc_lock_file()?;
        file.lock()
            .map_err(Error::io("lock", self.gc_lock_path()))?;
        let _index = self.layout.lock()?;

        let mut reachable = HashSet::new();
        for entry in self.layout.entries()? {
            self.mark(&entry, &mut reachable);
        }
        let dir = self.root().join("blobs/sha256");
        let mut freed = 0;
        let listing = std::fs::read_dir(&dir).map_err(Error::io("list", &dir))?;
        for file in listing.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || reachable.contains(&name) {
                continue;
            }
            let size = file.metadata().map(|m| m.len()).unwrap_or(0);
            if std::fs::remove_file(file.path()).is_ok() {
                freed += size;
            }
        }
        Ok(freed)
    }

    fn mark(&self, descriptor: &Descriptor, reachable: &mut HashSet<String>) {
        if !reachable.insert(descriptor.digest.hex().to_string()) {
            return;
        }
        let Ok(manifest) = self.layout.read_manifest(descriptor) else {
            return;
        };
        for child in &manifest.body().manifests {
            self.mark(child, reachable);
        }
        for blob in manifest.blobs() {
            reachable.insert(blob.digest.hex().to_string());
        }
    }

    /// Every name in the store, sorted.
    pub fn images(&self) -> Result<Vec<ImageEntry>> {
        let mut images = Vec::new();
        for entry in self.layout.entries()? {
            let Some(name) = ref_name(&entry) else {
                continue;
            };
            let Ok(reference) = name.parse::<Reference>() else {
                continue;
            };
            let (size, created) = self.describe(&entry).unwrap_or((entry.size, None));
            images.push(ImageEntry {
                reference: name.to_string(),
                repository: reference.name(),
                tag: reference.tag().unwrap_or("<none>").to_string(),
                digest: entry.digest.clone(),
                media_type: entry.media_type.clone(),
                size,
                created,
            });
        }
        images.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(images)
    }

    /// Total size and creation time of the image behind an entry.
    fn describe(&self, entry: &Descriptor) -> Result<(u64, Option<String>)> {
        let manifest = self.layout.read_manifest(entry)?;
        let mut size = entry.size;
        let mut created = None;
        let images: Vec<Manifest> = if manifest.is_index() {
            manifest
                .body()
                .manifests
                .iter()
                .filter_map(|d| {
                    size += d.size;
                    self.layout.read_manifest(d).ok()
                })
                .collect()
        } else {
            vec![manifest]
        };
        for image in &images {
            size += image.blobs().iter().map(|b| b.size).sum::<u64>();
            if created.is_none()
                && let Some(config) = &image.body().config
                && let Ok(bytes) = self.layout.read_small(&config.digest)
                && let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes)
            {
                created = value
                    .get("created")
                    .and_then(|c| c.as_str())
                    .map(str::to_string);
            }
        }
        Ok((size, created))
    }

    fn gc_lock_path(&self) -> PathBuf {
        self.root().join(".gc.lock")
    }

    fn gc_lock_file(&self) -> Result<File> {
        let path = self.gc_lock_path();
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Error::io("open", &path))
    }
}

fn not_found(reference: &Reference) -> Error {
    Error::NotFound {
        what: format!("image `{reference}`"),
        place: "the local store".into(),
    }
}
