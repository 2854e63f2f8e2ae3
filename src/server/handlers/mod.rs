//! The endpoint handlers, one file per area of the API, and what they share: the server's
//! state ([`App`]), the request context ([`RequestContext`]), and the parsing of the names,
//! digests and query parameters that reach them from a URL.
//!
//! Every handler validates its input before touching storage (a bad name is `NAME_INVALID`, a
//! bad digest `DIGEST_INVALID`) and answers with a [`RegistryError`] for anything a client got
//! wrong; storage failures become 500 with the cause logged.

mod blobs;
mod listing;
mod manifests;
mod uploads;

use std::collections::HashMap;

use axum::body::Body;
use http::{HeaderMap, Method, Response, StatusCode, header};
use hyper::body::Incoming;

use super::auth::Htpasswd;
use super::errors::{Code, RegistryError};
use super::routes::Route;
use super::storage::{RepoName, Storage};
use crate::oci::Digest;

/// What a handler returns.
pub type HandlerResult = Result<Response<Body>, RegistryError>;

/// The server's state, shared by every request.
pub struct App {
    pub storage: Storage,
    /// Refuse every write (pushes, deletes) with `UNSUPPORTED`.
    pub read_only: bool,
    /// Whether DELETE of manifests, tags and blobs is allowed.
    pub delete_enabled: bool,
    /// Basic auth users; `None` serves everyone.
    pub auth: Option<Htpasswd>,
    /// Whether connections arrive over TLS, for the scheme of absolute `Location` URLs.
    pub tls: bool,
}

/// One request, as the handlers see it.
pub struct RequestContext<'a> {
    pub app: &'a App,
    pub method: Method,
    pub headers: HeaderMap,
    pub query: HashMap<String, String>,
    /// `scheme://host` as the client sees the server, or empty for relative URLs.
    pub base_url: String,
    pub body: Incoming,
}

impl RequestContext<'_> {
    /// An absolute URL for `path` (starting with `/`) in the client's view of the server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The declared body length, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length").and_then(|v| v.parse().ok())
    }

    /// Refuse writes on a read-only server.
    pub fn writable(&self) -> Result<(), RegistryError> {
        if self.app.read_only {
            return Err(RegistryError::unsupported("the registry is read-only"));
        }
        Ok(())
    }
}

/// Answer one routed request.
pub async fn dispatch(route: Route, ctx: RequestContext<'_>) -> HandlerResult {
    let method = ctx.method.clone();
    match (route, method) {
        (Route::Root | Route::Health, _) => Ok(plain(StatusCode::OK, "ok\n")),
        (Route::Metrics, _) => Ok(plain(
            StatusCode::OK,
            super::metrics::render(ctx.app.storage.uploads.in_progress()),
        )),
        (Route::Ping, Method::GET | Method::HEAD) => Ok(json(StatusCode::OK, "{}".to_string())),
        (Route::Catalog, Method::GET) => listing::catalog(ctx).await,
        (Route::Tags { name }, Method::GET) => listing::tags(ctx, repo(&name)?).await,
        (Route::Referrers { name, digest }, Method::GET) => {
            listing::referrers(ctx, repo(&name)?, digest_param(&digest)?).await
        }
        (Route::Manifest { name, reference }, method) => {
            let name = repo(&name)?;
            match method {
                Method::GET | Method::HEAD => manifests::get(ctx, name, &reference).await,
                Method::PUT => manifests::put(ctx, name, &reference).await,
                Method::DELETE => manifests::delete(ctx, name, &reference).await,
                _ => Err(method_not_allowed()),
            }
        }
        (Route::Blob { name, digest }, method) => {
            let (name, digest) = (repo(&name)?, digest_param(&digest)?);
            match method {
                Method::GET | Method::HEAD => blobs::get(ctx, name, digest).await,
                Method::DELETE => blobs::delete(ctx, name, digest).await,
                _ => Err(method_not_allowed()),
            }
        }
        (Route::UploadStart { name }, Method::POST) => uploads::start(ctx, repo(&name)?).await,
        (Route::Upload { name, id }, method) => {
            let name = repo(&name)?;
            let id = uploads::session_id(&id)?;
            match method {
                Method::GET => uploads::status(ctx, name, id).await,
                Method::PATCH => uploads::patch(ctx, name, id).await,
                Method::PUT => uploads::put(ctx, name, id).await,
                Method::DELETE => uploads::cancel(ctx, name, id).await,
                _ => Err(method_not_allowed()),
            }
        }
        (Route::NotFound, _) => Err(RegistryError::new(Code::NotFound, "no such endpoint")),
        _ => Err(method_not_allowed()),
    }
}

fn method_not_allowed() -> RegistryError {
    RegistryError::unsupported("method not allowed on this endpoint")
}

/// A validated repository name from the URL.
fn repo(raw: &str) -> Result<RepoName, RegistryError> {
    RepoName::parse(raw).ok_or_else(|| RegistryError::name_invalid(raw))
}

/// A validated digest from the URL or query.
fn digest_param(raw: &str) -> Result<Digest, RegistryError> {
    raw.parse().map_err(|_| RegistryError::digest_invalid(raw))
}

/// Run storage work on the blocking pool, keeping the request's log subscriber.
async fn on_disk<T, F>(context: &'static str, work: F) -> Result<T, RegistryError>
where
    F: FnOnce() -> std::io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let dispatch = tracing::dispatcher::get_default(|d| d.clone());
    let joined =
        tokio::task::spawn_blocking(move || tracing::dispatcher::with_default(&dispatch, work))
            .await;
    match joined {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(RegistryError::storage(context, &err)),
        Err(err) => Err(RegistryError::storage(context, &std::io::Error::other(err))),
    }
}

fn plain(status: StatusCode, text: impl Into<String>) -> Response<Body> {
    let text = text.into();
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CONTENT_LENGTH, text.len())
        .body(Body::from(text))
        .unwrap_or_default()
}

fn json(status: StatusCode, text: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, text.len())
        .body(Body::from(text))
        .unwrap_or_default()
}

/// `Range: 0-<last>` as upload responses carry it (`0-0` for an empty session, as
/// distribution answers).
fn upload_range(length: u64) -> String {
    format!("0-{}", length.saturating_sub(1))
}
