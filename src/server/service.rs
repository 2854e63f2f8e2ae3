//! One request from arrival to answer: route it, check credentials, call the handler, turn a
//! [`RegistryError`] into its JSON body, add the headers every response carries, and write the
//! access log line and metrics.
//!
//! `/`, `/healthz` and `/metrics` answer without credentials; everything under `/v2/` needs
//! them when auth is on, and a 401 carries `WWW-Authenticate: Basic realm=…`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;

use super::errors::{Code, RegistryError};
use super::handlers::{self, App, RequestContext};
use super::metrics;
use super::routes::Route;

/// The API version header distribution sends on every response.
const API_VERSION: (&str, &str) = ("Docker-Distribution-API-Version", "registry/2.0");

/// Answer one request. Never fails: errors become responses.
pub async fn serve_request(
    app: Arc<App>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let method = parts.method.clone();
    let route = Route::parse(parts.uri.path());

    let user = match authenticate(&app, &route, &parts.headers).await {
        Ok(user) => user,
        Err(response) => {
            let response = finish(response);
            log_request(&method, &route, &response, "", started);
            return Ok(response);
        }
    };

    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let base_url = base_url(&parts, app.tls);
    let ctx = RequestContext {
        app: &app,
        method: method.clone(),
        headers: parts.headers,
        query,
        base_url,
        body,
    };
    let response = match handlers::dispatch(route.clone(), ctx).await {
        Ok(response) => response,
        Err(err) => error_response(&err, &method),
    };
    let response = finish(response);
    log_request(
        &method,
        &route,
        &response,
        user.as_deref().unwrap_or(""),
        started,
    );
    Ok(response)
}

/// `Ok(user)` when the request may proceed (user empty without auth), else the 401.
async fn authenticate(
    app: &Arc<App>,
    route: &Route,
    headers: &http::HeaderMap,
) -> Result<Option<String>, Response<Body>> {
    let Some(auth) = &app.auth else {
        return Ok(None);
    };
    if matches!(route, Route::Root | Route::Health | Route::Metrics) {
        return Ok(None);
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(presented) = presented {
        let app = app.clone();
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        let verified = tokio::task::spawn_blocking(move || {
            tracing::dispatcher::with_default(&dispatch, || {
                app.auth.as_ref().and_then(|a| a.verify(&presented))
            })
        })
        .await
        .unwrap_or(None);
        if let Some(user) = verified {
            return Ok(Some(user));
        }
    }
    let err = RegistryError::new(Code::Unauthorized, "authentication required");
    let mut response = error_response(&err, &http::Method::GET);
    if let Ok(value) = HeaderValue::from_str(&auth.challenge()) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    Err(response)
}

/// `scheme://host` as the client sees the server: `X-Forwarded-Proto`/`X-Forwarded-Host` from
/// a proxy first, then `Host` (or the HTTP/2 authority). Empty (relative URLs) when the host
/// is missing or holds characters a host cannot have.
fn base_url(parts: &http::request::Parts, tls: bool) -> String {
    let first = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let scheme = match first("x-forwarded-proto").as_deref() {
        Some("https") => "https",
        Some("http") => "http",
        _ if tls => "https",
        _ => "http",
    };
    let host = first("x-forwarded-host")
        .or_else(|| first("host"))
        .or_else(|| parts.uri.authority().map(|a| a.to_string()));
    match host {
        Some(host)
            if host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b)) =>
        {
            format!("{scheme}://{host}")
        }
        _ => String::new(),
    }
}

fn error_response(err: &RegistryError, method: &http::Method) -> Response<Body> {
    let body = err.body();
    let mut builder = Response::builder()
        .status(err.code.status())
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len());
    if err.code == Code::Unsupported {
        builder = builder.header(header::ALLOW, "GET, HEAD");
    }
    let body = if method == http::Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    builder.body(body).unwrap_or_else(|_| {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

fn finish(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(API_VERSION.0, HeaderValue::from_static(API_VERSION.1));
    response
}

/// The access log: one `info` line per request. Never the `Authorization` header.
fn log_request(
    method: &http::Method,
    route: &Route,
    response: &Response<Body>,
    user: &str,
    started: Instant,
) {
    let status = response.status().as_u16();
    metrics::record_request(method.as_str(), status);
    let (repository, reference) = route.subject();
    let bytes = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    tracing::info!(
        target: "rctl::access",
        method = %method,
        repository,
        reference,
        status,
        bytes,
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        user,
        "request"
    );
}
