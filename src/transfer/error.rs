//! Errors of the transfer layer, each with the hint a user needs.

use std::path::PathBuf;

use crate::client::uploads::UploadError;
use crate::oci::Digest;

/// A failed copy, pull, push or local store operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Registry(#[from] crate::client::Error),
    #[error(transparent)]
    Upload(#[from] UploadError),
    #[error("cannot {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not a valid {kind}: {what}", path.display())]
    Invalid {
        kind: &'static str,
        path: PathBuf,
        what: String,
    },
    #[error("{what} not found in {place}")]
    NotFound { what: String, place: String },
    #[error("content of `{digest}` does not match its digest (got {actual})")]
    DigestMismatch { digest: Digest, actual: Digest },
    #[error("`{0}` is a Docker schema 1 image, which rctl does not copy")]
    Schema1(String),
    #[error("no manifest for platform `{platform}` in `{image}`")]
    NoPlatform {
        platform: String,
        image: String,
        available: Vec<String>,
    },
    #[error("{0} cannot hold an image index: it keeps one image per name")]
    IndexUnsupported(String),
    #[error("manifest of `{0}` is not valid")]
    Manifest(String, #[source] crate::oci::manifest::ManifestError),
    #[error("`{image}` nests indexes more than {limit} deep (index `{digest}`)")]
    NestedTooDeep {
        image: String,
        digest: Digest,
        limit: usize,
    },
    #[error("`{0}` is in use by another rctl process")]
    Locked(PathBuf),
}

impl Error {
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    /// What the user can do next.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Registry(err) => return err.hint(),
            Error::Upload(UploadError::Registry(err)) => return err.hint(),
            Error::Upload(UploadError::Source { .. }) => {
                "the source changed or broke during the copy; nothing was committed at the destination, run the command again".into()
            }
            Error::Io { source, path, .. } if source.raw_os_error() == Some(28) => {
                let dir = path.parent().unwrap_or(path);
                format!(
                    "the disk that holds `{}` is full: free space and run the command again; nothing half-written was kept",
                    dir.display()
                )
            }
            Error::NotFound { .. } => {
                "list local images with `rctl images`, or the tags of a repository with `rctl tags REPO`".into()
            }
            Error::DigestMismatch { .. } => {
                "the source holds corrupt content; nothing was stored at the destination".into()
            }
            Error::Schema1(_) => {
                "schema 1 is deprecated and removed from docker: rebuild and push the image with a current tool".into()
            }
            Error::NoPlatform { available, .. } => {
                format!("available platforms: {}", available.join(", "))
            }
            Error::IndexUnsupported(_) => {
                "pick one platform with `--platform os/arch`".into()
            }
            Error::NestedTooDeep { digest, .. } => {
                format!("copy the inner index on its own: `rctl copy SRC@{digest} DST`")
            }
            _ => return None,
        })
    }
}

/// A short name for the result type of this layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;
