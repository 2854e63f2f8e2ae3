//! Blob GET and HEAD (with single `Range` requests answered 206) and blob DELETE.
//!
//! Content is streamed from the file in large reads; nothing is buffered whole.

use axum::body::Body;
use http::{Response, StatusCode, header};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use super::{HandlerResult, RequestContext, on_disk};
use crate::oci::Digest;
use crate::server::errors::{Code, RegistryError};
use crate::server::storage::RepoName;

/// Bytes read from disk per chunk sent.
const READ_CHUNK: usize = 256 * 1024;

pub async fn get(ctx: RequestContext<'_>, name: RepoName, digest: Digest) -> HandlerResult {
    let storage = ctx.app.storage.clone();
    let (n, d) = (name.clone(), digest.clone());
    let Some((path, size)) =
        on_disk("looking up a blob", move || storage.repository_blob(&n, &d)).await?
    else {
        return Err(
            RegistryError::new(Code::BlobUnknown, "blob unknown to registry")
                .with_detail(serde_json::json!({ "digest": digest.to_string() })),
        );
    };

    let range = match ctx.header("range") {
        Some(value) => Some(parse_range(value, size).ok_or_else(|| {
            RegistryError::new(
                Code::RangeInvalid,
                format!("range `{value}` is not satisfiable"),
            )
        })?),
        None => None,
    };
    let (start, end) = range.unwrap_or((0, size.saturating_sub(1)));
    let length = if size == 0 { 0 } else { end - start + 1 };

    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::CONTENT_LENGTH, length)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::ETAG, format!("\"{digest}\""))
        .header(header::CACHE_CONTROL, "max-age=31536000")
        .header("Docker-Content-Digest", digest.to_string());
    response = match range {
        Some(_) => response
            .status(StatusCode::PARTIAL_CONTENT)
            .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}")),
        None => response.status(StatusCode::OK),
    };
    if ctx.method == http::Method::HEAD || length == 0 {
        return Ok(response.body(Body::empty()).unwrap_or_default());
    }

    let mut file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| RegistryError::storage("opening a blob", &e))?;
    if start > 0 {
        file.seek(std::io::SeekFrom::Start(start))
            .await
            .map_err(|e| RegistryError::storage("seeking in a blob", &e))?;
    }
    let stream = ReaderStream::with_capacity(file.take(length), READ_CHUNK);
    crate::server::metrics::BYTES_SENT.fetch_add(length, std::sync::atomic::Ordering::Relaxed);
    Ok(response.body(Body::from_stream(stream)).unwrap_or_default())
}

pub async fn delete(ctx: RequestContext<'_>, name: RepoName, digest: Digest) -> HandlerResult {
    ctx.writable()?;
    if !ctx.app.delete_enabled {
        return Err(RegistryError::unsupported(
            "deletes are disabled (--no-delete)",
        ));
    }
    let storage = ctx.app.storage.clone();
    let d = digest.clone();
    let removed = on_disk("deleting a blob", move || storage.unlink_layer(&name, &d)).await?;
    if !removed {
        return Err(
            RegistryError::new(Code::BlobUnknown, "blob unknown to registry")
                .with_detail(serde_json::json!({ "digest": digest.to_string() })),
        );
    }
    Ok(Response::builder()
        .status(StatusCode::ACCEPTED)
        .header(header::CONTENT_LENGTH, 0)
        .header("Docker-Content-Digest", digest.to_string())
        .body(Body::empty())
        .unwrap_or_default())
}

/// One `bytes=` range (`a-b`, `a-`, `-suffix`) as inclusive offsets within `size`; `None` when
/// it is malformed, multi-part or outside the content.
fn parse_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') || size == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (start, end) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let suffix: u64 = suffix.parse().ok()?;
            if suffix == 0 {
                return None;
            }
            (size.saturating_sub(suffix), size - 1)
        }
        (start, "") => (start.parse().ok()?, size - 1),
        (start, end) => (start.parse().ok()?, end.parse::<u64>().ok()?.min(size - 1)),
    };
    (start <= end && start < size).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges_parse_like_rfc_9110() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=50-500", 100), Some((50, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-1", 100), None);
        assert_eq!(parse_range("bytes=0-1,3-4", 100), None);
        assert_eq!(parse_range("items=0-1", 100), None);
    }
}
