//! podman's `auth.json` (`$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`,
//! else `~/.config/containers/auth.json`): its `auths` section, keyed by `host[:port]` (and
//! `docker.io` for Docker Hub). rctl only reads this file.
//!
//! podman also accepts keys scoped to a namespace (`quay.io/org`); rctl looks credentials up per
//! registry, so it does not use those.

use std::path::Path;

use serde::Deserialize;

use super::StoreError;
use super::auths::{self, Auths};
use crate::auth::credential::Credential;

#[derive(Default, Deserialize)]
struct AuthFile {
    #[serde(default)]
    auths: Auths,
}

/// The credential `path` holds for `registry`.
pub fn get(path: &Path, registry: &str) -> Result<Option<Credential>, StoreError> {
    let Some(file) = super::read_json::<AuthFile>(path)? else {
        return Ok(None);
    };
    let Some((key, entry)) = auths::find(&file.auths, registry) else {
        return Ok(None);
    };
    entry.credential().map_err(|why| StoreError::Entry {
        path: path.to_path_buf(),
        key: key.to_string(),
        why,
    })
}
