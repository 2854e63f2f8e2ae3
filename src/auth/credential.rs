//! Credentials for one registry, and where they came from.
//!
//! A [`Credential`] never prints its secret: `Debug` redacts it, and there is no `Display`.

use std::fmt;
use std::path::PathBuf;

/// The secret half of a login.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    Password(String),
    /// An OAuth2 refresh token (docker's `identitytoken`), exchanged with `grant_type=refresh_token`.
    IdentityToken(String),
}

/// A username and its secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub username: String,
    pub secret: Secret,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.secret {
            Secret::Password(_) => "password",
            Secret::IdentityToken(_) => "identity token",
        };
        f.debug_struct("Credential")
            .field("username", &self.username)
            .field("secret", &format_args!("<{kind} redacted>"))
            .finish()
    }
}

impl Credential {
    pub fn password(username: impl Into<String>, password: impl Into<String>) -> Credential {
        Credential {
            username: username.into(),
            secret: Secret::Password(password.into()),
        }
    }
}

/// Where a credential was found, for the debug log and `rctl login` messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// rctl's own entry in the OS keyring.
    Keyring,
    /// rctl's `--store file` credentials file.
    File(PathBuf),
    /// A `docker-credential-<name>` helper named by docker's `config.json`.
    Helper(String),
    /// The `auths` section of docker's `config.json`.
    DockerConfig(PathBuf),
    /// podman's `auth.json`.
    PodmanAuth(PathBuf),
    /// Given on the command line for this run only.
    CommandLine,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Keyring => write!(f, "the OS keyring"),
            Source::File(path) => write!(f, "`{}`", path.display()),
            Source::Helper(name) => write!(f, "credential helper `docker-credential-{name}`"),
            Source::DockerConfig(path) => write!(f, "docker config `{}`", path.display()),
            Source::PodmanAuth(path) => write!(f, "podman auth file `{}`", path.display()),
            Source::CommandLine => write!(f, "the command line"),
        }
    }
}
