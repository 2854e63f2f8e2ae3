//! Manifests, indexes and descriptors as the image and distribution specs define them.
//!
//! A [`Manifest`] keeps the exact bytes it was read from: digests are computed over those bytes
//! and copies push them unchanged, so a parsed view never stands in for the original. The parsed
//! view is lenient (unknown fields are ignored, missing optional fields default) because real
//! registries hold manifests written by many tools.

use serde::{Deserialize, Serialize};

use super::digest::Digest;
use super::media_type;

/// A reference to content by digest, size and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub media_type: String,
    pub digest: Digest,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<serde_json::Map<String, serde_json::Value>>,
    /// Foreign layers (Windows base images) name URLs that are never fetched with credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
}

/// An operating system and architecture, as in an index entry or `--platform os/arch/variant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    #[serde(
        default,
        rename = "os.version",
        skip_serializing_if = "Option::is_none"
    )]
    pub os_version: Option<String>,
}

/// Why a `--platform` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid platform `{0}`: expected `os/arch` or `os/arch/variant`, such as `linux/arm64`")]
pub struct PlatformError(pub String);

impl Platform {
    /// The platform rctl runs on, in Go's naming (`linux/amd64`, `linux/arm64/v8`).
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "arm" => "arm",
            "powerpc64" => "ppc64le",
            "s390x" => "s390x",
            "riscv64" => "riscv64",
            other => other,
        };
        let os = match std::env::consts::OS {
            "macos" => "darwin",
            other => other,
        };
        // Images for macOS and Windows hosts are almost always Linux images run in a VM.
        let os = if os == "darwin" || os == "windows" {
            "linux"
        } else {
            os
        };
        Platform {
            os: os.to_string(),
            architecture: architecture.to_string(),
            variant: None,
            os_version: None,
        }
    }

    /// Whether an index entry with platform `self` satisfies the request `wanted`. A request
    /// without a variant matches any variant; `arm64` treats a missing variant as `v8`.
    pub fn satisfies(&self, wanted: &Platform) -> bool {
        if self.os != wanted.os || self.architecture != wanted.architecture {
            return false;
        }
        match (&wanted.variant, &self.variant) {
            (None, _) => true,
            (Some(w), Some(v)) => w == v,
            (Some(w), None) => self.architecture == "arm64" && w == "v8",
        }
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

impl std::str::FromStr for Platform {
    type Err = PlatformError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('/').collect();
        let valid = |p: &&str| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
        };
        if !(2..=3).contains(&parts.len()) || !parts.iter().all(valid) {
            return Err(PlatformError(text.to_string()));
        }
        Ok(Platform {
            os: parts[0].to_string(),
            architecture: parts[1].to_string(),
            variant: parts.get(2).map(|v| v.to_string()),
            os_version: None,
        })
    }
}

/// The fields rctl reads from any manifest or index. Fields of the other kind stay empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestBody {
    #[serde(default)]
    pub schema_version: Option<u32>,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub artifact_type: Option<String>,
    /// Child manifests of an index.
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    /// The config blob of an image manifest.
    #[serde(default)]
    pub config: Option<Descriptor>,
    /// The layers of an image manifest.
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    #[serde(default)]
    pub subject: Option<Descriptor>,
    #[serde(default)]
    pub annotations: Option<serde_json::Map<String, serde_json::Value>>,
    /// Schema 1 layers, listed only so that a schema 1 manifest is recognised.
    #[serde(default, rename = "fsLayers")]
    pub fs_layers: Option<serde_json::Value>,
}

/// A manifest or index: the exact bytes, their media type and digest, and a parsed view.
#[derive(Debug, Clone)]
pub struct Manifest {
    bytes: bytes::Bytes,
    media_type: String,
    digest: Digest,
    body: ManifestBody,
}

/// Why bytes are not a usable manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("manifest is not valid JSON")]
    Json(#[source] serde_json::Error),
    #[error("manifest has no media type in its body or its Content-Type")]
    NoMediaType,
}

impl Manifest {
    /// Parse `bytes`; `content_type` is the registry's `Content-Type`, used when the body does
    /// not carry `mediaType` (older Docker and schema 1 manifests).
    pub fn from_bytes(
        bytes: bytes::Bytes,
        content_type: Option<&str>,
    ) -> Result<Manifest, ManifestError> {
        let body: ManifestBody = serde_json::from_slice(&bytes).map_err(ManifestError::Json)?;
        let media_type = match (&body.media_type, content_type.map(media_type::essence)) {
            (Some(inner), _) => inner.clone(),
            (None, Some(header)) if !header.is_empty() && header != "application/json" => {
                header.to_string()
            }
            (None, _) if body.fs_layers.is_some() => media_type::DOCKER_SCHEMA1_SIGNED.to_string(),
            (None, _) if !body.manifests.is_empty() => media_type::OCI_INDEX.to_string(),
            (None, _) if body.config.is_some() => media_type::OCI_MANIFEST.to_string(),
            (None, _) => return Err(ManifestError::NoMediaType),
        };
        let digest = Digest::sha256_of(&bytes);
        Ok(Manifest {
            bytes,
            media_type,
            digest,
            body,
        })
    }

    pub fn bytes(&self) -> &bytes::Bytes {
        &self.bytes
    }

    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// The sha256 digest of the exact bytes.
    pub fn digest(&self) -> &Digest {
        &self.digest
    }

    pub fn body(&self) -> &ManifestBody {
        &self.body
    }

    pub fn is_index(&self) -> bool {
        media_type::is_index(&self.media_type)
    }

    pub fn is_schema1(&self) -> bool {
        media_type::is_schema1(&self.media_type)
    }

    /// A descriptor that points at this manifest.
    pub fn descriptor(&self) -> Descriptor {
        Descriptor {
            media_type: self.media_type.clone(),
            digest: self.digest.clone(),
            size: self.bytes.len() as u64,
            platform: None,
            artifact_type: None,
            annotations: None,
            urls: None,
        }
    }

    /// The index entries that run on `platform`, best match first.
    pub fn children_for(&self, platform: &Platform) -> Vec<&Descriptor> {
        self.body
            .manifests
            .iter()
            .filter(|d| d.platform.as_ref().is_some_and(|p| p.satisfies(platform)))
            .collect()
    }

    /// The blobs this manifest references directly: config then layers (empty for an index).
    pub fn blobs(&self) -> Vec<&Descriptor> {
        self.body
            .config
            .iter()
            .chain(self.body.layers.iter())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_parses_and_matches() {
        let arm: Platform = "linux/arm64".parse().unwrap();
        let entry = Platform {
            variant: Some("v8".into()),
            ..arm.clone()
        };
        assert!(entry.satisfies(&arm));
        assert!(arm.satisfies(&"linux/arm64/v8".parse().unwrap()));
        assert!(!arm.satisfies(&"linux/amd64".parse().unwrap()));
        assert!("linux".parse::<Platform>().is_err());
        assert!("linux//x".parse::<Platform>().is_err());
    }

    #[test]
    fn manifest_media_type_comes_from_body_then_header() {
        let body = br#"{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},"layers":[]}"#;
        let m = Manifest::from_bytes(
            bytes::Bytes::from_static(body),
            Some("application/vnd.docker.distribution.manifest.v2+json; charset=utf-8"),
        )
        .unwrap();
        assert_eq!(m.media_type(), media_type::DOCKER_MANIFEST);
        assert_eq!(m.digest(), &Digest::sha256_of(body));
        assert_eq!(m.blobs().len(), 1);
        assert!(Manifest::from_bytes(bytes::Bytes::from_static(b"{"), None).is_err());
    }
}
