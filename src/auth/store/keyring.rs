//! rctl's entries in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), through the `keyring` crate.
//!
//! One entry per registry: service `rctl`, user the registry's credential key
//! (`https://index.docker.io/v1/` or `host[:port]`), and as the secret a small JSON record with
//! the username and the password or identity token.
//!
//! The calls block and, on Linux, talk D-Bus through a runtime of their own: call them from a
//! plain thread or `spawn_blocking`, never from an async task. A keyring that cannot be reached
//! (no session bus, no Secret Service, a locked collection) is reported as
//! [`StoreError::KeyringUnavailable`], distinct from an absent entry.

use super::StoreError;
use super::record::Record;
use crate::auth::credential::Credential;

/// The service name of every rctl entry.
pub const SERVICE: &str = "rctl";

fn entry(key: &str) -> Result<::keyring::Entry, StoreError> {
    ::keyring::Entry::new(SERVICE, key).map_err(StoreError::from_keyring)
}

/// rctl's credential for `key`, or `None` when there is no entry.
pub fn get(key: &str) -> Result<Option<Credential>, StoreError> {
    let text = match entry(key)?.get_password() {
        Ok(text) => text,
        Err(::keyring::Error::NoEntry) => return Ok(None),
        Err(err) => return Err(StoreError::from_keyring(err)),
    };
    let record: Record = serde_json::from_str(&text).map_err(|_| StoreError::KeyringEntry {
        key: key.to_string(),
    })?;
    Ok(record.into_credential())
}

/// Store `credential` under `key`, replacing what was there.
pub fn set(key: &str, credential: &Credential) -> Result<(), StoreError> {
    let text = serde_json::to_string(&Record::from_credential(credential))
        .expect("a credential record always serializes");
    entry(key)?
        .set_password(&text)
        .map_err(StoreError::from_keyring)
}

/// Remove the entry for `key`; `false` when there was none.
pub fn delete(key: &str) -> Result<bool, StoreError> {
    match entry(key)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(::keyring::Error::NoEntry) => Ok(false),
        Err(err) => Err(StoreError::from_keyring(err)),
    }
}
