//! The listing endpoints: tags of a repository, the catalog of repositories, and referrers of
//! a manifest.
//!
//! Tags and repositories come back in lexical (byte) order and are paged with `n` and `last`;
//! when a page stops short of the end, a `Link: <…>; rel="next"` header names the next one.
//! `n=0` is an empty list without `Link`, as the spec requires.

use axum::body::Body;
use bytes::Bytes;
use http::{Response, StatusCode, header};

use super::{HandlerResult, RequestContext, json, on_disk};
use crate::oci::{Digest, Manifest, media_type};
use crate::server::errors::{Code, RegistryError};
use crate::server::storage::RepoName;

/// The largest page served, whatever `n` asks (distribution's `catalog.maxentries`).
const MAX_PAGE: usize = 10_000;

pub async fn tags(ctx: RequestContext<'_>, name: RepoName) -> HandlerResult {
    let storage = ctx.app.storage.clone();
    let n = name.clone();
    let Some(tags) = on_disk("listing tags", move || storage.tags(&n)).await? else {
        return Err(
            RegistryError::new(Code::NameUnknown, "repository name not known to registry")
                .with_detail(serde_json::json!({ "name": name.as_str() })),
        );
    };
    let (page, next) = paginate(&ctx, tags)?;
    let body = serde_json::json!({ "name": name.as_str(), "tags": page }).to_string();
    let mut response = json(StatusCode::OK, body);
    if let Some(last) = next {
        let n = ctx.query.get("n").cloned().unwrap_or_default();
        let link = format!("</v2/{name}/tags/list?n={n}&last={last}>; rel=\"next\"");
        response
            .headers_mut()
            .insert(header::LINK, link.parse().expect("ascii link"));
    }
    Ok(response)
}

pub async fn catalog(ctx: RequestContext<'_>) -> HandlerResult {
    let storage = ctx.app.storage.clone();
    let names = on_disk("listing repositories", move || storage.repositories()).await?;
    let names: Vec<String> = names.into_iter().map(|n| n.as_str().to_string()).collect();
    let (page, next) = paginate(&ctx, names)?;
    let body = serde_json::json!({ "repositories": page }).to_string();
    let mut response = json(StatusCode::OK, body);
    if let Some(last) = next {
        let n = ctx.query.get("n").cloned().unwrap_or_default();
        let link = format!("</v2/_catalog?n={n}&last={last}>; rel=\"next\"");
        response
            .headers_mut()
            .insert(header::LINK, link.parse().expect("ascii link"));
    }
    Ok(response)
}

/// Apply `last` and `n` to a sorted list; the second value is the `last` of the next page when
/// there is one.
fn paginate(
    ctx: &RequestContext<'_>,
    items: Vec<String>,
) -> Result<(Vec<String>, Option<String>), RegistryError> {
    let n = match ctx.query.get("n") {
        None => None,
        Some(raw) => Some(raw.parse::<usize>().map_err(|_| {
            RegistryError::new(
                Code::PaginationNumberInvalid,
                format!("invalid number of results requested: `{raw}`"),
            )
        })?),
    };
    let after: Vec<String> = match ctx.query.get("last") {
        Some(last) => items
            .into_iter()
            .filter(|t| t.as_str() > last.as_str())
            .collect(),
        None => items,
    };
    let limit = n.unwrap_or(MAX_PAGE).min(MAX_PAGE);
    if after.len() <= limit {
        return Ok((after, None));
    }
    let page: Vec<String> = after.into_iter().take(limit).collect();
    let next = (limit > 0).then(|| page.last().cloned()).flatten();
    Ok((page, next))
}

pub async fn referrers(ctx: RequestContext<'_>, name: RepoName, subject: Digest) -> HandlerResult {
    let storage = ctx.app.storage.clone();
    let wanted = subject.clone();
    // TODO: this reads every manifest of the repository; a subject index written on PUT would
    // make this constant-time for repositories with many manifests.
    let mut found = on_disk("listing referrers", move || {
        let mut found = Vec::new();
        for digest in storage.revisions(&name)? {
            let Some(bytes) = storage.read_manifest(&digest)? else {
                continue;
            };
            let size = bytes.len() as u64;
            let Ok(manifest) = Manifest::from_bytes(Bytes::from(bytes), None) else {
                continue;
            };
            if manifest.body().subject.as_ref().map(|s| &s.digest) == Some(&wanted) {
                found.push(referrer_descriptor(&manifest, size));
            }
        }
        Ok(found)
    })
    .await?;

    let mut response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, media_type::OCI_INDEX);
    if let Some(filter) = ctx.query.get("artifactType") {
        found.retain(|d| d.get("artifactType").and_then(|v| v.as_str()) == Some(filter.as_str()));
        response = response.header("OCI-Filters-Applied", "artifactType");
    }
    let body = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": media_type::OCI_INDEX,
        "manifests": found,
    })
    .to_string();
    Ok(response
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap_or_default())
}

/// The descriptor of a referrer: its `artifactType` (or its config's media type), and all its
/// annotations.
fn referrer_descriptor(manifest: &Manifest, size: u64) -> serde_json::Value {
    let body = manifest.body();
    let artifact_type = body
        .artifact_type
        .clone()
        .or_else(|| body.config.as_ref().map(|c| c.media_type.clone()));
    let mut descriptor = serde_json::json!({
        "mediaType": manifest.media_type(),
        "digest": manifest.digest().to_string(),
        "size": size,
    });
    if let Some(artifact_type) = artifact_type {
        descriptor["artifactType"] = artifact_type.into();
    }
    if let Some(annotations) = &body.annotations {
        descriptor["annotations"] = serde_json::Value::Object(annotations.clone());
    }
    descriptor
}
