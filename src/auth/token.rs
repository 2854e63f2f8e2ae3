//! Answering a registry's challenge: Basic credentials, or Bearer tokens from its token service.
//!
//! An [`Authenticator`] belongs to one registry. It remembers the challenge the registry sent,
//! fetches tokens for the scopes a request needs (GET with Basic credentials, or the OAuth2 POST
//! form when an identity token is stored), and caches them per scope set until shortly before
//! they expire. It sends credentials only to the registry and the realm its challenge named,
//! and refuses realms that would downgrade to plain HTTP or point a public registry at a local
//! address.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::header::HeaderValue;
use serde::Deserialize;
use tokio::sync::Mutex;
use url::Url;

use super::challenge::{Challenge, Scheme};
use super::credential::{Credential, Secret};
use super::scope::ScopeSet;

/// Tokens are refreshed this long before they expire.
const REFRESH_MARGIN: Duration = Duration::from_secs(10);
/// The spec's default and minimum token lifetime.
const MIN_TOKEN_LIFETIME: u64 = 60;

/// Why a token could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token service `{realm}` refused the credentials (HTTP {status})")]
    Unauthorized { realm: String, status: u16 },
    #[error("token service `{realm}` answered HTTP {status}: {body}")]
    Status {
        realm: String,
        status: u16,
        body: String,
    },
    #[error("cannot reach token service `{realm}`")]
    Request {
        realm: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("token service `{realm}` sent a response without a token")]
    NoToken { realm: String },
    #[error("registry challenge names an unusable token realm `{realm}`: {why}")]
    BadRealm { realm: String, why: &'static str },
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// The authentication state for one registry.
pub struct Authenticator {
    /// The registry's URL (`https://host:port`), against which relative realms resolve.
    registry_url: Url,
    credential: Option<Credential>,
    challenge: Mutex<Option<Challenge>>,
    tokens: Mutex<HashMap<String, CachedToken>>,
    http: reqwest::Client,
}

impl Authenticator {
    pub fn new(
        registry_url: Url,
        credential: Option<Credential>,
        http: reqwest::Client,
    ) -> Authenticator {
        Authenticator {
            registry_url,
            credential,
            challenge: Mutex::new(None),
            tokens: Mutex::new(HashMap::new()),
            http,
        }
    }

    pub fn credential(&self) -> Option<&Credential> {
        self.credential.as_ref()
    }

    /// Remember the challenge from a ping or a 401.
    pub async fn set_challenge(&self, challenge: Option<Challenge>) {
        *self.challenge.lock().await = challenge;
    }

    pub async fn challenge(&self) -> Option<Challenge> {
        self.challenge.lock().await.clone()
    }

    /// Forget cached tokens, after a registry rejected one.
    pub async fn clear_tokens(&self) {
        self.tokens.lock().await.clear();
    }

    /// The `Authorization` header for a request to the registry that needs `scopes`, fetching a
    /// token when the registry uses Bearer auth and none is cached.
    pub async fn header(&self, scopes: &ScopeSet) -> Result<Option<HeaderValue>, TokenError> {
        let Some(challenge) = self.challenge().await else {
            return Ok(None);
        };
        match challenge.scheme {
            Scheme::Basic => Ok(self.credential.as_ref().and_then(basic_header)),
            Scheme::Bearer => {
                let token = self.token(&challenge, scopes).await?;
                Ok(HeaderValue::from_str(&format!("Bearer {token}"))
                    .ok()
                    .map(sensitive))
            }
            Scheme::Other(_) => Ok(None),
        }
    }

    /// A bearer token for `scopes`, from the cache or the token service.
    pub async fn token(
        &self,
        challenge: &Challenge,
        scopes: &ScopeSet,
    ) -> Result<String, TokenError> {
        let key = scopes.cache_key();
        if let Some(cached) = self.tokens.lock().await.get(&key)
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.value.clone());
        }
        let (value, lifetime) = self.fetch_token(challenge, scopes).await?;
        let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN);
        self.tokens.lock().await.insert(
            key,
            CachedToken {
                value: value.clone(),
                refresh_at,
            },
        );
        Ok(value)
    }

    async fn fetch_token(
        &self,
        challenge: &Challenge,
        scopes: &ScopeSet,
    ) -> Result<(String, Duration), TokenError> {
        let realm_text = challenge.param("realm").unwrap_or_default().to_string();
        let realm = self.realm_url(&realm_text)?;
        let service = challenge.param("service").filter(|s| !s.is_empty());

        let request = match self.credential.as_ref().map(|c| (&c.username, &c.secret)) {
            Some((username, Secret::IdentityToken(refresh))) => {
                tracing::debug!(realm = %realm, "requesting a token with the stored identity token");
                let mut form: Vec<(&str, String)> = vec![
                    ("grant_type", "refresh_token".into()),
                    ("refresh_token", refresh.clone()),
                    ("client_id", "rctl".into()),
                ];
                if let Some(service) = service {
                    form.push(("service", service.to_string()));
                }
                if !scopes.is_empty() {
                    form.push(("scope", scopes.to_strings().join(" ")));
                }
                let _ = username;
                let body = form_urlencode(&form);
                self.http
                    .post(realm.clone())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body)
            }
            credential => {
                let mut url = realm.clone();
                {
                    let mut query = url.query_pairs_mut();
                    if let Some(service) = service {
                        query.append_pair("service", service);
                    }
                    for scope in scopes.to_strings() {
                        query.append_pair("scope", &scope);
                    }
                    query.append_pair("client_id", "rctl");
                    if let Some((username, _)) = credential {
                        query.append_pair("account", username);
                    }
                }
                tracing::debug!(realm = %realm, scopes = %scopes.cache_key(), anonymous = credential.is_none(), "requesting a token");
                let mut request = self.http.get(url);
                if let Some(header) = self.credential.as_ref().and_then(basic_header) {
                    request = request.header(reqwest::header::AUTHORIZATION, header);
                }
                request
            }
        };

        let response = request.send().await.map_err(|source| TokenError::Request {
            realm: realm.to_string(),
            source,
        })?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(TokenError::Unauthorized {
                realm: realm.to_string(),
                status: status.as_u16(),
            });
        }
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(TokenError::Status {
                realm: realm.to_string(),
                status: status.as_u16(),
                body: body.chars().take(200).collect(),
            });
        }
        let parsed: TokenResponse =
            response
                .json_compat()
                .await
                .map_err(|_| TokenError::NoToken {
                    realm: realm.to_string(),
                })?;
        let token = parsed
            .token
            .filter(|t| !t.is_empty())
            .or(parsed.access_token.filter(|t| !t.is_empty()))
            .ok_or_else(|| TokenError::NoToken {
                realm: realm.to_string(),
            })?;
        let lifetime = parsed
            .expires_in
            .unwrap_or(MIN_TOKEN_LIFETIME)
            .max(MIN_TOKEN_LIFETIME);
        Ok((token, Duration::from_secs(lifetime)))
    }

    /// Resolve the realm against the registry URL and refuse downgrades and SSRF-shaped realms.
    fn realm_url(&self, realm: &str) -> Result<Url, TokenError> {
        let bad = |why| TokenError::BadRealm {
            realm: realm.to_string(),
            why,
        };
        if realm.is_empty() {
            return Err(bad("the challenge has no realm"));
        }
        let url = self
            .registry_url
            .join(realm)
            .map_err(|_| bad("it is not a URL"))?;
        match url.scheme() {
            "https" => {}
            "http" if self.registry_url.scheme() == "http" => {}
            "http" => {
                return Err(bad(
                    "an HTTPS registry may not send credentials to a plain-HTTP realm",
                ));
            }
            _ => return Err(bad("only http and https realms are supported")),
        }
        let registry_local = is_local_host(&self.registry_url);
        if !registry_local && is_local_host(&url) {
            return Err(bad(
                "a public registry may not point at a local or private address",
            ));
        }
        Ok(url)
    }
}

/// Whether a URL's host is loopback, private or link-local.
fn is_local_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
        }
        Some(url::Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.is_unspecified() || (ip.segments()[0] & 0xfe00) == 0xfc00
        }
        None => false,
    }
}

/// `Authorization: Basic …` for a password credential; identity tokens are never sent as Basic.
pub fn basic_header(credential: &Credential) -> Option<HeaderValue> {
    let Secret::Password(password) = &credential.secret else {
        return None;
    };
    let encoded = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{password}", credential.username));
    HeaderValue::from_str(&format!("Basic {encoded}"))
        .ok()
        .map(sensitive)
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

fn form_urlencode(pairs: &[(&str, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// reqwest's `json` needs a feature; registries' token JSON is small, so read and parse it.
trait JsonCompat {
    async fn json_compat<T: serde::de::DeserializeOwned>(self) -> Result<T, ()>;
}

impl JsonCompat for reqwest::Response {
    async fn json_compat<T: serde::de::DeserializeOwned>(self) -> Result<T, ()> {
        let bytes = self.bytes().await.map_err(|_| ())?;
        serde_json::from_slice(&bytes).map_err(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authenticator(registry: &str) -> Authenticator {
        Authenticator::new(
            registry.parse().unwrap(),
            None,
            reqwest::Client::builder()
                .tls_backend_preconfigured(crate::client::tls::verifying_config(&[]).unwrap())
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn realms_resolve_relative_and_refuse_downgrades() {
        let a = authenticator("https://registry.example.com");
        assert_eq!(
            a.realm_url("/token").unwrap().as_str(),
            "https://registry.example.com/token"
        );
        assert!(a.realm_url("http://auth.example.com/token").is_err());
        assert!(a.realm_url("https://127.0.0.1/token").is_err());
        assert!(a.realm_url("https://10.0.0.1/token").is_err());
        assert!(a.realm_url("https://auth.example.com/token").is_ok());
        let local = authenticator("https://127.0.0.1:5000");
        assert!(local.realm_url("https://127.0.0.1:5001/token").is_ok());
    }

    #[test]
    fn basic_header_is_base64_and_sensitive() {
        let header = basic_header(&Credential::password("user", "pa:ss")).unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "Basic dXNlcjpwYTpzcw==");
    }
}
