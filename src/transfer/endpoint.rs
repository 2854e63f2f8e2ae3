//! One side of a copy: a repository on a registry, or a name in an OCI layout on disk (which is
//! also what archives and the local store become while a copy runs).
//!
//! An [`Endpoint`] reads manifests and opens blob streams as a source, and checks, stores and
//! tags content as a destination. Destinations commit blobs only once verified and tags last;
//! the copy engine decides the order.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;

use super::error::{Error, Result};
use super::oci_layout::{BlobWriteError, OciLayout};
use crate::client::uploads::{
    BlobBytes, BlobOpener, BlobUpload, Progress, PushOutcome, SourceError,
};
use crate::client::{BlobStream, RegistryClient};
use crate::oci::{Descriptor, Digest, Manifest, Reference};

/// Where a copy reads from or writes to.
pub enum Endpoint {
    Registry {
        client: Arc<RegistryClient>,
        reference: Reference,
    },
    Layout {
        layout: OciLayout,
        /// The `ref.name` of the image; `None` for a source means the layout's only image.
        name: Option<String>,
        /// How the location is shown to the user.
        display: String,
    },
}

/// How a blob got to the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobOutcome {
    Exists,
    Mounted(String),
    Moved,
}

impl Endpoint {
    pub fn display(&self) -> String {
        match self {
            Endpoint::Registry { reference, .. } => reference.to_string(),
            Endpoint::Layout { display, .. } => display.clone(),
        }
    }

    /// The manifest or index the endpoint names.
    pub async fn root_manifest(&self) -> Result<Manifest> {
        match self {
            Endpoint::Registry { client, reference } => Ok(client
                .get_manifest(reference.repository(), &reference.tag_or_digest())
                .await?),
            Endpoint::Layout {
                layout,
                name,
                display,
            } => {
                let descriptor =
                    layout
                        .resolve(name.as_deref())?
                        .ok_or_else(|| Error::NotFound {
                            what: match name {
                                Some(name) => format!("image `{name}`"),
                                None => "a single unnamed image".to_string(),
                            },
                            place: display.clone(),
                        })?;
                layout.read_manifest(&descriptor)
            }
        }
    }

    /// A manifest referenced by digest from the root.
    pub async fn manifest(&self, descriptor: &Descriptor) -> Result<Manifest> {
        match self {
            Endpoint::Registry { client, reference } => Ok(client
                .get_manifest(reference.repository(), &descriptor.digest.to_string())
                .await?),
            Endpoint::Layout { layout, .. } => layout.read_manifest(descriptor),
        }
    }

    /// The manifests that refer to `digest`. Layouts keep none that rctl can find.
    pub async fn referrers(&self, digest: &Digest) -> Result<Vec<Descriptor>> {
        match self {
            Endpoint::Registry { client, reference } => {
                Ok(client.referrers(reference.repository(), digest).await?)
            }
            // A layout lists referrers as `index.json` entries whose manifest has a `subject`.
            Endpoint::Layout { layout, .. } => {
                let mut found = Vec::new();
                for entry in layout.entries()? {
                    if !crate::oci::media_type::is_image_manifest(&entry.media_type) {
                        continue;
                    }
                    let Ok(manifest) = layout.read_manifest(&entry) else {
                        continue;
                    };
                    if manifest.body().subject.as_ref().map(|s| &s.digest) == Some(digest) {
                        let mut referrer = manifest.descriptor();
                        referrer.artifact_type = artifact_type(&manifest);
                        referrer.annotations = manifest.body().annotations.clone();
                        found.push(referrer);
                    }
                }
                Ok(found)
            }
        }
    }

    /// Whether a destination registry serves the referrers API itself.
    pub async fn has_referrers_api(&self, digest: &Digest) -> Result<bool> {
        match self {
            Endpoint::Registry { client, reference } => Ok(client
                .has_referrers_api(reference.repository(), digest)
                .await?),
            // Layouts have no API: referrers are found through `index.json` entries.
            Endpoint::Layout { .. } => Ok(false),
        }
    }

    /// Make `referrer` findable from `subject` where there is no referrers API: the
    /// `sha256-<hex>` tag-schema index on a registry, an unnamed `index.json` entry in a layout.
    pub async fn add_referrer_to_tag(&self, subject: &Digest, referrer: &Descriptor) -> Result<()> {
        match self {
            Endpoint::Registry { client, reference } => Ok(client
                .add_referrer_to_tag(reference.repository(), subject, referrer)
                .await?),
            Endpoint::Layout { layout, .. } => {
                let lock = layout.lock()?;
                layout.set_ref(None, referrer, &lock)
            }
        }
    }

    /// Whether the destination already holds a manifest.
    pub async fn has_manifest(&self, digest: &Digest) -> Result<bool> {
        match self {
            Endpoint::Registry { client, reference } => Ok(client
                .manifest_exists(reference.repository(), &digest.to_string())
                .await?),
            Endpoint::Layout { layout, .. } => Ok(layout.has_blob(digest, None)),
        }
    }

    /// A re-openable reader of one blob.
    pub fn opener(&self, descriptor: &Descriptor) -> Box<dyn BlobOpener> {
        match self {
            Endpoint::Registry { client, reference } => Box::new(RegistryBlob {
                client: client.clone(),
                repository: reference.repository().to_string(),
                digest: descriptor.digest.clone(),
                size: descriptor.size,
            }),
            Endpoint::Layout { layout, .. } => Box::new(LayoutBlob {
                layout: layout.clone(),
                digest: descriptor.digest.clone(),
            }),
        }
    }

    /// The repository to mount from when `self` (a source) and `destination` share a registry.
    pub fn mount_source(&self, destination: &Endpoint) -> Option<String> {
        match (self, destination) {
            (
                Endpoint::Registry {
                    client: a,
                    reference: src,
                },
                Endpoint::Registry { client: b, .. },
            ) if a.registry() == b.registry() => Some(src.repository().to_string()),
            _ => None,
        }
    }

    /// Make sure the destination holds a blob, streaming it from `source` if needed.
    pub async fn put_blob(
        &self,
        descriptor: &Descriptor,
        source: &dyn BlobOpener,
        mount_from: Option<&str>,
        chunk_size: Option<u64>,
        on_bytes: &Progress,
    ) -> Result<BlobOutcome> {
        match self {
            Endpoint::Registry { client, reference } => {
                let outcome = client
                    .push_blob(
                        reference.repository(),
                        BlobUpload {
                            digest: &descriptor.digest,
                            size: descriptor.size,
                            mount_from,
                            chunk_size,
                        },
                        source,
                        on_bytes,
                    )
                    .await?;
                Ok(match outcome {
                    PushOutcome::Exists => BlobOutcome::Exists,
                    PushOutcome::Mounted => {
                        BlobOutcome::Mounted(mount_from.unwrap_or_default().to_string())
                    }
                    PushOutcome::Uploaded => BlobOutcome::Moved,
                })
            }
            Endpoint::Layout { layout, .. } => {
                if layout.has_blob(&descriptor.digest, Some(descriptor.size)) {
                    return Ok(BlobOutcome::Exists);
                }
                let bytes = source
                    .open()
                    .await
                    .map_err(|source| source_error(descriptor, source))?;
                let report = on_bytes.clone();
                match layout
                    .write_blob(&descriptor.digest, bytes, &move |n| report(n))
                    .await
                {
                    Ok(_) => Ok(BlobOutcome::Moved),
                    Err(BlobWriteError::Local(err)) => Err(err),
                    Err(BlobWriteError::Source(source)) => Err(source_error(descriptor, source)),
                }
            }
        }
    }

    /// Store a manifest; `tag` names it (a tag on a registry, a `ref.name` in a layout).
    pub async fn put_manifest(&self, manifest: &Manifest, tag: bool) -> Result<()> {
        match self {
            Endpoint::Registry { client, reference } => {
                let target = match (tag, reference.tag()) {
                    (true, Some(tag)) if reference.digest().is_none() => tag.to_string(),
                    _ => manifest.digest().to_string(),
                };
                client
                    .put_manifest(reference.repository(), &target, manifest)
                    .await?;
                Ok(())
            }
            Endpoint::Layout { layout, name, .. } => {
                layout.write_small(manifest.digest(), manifest.bytes())?;
                if tag {
                    let lock = layout.lock()?;
                    layout.set_ref(name.as_deref(), &manifest.descriptor(), &lock)?;
                }
                Ok(())
            }
        }
    }
}

fn source_error(descriptor: &Descriptor, source: SourceError) -> Error {
    Error::Upload(crate::client::uploads::UploadError::Source {
        digest: descriptor.digest.clone(),
        source,
    })
}

struct RegistryBlob {
    client: Arc<RegistryClient>,
    repository: String,
    digest: Digest,
    size: u64,
}

/// How many times one blob download resumes after a dropped connection.
const MAX_RESUMES: u32 = 3;

impl BlobOpener for RegistryBlob {
    fn open(&self) -> BoxFuture<'_, std::result::Result<BlobBytes, SourceError>> {
        Box::pin(async move {
            let stream = self
                .client
                .get_blob(&self.repository, &self.digest, Some(self.size))
                .await?;
            let state = Resuming {
                client: self.client.clone(),
                repository: self.repository.clone(),
                digest: self.digest.clone(),
                size: self.size,
                stream: Some(stream),
                resume_point: None,
                resumes: 0,
            };
            let bytes: BlobBytes = Box::pin(futures_util::stream::unfold(state, Resuming::next));
            Ok(bytes)
        })
    }
}

/// A blob download that picks up where it stopped (`Range: bytes=N-`) when the connection
/// drops, as long as the registry answers with 206.
struct Resuming {
    client: Arc<RegistryClient>,
    repository: String,
    digest: Digest,
    size: u64,
    stream: Option<BlobStream>,
    /// Bytes received so far and their hash.
    resume_point: Option<(u64, crate::oci::digest::Hasher)>,
    resumes: u32,
}

impl Resuming {
    async fn next(mut self) -> Option<(std::result::Result<bytes::Bytes, SourceError>, Resuming)> {
        loop {
            let stream = self.stream.as_mut()?;
            match stream.next().await {
                Some(Ok(chunk)) => {
                    self.resume_point = stream.resume_point();
                    return Some((Ok(chunk), self));
                }
                None => {
                    self.stream = None;
                    return None;
                }
                Some(Err(err)) => {
                    let transient = matches!(err, crate::client::Error::Request { .. });
                    let point = self.resume_point.take();
                    match point {
                        Some((offset, hasher))
                            if transient && self.resumes < MAX_RESUMES && offset < self.size =>
                        {
                            self.resumes += 1;
                            tracing::warn!(digest = %self.digest, offset, error = %err, "blob download dropped; resuming");
                            let resumed = resume(
                                self.client.clone(),
                                self.repository.clone(),
                                self.digest.clone(),
                                self.size,
                                offset,
                                hasher,
                            );
                            match resumed.await {
                                Ok(stream) => self.stream = Some(stream),
                                Err(resume_err) => {
                                    self.stream = None;
                                    return Some((Err(resume_err), self));
                                }
                            }
                        }
                        _ => {
                            self.stream = None;
                            return Some((Err(Box::new(err)), self));
                        }
                    }
                }
            }
        }
    }
}

/// Continue a download at `offset`; fails when the registry starts over instead.
async fn resume(
    client: Arc<RegistryClient>,
    repository: String,
    digest: Digest,
    size: u64,
    offset: u64,
    hasher: crate::oci::digest::Hasher,
) -> std::result::Result<BlobStream, SourceError> {
    let stream = client
        .get_blob_from(&repository, &digest, Some(size), offset, hasher)
        .await?;
    if stream.offset() != offset {
        return Err(format!(
            "the download of `{digest}` broke off and the registry cannot resume it (no Range support)"
        )
        .into());
    }
    Ok(stream)
}

struct LayoutBlob {
    layout: OciLayout,
    digest: Digest,
}

impl BlobOpener for LayoutBlob {
    fn open(&self) -> BoxFuture<'_, std::result::Result<BlobBytes, SourceError>> {
        Box::pin(async move {
            self.layout
                .read_blob(&self.digest)
                .await
                .map_err(|e| Box::new(e) as SourceError)
        })
    }
}

/// The `artifactType` of a referrer: its own, else its config's media type.
pub fn artifact_type(manifest: &Manifest) -> Option<String> {
    manifest.body().artifact_type.clone().or_else(|| {
        manifest
            .body()
            .config
            .as_ref()
            .map(|c| c.media_type.clone())
    })
}
