//! Listing tags and repositories, following `Link: <…>; rel="next"` pagination.

use reqwest::Method;
use serde::Deserialize;

use super::manifests::read_limited;
use super::response::check_in;
use super::{Error, RegistryClient, Request};
use crate::auth::{Scope, ScopeSet};

/// A page of a listing is at most this large.
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;
/// A listing stops after this many pages, so a registry that loops its `Link` cannot hang rctl.
const MAX_PAGES: usize = 10_000;

#[derive(Deserialize)]
struct TagPage {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct CatalogPage {
    #[serde(default)]
    repositories: Option<Vec<String>>,
}

impl RegistryClient {
    /// Every tag of `repository`, in the registry's order.
    pub async fn list_tags(&self, repository: &str) -> Result<Vec<String>, Error> {
        let scopes = ScopeSet::new([Scope::pull(repository)]);
        let first = self.url(&format!("v2/{repository}/tags/list"));
        let mut tags = Vec::new();
        for page in self.pages(first, scopes, repository).await? {
            let parsed: TagPage = serde_json::from_slice(&page)
                .map_err(|e| self.invalid(format!("tag list: {e}")))?;
            tags.extend(parsed.tags.unwrap_or_default());
        }
        Ok(tags)
    }

    /// Every repository the registry lists in `/v2/_catalog`.
    pub async fn catalog(&self) -> Result<Vec<String>, Error> {
        let scopes = ScopeSet::new([Scope::catalog()]);
        let mut repositories = Vec::new();
        for page in self.pages(self.url("v2/_catalog"), scopes, "").await? {
            let parsed: CatalogPage =
                serde_json::from_slice(&page).map_err(|e| self.invalid(format!("catalog: {e}")))?;
            repositories.extend(parsed.repositories.unwrap_or_default());
        }
        Ok(repositories)
    }

    async fn pages(
        &self,
        first: url::Url,
        scopes: ScopeSet,
        repository: &str,
    ) -> Result<Vec<bytes::Bytes>, Error> {
        let mut pages = Vec::new();
        let mut next = Some(first);
        while let Some(url) = next.take() {
            if pages.len() >= MAX_PAGES {
                return Err(self.invalid(format!("more than {MAX_PAGES} pages")));
            }
            let what = if repository.is_empty() {
                "catalog".to_string()
            } else {
                format!("repository `{repository}`")
            };
            let response = self
                .send(Request::new(Method::GET, url.clone(), scopes.clone()))
                .await?;
            let response = check_in(self, response, &what, repository).await?;
            next = response
                .headers()
                .get_all(reqwest::header::LINK)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(next_link)
                .and_then(|link| url.join(&link).ok());
            pages.push(read_limited(self, response, MAX_PAGE_BYTES).await?);
        }
        Ok(pages)
    }

    fn invalid(&self, what: String) -> Error {
        Error::InvalidResponse {
            registry: self.registry.clone(),
            what,
        }
    }
}

/// The target of a `rel="next"` link in a `Link` header value.
pub(super) fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn next_link_is_found_among_others() {
        assert_eq!(
            next_link(r#"</v2/a/tags/list?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/a/tags/list?last=b&n=2")
        );
        assert_eq!(
            next_link(r#"<https://x/prev>; rel="prev", <https://x/next>; rel="next""#).as_deref(),
            Some("https://x/next")
        );
        assert_eq!(next_link(r#"</x>; rel="prev""#), None);
    }
}
