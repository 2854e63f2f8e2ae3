//! Referrers (OCI distribution 1.1): what refers to a manifest, such as signatures and SBOMs.
//!
//! [`RegistryClient::referrers`] asks the referrers API and, where a registry answers 404 (it
//! has no such API), reads the tag schema instead: an index tagged `sha256-<hex>`.
//! [`RegistryClient::add_referrer_to_tag`] maintains that index when pushing to such a registry.
//! Paged referrers answers are followed through their `Link: <…>; rel="next"` headers, up to
//! [`MAX_REFERRER_PAGES`] pages.

use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::manifests::{MAX_MANIFEST_BYTES, read_limited};
use super::response::check_in;
use super::tags::next_link;
use super::{Error, RegistryClient, Request};
use crate::auth::{Scope, ScopeSet};
use crate::oci::{Descriptor, Digest, Manifest, media_type};

/// The tag that holds the referrers of `digest` where the API is missing: `sha256-<hex>`.
pub fn referrers_tag(digest: &Digest) -> String {
    format!("{}-{}", digest.algorithm().name(), digest.hex())
}

impl RegistryClient {
    /// Whether the registry serves the referrers API (it must not answer 404 when it does).
    pub async fn has_referrers_api(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<bool, Error> {
        let response = self.referrers_request(repository, digest).await?;
        Ok(response.status() != StatusCode::NOT_FOUND)
    }

    /// The descriptors of the manifests that refer to `digest`.
    pub async fn referrers(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<Vec<Descriptor>, Error> {
        let response = self.referrers_request(repository, digest).await?;
        if response.status() == StatusCode::NOT_FOUND {
            tracing::debug!(repository, %digest, "no referrers API; reading the tag schema");
            return match self.get_manifest(repository, &referrers_tag(digest)).await {
                Ok(index) if index.is_index() => Ok(index.body().manifests.clone()),
                Ok(_) | Err(Error::NotFound { .. }) => Ok(Vec::new()),
                Err(err) => Err(err),
            };
        }
        let what = format!("referrers of `{digest}`");
        let mut url = response.url().clone();
        let mut response = response;
        let mut referrers = Vec::new();
        for page in 1.. {
            let checked = check_in(self, response, &what, repository).await?;
            let next = next_page(&checked, &url);
            let bytes = read_limited(self, checked, MAX_MANIFEST_BYTES).await?;
            let index = Manifest::from_bytes(bytes, Some(media_type::OCI_INDEX)).map_err(|e| {
                Error::InvalidResponse {
                    registry: self.registry.clone(),
                    what: format!("{what}: {e}"),
                }
            })?;
            referrers.extend(index.body().manifests.iter().cloned());
            let Some(next) = next else {
                break;
            };
            if page >= MAX_REFERRER_PAGES {
                return Err(Error::InvalidResponse {
                    registry: self.registry.clone(),
                    what: format!("{what}: more than {MAX_REFERRER_PAGES} pages"),
                });
            }
            tracing::debug!(repository, %digest, page = page + 1, "following a referrers page");
            response = self.send(referrers_get(next.clone(), repository)).await?;
            url = next;
        }
        Ok(referrers)
    }

    /// Add `referrer` to the tag-schema index of `subject` (pull it, add the entry if missing,
    /// push it back). Races with other writers, as the spec accepts.
    pub async fn add_referrer_to_tag(
        &self,
        repository: &str,
        subject: &Digest,
        referrer: &Descriptor,
    ) -> Result<(), Error> {
        let tag = referrers_tag(subject);
        let mut index = match self.get_manifest(repository, &tag).await {
            Ok(existing) if existing.is_index() => {
                serde_json::from_slice::<Value>(existing.bytes()).unwrap_or_else(|_| empty_index())
            }
            Ok(_) | Err(Error::NotFound { .. }) => empty_index(),
            Err(err) => return Err(err),
        };
        let entries = index
            .get_mut("manifests")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| Error::InvalidResponse {
                registry: self.registry.clone(),
                what: format!("the referrers index `{tag}` has no `manifests`"),
            })?;
        let digest = referrer.digest.to_string();
        if entries
            .iter()
            .any(|e| e.get("digest").and_then(Value::as_str) == Some(&digest))
        {
            return Ok(());
        }
        entries.push(serde_json::to_value(referrer).unwrap_or(Value::Null));
        let bytes = serde_json::to_vec(&index).unwrap_or_default();
        let manifest =
            Manifest::from_bytes(bytes.into(), Some(media_type::OCI_INDEX)).map_err(|e| {
                Error::InvalidResponse {
                    registry: self.registry.clone(),
                    what: e.to_string(),
                }
            })?;
        self.put_manifest(repository, &tag, &manifest)
            .await
            .map(|_| ())
    }

    async fn referrers_request(
        &self,
        repository: &str,
        digest: &Digest,
    ) -> Result<reqwest::Response, Error> {
        let url = self.url(&format!("v2/{repository}/referrers/{digest}"));
        self.send(referrers_get(url, repository)).await
    }
}

/// A referrers answer stops after this many pages, so a registry that loops its `Link` cannot
/// hang rctl.
pub const MAX_REFERRER_PAGES: usize = 1_000;

fn referrers_get(url: url::Url, repository: &str) -> Request {
    Request::new(Method::GET, url, ScopeSet::new([Scope::pull(repository)]))
        .header(ACCEPT, media_type::OCI_INDEX)
}

/// The next page a `Link: <…>; rel="next"` header names, resolved against the page's URL.
fn next_page(response: &reqwest::Response, url: &url::Url) -> Option<url::Url> {
    response
        .headers()
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(next_link)
        .and_then(|link| url.join(&link).ok())
}

fn empty_index() -> Value {
    json!({"schemaVersion": 2, "mediaType": media_type::OCI_INDEX, "manifests": []})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_schema_names_the_algorithm_and_hex() {
        let digest = Digest::sha256_of(b"x");
        assert_eq!(referrers_tag(&digest), format!("sha256-{}", digest.hex()));
    }
}
