//! An OCI image layout directory: `oci-layout`, `index.json` and `blobs/<alg>/<hex>`.
//!
//! Guarantees: a blob appears under its digest only after its bytes were hashed and matched
//! (written to a temporary file in the same directory, then renamed); `index.json` is replaced
//! atomically, under an exclusive file lock, so concurrent rctl processes never lose each other's
//! names. Names are the `org.opencontainers.image.ref.name` annotation, as skopeo and umoci use
//! it.

use std::fs::File;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{Map, Value, json};
use tokio::io::AsyncWriteExt;

use super::error::{Error, Result};
use crate::client::uploads::{BlobBytes, SourceError};
use crate::oci::{Descriptor, Digest, Manifest};

/// The annotation that names an entry of `index.json`.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";

/// An OCI image layout on disk.
#[derive(Debug, Clone)]
pub struct OciLayout {
    root: PathBuf,
}

/// An exclusive lock on a layout's `index.json`, released when dropped.
pub struct IndexLock {
    _file: File,
}

impl OciLayout {
    /// Open an existing layout.
    pub fn open(root: &Path) -> Result<OciLayout> {
        let layout = OciLayout {
            root: root.to_path_buf(),
        };
        if !root.join("index.json").is_file() {
            return Err(Error::Invalid {
                kind: "OCI image layout",
                path: root.to_path_buf(),
                what: "it has no `index.json`".into(),
            });
        }
        Ok(layout)
    }

    /// Open a layout, creating an empty one when the directory has none.
    pub fn create(root: &Path) -> Result<OciLayout> {
        let layout = OciLayout {
            root: root.to_path_buf(),
        };
        let blobs = root.join("blobs/sha256");
        std::fs::create_dir_all(&blobs).map_err(Error::io("create", &blobs))?;
        let marker = root.join("oci-layout");
        if !marker.exists() {
            write_atomic(&marker, br#"{"imageLayoutVersion":"1.0.0"}"#)?;
        }
        let index = root.join("index.json");
        if !index.exists() {
            let _lock = layout.lock()?;
            if !index.exists() {
                layout.write_index(&[])?;
            }
        }
        Ok(layout)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn blob_path(&self, digest: &Digest) -> PathBuf {
        self.root
            .join("blobs")
            .join(digest.algorithm().name())
            .join(digest.hex())
    }

    /// Whether the layout holds the blob (with the right size when `size` is given).
    pub fn has_blob(&self, digest: &Digest, size: Option<u64>) -> bool {
        match std::fs::metadata(self.blob_path(digest)) {
            Ok(meta) => size.is_none_or(|size| meta.len() == size),
            Err(_) => false,
        }
    }

    /// Stream a blob from disk, checking its digest as it is read.
    pub async fn read_blob(&self, digest: &Digest) -> Result<BlobBytes> {
        let path = self.blob_path(digest);
        let file = tokio::fs::File::open(&path)
            .await
            .map_err(Error::io("open blob", &path))?;
        Ok(verified(
            Box::pin(
                tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024)
                    .map(|r| r.map_err(|e| Box::new(e) as SourceError)),
            ),
            digest.clone(),
        ))
    }

    /// A blob read whole; for manifests and configs only.
    pub fn read_small(&self, digest: &Digest) -> Result<Bytes> {
        let path = self.blob_path(digest);
        let bytes = std::fs::read(&path).map_err(Error::io("read", &path))?;
        let mut hasher = digest.hasher();
        hasher.update(&bytes);
        let actual = hasher.finish();
        if actual != *digest {
            return Err(Error::DigestMismatch {
                digest: digest.clone(),
                actual,
            });
        }
        Ok(Bytes::from(bytes))
    }

    /// The manifest a descriptor points at.
    pub fn read_manifest(&self, descriptor: &Descriptor) -> Result<Manifest> {
        let bytes = self.read_small(&descriptor.digest)?;
        Manifest::from_bytes(bytes, Some(&descriptor.media_type))
            .map_err(|e| Error::Manifest(descriptor.digest.to_string(), e))
    }

    /// Write a blob from a stream: hashed while written, renamed into place only if it matches.
    /// Returns the number of bytes written.
    pub async fn write_blob(
        &self,
        digest: &Digest,
        mut bytes: BlobBytes,
        on_bytes: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<u64, BlobWriteError> {
        let target = self.blob_path(digest);
        let dir = target.parent().unwrap_or(&self.root).to_path_buf();
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| BlobWriteError::Local(Error::io("create", &dir)(e)))?;
        let temp = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4()));
        // Removes the file even when this future is dropped mid-write (a sibling blob failed).
        let mut guard = TempFile(Some(temp.clone()));
        let result = async {
            let mut file = tokio::fs::File::create(&temp)
                .await
                .map_err(|e| BlobWriteError::Local(Error::io("write", &target)(e)))?;
            let mut hasher = digest.hasher();
            let mut written = 0u64;
            while let Some(chunk) = bytes.next().await {
                let chunk = chunk.map_err(BlobWriteError::Source)?;
                hasher.update(&chunk);
                file.write_all(&chunk)
                    .await
                    .map_err(|e| BlobWriteError::Local(Error::io("write", &target)(e)))?;
                written += chunk.len() as u64;
                on_bytes(chunk.len() as u64);
            }
            file.flush()
                .await
                .map_err(|e| BlobWriteError::Local(Error::io("write", &target)(e)))?;
            drop(file);
            let actual = hasher.finish();
            if actual != *digest {
                return Err(BlobWriteError::Local(Error::DigestMismatch {
                    digest: digest.clone(),
                    actual,
                }));
            }
            tokio::fs::rename(&temp, &target)
                .await
                .map_err(|e| BlobWriteError::Local(Error::io("write", &target)(e)))?;
            Ok(written)
        }
        .await;
        if result.is_ok() {
            guard.0 = None;
        }
        result
    }

    /// Write small content (a manifest or config) under its digest.
    pub fn write_small(&self, digest: &Digest, bytes: &[u8]) -> Result<()> {
        let target = self.blob_path(digest);
        if target.exists() {
            return Ok(());
        }
        if !digest.matches(bytes) {
            return Err(Error::DigestMismatch {
                digest: digest.clone(),
                actual: Digest::sha256_of(bytes),
            });
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
        }
        write_atomic(&target, bytes)
    }

    /// Take the exclusive lock that guards `index.json` changes.
    pub fn lock(&self) -> Result<IndexLock> {
        let path = self.root.join(".index.lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Error::io("open", &path))?;
        file.lock().map_err(Error::io("lock", &path))?;
        Ok(IndexLock { _file: file })
    }

    /// The entries of `index.json`.
    pub fn entries(&self) -> Result<Vec<Descriptor>> {
        Ok(self.read_index()?.manifests)
    }

    /// The descriptor named `name`; with no name the only entry, or else the only named one
    /// (unnamed entries are typically referrers such as signatures).
    pub fn resolve(&self, name: Option<&str>) -> Result<Option<Descriptor>> {
        let entries = self.entries()?;
        Ok(match name {
            Some(name) => entries.into_iter().find(|d| ref_name(d) == Some(name)),
            None if entries.len() == 1 => entries.into_iter().next(),
            None => {
                let mut named = entries.into_iter().filter(|d| ref_name(d).is_some());
                match (named.next(), named.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            }
        })
    }

    /// Point `name` at `descriptor` (replacing what it named before), or add an unnamed entry.
    /// The caller holds [`OciLayout::lock`].
    pub fn set_ref(
        &self,
        name: Option<&str>,
        descriptor: &Descriptor,
        _lock: &IndexLock,
    ) -> Result<()> {
        let mut entries = self.entries()?;
        let mut entry = descriptor.clone();
        match name {
            Some(name) => {
                entries.retain(|d| ref_name(d) != Some(name));
                let mut annotations = entry.annotations.take().unwrap_or_default();
                annotations.insert(REF_NAME.into(), Value::String(name.into()));
                entry.annotations = Some(annotations);
            }
            None => entries.retain(|d| d.digest != entry.digest || ref_name(d).is_some()),
        }
        entries.push(entry);
        self.write_index(&entries)
    }

    /// Remove the entry named `name`; whether there was one. The caller holds the lock.
    pub fn remove_ref(&self, name: &str, _lock: &IndexLock) -> Result<bool> {
        let mut entries = self.entries()?;
        let before = entries.len();
        entries.retain(|d| ref_name(d) != Some(name));
        if entries.len() == before {
            return Ok(false);
        }
        self.write_index(&entries)?;
        Ok(true)
    }

    fn read_index(&self) -> Result<IndexFile> {
        let path = self.root.join("index.json");
        let bytes = std::fs::read(&path).map_err(Error::io("read", &path))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
            kind: "OCI image index",
            path,
            what: e.to_string(),
        })
    }

    fn write_index(&self, entries: &[Descriptor]) -> Result<()> {
        let value = json!({
            "schemaVersion": 2,
            "mediaType": crate::oci::media_type::OCI_INDEX,
            "manifests": entries,
        });
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        write_atomic(&self.root.join("index.json"), &bytes)
    }
}

/// The `ref.name` annotation of an index entry.
pub fn ref_name(descriptor: &Descriptor) -> Option<&str> {
    descriptor.annotations.as_ref()?.get(REF_NAME)?.as_str()
}

#[derive(serde::Deserialize)]
struct IndexFile {
    #[serde(default)]
    manifests: Vec<Descriptor>,
    #[allow(dead_code)]
    #[serde(default)]
    annotations: Option<Map<String, Value>>,
}

/// A temporary file deleted when dropped, unless it was renamed into place.
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Why writing a blob failed: the bytes coming in, or the local disk.
#[derive(Debug)]
pub enum BlobWriteError {
    Source(SourceError),
    Local(Error),
}

/// Write a file atomically: a temporary file beside it, synced, then renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp = dir.join(format!(".tmp-{}", uuid::Uuid::new_v4()));
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(source) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::Io {
            action: "write",
            path: path.to_path_buf(),
            source,
        });
    }
    Ok(())
}

/// A stream that checks its bytes against `digest` and ends in an error on a mismatch.
pub fn verified(inner: BlobBytes, digest: Digest) -> BlobBytes {
    let state = (inner, Some(digest.hasher()), digest);
    Box::pin(futures_util::stream::unfold(
        state,
        |(mut inner, mut hasher, digest)| async move {
            let current = hasher.as_mut()?;
            match inner.next().await {
                Some(Ok(chunk)) => {
                    current.update(&chunk);
                    Some((Ok(chunk), (inner, hasher, digest)))
                }
                Some(Err(err)) => Some((Err(err), (inner, None, digest))),
                None => {
                    let actual = hasher.take()?.finish();
                    if actual == digest {
                        None
                    } else {
                        let err: SourceError = Box::new(Error::DigestMismatch {
                            digest: digest.clone(),
                            actual,
                        });
                        Some((Err(err), (inner, None, digest)))
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptor(bytes: &[u8]) -> Descriptor {
        Descriptor {
            media_type: crate::oci::media_type::OCI_MANIFEST.into(),
            digest: Digest::sha256_of(bytes),
            size: bytes.len() as u64,
            platform: None,
            artifact_type: None,
            annotations: None,
            urls: None,
        }
    }

    #[test]
    fn names_are_replaced_and_removed_under_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let layout = OciLayout::create(dir.path()).unwrap();
        let (a, b) = (descriptor(b"a"), descriptor(b"b"));
        let lock = layout.lock().unwrap();
        layout.set_ref(Some("x:1"), &a, &lock).unwrap();
        layout.set_ref(Some("y:1"), &a, &lock).unwrap();
        layout.set_ref(Some("x:1"), &b, &lock).unwrap();
        drop(lock);
        assert_eq!(
            layout.resolve(Some("x:1")).unwrap().unwrap().digest,
            b.digest
        );
        assert_eq!(
            layout.resolve(Some("y:1")).unwrap().unwrap().digest,
            a.digest
        );
        assert_eq!(layout.entries().unwrap().len(), 2);
        let lock = layout.lock().unwrap();
        assert!(layout.remove_ref("x:1", &lock).unwrap());
        assert!(!layout.remove_ref("x:1", &lock).unwrap());
    }

    #[tokio::test]
    async fn a_blob_that_does_not_match_its_digest_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let layout = OciLayout::create(dir.path()).unwrap();
        let digest = Digest::sha256_of(b"expected");
        let bytes: BlobBytes = Box::pin(futures_util::stream::iter([Ok(Bytes::from_static(
            b"something else",
        ))]));
        let result = layout.write_blob(&digest, bytes, &|_| {}).await;
        assert!(matches!(
            result,
            Err(BlobWriteError::Local(Error::DigestMismatch { .. }))
        ));
        let left: Vec<_> = std::fs::read_dir(dir.path().join("blobs/sha256"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "{left:?}");

        let good: BlobBytes = Box::pin(futures_util::stream::iter([Ok(Bytes::from_static(
            b"expected",
        ))]));
        layout.write_blob(&digest, good, &|_| {}).await.unwrap();
        assert!(layout.has_blob(&digest, Some(8)));
    }
}
