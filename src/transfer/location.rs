//! Where an image is: a registry reference, an OCI layout directory, an OCI archive or a
//! `docker save` archive, written the way skopeo names its transports.
//!
//! `oci:PATH[:TAG]`, `oci-archive:FILE[:TAG]` and `docker-archive:FILE[:REF]`; anything else is a
//! registry reference. The path ends at the first `:` after the transport, as in skopeo, so
//! paths with a colon cannot be named.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::oci::Reference;
use crate::oci::reference::ReferenceError;

/// An image location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Registry(Reference),
    /// An OCI image layout directory and the `org.opencontainers.image.ref.name` to use.
    OciLayout {
        path: PathBuf,
        tag: Option<String>,
    },
    /// An OCI image layout as a tar file.
    OciArchive {
        path: PathBuf,
        tag: Option<String>,
    },
    /// A `docker save` archive, and the image reference inside it.
    DockerArchive {
        path: PathBuf,
        reference: Option<Reference>,
    },
}

/// Why a string is not a location.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    #[error("location `{0}` names no path after the transport")]
    EmptyPath(String),
    #[error("tag `{tag}` in location `{input}` is not a valid tag")]
    Tag { input: String, tag: String },
    #[error(transparent)]
    Reference(#[from] ReferenceError),
}

impl LocationError {
    pub fn hint(&self) -> String {
        "locations look like `busybox`, `localhost:5000/app:v1`, `oci:DIR[:TAG]`, \
         `oci-archive:FILE[:TAG]` or `docker-archive:FILE[:REF]`"
            .to_string()
    }
}

impl FromStr for Location {
    type Err = LocationError;

    fn from_str(input: &str) -> Result<Location, LocationError> {
        let split = |rest: &str| -> Result<(PathBuf, Option<String>), LocationError> {
            let (path, suffix) = match rest.split_once(':') {
                Some((path, suffix)) => (path, Some(suffix.to_string())),
                None => (rest, None),
            };
            if path.is_empty() {
                return Err(LocationError::EmptyPath(input.to_string()));
            }
            Ok((PathBuf::from(path), suffix.filter(|s| !s.is_empty())))
        };
        let tag_ok = |tag: Option<String>| match tag {
            Some(tag) if !crate::oci::reference::valid_tag(&tag) => Err(LocationError::Tag {
                input: input.to_string(),
                tag,
            }),
            tag => Ok(tag),
        };
        if let Some(rest) = input.strip_prefix("oci:") {
            let (path, tag) = split(rest)?;
            return Ok(Location::OciLayout {
                path,
                tag: tag_ok(tag)?,
            });
        }
        if let Some(rest) = input.strip_prefix("oci-archive:") {
            let (path, tag) = split(rest)?;
            return Ok(Location::OciArchive {
                path,
                tag: tag_ok(tag)?,
            });
        }
        if let Some(rest) = input.strip_prefix("docker-archive:") {
            let (path, reference) = split(rest)?;
            let reference = reference.map(|r| r.parse()).transpose()?;
            return Ok(Location::DockerArchive { path, reference });
        }
        Ok(Location::Registry(input.parse()?))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let with =
            |f: &mut fmt::Formatter<'_>, kind: &str, path: &PathBuf, tail: Option<String>| {
                write!(f, "{kind}:{}", path.display())?;
                match tail {
                    Some(tail) => write!(f, ":{tail}"),
                    None => Ok(()),
                }
            };
        match self {
            Location::Registry(reference) => write!(f, "{reference}"),
            Location::OciLayout { path, tag } => with(f, "oci", path, tag.clone()),
            Location::OciArchive { path, tag } => with(f, "oci-archive", path, tag.clone()),
            Location::DockerArchive { path, reference } => with(
                f,
                "docker-archive",
                path,
                reference.as_ref().map(|r| r.to_string()),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transports_parse_like_skopeo() {
        assert_eq!(
            "oci:/tmp/x:v1".parse::<Location>().unwrap(),
            Location::OciLayout {
                path: "/tmp/x".into(),
                tag: Some("v1".into())
            }
        );
        assert_eq!(
            "oci-archive:a.tar".parse::<Location>().unwrap(),
            Location::OciArchive {
                path: "a.tar".into(),
                tag: None
            }
        );
        let docker: Location = "docker-archive:a.tar:localhost:5000/app:v2"
            .parse()
            .unwrap();
        let Location::DockerArchive { path, reference } = docker else {
            panic!("not a docker archive")
        };
        assert_eq!(path, PathBuf::from("a.tar"));
        assert_eq!(reference.unwrap().to_string(), "localhost:5000/app:v2");
        assert!(matches!(
            "busybox".parse::<Location>().unwrap(),
            Location::Registry(r) if r.to_string() == "docker.io/library/busybox:latest"
        ));
        assert!("oci:".parse::<Location>().is_err());
        assert!("oci:/x:-bad".parse::<Location>().is_err());
    }
}
