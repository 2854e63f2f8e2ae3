//! Blobs: content-addressed files shared by every repository, and the per-repository `_layers`
//! links that say which repository may serve which blob.
//!
//! A blob is visible in a repository when both its data file and the repository's layer link
//! exist. Deleting a blob from a repository removes only the link (as distribution does); the
//! data stays until `rctl gc` finds nothing referencing it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::{self, read_link, write_link};
use super::{RepoName, Storage};
use crate::oci::Digest;

impl Storage {
    /// The size of the blob's data file, if the blob is stored at all.
    pub fn blob_size(&self, digest: &Digest) -> io::Result<Option<u64>> {
        match fs::metadata(self.layout.blob_data(digest)) {
            Ok(meta) if meta.is_file() => Ok(Some(meta.len())),
            Ok(_) => Ok(None),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// The blob's data path and size when `name` may serve it: linked as a layer, or stored as
    /// one of the repository's manifests (clients fetch manifests through the blob endpoint).
    pub fn repository_blob(
        &self,
        name: &RepoName,
        digest: &Digest,
    ) -> io::Result<Option<(PathBuf, u64)>> {
        let linked = read_link(&self.layout.layer_link(name, digest))?.is_some()
            || read_link(&self.layout.revision_link(name, digest))?.is_some();
        if !linked {
            return Ok(None);
        }
        Ok(self
            .blob_size(digest)?
            .map(|size| (self.layout.blob_data(digest), size)))
    }

    /// Whether `name` may serve the blob (see [`Storage::repository_blob`]).
    pub fn repository_has_blob(&self, name: &RepoName, digest: &Digest) -> io::Result<bool> {
        Ok(self.repository_blob(name, digest)?.is_some())
    }

    /// Mark a stored blob as just used, so a `gc` running now keeps it for its grace period
    /// even if no manifest it has marked names the blob yet.
    pub fn touch_blob(&self, digest: &Digest) -> io::Result<()> {
        match fs::File::options()
            .write(true)
            .open(self.layout.blob_data(digest))
        {
            Ok(file) => file.set_modified(std::time::SystemTime::now()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Make an already stored blob part of `name`.
    pub fn link_layer(&self, name: &RepoName, digest: &Digest) -> io::Result<()> {
        self.touch_blob(digest)?;
        let link = self.layout.layer_link(name, digest);
        if read_link(&link)?.as_ref() == Some(digest) {
            return Ok(());
        }
        write_link(&link, digest)
    }

    /// Remove the blob from `name`; `false` when it was not there.
    pub fn unlink_layer(&self, name: &RepoName, digest: &Digest) -> io::Result<bool> {
        let link = self.layout.layer_link(name, digest);
        if read_link(&link)?.is_none() {
            return Ok(false);
        }
        atomic::remove_all(link.parent().unwrap_or(&link))?;
        Ok(true)
    }

    /// Move a complete, verified, fsynced file into the blob store as `digest`. When the blob is
    /// already there (another client uploaded it first) the new copy is dropped: both uploads
    /// succeed and one copy is kept.
    pub fn commit_blob(&self, complete: &Path, digest: &Digest) -> io::Result<()> {
        let target = self.layout.blob_data(digest);
        if self.blob_size(digest)?.is_some() {
            let _ = fs::remove_file(complete);
            return self.touch_blob(digest);
        }
        atomic::publish(complete, &target)
    }

    /// Store small content (a manifest) as a blob, atomically.
    pub fn store_small_blob(&self, digest: &Digest, bytes: &[u8]) -> io::Result<()> {
        if self.blob_size(digest)? == Some(bytes.len() as u64) {
            return self.touch_blob(digest);
        }
        atomic::write_atomic(&self.layout.blob_data(digest), bytes)
    }

    /// Whether `name` exists at all (has any manifests, layers or uploads).
    pub fn repository_exists(&self, name: &RepoName) -> bool {
        let dir = self.layout.repository(name);
        ["_manifests", "_layers", "_uploads"]
            .iter()
            .any(|part| dir.join(part).is_dir())
    }
}
