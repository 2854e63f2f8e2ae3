//! Errors from talking to a registry, each with the hint a user needs to get past it.

use crate::auth::token::TokenError;
use crate::oci::Digest;

/// A failed registry operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot connect to registry `{registry}`")]
    Connect {
        registry: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("cannot resolve the host of registry `{registry}`")]
    UnknownHost {
        registry: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("registry `{registry}` gave an HTTP response to an HTTPS client")]
    PlainHttp { registry: String },
    #[error("TLS connection to registry `{registry}` failed")]
    Tls {
        registry: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("TLS setup for registry `{registry}` failed")]
    TlsSetup {
        registry: String,
        #[source]
        source: super::tls::TlsError,
    },
    #[error("request to registry `{registry}` failed")]
    Request {
        registry: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("`{url}` is not a container registry (GET /v2/ answered HTTP {status})")]
    NotARegistry {
        registry: String,
        url: String,
        status: u16,
    },
    #[error("registry `{registry}` requires authentication{}", if *.logged_in { " and rejected the stored credentials" } else { "" })]
    Unauthorized { registry: String, logged_in: bool },
    #[error("registry `{registry}` denied access to `{what}`{}", detail(.message))]
    Denied {
        registry: String,
        what: String,
        message: Option<String>,
    },
    #[error("{what} not found on registry `{registry}`{}", detail(.message))]
    NotFound {
        registry: String,
        what: String,
        repository: String,
        message: Option<String>,
    },
    #[error("registry `{registry}` is rate limiting requests (HTTP 429){}", detail(.rate_limit))]
    TooManyRequests {
        registry: String,
        rate_limit: Option<String>,
    },
    #[error("{operation} is not supported by registry `{registry}`{}", detail(.message))]
    Unsupported {
        registry: String,
        operation: String,
        message: Option<String>,
    },
    #[error("registry `{registry}` answered {method} {path} with HTTP {status}{}", detail(.message))]
    Status {
        registry: String,
        method: String,
        path: String,
        status: u16,
        message: Option<String>,
    },
    #[error(
        "content from registry `{registry}` does not match its digest: expected {expected}, got {actual}"
    )]
    DigestMismatch {
        registry: String,
        expected: Digest,
        actual: Digest,
    },
    #[error("registry `{registry}` sent an invalid response: {what}")]
    InvalidResponse { registry: String, what: String },
    #[error("cannot get a token for registry `{registry}`")]
    Token {
        registry: String,
        #[source]
        source: TokenError,
    },
}

fn detail(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!(": {m}"),
        _ => String::new(),
    }
}

impl Error {
    /// What the user can do next.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Connect { registry, .. } => {
                format!("check that a registry is listening at `{registry}` and that the host and port are right")
            }
            Error::UnknownHost { registry, .. } => format!("check the spelling of the host name `{registry}`"),
            Error::PlainHttp { registry } => format!(
                "this registry speaks plain HTTP: pass `--insecure` or set `tls = \"insecure\"` for `{registry}` in config.toml"
            ),
            Error::Tls { registry, .. } => format!(
                "trust the registry's CA with `SSL_CERT_FILE`, `/etc/docker/certs.d/{registry}/ca.crt` or `ca_file` in config.toml; `--insecure` skips verification"
            ),
            Error::TlsSetup { .. } => "check that the CA file holds PEM certificates".to_string(),
            Error::NotARegistry { .. } => "check the address: it should be the registry's host and port, without a path".to_string(),
            Error::Unauthorized { registry, .. } => format!("log in with `{}`", login_command(registry)),
            Error::Denied { registry, .. } => format!(
                "check that the account may access this repository, or log in as another user with `{}`",
                login_command(registry)
            ),
            Error::NotFound {
                registry,
                repository,
                ..
            } if !repository.is_empty() => {
                format!("check the name and list the tags with `rctl tags {registry}/{repository}`")
            }
            Error::TooManyRequests { registry, .. } => format!(
                "wait before retrying; logging in with `{}` raises anonymous limits",
                login_command(registry)
            ),
            Error::Token { source: TokenError::Unauthorized { .. }, registry } => {
                format!("log in again with `{}`", login_command(registry))
            }
            Error::DigestMismatch { .. } => {
                "the registry holds corrupt content or something altered it in transit; nothing was stored".to_string()
            }
            _ => return None,
        })
    }
}

/// The command that logs in to `registry`: Docker Hub is the default and needs no argument.
pub fn login_command(registry: &str) -> String {
    if registry == crate::oci::reference::DOCKER_HUB {
        "rctl login".to_string()
    } else {
        format!("rctl login {registry}")
    }
}
