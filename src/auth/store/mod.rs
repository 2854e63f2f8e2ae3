//! Where a user's registry credentials live, and the order rctl looks for them.
//!
//! For a registry, [`lookup`] asks in turn:
//!
//! 1. rctl's own entry in the OS keyring ([`keyring`]);
//! 2. rctl's `--store file` credentials file ([`file`]);
//! 3. docker's `config.json`: `credHelpers`, then `credsStore` through the
//!    `docker-credential-*` protocol ([`helper`]), then `auths` ([`docker`]);
//! 4. podman's `auth.json` ([`podman`]).
//!
//! The first store that holds a credential answers. A keyring that cannot be reached (no D-Bus
//! session, no Secret Service, a locked collection) is skipped during lookup, because most
//! commands work anonymously; every other broken store is an error, as it is for docker.
//!
//! rctl writes only to its own stores ([`save`], [`erase`]); docker's and podman's files and
//! credential helpers are read, never changed. Secrets never reach a log line or an error
//! message: errors name the store and the registry, not the content.

mod auths;
pub mod docker;
pub mod file;
pub mod helper;
pub mod keyring;
pub mod podman;
mod record;

use std::path::{Path, PathBuf};

use super::credential::{Credential, Source};
use crate::config::Config;
use crate::oci::reference::credential_key;

/// The stores `rctl login` can write to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The OS keyring: Secret Service, Keychain or Credential Manager.
    Keyring,
    /// A JSON file under rctl's config directory, readable only by its owner, not encrypted.
    File,
}

/// Why a credential store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No session bus, no Secret Service, or a locked collection.
    #[error("the OS keyring is not available (not running, or locked)")]
    KeyringUnavailable {
        #[source]
        source: ::keyring::Error,
    },
    #[error("the OS keyring failed")]
    Keyring {
        #[source]
        source: ::keyring::Error,
    },
    #[error("rctl's OS keyring entry for `{key}` is not a credential rctl wrote")]
    KeyringEntry { key: String },
    #[error("rctl has no configuration directory to keep a credentials file in")]
    NoConfigDir,
    #[error("cannot read `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}` is not valid: {what} at line {line}, column {column}")]
    Parse {
        path: PathBuf,
        what: &'static str,
        line: usize,
        column: usize,
    },
    #[error("`{path}` holds an unusable credential for `{key}`: {why}")]
    Entry {
        path: PathBuf,
        key: String,
        why: &'static str,
    },
    #[error("cannot write `{path}`")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot run credential helper `docker-credential-{name}`")]
    HelperSpawn {
        name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("credential helper `docker-credential-{name}` failed: {message}")]
    Helper { name: String, message: String },
}

impl StoreError {
    /// What the user can do next.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            StoreError::KeyringUnavailable { .. } | StoreError::Keyring { .. } => {
                "store the credentials in a file instead with `--store file` (not encrypted, \
                 mode 0600), or start a Secret Service such as gnome-keyring and unlock it"
                    .to_string()
            }
            StoreError::KeyringEntry { key } => {
                format!("remove the entry with `rctl logout {key}` and log in again")
            }
            StoreError::NoConfigDir => {
                "set `XDG_CONFIG_HOME` or `RCTL_CONFIG_DIR` to a directory rctl may write"
                    .to_string()
            }
            StoreError::Parse { path, .. } | StoreError::Entry { path, .. } => {
                format!("fix or remove `{}`", path.display())
            }
            StoreError::HelperSpawn { name, .. } => format!(
                "install `docker-credential-{name}` on PATH, or remove `{name}` from \
                 `credHelpers`/`credsStore` in docker's `config.json`"
            ),
            StoreError::Helper { name, .. } => {
                format!("check the helper with `docker-credential-{name} list`")
            }
            StoreError::Read { .. } | StoreError::Write { .. } => return None,
        })
    }

    fn from_keyring(source: ::keyring::Error) -> StoreError {
        match source {
            ::keyring::Error::NoStorageAccess(_) | ::keyring::Error::PlatformFailure(_) => {
                StoreError::KeyringUnavailable { source }
            }
            source => StoreError::Keyring { source },
        }
    }
}

/// The credential for `registry` (a canonical name such as `docker.io` or `localhost:5000`),
/// and the store it came from; `None` means anonymous.
pub fn lookup(registry: &str, config: &Config) -> Result<Option<(Credential, Source)>, StoreError> {
    let found = find(registry, config)?;
    match &found {
        Some((credential, source)) => tracing::debug!(
            registry,
            source = %source,
            username = %credential.username,
            "found credentials"
        ),
        None => tracing::debug!(registry, "no credentials in any store"),
    }
    Ok(found)
}

fn find(registry: &str, config: &Config) -> Result<Option<(Credential, Source)>, StoreError> {
    let key = credential_key(registry);
    match keyring::get(&key) {
        Ok(Some(credential)) => return Ok(Some((credential, Source::Keyring))),
        Ok(None) => {}
        Err(err @ StoreError::KeyringUnavailable { .. }) => {
            tracing::debug!(registry, error = %err, cause = %source_text(&err), "skipping the OS keyring");
        }
        Err(err) => return Err(err),
    }

    if let Some(path) = file::path(config)
        && let Some(credential) = file::get(&path, &key)?
    {
        return Ok(Some((credential, Source::File(path))));
    }
    if let Some(dir) = &config.docker_config_dir
        && let Some(found) = docker::lookup(dir, registry)?
    {
        return Ok(Some(found));
    }
    for path in &config.podman_auth_files {
        if let Some(credential) = podman::get(path, registry)? {
            return Ok(Some((credential, Source::PodmanAuth(path.clone()))));
        }
    }
    Ok(None)
}

/// Fail early, before a password is typed, when `target` cannot take a credential. A locked
/// keyring may only show itself when the credential is written.
pub fn check_writable(target: Target, registry: &str, config: &Config) -> Result<(), StoreError> {
    match target {
        Target::Keyring => match keyring::get(&credential_key(registry)) {
            // A damaged entry is about to be replaced.
            Ok(_) | Err(StoreError::KeyringEntry { .. }) => Ok(()),
            Err(err) => Err(err),
        },
        Target::File => file::path(config)
            .map(|_| ())
            .ok_or(StoreError::NoConfigDir),
    }
}

/// Store `credential` for `registry` in `target`; returns where it went.
pub fn save(
    registry: &str,
    config: &Config,
    credential: &Credential,
    target: Target,
) -> Result<Source, StoreError> {
    let key = credential_key(registry);
    match target {
        Target::Keyring => {
            keyring::set(&key, credential)?;
            Ok(Source::Keyring)
        }
        Target::File => {
            let path = file::path(config).ok_or(StoreError::NoConfigDir)?;
            file::set(&path, &key, credential)?;
            Ok(Source::File(path))
        }
    }
}

/// What [`erase`] removed.
#[derive(Debug, Default)]
pub struct Erased {
    /// The stores that held a credential for the registry and no longer do.
    pub removed: Vec<Source>,
    /// Set when the OS keyring could not be reached, so its entry (if any) is still there.
    pub keyring_error: Option<StoreError>,
}

/// Remove rctl's credentials for `registry` from the keyring and the credentials file.
/// docker's and podman's stores are left alone: rctl never writes them.
pub fn erase(registry: &str, config: &Config) -> Result<Erased, StoreError> {
    let key = credential_key(registry);
    let mut erased = Erased::default();

    if let Some(path) = file::path(config)
        && file::delete(&path, &key)?
    {
        erased.removed.push(Source::File(path));
    }
    match keyring::delete(&key) {
        Ok(true) => erased.removed.push(Source::Keyring),
        Ok(false) => {}
        Err(err @ StoreError::KeyringUnavailable { .. }) => erased.keyring_error = Some(err),
        Err(err) => return Err(err),
    }
    Ok(erased)
}

/// The innermost cause of `err`, for debug logs that should say why a store was skipped.
fn source_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// Read and parse a JSON file; `None` when it does not exist.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Option<T>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StoreError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    // serde_json's messages can quote the offending value, which may be a secret: keep only
    // the kind of problem and its position.
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|err| StoreError::Parse {
            path: path.to_path_buf(),
            what: match err.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                    "a JSON syntax error"
                }
                serde_json::error::Category::Eof => "unexpected end of file",
                serde_json::error::Category::Data => "an unexpected value",
            },
            line: err.line(),
            column: err.column(),
        })
}
