//! Turning a registry's non-success answer into an [`Error`]: the spec's
//! `{"errors":[{"code","message"}]}` body is read when present.

use reqwest::StatusCode;
use serde::Deserialize;

use super::{Error, RegistryClient, retry};

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ErrorEntry>,
}

#[derive(Deserialize)]
struct ErrorEntry {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// `CODE: message` from a registry error body, if it has one.
pub fn error_message(body: &[u8]) -> Option<(String, String)> {
    let parsed: ErrorBody = serde_json::from_slice(body).ok()?;
    let first = parsed.errors.into_iter().next()?;
    Some((first.code, first.message))
}

/// Pass a success through; turn anything else into the matching [`Error`]. `what` names the
/// object for messages (`manifest busybox:latest`).
pub async fn check(
    client: &RegistryClient,
    response: reqwest::Response,
    what: &str,
) -> Result<reqwest::Response, Error> {
    check_in(client, response, what, "").await
}

/// As [`check`], naming the repository so a 404 can suggest `rctl tags`.
pub async fn check_in(
    client: &RegistryClient,
    response: reqwest::Response,
    what: &str,
    repository: &str,
) -> Result<reqwest::Response, Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let registry = client.registry().to_string();
    let method_path = response.url().path().to_string();
    let rate_limit = retry::rate_limit_summary(response.headers());
    let body = response.bytes().await.unwrap_or_default();
    let parsed = error_message(&body);
    let code = parsed
        .as_ref()
        .map(|(code, _)| code.clone())
        .unwrap_or_default();
    let message = parsed.map(|(code, message)| {
        if message.is_empty() {
            code
        } else {
            format!("{code}: {message}")
        }
    });
    Err(match status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized {
            registry,
            logged_in: client.has_credential(),
        },
        StatusCode::FORBIDDEN => Error::Denied {
            registry,
            what: what.to_string(),
            message,
        },
        StatusCode::NOT_FOUND => Error::NotFound {
            registry,
            what: what.to_string(),
            repository: repository.to_string(),
            message,
        },
        StatusCode::TOO_MANY_REQUESTS => Error::TooManyRequests {
            registry,
            rate_limit,
        },
        StatusCode::METHOD_NOT_ALLOWED => Error::Unsupported {
            registry,
            operation: what.to_string(),
            message,
        },
        StatusCode::BAD_REQUEST if code == "UNSUPPORTED" => Error::Unsupported {
            registry,
            operation: what.to_string(),
            message,
        },
        _ => Error::Status {
            registry,
            method: what.to_string(),
            path: method_path,
            status: status.as_u16(),
            message,
        },
    })
}
