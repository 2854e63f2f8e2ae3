//! docker's `config.json` (in `$DOCKER_CONFIG`, else `~/.docker`): the credential helpers it
//! names and its `auths` section, consulted in docker's order.
//!
//! For a registry: the helper in `credHelpers` under its key, then the `credsStore` helper, then
//! the `auths` entry (see [`super::auths`] for how keys match). rctl only reads this file.
//!
//! One difference from docker: a helper that answers "credentials not found" lets the search go
//! on to the next source, where docker would stop, so a stale `credsStore` left in a copied
//! config does not hide a working `auths` entry.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::auths::{self, Auths};
use super::{StoreError, helper};
use crate::auth::credential::{Credential, Source};
use crate::oci::reference::credential_key;

/// The file's name inside docker's config directory.
pub const FILE_NAME: &str = "config.json";

#[derive(Default, Deserialize)]
struct DockerConfig {
    #[serde(default)]
    auths: Auths,
    #[serde(rename = "credsStore", default)]
    creds_store: Option<String>,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: BTreeMap<String, String>,
}

/// The credential docker's configuration in `dir` holds for `registry`.
pub fn lookup(dir: &Path, registry: &str) -> Result<Option<(Credential, Source)>, StoreError> {
    let path = dir.join(FILE_NAME);
    let Some(config) = super::read_json::<DockerConfig>(&path)? else {
        return Ok(None);
    };
    let key = credential_key(registry);

    let named_helper = config.cred_helpers.get(&key).or_else(|| {
        config
            .cred_helpers
            .iter()
            .find(|(k, _)| auths::key_registry(k).as_deref() == Some(registry))
            .map(|(_, name)| name)
    });
    for name in named_helper.into_iter().chain(config.creds_store.as_ref()) {
        if name.is_empty() {
            continue;
        }
        if let Some(credential) = helper::get(name, &key)? {
            return Ok(Some((credential, Source::Helper(name.clone()))));
        }
    }

    let Some((found_key, entry)) = auths::find(&config.auths, registry) else {
        return Ok(None);
    };
    let credential = entry.credential().map_err(|why| StoreError::Entry {
        path: path.clone(),
        key: found_key.to_string(),
        why,
    })?;
    Ok(credential.map(|c| (c, Source::DockerConfig(path))))
}
