//! Blob uploads: existence check, cross-repository mount, monolithic and chunked uploads.
//!
//! [`RegistryClient::push_blob`] never moves a byte that is already there: a HEAD first, then,
//! when a source repository on the same registry is known, a mount (`POST …?mount=&from=` with a
//! token scoped for both repositories). Any answer but 201 falls back silently to an upload.
//!
//! Uploads stream: the body is a [`BlobBytes`] stream fed straight into the request, so no blob
//! is held in memory. The default is a POST for a session followed by one PUT carrying the whole
//! body with `?digest=`; above [`CHUNKED_THRESHOLD`], or when that PUT fails for a reason other
//! than the source, the blob goes in `PATCH` chunks with `Content-Range`, recovering from a 416
//! through the session's GET. A 401 in the middle of an upload gets a fresh token and the blob
//! starts over from a re-opened source. The registry checks the digest on the final PUT, so a
//! source that turns out to be corrupt commits nothing.

use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::future::BoxFuture;
use futures_util::{Stream, StreamExt};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RANGE};
use reqwest::{Method, StatusCode};
use url::Url;

use super::response::check;
use super::{Body, Error, RegistryClient, Request};
use crate::auth::{Scope, ScopeSet};
use crate::oci::Digest;

/// Blobs larger than this go in chunks: some proxies cap request bodies and long single
/// requests outlive short-lived tokens.
pub const CHUNKED_THRESHOLD: u64 = 1024 * 1024 * 1024;
/// The size of one `PATCH` in a chunked upload.
pub const CHUNK_SIZE: u64 = 64 * 1024 * 1024;

/// A failure while reading blob bytes from wherever they come from.
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

/// Blob bytes as a stream; an error ends the upload without committing anything.
pub type BlobBytes = Pin<Box<dyn Stream<Item = Result<Bytes, SourceError>> + Send>>;

/// Called with the number of bytes each time a piece of a blob is sent.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// Something that can hand out a blob's bytes, more than once if an upload must start over.
pub trait BlobOpener: Send + Sync {
    fn open(&self) -> BoxFuture<'_, Result<BlobBytes, SourceError>>;
}

/// How a blob reached the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// The registry already had it.
    Exists,
    /// Mounted from another repository of the same registry.
    Mounted,
    /// Uploaded.
    Uploaded,
}

/// Why a blob upload failed: the registry, or the bytes being sent.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Registry(#[from] Error),
    #[error("cannot read blob `{digest}` from its source")]
    Source {
        digest: Digest,
        #[source]
        source: SourceError,
    },
}

/// What a blob upload needs to know about the blob.
pub struct BlobUpload<'a> {
    pub digest: &'a Digest,
    pub size: u64,
    /// A repository of the same registry that holds the blob, to mount from.
    pub mount_from: Option<&'a str>,
    /// Upload blobs larger than this in chunks of this size (default: [`CHUNKED_THRESHOLD`]
    /// and [`CHUNK_SIZE`]), for proxies that cap request bodies.
    pub chunk_size: Option<u64>,
}

impl RegistryClient {
    /// Make sure `repository` has the blob: HEAD, then mount, then upload from `source`.
    /// `on_bytes` hears about bytes as they are sent.
    pub async fn push_blob(
        &self,
        repository: &str,
        blob: BlobUpload<'_>,
        source: &dyn BlobOpener,
        on_bytes: &Progress,
    ) -> Result<PushOutcome, UploadError> {
        if self.head_blob(repository, blob.digest).await?.is_some() {
            return Ok(PushOutcome::Exists);
        }

        let mut session = None;
        if let Some(from) = blob.mount_from.filter(|from| *from != repository) {
            match self.mount_blob(repository, blob.digest, from).await {
                Ok(Mount::Done) => return Ok(PushOutcome::Mounted),
                Ok(Mount::Session(location)) => session = Some(location),
                Err(err) => {
                    tracing::debug!(repository, from, error = %err, "mount failed; uploading")
                }
            }
        }

        let mut token_refreshed = false;
        let mut chunked = blob.size > blob.chunk_size.unwrap_or(CHUNKED_THRESHOLD);
        loop {
            tracing::debug!(repository, digest = %blob.digest, chunked, "uploading blob");
            let (location, result) = if chunked {
                let location = match session.take() {
                    Some(location) => location,
                    None => self.start_upload(repository).await?,
                };
                let result = self
                    .upload_chunked(repository, &location, &blob, source, on_bytes)
                    .await;
                (location, result)
            } else {
                // Open the source while the session starts: one round trip less per blob.
                let (location, bytes) = match session.take() {
                    Some(location) => (Ok(location), source.open().await),
                    None => tokio::join!(self.start_upload(repository), source.open()),
                };
                let location = location?;
                let result = match bytes {
                    Ok(bytes) => {
                        self.upload_monolithic(repository, &location, &blob, bytes, on_bytes)
                            .await
                    }
                    Err(source) => Err(UploadError::Source {
                        digest: blob.digest.clone(),
                        source,
                    }),
                };
                (location, result)
            };
            match result {
                Ok(()) => return Ok(PushOutcome::Uploaded),
                Err(UploadError::Registry(Error::Unauthorized { .. })) if !token_refreshed => {
                    tracing::debug!(repository, "token rejected mid-upload; refreshing it");
                    token_refreshed = true;
                    self.auth.clear_tokens().await;
                    self.cancel_upload(repository, &location).await;
                }
                Err(UploadError::Registry(err)) if !chunked && is_body_failure(&err) => {
                    tracing::debug!(repository, error = %err, "monolithic upload failed; retrying in chunks");
                    chunked = true;
                    self.cancel_upload(repository, &location).await;
                }
                Err(err) => {
                    self.cancel_upload(repository, &location).await;
                    return Err(err);
                }
            }
        }
    }

    /// `POST …/uploads/?mount=&from=`: 201 means done; a 202 session can carry the upload.
    async fn mount_blob(
        &self,
        repository: &str,
        digest: &Digest,
        from: &str,
    ) -> Result<Mount, Error> {
        let mut url = self.url(&format!("v2/{repository}/blobs/uploads/"));
        url.query_pairs_mut()
            .append_pair("mount", &digest.to_string())
            .append_pair("from", from);
        let scopes = ScopeSet::new([Scope::push(repository), Scope::pull(from)]);
        let request = Request::new(Method::POST, url, scopes).header(CONTENT_LENGTH, "0");
        let response = self.send(request).await?;
        match response.status() {
            StatusCode::CREATED => Ok(Mount::Done),
            StatusCode::ACCEPTED => match location(&response) {
                Some(location) => Ok(Mount::Session(location)),
                None => Err(self.no_location()),
            },
            status => Err(Error::Status {
                registry: self.registry.clone(),
                method: "mount".into(),
                path: response.url().path().to_string(),
                status: status.as_u16(),
                message: None,
            }),
        }
    }

    /// `POST …/uploads/`: a new upload session's location.
    async fn start_upload(&self, repository: &str) -> Result<Url, Error> {
        let url = self.url(&format!("v2/{repository}/blobs/uploads/"));
        let request = Request::new(Method::POST, url, ScopeSet::new([Scope::push(repository)]))
            .header(CONTENT_LENGTH, "0");
        let what = format!("starting an upload to `{repository}`");
        let response = check(self, self.send(request).await?, &what).await?;
        location(&response).ok_or_else(|| self.no_location())
    }

    /// One PUT with the whole blob streamed as its body.
    async fn upload_monolithic(
        &self,
        repository: &str,
        location: &Url,
        blob: &BlobUpload<'_>,
        bytes: BlobBytes,
        on_bytes: &Progress,
    ) -> Result<(), UploadError> {
        let (body, failure) = watched_body(bytes, on_bytes);
        let request = Request::new(
            Method::PUT,
            with_digest(location, blob.digest),
            ScopeSet::new([Scope::push(repository)]),
        )
        .header(CONTENT_TYPE, "application/octet-stream")
        .header(CONTENT_LENGTH, &blob.size.to_string())
        .body(Body::stream(body));
        let what = format!("uploading blob `{}`", blob.digest);
        let sent = self.send(request).await;
        source_failure(&failure, blob.digest)?;
        check(self, sent?, &what).await?;
        Ok(())
    }

    /// `PATCH` chunks (of [`CHUNK_SIZE`] unless the blob says otherwise) with `Content-Range`, then an empty PUT with the digest.
    async fn upload_chunked(
        &self,
        repository: &str,
        location: &Url,
        blob: &BlobUpload<'_>,
        source: &dyn BlobOpener,
        on_bytes: &Progress,
    ) -> Result<(), UploadError> {
        let open = || async {
            source.open().await.map_err(|source| UploadError::Source {
                digest: blob.digest.clone(),
                source,
            })
        };
        let shared = Arc::new(tokio::sync::Mutex::new(Chunker::new(open().await?)));
        let mut location = location.clone();
        let mut offset = 0u64;
        let mut recovered = false;
        while offset < blob.size {
            let length = blob
                .chunk_size
                .unwrap_or(CHUNK_SIZE)
                .max(1)
                .min(blob.size - offset);
            let (body, failure) = watched_body(chunk_stream(shared.clone(), length), on_bytes);
            let request = Request::new(
                Method::PATCH,
                location.clone(),
                ScopeSet::new([Scope::push(repository)]),
            )
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(CONTENT_LENGTH, &length.to_string())
            .header(
                reqwest::header::CONTENT_RANGE,
                &format!("{}-{}", offset, offset + length - 1),
            )
            .body(Body::stream(body));
            let sent = self.send(request).await;
            source_failure(&failure, blob.digest)?;
            let response = sent?;
            if response.status() == StatusCode::RANGE_NOT_SATISFIABLE && !recovered {
                // The registry holds a different amount than we think: ask it, and continue
                // from there with a fresh read of the source.
                recovered = true;
                let next = self.upload_progress(repository, &location).await?;
                let mut chunker = Chunker::new(open().await?);
                chunker
                    .skip(next)
                    .await
                    .map_err(|source| UploadError::Source {
                        digest: blob.digest.clone(),
                        source,
                    })?;
                *shared.lock().await = chunker;
                offset = next;
                continue;
            }
            let what = format!("uploading a chunk of blob `{}`", blob.digest);
            let response = check(self, response, &what).await?;
            if response.status() == StatusCode::CREATED {
                // ECR answers a PATCH with 201; the upload is complete.
                return Ok(());
            }
            if let Some(next) = self::location(&response) {
                location = next;
            }
            offset += length;
        }
        let request = Request::new(
            Method::PUT,
            with_digest(&location, blob.digest),
            ScopeSet::new([Scope::push(repository)]),
        )
        .header(CONTENT_LENGTH, "0");
        let what = format!("completing the upload of blob `{}`", blob.digest);
        check(self, self.send(request).await?, &what).await?;
        Ok(())
    }

    /// How many bytes an upload session holds, from its GET's `Range: 0-<end>`.
    async fn upload_progress(&self, repository: &str, location: &Url) -> Result<u64, Error> {
        let request = Request::new(
            Method::GET,
            location.clone(),
            ScopeSet::new([Scope::push(repository)]),
        );
        let response = check(self, self.send(request).await?, "upload status").await?;
        Ok(response
            .headers()
            .get(RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit('-').next())
            .and_then(|end| end.trim().parse::<u64>().ok())
            .map(|end| end + 1)
            .unwrap_or(0))
    }

    /// `DELETE` an upload session; failures do not matter.
    async fn cancel_upload(&self, repository: &str, location: &Url) {
        let request = Request::new(
            Method::DELETE,
            location.clone(),
            ScopeSet::new([Scope::push(repository)]),
        );
        if let Err(err) = self.send(request).await {
            tracing::debug!(repository, error = %err, "cancelling an upload failed");
        }
    }

    fn no_location(&self) -> Error {
        Error::InvalidResponse {
            registry: self.registry.clone(),
            what: "an upload answer has no `Location` header".into(),
        }
    }
}

enum Mount {
    Done,
    Session(Url),
}

/// The `Location` of a response, resolved against the URL the response came from.
fn location(response: &reqwest::Response) -> Option<Url> {
    let value = response.headers().get(LOCATION)?.to_str().ok()?;
    response.url().join(value).ok()
}

/// `location` with `digest=` appended, keeping the session's own query.
pub fn with_digest(location: &Url, digest: &Digest) -> Url {
    let mut url = location.clone();
    url.query_pairs_mut()
        .append_pair("digest", &digest.to_string());
    url
}

/// Whether a failed upload is worth retrying in chunks (the body or connection broke, or the
/// registry refused the size), as opposed to a refusal that chunks will not change.
fn is_body_failure(err: &Error) -> bool {
    match err {
        Error::Request { .. } | Error::Connect { .. } => true,
        Error::Status { status, .. } => matches!(status, 413 | 500..=599),
        _ => false,
    }
}

type FailureSlot = Arc<Mutex<Option<SourceError>>>;

/// The request body for `bytes`: errors from the source are kept aside (the HTTP layer only
/// sees that the body broke) and every chunk is reported to `on_bytes`.
fn watched_body(bytes: BlobBytes, on_bytes: &Progress) -> (reqwest::Body, FailureSlot) {
    let failure: FailureSlot = Arc::new(Mutex::new(None));
    let slot = failure.clone();
    let on_bytes = on_bytes.clone();
    let stream = bytes.map(move |item| match item {
        Ok(chunk) => {
            on_bytes(chunk.len() as u64);
            Ok(chunk)
        }
        Err(err) => {
            let text = err.to_string();
            if let Ok(mut slot) = slot.lock() {
                slot.get_or_insert(err);
            }
            Err(std::io::Error::other(text))
        }
    });
    (reqwest::Body::wrap_stream(stream), failure)
}

/// Turn a kept source error into the upload's error.
fn source_failure(failure: &FailureSlot, digest: &Digest) -> Result<(), UploadError> {
    let kept = failure.lock().ok().and_then(|mut slot| slot.take());
    match kept {
        Some(source) => Err(UploadError::Source {
            digest: digest.clone(),
            source,
        }),
        None => Ok(()),
    }
}

/// A source stream read in pieces of a given length, across several requests.
struct Chunker {
    bytes: BlobBytes,
    leftover: Bytes,
}

impl Chunker {
    fn new(bytes: BlobBytes) -> Chunker {
        Chunker {
            bytes,
            leftover: Bytes::new(),
        }
    }

    /// Up to `max` bytes, or `None` at the end of the source.
    async fn next(&mut self, max: u64) -> Option<Result<Bytes, SourceError>> {
        if self.leftover.is_empty() {
            match self.bytes.next().await? {
                Ok(chunk) => self.leftover = chunk,
                Err(err) => return Some(Err(err)),
            }
        }
        let take = (max as usize).min(self.leftover.len());
        Some(Ok(self.leftover.split_to(take)))
    }

    /// Discard the first `count` bytes.
    async fn skip(&mut self, mut count: u64) -> Result<(), SourceError> {
        while count > 0 {
            match self.next(count).await {
                Some(Ok(chunk)) => count -= chunk.len() as u64,
                Some(Err(err)) => return Err(err),
                None => return Err("the source ended before the upload's offset".into()),
            }
        }
        Ok(())
    }
}

/// The next `length` bytes of a shared [`Chunker`] as a stream.
fn chunk_stream(shared: Arc<tokio::sync::Mutex<Chunker>>, length: u64) -> BlobBytes {
    Box::pin(futures_util::stream::unfold(
        (shared, length),
        |(shared, remaining)| async move {
            if remaining == 0 {
                return None;
            }
            let next = shared.lock().await.next(remaining).await;
            match next {
                Some(Ok(chunk)) => {
                    let left = remaining - chunk.len() as u64;
                    Some((Ok(chunk), (shared, left)))
                }
                Some(Err(err)) => Some((Err(err), (shared, 0))),
                None => Some((
                    Err::<Bytes, SourceError>("the source ended early".into()),
                    (shared, 0),
                )),
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_appended_to_an_existing_query() {
        let digest = Digest::sha256_of(b"x");
        let location: Url = "http://r/v2/a/blobs/uploads/u?_state=abc".parse().unwrap();
        let url = with_digest(&location, &digest);
        assert_eq!(
            url.query(),
            Some(format!("_state=abc&digest=sha256%3A{}", digest.hex()).as_str())
        );
        let bare: Url = "http://r/v2/a/blobs/uploads/u".parse().unwrap();
        assert!(
            with_digest(&bare, &digest)
                .query()
                .unwrap()
                .starts_with("digest=")
        );
    }
}
