//! Referrers (OCI distribution 1.1): what refers to a manifest, such as signatures and SBOMs.
//!
//! [`RegistryClient::referrers`] asks the referrers API and, where a registry answers 404 (it
//! has no such API), reads the tag schema instead: an index tagged `sha256-<hex>`.
//! [`RegistryClient::add_referrer_to_tag`] maintains that index when pushing to such a registry.
//! Paged referrers answers (`Link: rel="next"`) are not followed.

use reqwest::header::ACCEPT;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::manifests::{MAX_MANIFEST_BYTES, read_limited};
use super::response::check_in;
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
        let response = check_in(self, response, &what, repository).await?;
        let bytes = read_limited(self, response, MAX_MANIFEST_BYTES).await?;
        let index = Manifest::from_bytes(bytes, Some(media_type::OCI_INDEX)).map_err(|e| {
            Error::InvalidResponse {
                registry: self.registry.clone(),
                what: format!("{what}: {e}"),
            }
        })?;
        Ok(index.body().manifests.clone())
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
        let request = Request::new(
            Method::GET,
            self.url(&format!("v2/{repository}/referrers/{digest}")),
            ScopeSet::new([Scope::pull(repository)]),
        )
        .header(ACCEPT, media_type::OCI_INDEX);
        self.send(request).await
    }
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
