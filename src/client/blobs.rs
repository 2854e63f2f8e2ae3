//! Blob reads: existence checks and verified streaming downloads.
//!
//! A [`BlobStream`] hashes bytes as they arrive and turns the end of the stream into an error
//! when the digest or the length does not match, so a consumer that only commits after the
//! stream ends cleanly can never commit corrupt content. Nothing here holds a whole blob in
//! memory except [`RegistryClient::get_blob_bytes`], which is capped and meant for configs.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, RANGE};

use super::manifests::fetch_whole;
use super::response::check_in;
use super::{Error, RegistryClient, Request};
use crate::auth::{Scope, ScopeSet};
use crate::oci::Digest;
use crate::oci::digest::Hasher;

/// The largest blob [`RegistryClient::get_blob_bytes`] reads into memory.
pub const MAX_INLINE_BLOB: usize = 16 * 1024 * 1024;

impl RegistryClient {
    fn blob_url(&self, repository: &str, digest: &Digest) -> url::Url {
        self.url(&format!("v2/{repository}/blobs/{digest}"))
    }

    /// The size of a blob if the registry has it in `repository`.
    pub async fn head_blob(&self, repository: &str, digest: &Digest) -> Result<Option<u64>, Error> {
        let request = Request::new(
            Method::HEAD,
            self.blob_url(repository, digest),
            ScopeSet::new([Scope::pull(repository)]),
        );
        let response = self.send(request).await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let response = check_in(self, response, &format!("blob `{digest}`"), repository).await?;
        Ok(response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .or(Some(0)))
    }

    /// Stream a blob, verified against `digest` (and `size` when known) as it arrives.
    pub async fn get_blob(
        &self,
        repository: &str,
        digest: &Digest,
        size: Option<u64>,
    ) -> Result<BlobStream, Error> {
        let request = Request::new(
            Method::GET,
            self.blob_url(repository, digest),
            ScopeSet::new([Scope::pull(repository)]),
        );
        let response = check_in(
            self,
            self.send(request).await?,
            &format!("blob `{digest}`"),
            repository,
        )
        .await?;
        Ok(BlobStream::new(
            self.registry.clone(),
            digest.clone(),
            size,
            response,
            None,
        ))
    }

    /// Resume a blob download from `offset`. `hasher` must hold the hash of the first `offset`
    /// bytes. When the registry ignores `Range` (200 instead of 206), the stream starts over from
    /// zero and [`BlobStream::offset`] says so.
    pub async fn get_blob_from(
        &self,
        repository: &str,
        digest: &Digest,
        size: Option<u64>,
        offset: u64,
        hasher: Hasher,
    ) -> Result<BlobStream, Error> {
        let request = Request::new(
            Method::GET,
            self.blob_url(repository, digest),
            ScopeSet::new([Scope::pull(repository)]),
        )
        .header(RANGE, &format!("bytes={offset}-"));
        let response = check_in(
            self,
            self.send(request).await?,
            &format!("blob `{digest}`"),
            repository,
        )
        .await?;
        let resumed = response.status() == reqwest::StatusCode::PARTIAL_CONTENT;
        Ok(BlobStream::new(
            self.registry.clone(),
            digest.clone(),
            size,
            response,
            resumed.then_some((offset, hasher)),
        ))
    }

    /// A small blob (an image config) read whole and verified.
    pub async fn get_blob_bytes(&self, repository: &str, digest: &Digest) -> Result<Bytes, Error> {
        let request = || {
            Request::new(
                Method::GET,
                self.blob_url(repository, digest),
                ScopeSet::new([Scope::pull(repository)]),
            )
        };
        let what = format!("blob `{digest}`");
        let (_, bytes) = fetch_whole(self, request, &what, repository, MAX_INLINE_BLOB).await?;
        let mut hasher = digest.hasher();
        hasher.update(&bytes);
        let actual = hasher.finish();
        if actual != *digest {
            return Err(Error::DigestMismatch {
                registry: self.registry.clone(),
                expected: digest.clone(),
                actual,
            });
        }
        Ok(bytes)
    }
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// A blob download that verifies its digest and length as it streams.
pub struct BlobStream {
    registry: String,
    expected: Digest,
    size: Option<u64>,
    /// Where this stream starts within the blob (non-zero after a resumed download).
    offset: u64,
    received: u64,
    hasher: Option<Hasher>,
    inner: ByteStream,
}

impl BlobStream {
    fn new(
        registry: String,
        expected: Digest,
        size: Option<u64>,
        response: reqwest::Response,
        resumed: Option<(u64, Hasher)>,
    ) -> BlobStream {
        let (offset, hasher) = resumed.unwrap_or_else(|| (0, expected.hasher()));
        BlobStream {
            registry,
            size,
            offset,
            received: offset,
            hasher: Some(hasher),
            expected,
            inner: Box::pin(response.bytes_stream()),
        }
    }

    /// The byte offset within the blob at which this stream's first chunk belongs.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// How far into the blob the bytes received so far reach, and their hash: what
    /// [`RegistryClient::get_blob_from`] needs to resume. `None` after an error.
    pub fn resume_point(&self) -> Option<(u64, Hasher)> {
        self.hasher.clone().map(|hasher| (self.received, hasher))
    }
}

impl Stream for BlobStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.inner.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                if let Some(hasher) = this.hasher.as_mut() {
                    hasher.update(&chunk);
                }
                if this.size.is_some_and(|size| this.received > size) {
                    this.hasher = None;
                    return Poll::Ready(Some(Err(Error::InvalidResponse {
                        registry: this.registry.clone(),
                        what: format!("blob `{}` is longer than its declared size", this.expected),
                    })));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(source))) => {
                this.hasher = None;
                Poll::Ready(Some(Err(Error::Request {
                    registry: this.registry.clone(),
                    source,
                })))
            }
            Poll::Ready(None) => {
                let Some(hasher) = this.hasher.take() else {
                    return Poll::Ready(None);
                };
                let actual = hasher.finish();
                if actual != this.expected {
                    return Poll::Ready(Some(Err(Error::DigestMismatch {
                        registry: this.registry.clone(),
                        expected: this.expected.clone(),
                        actual,
                    })));
                }
                Poll::Ready(None)
            }
        }
    }
}
