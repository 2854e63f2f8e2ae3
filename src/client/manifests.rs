//! Manifest operations: GET with the full `Accept` list, HEAD for digests, PUT and DELETE.
//!
//! A manifest is kept as the exact bytes received and checked against the digest it was asked
//! for. Reads are capped at 8 MiB, as other clients cap them, so a hostile registry cannot make
//! rctl buffer without limit.

use futures_util::StreamExt;
use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};

use super::response::{check, check_in};
use super::{Body, Error, RegistryClient, Request};
use crate::auth::{Scope, ScopeSet};
use crate::oci::digest::Hasher;
use crate::oci::{Digest, Manifest, media_type};

/// The largest manifest rctl reads.
pub const MAX_MANIFEST_BYTES: usize = 8 * 1024 * 1024;

/// What a HEAD request tells about a manifest.
#[derive(Debug, Clone)]
pub struct ManifestHead {
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
}

impl RegistryClient {
    fn manifest_url(&self, repository: &str, reference: &str) -> url::Url {
        self.url(&format!("v2/{repository}/manifests/{reference}"))
    }

    /// Fetch a manifest or index by tag or digest, verified against the digest when one is given.
    pub async fn get_manifest(&self, repository: &str, reference: &str) -> Result<Manifest, Error> {
        let request = || {
            Request::new(
                Method::GET,
                self.manifest_url(repository, reference),
                ScopeSet::new([Scope::pull(repository)]),
            )
            .header(ACCEPT, media_type::MANIFEST_ACCEPT)
        };
        let what = manifest_name(repository, reference);
        let (headers, bytes) =
            fetch_whole(self, request, &what, repository, MAX_MANIFEST_BYTES).await?;
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let header_digest = header_digest(&headers);
        let manifest = Manifest::from_bytes(bytes, content_type.as_deref()).map_err(|e| {
            Error::InvalidResponse {
                registry: self.registry.clone(),
                what: format!("{what}: {e}"),
            }
        })?;

        if let Ok(expected) = reference.parse::<Digest>() {
            // Signed schema 1 digests cover the payload without signatures; trust the header there.
            let actual = if manifest.is_schema1() {
                header_digest.unwrap_or_else(|| manifest.digest().clone())
            } else {
                let mut hasher = Hasher::new(expected.algorithm());
                hasher.update(manifest.bytes());
                hasher.finish()
            };
            if actual != expected {
                return Err(Error::DigestMismatch {
                    registry: self.registry.clone(),
                    expected,
                    actual,
                });
            }
        }
        Ok(manifest)
    }

    /// HEAD a manifest: its digest, type and size without downloading it (and without counting
    /// against Docker Hub's pull limit). Falls back to GET when the registry omits the digest.
    pub async fn head_manifest(
        &self,
        repository: &str,
        reference: &str,
    ) -> Result<ManifestHead, Error> {
        let request = Request::new(
            Method::HEAD,
            self.manifest_url(repository, reference),
            ScopeSet::new([Scope::pull(repository)]),
        )
        .header(ACCEPT, media_type::MANIFEST_ACCEPT);
        let what = manifest_name(repository, reference);
        let response = check_in(self, self.send(request).await?, &what, repository).await?;
        let headers = response.headers();
        let media_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| media_type::essence(v).to_string());
        let size = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        match (header_digest(response.headers()), media_type, size) {
            (Some(digest), Some(media_type), Some(size)) => Ok(ManifestHead {
                digest,
                media_type,
                size,
            }),
            _ => {
                tracing::debug!(
                    repository,
                    reference,
                    "HEAD lacked digest, type or length; using GET"
                );
                let manifest = self.get_manifest(repository, reference).await?;
                Ok(ManifestHead {
                    digest: manifest.digest().clone(),
                    media_type: manifest.media_type().to_string(),
                    size: manifest.bytes().len() as u64,
                })
            }
        }
    }

    /// Whether a manifest exists, by HEAD.
    pub async fn manifest_exists(&self, repository: &str, reference: &str) -> Result<bool, Error> {
        let request = Request::new(
            Method::HEAD,
            self.manifest_url(repository, reference),
            ScopeSet::new([Scope::pull(repository)]),
        )
        .header(ACCEPT, media_type::MANIFEST_ACCEPT);
        let response = self.send(request).await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(false);
        }
        check_in(self, response, "manifest", repository)
            .await
            .map(|_| true)
    }

    /// PUT a manifest's exact bytes under a tag or its digest; returns the registry's digest.
    pub async fn put_manifest(
        &self,
        repository: &str,
        reference: &str,
        manifest: &Manifest,
    ) -> Result<Digest, Error> {
        let request = Request::new(
            Method::PUT,
            self.manifest_url(repository, reference),
            ScopeSet::new([Scope::push(repository)]),
        )
        .header(CONTENT_TYPE, manifest.media_type())
        .body(Body::Bytes(manifest.bytes().clone()));
        let what = manifest_name(repository, reference);
        let response = check(self, self.send(request).await?, &what).await?;
        let digest = header_digest(response.headers()).unwrap_or_else(|| manifest.digest().clone());
        if digest.algorithm() == manifest.digest().algorithm() && digest != *manifest.digest() {
            return Err(Error::DigestMismatch {
                registry: self.registry.clone(),
                expected: manifest.digest().clone(),
                actual: digest,
            });
        }
        Ok(digest)
    }

    /// DELETE a manifest by digest, or a tag where the registry allows it.
    pub async fn delete_manifest(&self, repository: &str, reference: &str) -> Result<(), Error> {
        let request = Request::new(
            Method::DELETE,
            self.manifest_url(repository, reference),
            ScopeSet::new([Scope::delete(repository)]),
        );
        let what = format!("deleting `{repository}:{reference}`");
        check_in(self, self.send(request).await?, &what, repository)
            .await
            .map(|_| ())
    }
}

fn header_digest(headers: &reqwest::header::HeaderMap) -> Option<Digest> {
    headers
        .get("docker-content-digest")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Send a GET built by `request` and read its body whole (at most `limit` bytes). A connection
/// that drops mid-body is a transient failure like any other: the request is sent again, with
/// the same backoff [`RegistryClient::send`] uses before the response starts.
pub(super) async fn fetch_whole(
    client: &RegistryClient,
    request: impl Fn() -> Request,
    what: &str,
    repository: &str,
    limit: usize,
) -> Result<(reqwest::header::HeaderMap, bytes::Bytes), Error> {
    let mut attempt = 1;
    loop {
        let response = check_in(client, client.send(request()).await?, what, repository).await?;
        let headers = response.headers().clone();
        match read_limited(client, response, limit).await {
            Ok(bytes) => return Ok((headers, bytes)),
            Err(err @ Error::Request { .. }) if attempt < super::retry::MAX_ATTEMPTS => {
                let wait = super::retry::backoff(attempt);
                tracing::warn!(registry = %client.registry, error = %err, attempt, wait_ms = wait.as_millis() as u64, "response cut short, retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

/// Read a response body, refusing more than `limit` bytes.
pub(super) async fn read_limited(
    client: &RegistryClient,
    response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, Error> {
    let mut stream = response.bytes_stream();
    let mut buffer = bytes::BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|source| Error::Request {
            registry: client.registry.clone(),
            source,
        })?;
        if buffer.len() + chunk.len() > limit {
            return Err(Error::InvalidResponse {
                registry: client.registry.clone(),
                what: format!("response is larger than {limit} bytes"),
            });
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(buffer.freeze())
}

/// How messages name a manifest: `repo:tag`, or `repo@sha256:…` for a digest.
fn manifest_name(repository: &str, reference: &str) -> String {
    let separator = if reference.contains(':') { '@' } else { ':' };
    format!("manifest `{repository}{separator}{reference}`")
}

#[cfg(test)]
mod tests {
    use super::manifest_name;

    #[test]
    fn messages_name_a_digest_with_an_at_sign_and_a_tag_with_a_colon() {
        assert_eq!(manifest_name("team/app", "v1"), "manifest `team/app:v1`");
        assert_eq!(
            manifest_name("team/app", "sha256:abc"),
            "manifest `team/app@sha256:abc`"
        );
    }
}
