//! The registry HTTP client: one [`RegistryClient`] per registry host.
//!
//! It owns the connection pool, the TLS settings and the authentication state for its registry,
//! and offers [`RegistryClient::send`], which authenticates, retries and follows redirects safely,
//! plus typed operations on manifests, blobs and tags in the submodules.
//!
//! Guarantees: credentials and tokens go only to the registry's own origin (and, through
//! [`crate::auth::Authenticator`], to the realm it named), never to a redirect target; redirects
//! from HTTPS to HTTP are refused; every manifest and blob read is checked against its digest
//! when one is known.

mod blobs;
mod error;
mod manifests;
mod referrers;
mod response;
pub mod retry;
mod tags;
pub mod tls;
pub mod uploads;

use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use url::Url;

pub use blobs::BlobStream;
pub use error::{Error, login_command};
pub use manifests::ManifestHead;
pub use referrers::referrers_tag;
pub use response::error_message;

use crate::auth::challenge::{self, Challenge, Scheme};
use crate::auth::{Authenticator, Credential, ScopeSet};
use crate::config::{Config, TlsMode};
use crate::oci::reference::{api_host, is_loopback};

/// The user agent rctl sends.
pub const USER_AGENT: &str = concat!("rctl/", env!("CARGO_PKG_VERSION"));

/// A request body: empty, in memory (replayable), or a stream (sent once, never retried).
pub enum Body {
    Empty,
    Bytes(Bytes),
    Stream(Mutex<Option<reqwest::Body>>),
}

impl Body {
    pub fn stream(body: reqwest::Body) -> Body {
        Body::Stream(Mutex::new(Some(body)))
    }

    fn replayable(&self) -> bool {
        !matches!(self, Body::Stream(_))
    }

    /// The body for one attempt; `None` when a stream was already sent.
    fn take(&self) -> Option<Option<reqwest::Body>> {
        match self {
            Body::Empty => Some(None),
            Body::Bytes(bytes) => Some(Some(bytes.clone().into())),
            Body::Stream(slot) => slot.lock().ok()?.take().map(Some),
        }
    }
}

/// One request to the registry, with the token scopes it needs.
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Body,
    pub scopes: ScopeSet,
}

impl Request {
    pub fn new(method: Method, url: Url, scopes: ScopeSet) -> Request {
        Request {
            method,
            url,
            headers: HeaderMap::new(),
            body: Body::Empty,
            scopes,
        }
    }

    pub fn header(mut self, name: HeaderName, value: &str) -> Request {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(name, value);
        }
        self
    }

    pub fn body(mut self, body: Body) -> Request {
        self.body = body;
        self
    }
}

/// A connection to one registry.
pub struct RegistryClient {
    /// The registry's canonical name (`docker.io`, `localhost:5000`), used in messages.
    registry: String,
    /// `https://host[:port]` or `http://host[:port]`, as decided by the ping.
    base: Url,
    http: reqwest::Client,
    auth: Authenticator,
}

impl RegistryClient {
    /// Connect to `registry`: pick the scheme and TLS settings, ping `/v2/` and remember the
    /// authentication challenge it answers with.
    pub async fn connect(
        registry: &str,
        config: &Config,
        credential: Option<Credential>,
    ) -> Result<RegistryClient, Error> {
        let host = api_host(registry);
        let mode = config.tls_mode(registry);
        let mut attempts: Vec<(&str, bool)> = match mode {
            TlsMode::Verify => vec![("https", true)],
            TlsMode::SkipVerify => vec![("https", false)],
            TlsMode::Insecure => vec![("https", false), ("http", false)],
        };
        if mode == TlsMode::Verify && is_loopback(registry) {
            attempts.push(("http", false));
        }

        let mut last_error = None;
        for (index, (scheme, verify)) in attempts.iter().enumerate() {
            let base: Url =
                format!("{scheme}://{host}/")
                    .parse()
                    .map_err(|_| Error::InvalidResponse {
                        registry: registry.to_string(),
                        what: format!("`{host}` does not form a valid URL"),
                    })?;
            let http = build_http(registry, config, *verify)?;
            let client = RegistryClient {
                registry: registry.to_string(),
                base: base.clone(),
                http: http.clone(),
                auth: Authenticator::new(base, credential.clone(), http),
            };
            match client.ping().await {
                Ok(challenge) => {
                    tracing::debug!(registry, scheme, verify, challenge = ?challenge.as_ref().map(|c| &c.scheme), "connected");
                    client.auth.set_challenge(challenge).await;
                    return Ok(client);
                }
                Err(err) => {
                    let last = index + 1 == attempts.len();
                    // On loopback in verify mode, fall back to HTTP only for a server that speaks
                    // plain HTTP; a certificate problem is reported as it is.
                    let fall_back = match mode {
                        TlsMode::Verify => matches!(err, Error::PlainHttp { .. }),
                        _ => matches!(
                            err,
                            Error::PlainHttp { .. } | Error::Tls { .. } | Error::Connect { .. }
                        ),
                    };
                    tracing::debug!(registry, scheme, error = %err, "ping failed");
                    if last || !fall_back {
                        return Err(err);
                    }
                    last_error = Some(err);
                }
            }
        }
        Err(last_error.unwrap_or(Error::PlainHttp {
            registry: registry.to_string(),
        }))
    }

    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The registry's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The URL of an API path such as `v2/library/busybox/tags/list`.
    pub fn url(&self, path: &str) -> Url {
        self.base.join(path).unwrap_or_else(|_| self.base.clone())
    }

    /// Whether this client will send credentials to the registry.
    pub fn has_credential(&self) -> bool {
        self.auth.credential().is_some()
    }

    /// `GET /v2/`: `None` when the registry needs no authentication, else its challenge.
    async fn ping(&self) -> Result<Option<Challenge>, Error> {
        let url = self.url("v2/");
        let response = self
            .send_with_retry(
                Request::new(Method::GET, url.clone(), ScopeSet::default()),
                false,
            )
            .await?;
        match response.status() {
            status if status.is_success() => Ok(None),
            StatusCode::UNAUTHORIZED => {
                let challenges = self.challenges(&response)?;
                Ok(challenge::preferred(&challenges).cloned())
            }
            status => Err(Error::NotARegistry {
                registry: self.registry.clone(),
                url: url.to_string(),
                status: status.as_u16(),
            }),
        }
    }

    /// Check the stored credential: fetch a token (Bearer) or repeat the ping with Basic auth.
    pub async fn verify_login(&self) -> Result<(), Error> {
        let Some(challenge) = self.auth.challenge().await else {
            return Ok(());
        };
        match challenge.scheme {
            Scheme::Bearer => {
                self.auth
                    .token(&challenge, &ScopeSet::default())
                    .await
                    .map_err(|source| self.token_error(source))?;
                Ok(())
            }
            _ => {
                let response = self
                    .send(Request::new(
                        Method::GET,
                        self.url("v2/"),
                        ScopeSet::default(),
                    ))
                    .await?;
                response::check(self, response, "login").await.map(|_| ())
            }
        }
    }

    /// Send a request: authenticate, retry transient failures, and answer one 401 by
    /// refreshing the token (widening its scope when the registry asks for more).
    pub async fn send(&self, request: Request) -> Result<reqwest::Response, Error> {
        self.send_with_retry(request, true).await
    }

    async fn send_with_retry(
        &self,
        mut request: Request,
        authenticate: bool,
    ) -> Result<reqwest::Response, Error> {
        let same_origin = request.url.origin() == self.base.origin();
        let replayable = request.body.replayable();
        let mut attempt = 1;
        let mut auth_rounds = 0;
        let mut last_challenge: Option<Challenge> = None;
        loop {
            let authorization = if authenticate && same_origin {
                self.auth
                    .header(&request.scopes)
                    .await
                    .map_err(|source| self.token_error(source))?
            } else {
                None
            };
            let Some(body) = request.body.take() else {
                return Err(Error::InvalidResponse {
                    registry: self.registry.clone(),
                    what: "a streamed request body cannot be sent twice".into(),
                });
            };
            let mut builder = self
                .http
                .request(request.method.clone(), request.url.clone())
                .headers(request.headers.clone());
            if let Some(value) = authorization {
                builder = builder.header(AUTHORIZATION, value);
            }
            if let Some(body) = body {
                builder = builder.body(body);
            }

            let response = match builder.send().await {
                Ok(response) => response,
                Err(err) => {
                    // A redirect the policy refused is a decision, not a transient failure.
                    let refused_redirect = err.is_redirect();
                    let classified = self.transport_error(err);
                    let transient = !refused_redirect
                        && matches!(classified, Error::Connect { .. } | Error::Request { .. });
                    let limit = if matches!(classified, Error::Connect { .. }) {
                        3
                    } else {
                        retry::MAX_ATTEMPTS
                    };
                    if transient && replayable && attempt < limit {
                        let wait = retry::backoff(attempt);
                        tracing::warn!(registry = %self.registry, error = %classified, attempt, wait_ms = wait.as_millis() as u64, "request failed, retrying");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(classified);
                }
            };

            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && authenticate && same_origin {
                let challenges = self.challenges(&response)?;
                let Some(challenge) = challenge::preferred(&challenges).cloned() else {
                    return Err(self.unauthorized());
                };
                let repeated = last_challenge.as_ref() == Some(&challenge);
                let wider = ScopeSet::new(
                    challenge
                        .scopes()
                        .iter()
                        .filter_map(|s| crate::auth::Scope::parse(s)),
                );
                let insufficient = challenge.param("error") == Some("insufficient_scope")
                    && !request.scopes.covers(&wider);
                if (auth_rounds == 0 || (auth_rounds == 1 && insufficient))
                    && !repeated
                    && replayable
                {
                    tracing::debug!(registry = %self.registry, round = auth_rounds, "answering authentication challenge");
                    for scope in challenge
                        .scopes()
                        .iter()
                        .filter_map(|s| crate::auth::Scope::parse(s))
                    {
                        request.scopes.add(scope);
                    }
                    self.auth.clear_tokens().await;
                    self.auth.set_challenge(Some(challenge.clone())).await;
                    last_challenge = Some(challenge);
                    auth_rounds += 1;
                    continue;
                }
                return Err(self.refused(&challenge));
            }

            if retry::retryable_status(status) && replayable && attempt < retry::MAX_ATTEMPTS {
                let wait = retry::retry_after(response.headers())
                    .unwrap_or_else(|| retry::backoff(attempt));
                if wait <= retry::MAX_RETRY_AFTER {
                    tracing::warn!(registry = %self.registry, status = status.as_u16(), attempt, wait_ms = wait.as_millis() as u64, "registry asked to retry");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            }
            return Ok(response);
        }
    }

    fn challenges(&self, response: &reqwest::Response) -> Result<Vec<Challenge>, Error> {
        let values = response
            .headers()
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok());
        challenge::parse_all(values).map_err(|e| Error::InvalidResponse {
            registry: self.registry.clone(),
            what: e.to_string(),
        })
    }

    fn unauthorized(&self) -> Error {
        Error::Unauthorized {
            registry: self.registry.clone(),
            logged_in: self.has_credential(),
        }
    }

    /// The error for a 401 that answering `challenge` did not get past. With credentials and
    /// `insufficient_scope`, the login worked but the account may not do this: say so rather
    /// than blame the credentials.
    fn refused(&self, challenge: &Challenge) -> Error {
        if self.has_credential() && challenge.param("error") == Some("insufficient_scope") {
            return Error::Denied {
                registry: self.registry.clone(),
                what: challenge.scopes().join(" "),
                message: challenge.param("error_description").map(str::to_string),
            };
        }
        self.unauthorized()
    }

    fn token_error(&self, source: crate::auth::token::TokenError) -> Error {
        Error::Token {
            registry: self.registry.clone(),
            source,
        }
    }

    /// Sort a transport failure into what the user can act on.
    fn transport_error(&self, err: reqwest::Error) -> Error {
        let registry = self.registry.clone();
        let chain = error_chain_text(&err);
        if chain.contains("InvalidContentType") || chain.contains("corrupt message") {
            return Error::PlainHttp { registry };
        }
        if chain.contains("certificate")
            || chain.contains("InvalidCertificate")
            || chain.contains("tls handshake")
        {
            return Error::Tls {
                registry,
                source: err,
            };
        }
        if chain.contains("dns error") || chain.contains("failed to lookup address") {
            return Error::UnknownHost {
                registry,
                source: err,
            };
        }
        if err.is_connect() {
            return Error::Connect {
                registry,
                source: err,
            };
        }
        Error::Request {
            registry,
            source: err,
        }
    }
}

fn error_chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = String::new();
    let mut current = Some(err);
    while let Some(e) = current {
        text.push_str(&format!("{e} | {e:?} | "));
        current = e.source();
    }
    text
}

/// The HTTP client for one registry: TLS per its settings, a shared pool, a safe redirect policy.
fn build_http(registry: &str, config: &Config, verify: bool) -> Result<reqwest::Client, Error> {
    let tls = if verify {
        tls::verifying_config(&config.ca_files(registry))
    } else {
        tls::skip_verify_config()
    }
    .map_err(|source| Error::TlsSetup {
        registry: registry.to_string(),
        source,
    })?;
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .tls_backend_preconfigured(tls)
        .redirect(redirect_policy())
        .connect_timeout(Duration::from_secs(15))
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(32)
        .tcp_nodelay(true)
        .build()
        .map_err(|source| Error::Request {
            registry: registry.to_string(),
            source,
        })
}

/// Follow up to 10 redirects, refusing HTTPS→HTTP and public→loopback. reqwest drops
/// `Authorization` and cookies whenever host, port or scheme change.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let Some(previous) = attempt.previous().last().cloned() else {
            return attempt.follow();
        };
        if attempt.previous().len() > 10 {
            return attempt.error("too many redirects");
        }
        if previous.scheme() == "https" && attempt.url().scheme() == "http" {
            let target = attempt.url().to_string();
            return attempt.error(format!(
                "refusing redirect from HTTPS to plain HTTP ({target})"
            ));
        }
        let loopback = |url: &Url| {
            url.host_str()
                .is_some_and(|h| is_loopback(h) || h == "[::1]")
        };
        if !loopback(&previous) && loopback(attempt.url()) {
            return attempt.error("refusing redirect from a public host to a loopback address");
        }
        attempt.follow()
    })
}
