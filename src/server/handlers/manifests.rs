//! Manifest GET, HEAD, PUT and DELETE, by tag and by digest.
//!
//! A manifest is served as the exact bytes that were pushed, with the media type they declare,
//! whatever the request's `Accept` says (distribution 2.8 answers 404 for an OCI manifest when
//! `Accept` lacks the OCI type; clients are better served by the bytes). A PUT is refused with
//! `MANIFEST_BLOB_UNKNOWN` when a layer, config or child manifest is missing from the
//! repository, except for a `subject`, which may be pushed later (referrers come first).

use axum::body::Body;
use bytes::Bytes;
use http::{Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};

use super::{HandlerResult, RequestContext, on_disk};
use crate::oci::digest::Hasher;
use crate::oci::{Digest, Manifest, media_type};
use crate::server::errors::{Code, RegistryError};
use crate::server::storage::manifests::{MAX_MANIFEST_BYTES, ManifestRef};
use crate::server::storage::{RepoName, Tag};

/// A tag or digest from the URL.
pub fn manifest_ref(raw: &str) -> Result<ManifestRef, RegistryError> {
    if raw.contains(':') {
        return raw
            .parse()
            .map(ManifestRef::Digest)
            .map_err(|_| RegistryError::digest_invalid(raw));
    }
    Tag::parse(raw).map(ManifestRef::Tag).ok_or_else(|| {
        RegistryError::new(Code::TagInvalid, "invalid tag")
            .with_detail(serde_json::json!({ "tag": raw }))
    })
}

fn manifest_unknown(reference: &ManifestRef) -> RegistryError {
    RegistryError::new(Code::ManifestUnknown, "manifest unknown to registry")
        .with_detail(serde_json::json!({ "reference": reference.to_string() }))
}

/// The media type to answer with: the one in the body, else what its shape says.
pub fn served_media_type(bytes: &[u8]) -> String {
    match Manifest::from_bytes(Bytes::copy_from_slice(bytes), None) {
        Ok(manifest) => manifest.media_type().to_string(),
        Err(_) => media_type::OCI_MANIFEST.to_string(),
    }
}

pub async fn get(ctx: RequestContext<'_>, name: RepoName, raw: &str) -> HandlerResult {
    let reference = manifest_ref(raw)?;
    let storage = ctx.app.storage.clone();
    let r = reference.clone();
    let found = on_disk("reading a manifest", move || {
        let Some(digest) = storage.resolve_manifest(&name, &r)? else {
            return Ok(None);
        };
        Ok(storage.read_manifest(&digest)?.map(|bytes| (digest, bytes)))
    })
    .await?;
    let Some((digest, bytes)) = found else {
        return Err(manifest_unknown(&reference));
    };

    let response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, served_media_type(&bytes))
        .header(header::CONTENT_LENGTH, bytes.len())
        .header(header::ETAG, format!("\"{digest}\""))
        .header("Docker-Content-Digest", digest.to_string());
    let body = if ctx.method == http::Method::HEAD {
        Body::empty()
    } else {
        crate::server::metrics::BYTES_SENT
            .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Body::from(bytes)
    };
    Ok(response.body(body).unwrap_or_default())
}

pub async fn put(ctx: RequestContext<'_>, name: RepoName, raw: &str) -> HandlerResult {
    ctx.writable()?;
    let reference = manifest_ref(raw)?;
    let content_type = ctx.header("content-type").map(str::to_string);
    if ctx
        .content_length()
        .is_some_and(|n| n > MAX_MANIFEST_BYTES as u64)
    {
        return Err(too_large());
    }
    let bytes = match Limited::new(ctx.body, MAX_MANIFEST_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => return Err(too_large()),
        Err(err) => {
            return Err(RegistryError::new(
                Code::ManifestInvalid,
                format!("manifest body could not be read: {err}"),
            ));
        }
    };
    crate::server::metrics::BYTES_RECEIVED
        .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);

    let manifest = Manifest::from_bytes(bytes.clone(), content_type.as_deref())
        .map_err(|e| RegistryError::new(Code::ManifestInvalid, format!("manifest invalid: {e}")))?;
    if manifest.body().schema_version != Some(2) || manifest.is_schema1() {
        return Err(RegistryError::new(
            Code::ManifestInvalid,
            "manifest invalid: only schemaVersion 2 manifests and indexes are accepted",
        ));
    }
    if !media_type::is_index(manifest.media_type())
        && !media_type::is_image_manifest(manifest.media_type())
        && manifest.body().config.is_none()
    {
        return Err(RegistryError::new(
            Code::ManifestInvalid,
            format!(
                "manifest invalid: unknown media type `{}`",
                manifest.media_type()
            ),
        ));
    }

    // The digest is computed over the exact bytes, in the algorithm the URL names if any.
    let digest = match &reference {
        ManifestRef::Digest(expected) => {
            let mut hasher = Hasher::new(expected.algorithm());
            hasher.update(&bytes);
            let actual = hasher.finish();
            if &actual != expected {
                return Err(RegistryError::new(
                    Code::DigestInvalid,
                    format!("manifest has digest {actual}, not {expected}"),
                ));
            }
            actual
        }
        ManifestRef::Tag(_) => manifest.digest().clone(),
    };

    let storage = ctx.app.storage.clone();
    let tag = match &reference {
        ManifestRef::Tag(tag) => Some(tag.clone()),
        ManifestRef::Digest(_) => None,
    };
    let (n, d, m) = (name.clone(), digest.clone(), manifest.clone());
    let missing = on_disk("storing a manifest", move || {
        if let Some(missing) = first_missing_reference(&storage, &n, &m)? {
            return Ok(Some(missing));
        }
        storage.put_manifest(&n, &d, m.bytes(), tag.as_ref())?;
        Ok(None)
    })
    .await?;
    if let Some(missing) = missing {
        return Err(RegistryError::new(
            Code::ManifestBlobUnknown,
            format!("manifest references {missing}, which is not in this repository"),
        )
        .with_detail(serde_json::json!({ "digest": missing.to_string() })));
    }
    tracing::debug!(repository = %name, %digest, reference = %reference, "stored manifest");

    let mut response = Response::builder()
        .status(StatusCode::CREATED)
        .header(
            header::LOCATION,
            format!("{}/v2/{name}/manifests/{digest}", ctx.base_url),
        )
        .header(header::CONTENT_LENGTH, 0)
        .header("Docker-Content-Digest", digest.to_string());
    if let Some(subject) = &manifest.body().subject {
        response = response.header("OCI-Subject", subject.digest.to_string());
    }
    Ok(response.body(Body::empty()).unwrap_or_default())
}

/// The first blob or child manifest `manifest` names that `name` does not hold.
fn first_missing_reference(
    storage: &crate::server::storage::Storage,
    name: &RepoName,
    manifest: &Manifest,
) -> std::io::Result<Option<Digest>> {
    for child in &manifest.body().manifests {
        let found = storage.resolve_manifest(name, &ManifestRef::Digest(child.digest.clone()))?;
        if found.is_none() {
            return Ok(Some(child.digest.clone()));
        }
    }
    for blob in manifest.blobs() {
        // Foreign layers (Windows base images) live at their URLs, not in the registry.
        if blob.urls.as_ref().is_some_and(|urls| !urls.is_empty()) {
            continue;
        }
        if !storage.repository_has_blob(name, &blob.digest)? {
            return Ok(Some(blob.digest.clone()));
        }
        // A gc marking right now may not see this manifest; a fresh mtime keeps the blob
        // through its grace period.
        storage.touch_blob(&blob.digest)?;
    }
    Ok(None)
}

pub async fn delete(ctx: RequestContext<'_>, name: RepoName, raw: &str) -> HandlerResult {
    ctx.writable()?;
    if !ctx.app.delete_enabled {
        return Err(RegistryError::unsupported(
            "deletes are disabled (--no-delete)",
        ));
    }
    let reference = manifest_ref(raw)?;
    let storage = ctx.app.storage.clone();
    let r = reference.clone();
    let outcome = on_disk("deleting a manifest", move || {
        if !storage.repository_exists(&name) {
            return Ok(None);
        }
        match &r {
            ManifestRef::Tag(tag) => storage.delete_tag(&name, tag).map(Some),
            ManifestRef::Digest(digest) => storage.delete_manifest(&name, digest).map(Some),
        }
    })
    .await?;
    match outcome {
        None => Err(RegistryError::new(
            Code::NameUnknown,
            "repository name not known to registry",
        )),
        Some(false) => Err(manifest_unknown(&reference)),
        Some(true) => Ok(Response::builder()
            .status(StatusCode::ACCEPTED)
            .header(header::CONTENT_LENGTH, 0)
            .body(Body::empty())
            .unwrap_or_default()),
    }
}

fn too_large() -> RegistryError {
    RegistryError::new(Code::TooLarge, "manifest is larger than the 4 MiB limit")
}
