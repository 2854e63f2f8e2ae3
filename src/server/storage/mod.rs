//! The data directory, in the on-disk layout of distribution's filesystem driver, so a directory
//! written by `registry:2` is served as it is and `registry:2` serves what rctl wrote:
//!
//! ```text
//! <data>/docker/registry/v2/
//!   blobs/sha256/ab/<hex>/data                              content, shared by all repositories
//!   repositories/<name>/_layers/sha256/<hex>/link           blob is part of <name>
//!   repositories/<name>/_manifests/revisions/sha256/<hex>/link
//!   repositories/<name>/_manifests/tags/<tag>/current/link  what the tag points at
//!   repositories/<name>/_manifests/tags/<tag>/index/sha256/<hex>/link
//!   repositories/<name>/_uploads/<uuid>/{data,startedat}    upload sessions
//! ```
//!
//! Guarantees: every path is built from a validated [`RepoName`], tag, [`Digest`] or session
//! [`Uuid`], so no request can name a file outside the data directory; every file that becomes
//! visible is written to a temporary file in its own directory, fsynced and renamed
//! ([`atomic`]), so a crash never leaves a half-written blob, manifest or link behind.
//!
//! The storage functions are synchronous; handlers run them on the blocking pool.

pub mod atomic;
pub mod blobs;
pub mod manifests;
pub mod uploads;

use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::oci::Digest;
use crate::oci::reference::{valid_repository, valid_tag};

pub use uploads::UploadSessions;

/// A repository name that passed the distribution-spec grammar (lowercase components, at most
/// 255 characters), so it is safe to join onto a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RepoName(String);

impl RepoName {
    /// `None` unless `name` matches the spec's repository grammar.
    pub fn parse(name: &str) -> Option<RepoName> {
        valid_repository(name).then(|| RepoName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RepoName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tag that passed the spec's tag grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag(String);

impl Tag {
    pub fn parse(tag: &str) -> Option<Tag> {
        valid_tag(tag).then(|| Tag(tag.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Paths inside the data directory. Pure: nothing here touches the disk.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `<data>/docker/registry/v2`, the root every other path hangs off.
    v2: PathBuf,
}

impl Layout {
    pub fn new(data: &Path) -> Layout {
        Layout {
            v2: data.join("docker").join("registry").join("v2"),
        }
    }

    pub fn blobs_root(&self) -> PathBuf {
        self.v2.join("blobs")
    }

    pub fn blob_dir(&self, digest: &Digest) -> PathBuf {
        self.blobs_root()
            .join(digest.algorithm().name())
            .join(&digest.hex()[..2])
            .join(digest.hex())
    }

    pub fn blob_data(&self, digest: &Digest) -> PathBuf {
        self.blob_dir(digest).join("data")
    }

    pub fn repositories_root(&self) -> PathBuf {
        self.v2.join("repositories")
    }

    pub fn repository(&self, name: &RepoName) -> PathBuf {
        let mut path = self.repositories_root();
        for component in name.as_str().split('/') {
            path.push(component);
        }
        path
    }

    pub fn layer_link(&self, name: &RepoName, digest: &Digest) -> PathBuf {
        digest_path(self.repository(name).join("_layers"), digest).join("link")
    }

    pub fn revisions_dir(&self, name: &RepoName) -> PathBuf {
        self.repository(name).join("_manifests").join("revisions")
    }

    pub fn revision_link(&self, name: &RepoName, digest: &Digest) -> PathBuf {
        digest_path(self.revisions_dir(name), digest).join("link")
    }

    pub fn tags_dir(&self, name: &RepoName) -> PathBuf {
        self.repository(name).join("_manifests").join("tags")
    }

    pub fn tag_dir(&self, name: &RepoName, tag: &Tag) -> PathBuf {
        self.tags_dir(name).join(tag.as_str())
    }

    pub fn tag_current_link(&self, name: &RepoName, tag: &Tag) -> PathBuf {
        self.tag_dir(name, tag).join("current").join("link")
    }

    pub fn tag_index_link(&self, name: &RepoName, tag: &Tag, digest: &Digest) -> PathBuf {
        digest_path(self.tag_dir(name, tag).join("index"), digest).join("link")
    }

    pub fn uploads_dir(&self, name: &RepoName) -> PathBuf {
        self.repository(name).join("_uploads")
    }

    pub fn upload_dir(&self, name: &RepoName, id: &Uuid) -> PathBuf {
        self.uploads_dir(name).join(id.to_string())
    }
}

fn digest_path(base: PathBuf, digest: &Digest) -> PathBuf {
    base.join(digest.algorithm().name()).join(digest.hex())
}

/// The data directory and the state shared by everything that writes to it.
#[derive(Clone)]
pub struct Storage {
    pub layout: Layout,
    pub uploads: UploadSessions,
}

impl Storage {
    pub fn open(data: &Path) -> std::io::Result<Storage> {
        let layout = Layout::new(data);
        std::fs::create_dir_all(layout.blobs_root())?;
        std::fs::create_dir_all(layout.repositories_root())?;
        Ok(Storage {
            uploads: UploadSessions::default(),
            layout,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_distribution_layout() {
        let layout = Layout::new(Path::new("/d"));
        let digest: Digest =
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                .parse()
                .unwrap();
        let name = RepoName::parse("team/app").unwrap();
        assert_eq!(
            layout.blob_data(&digest),
            Path::new(
                "/d/docker/registry/v2/blobs/sha256/e3/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/data"
            )
        );
        assert_eq!(
            layout.tag_current_link(&name, &Tag::parse("v1").unwrap()),
            Path::new(
                "/d/docker/registry/v2/repositories/team/app/_manifests/tags/v1/current/link"
            )
        );
    }

    #[test]
    fn names_that_could_escape_are_refused() {
        for bad in ["..", "a/../b", "A", "a//b", "a%2Fb", "/a", "a/", ""] {
            assert!(RepoName::parse(bad).is_none(), "{bad}");
        }
        assert!(RepoName::parse(&"a".repeat(256)).is_none());
        assert!(Tag::parse("..").is_none());
        assert!(Tag::parse("v1.0").is_some());
    }
}
