//! Blob uploads: open a session (POST), mount from another repository (POST `?mount=&from=`),
//! upload in one request (POST `?digest=`), stream or send chunks (PATCH, with or without
//! `Content-Range`), check progress (GET), close (PUT `?digest=`, optionally carrying the last
//! chunk) and cancel (DELETE).
//!
//! A chunk whose `Content-Range` does not start at the session's current length gets 416; the
//! client then asks for the session's `Range` and resumes. A mount of a blob the `from`
//! repository does not have opens a normal session (202), which is what clients expect.

use axum::body::Body;
use http::{Response, StatusCode, header};
use http_body_util::BodyExt;
use uuid::Uuid;

use super::{
    HandlerResult, RequestContext, digest_param, on_disk, repo, upload_range, with_received,
};
use crate::oci::Digest;
use crate::server::errors::{Code, RegistryError};
use crate::server::metrics::BYTES_RECEIVED;
use crate::server::storage::uploads::SessionGuard;
use crate::server::storage::{RepoName, Storage};

/// A session id from the URL; anything not a UUID cannot name a session.
pub fn session_id(raw: &str) -> Result<Uuid, RegistryError> {
    raw.parse()
        .map_err(|_| RegistryError::new(Code::BlobUploadUnknown, "blob upload unknown to registry"))
}

pub async fn start(ctx: RequestContext<'_>, name: RepoName) -> HandlerResult {
    ctx.writable()?;
    if let Some(mount) = ctx.query.get("mount").cloned() {
        let digest = digest_param(&mount)?;
        if let Some(from) = ctx.query.get("from").cloned() {
            let from = repo(&from)?;
            let storage = ctx.app.storage.clone();
            let (n, d) = (name.clone(), digest.clone());
            let mounted = on_disk("mounting a blob", move || {
                if !storage.repository_has_blob(&from, &d)? {
                    return Ok(false);
                }
                storage.link_layer(&n, &d)?;
                Ok(true)
            })
            .await?;
            if mounted {
                tracing::debug!(repository = %name, %digest, "mounted blob from another repository");
                return Ok(created_blob(&ctx, &name, &digest));
            }
        }
        // TODO: mount without `from` (automatic content discovery) would need a per-blob
        // access check across repositories; open a session instead, as distribution does.
    }

    let storage = ctx.app.storage.clone();
    let n = name.clone();
    let id = on_disk("opening an upload session", move || {
        storage.create_upload(&n)
    })
    .await?;

    if let Some(digest) = ctx.query.get("digest").cloned() {
        let digest = digest_param(&digest)?;
        let declared = ctx.content_length();
        let mut guard = ctx.app.storage.uploads.lock(id).await;
        let storage = &ctx.app.storage;
        let body = ctx.body.into_data_stream();
        let outcome = async {
            let length = storage
                .append_upload(&name, &id, &mut guard, None, declared, body)
                .await?;
            BYTES_RECEIVED.fetch_add(length, std::sync::atomic::Ordering::Relaxed);
            storage.finish_upload(&name, &id, &mut guard, &digest).await
        }
        .await;
        let length = match outcome {
            Ok(length) => length,
            Err(err) => {
                let _ = storage.cancel_upload(&name, &id);
                return Err(err.into());
            }
        };
        let location = format!("/v2/{name}/blobs/{digest}");
        let response = Response::builder()
            .status(StatusCode::CREATED)
            .header(header::LOCATION, format!("{}{location}", ctx.base_url))
            .header(header::CONTENT_LENGTH, 0)
            .header("Docker-Content-Digest", digest.to_string())
            .body(Body::empty())
            .unwrap_or_default();
        return Ok(with_received(response, length));
    }
    Ok(session_response(&ctx, StatusCode::ACCEPTED, &name, &id, 0))
}

pub async fn status(ctx: RequestContext<'_>, name: RepoName, id: Uuid) -> HandlerResult {
    let storage = ctx.app.storage.clone();
    let n = name.clone();
    let length = on_disk("reading an upload session", move || {
        storage.upload_length(&n, &id)
    })
    .await?
    .ok_or_else(|| RegistryError::from(crate::server::storage::uploads::UploadError::Unknown))?;
    Ok(session_response(
        &ctx,
        StatusCode::NO_CONTENT,
        &name,
        &id,
        length,
    ))
}

pub async fn patch(ctx: RequestContext<'_>, name: RepoName, id: Uuid) -> HandlerResult {
    ctx.writable()?;
    let (start, declared) = chunk_bounds(&ctx)?;
    let mut guard = ctx.app.storage.uploads.lock(id).await;
    let storage = ctx.app.storage.clone();
    let (length, received) = append_body(
        &storage,
        &name,
        &id,
        &mut guard,
        (start, declared),
        ctx.body,
    )
    .await?;
    let response = Response::builder()
        .status(StatusCode::ACCEPTED)
        .header(
            header::LOCATION,
            format!("{}/v2/{name}/blobs/uploads/{id}", ctx.base_url),
        )
        .header(header::RANGE, upload_range(length))
        .header(header::CONTENT_LENGTH, 0)
        .header("Docker-Upload-UUID", id.to_string())
        .body(Body::empty())
        .unwrap_or_default();
    Ok(with_received(response, received))
}

pub async fn put(ctx: RequestContext<'_>, name: RepoName, id: Uuid) -> HandlerResult {
    ctx.writable()?;
    let digest: Digest = match ctx.query.get("digest") {
        Some(raw) => digest_param(raw)?,
        None => return Err(RegistryError::digest_invalid("")),
    };
    let (start, declared) = chunk_bounds(&ctx)?;
    let mut guard = ctx.app.storage.uploads.lock(id).await;
    let storage = ctx.app.storage.clone();
    let base_url = ctx.base_url.clone();

    // The closing PUT may carry the last chunk; an empty body appends nothing.
    let mut received = 0;
    if declared != Some(0) {
        (_, received) = append_body(
            &storage,
            &name,
            &id,
            &mut guard,
            (start, declared),
            ctx.body,
        )
        .await?;
    }
    storage
        .finish_upload(&name, &id, &mut guard, &digest)
        .await
        .map_err(RegistryError::from)?;
    let response = Response::builder()
        .status(StatusCode::CREATED)
        .header(
            header::LOCATION,
            format!("{base_url}/v2/{name}/blobs/{digest}"),
        )
        .header(header::CONTENT_LENGTH, 0)
        .header("Docker-Content-Digest", digest.to_string())
        .body(Body::empty())
        .unwrap_or_default();
    Ok(with_received(response, received))
}

pub async fn cancel(ctx: RequestContext<'_>, name: RepoName, id: Uuid) -> HandlerResult {
    ctx.writable()?;
    let _guard = ctx.app.storage.uploads.lock(id).await;
    let storage = ctx.app.storage.clone();
    let removed = on_disk("cancelling an upload", move || {
        storage.cancel_upload(&name, &id)
    })
    .await?;
    if !removed {
        return Err(crate::server::storage::uploads::UploadError::Unknown.into());
    }
    Ok(Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(Body::empty())
        .unwrap_or_default())
}

/// Append a request body to an upload session. Returns the session's new length and the bytes
/// this request added, which are also counted in the metrics.
async fn append_body(
    storage: &Storage,
    name: &RepoName,
    id: &Uuid,
    guard: &mut SessionGuard,
    (start, declared): (Option<u64>, Option<u64>),
    body: hyper::body::Incoming,
) -> Result<(u64, u64), RegistryError> {
    let before = storage.upload_length(name, id).ok().flatten().unwrap_or(0);
    let length = storage
        .append_upload(name, id, guard, start, declared, body.into_data_stream())
        .await
        .map_err(RegistryError::from)?;
    let received = length - before;
    BYTES_RECEIVED.fetch_add(received, std::sync::atomic::Ordering::Relaxed);
    Ok((length, received))
}

/// The start offset and length a chunk declares: from `Content-Range` (`<start>-<end>`,
/// inclusive; `bytes ` prefix and `/<total>` suffix tolerated) or else `Content-Length`.
fn chunk_bounds(ctx: &RequestContext<'_>) -> Result<(Option<u64>, Option<u64>), RegistryError> {
    let Some(raw) = ctx.header("content-range") else {
        return Ok((None, ctx.content_length()));
    };
    let invalid =
        || RegistryError::new(Code::RangeInvalid, format!("invalid Content-Range `{raw}`"));
    let spec = raw
        .trim()
        .trim_start_matches("bytes")
        .trim_start_matches([' ', '=']);
    let spec = spec.split('/').next().unwrap_or(spec);
    let (start, end) = spec.split_once('-').ok_or_else(invalid)?;
    let start: u64 = start.trim().parse().map_err(|_| invalid())?;
    let end: u64 = end.trim().parse().map_err(|_| invalid())?;
    if end < start {
        return Err(invalid());
    }
    let length = end - start + 1;
    if let Some(declared) = ctx.content_length()
        && declared != length
    {
        return Err(RegistryError::new(
            Code::SizeInvalid,
            format!("Content-Range `{raw}` does not match Content-Length {declared}"),
        ));
    }
    Ok((Some(start), Some(length)))
}

fn session_response(
    ctx: &RequestContext<'_>,
    status: StatusCode,
    name: &RepoName,
    id: &Uuid,
    length: u64,
) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(
            header::LOCATION,
            ctx.url(&format!("/v2/{name}/blobs/uploads/{id}")),
        )
        .header(header::RANGE, upload_range(length))
        .header(header::CONTENT_LENGTH, 0)
        .header("Docker-Upload-UUID", id.to_string())
        .body(Body::empty())
        .unwrap_or_default()
}

fn created_blob(ctx: &RequestContext<'_>, name: &RepoName, digest: &Digest) -> Response<Body> {
    Response::builder()
        .status(StatusCode::CREATED)
        .header(
            header::LOCATION,
            ctx.url(&format!("/v2/{name}/blobs/{digest}")),
        )
        .header(header::CONTENT_LENGTH, 0)
        .header("Docker-Content-Digest", digest.to_string())
        .body(Body::empty())
        .unwrap_or_default()
}
