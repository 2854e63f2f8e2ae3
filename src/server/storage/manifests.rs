//! Manifests, tags and repositories.
//!
//! A manifest's bytes are stored as a blob (exactly as pushed) and linked into the repository
//! under `_manifests/revisions`. A tag is a `current/link` naming a revision, plus an `index`
//! entry per digest it ever pointed at, as distribution keeps them. Writes happen in an order
//! that never exposes a dangling reference: blob, then revision link, then tag.

use std::fs;
use std::io;
use std::path::Path;

use super::atomic::{self, list_dir, read_link, write_link};
use super::{RepoName, Storage, Tag};
use crate::oci::Digest;

/// distribution's (and the spec's suggested minimum) manifest size limit.
pub const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;

/// What a manifest reference in a URL names.
#[derive(Debug, Clone)]
pub enum ManifestRef {
    Tag(Tag),
    Digest(Digest),
}

impl std::fmt::Display for ManifestRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManifestRef::Tag(tag) => f.write_str(tag.as_str()),
            ManifestRef::Digest(digest) => write!(f, "{digest}"),
        }
    }
}

impl Storage {
    /// The digest `reference` names in `name`, if that manifest is there.
    pub fn resolve_manifest(
        &self,
        name: &RepoName,
        reference: &ManifestRef,
    ) -> io::Result<Option<Digest>> {
        let digest = match reference {
            ManifestRef::Tag(tag) => match read_link(&self.layout.tag_current_link(name, tag))? {
                Some(digest) => digest,
                None => return Ok(None),
            },
            ManifestRef::Digest(digest) => digest.clone(),
        };
        if read_link(&self.layout.revision_link(name, &digest))?.is_none() {
            return Ok(None);
        }
        Ok(Some(digest))
    }

    /// The stored bytes of manifest `digest`, if its blob is there.
    pub fn read_manifest(&self, digest: &Digest) -> io::Result<Option<Vec<u8>>> {
        let path = self.layout.blob_data(digest);
        match fs::metadata(&path) {
            Ok(meta) if meta.len() > MAX_MANIFEST_BYTES as u64 => Err(io::Error::other(format!(
                "manifest blob {digest} is {} bytes, over the 4 MiB limit",
                meta.len()
            ))),
            Ok(_) => Ok(Some(fs::read(&path)?)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Store a verified manifest in `name`, and point `tag` at it when given.
    pub fn put_manifest(
        &self,
        name: &RepoName,
        digest: &Digest,
        bytes: &[u8],
        tag: Option<&Tag>,
    ) -> io::Result<()> {
        self.store_small_blob(digest, bytes)?;
        let revision = self.layout.revision_link(name, digest);
        if read_link(&revision)?.is_none() {
            write_link(&revision, digest)?;
        }
        if let Some(tag) = tag {
            write_link(&self.layout.tag_index_link(name, tag, digest), digest)?;
            write_link(&self.layout.tag_current_link(name, tag), digest)?;
        }
        Ok(())
    }

    /// The tags of `name`, sorted; `None` when the repository does not exist.
    pub fn tags(&self, name: &RepoName) -> io::Result<Option<Vec<String>>> {
        if !self.repository_exists(name) {
            return Ok(None);
        }
        let dir = self.layout.tags_dir(name);
        let mut tags = Vec::new();
        for tag in list_dir(&dir)? {
            if dir.join(&tag).join("current").join("link").is_file() {
                tags.push(tag);
            }
        }
        Ok(Some(tags))
    }

    /// Remove one tag; the manifest and other tags stay. `false` when the tag was not there.
    pub fn delete_tag(&self, name: &RepoName, tag: &Tag) -> io::Result<bool> {
        let dir = self.layout.tag_dir(name, tag);
        if read_link(&self.layout.tag_current_link(name, tag))?.is_none() {
            return Ok(false);
        }
        atomic::remove_all(&dir)?;
        Ok(true)
    }

    /// Remove a manifest from `name`, and every tag pointing at it. `false` when it was not
    /// there.
    pub fn delete_manifest(&self, name: &RepoName, digest: &Digest) -> io::Result<bool> {
        let revision = self.layout.revision_link(name, digest);
        if read_link(&revision)?.is_none() {
            return Ok(false);
        }
        for tag in self.tags(name)?.unwrap_or_default() {
            let Some(tag) = Tag::parse(&tag) else {
                continue;
            };
            if read_link(&self.layout.tag_current_link(name, &tag))?.as_ref() == Some(digest) {
                atomic::remove_all(&self.layout.tag_dir(name, &tag))?;
            }
        }
        atomic::remove_all(revision.parent().unwrap_or(&revision))?;
        Ok(true)
    }

    /// The digests of every manifest stored in `name`.
    pub fn revisions(&self, name: &RepoName) -> io::Result<Vec<Digest>> {
        let root = self.layout.revisions_dir(name);
        let mut digests = Vec::new();
        for algorithm in list_dir(&root)? {
            for hex in list_dir(&root.join(&algorithm))? {
                let Ok(digest) = format!("{algorithm}:{hex}").parse::<Digest>() else {
                    continue;
                };
                if read_link(&root.join(&algorithm).join(&hex).join("link"))?.is_some() {
                    digests.push(digest);
                }
            }
        }
        Ok(digests)
    }

    /// Every repository in the data directory, sorted.
    // TODO: this walks the tree on every catalog request and gc run; an index kept beside the
    // data would make catalog pages and gc marks cheap on very large registries.
    pub fn repositories(&self) -> io::Result<Vec<RepoName>> {
        let mut found = Vec::new();
        walk_repositories(&self.layout.repositories_root(), "", &mut found)?;
        found.sort();
        Ok(found)
    }
}

fn walk_repositories(dir: &Path, prefix: &str, found: &mut Vec<RepoName>) -> io::Result<()> {
    let entries = list_dir(dir)?;
    if entries
        .iter()
        .any(|e| e == "_manifests" || e == "_layers" || e == "_uploads")
        && let Some(name) = RepoName::parse(prefix)
    {
        found.push(name);
    }
    for entry in entries {
        if entry.starts_with('_') || !dir.join(&entry).is_dir() {
            continue;
        }
        let name = if prefix.is_empty() {
            entry.clone()
        } else {
            format!("{prefix}/{entry}")
        };
        walk_repositories(&dir.join(&entry), &name, found)?;
    }
    Ok(())
}
