//! HTTP Basic authentication against an htpasswd file of bcrypt entries (`htpasswd -B`).
//!
//! Guarantees: a wrong password and an unknown user cost the same (an unknown user is checked
//! against a dummy hash of the same cost), so timing does not reveal which users exist; the
//! password never reaches a log line. Verified credentials are remembered by the SHA-256 of the
//! header value, so a client's thousandth request does not pay bcrypt again.
//!
//! Deliberately not here: token (Bearer) auth and per-repository permissions; every
//! authenticated user may pull and push everything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq;

use crate::error::Hinted;

/// How many verified credentials are remembered before the memo is cleared.
const MEMO_LIMIT: usize = 1024;

/// The users allowed in, and the realm the challenge names.
pub struct Htpasswd {
    users: HashMap<String, String>,
    pub realm: String,
    /// A hash of the same cost as real entries, checked when the user is unknown.
    dummy_hash: String,
    /// SHA-256 of `Authorization` values that verified, with the user they name.
    memo: Mutex<HashMap<[u8; 32], String>>,
}

impl Htpasswd {
    /// Read `path`; entries that are not bcrypt are refused with a warning.
    pub fn load(path: &Path, realm: String) -> Result<Htpasswd, Hinted> {
        let text = std::fs::read_to_string(path).map_err(|err| {
            Hinted::new(
                format!("cannot read htpasswd file `{}`", path.display()),
                "create one with `htpasswd -Bbc FILE USER PASSWORD`",
            )
            .with_source(err)
        })?;
        let mut users = HashMap::new();
        let mut cost = 5;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((user, hash)) = line.split_once(':') else {
                tracing::warn!(line = number + 1, file = %path.display(), "skipping htpasswd line without `user:hash`");
                continue;
            };
            if !hash.starts_with("$2") {
                tracing::warn!(user, file = %path.display(), "skipping htpasswd entry that is not bcrypt; recreate it with `htpasswd -B`");
                continue;
            }
            if let Some(c) = hash.get(4..6).and_then(|c| c.parse().ok()) {
                cost = c;
            }
            users.insert(user.to_string(), hash.to_string());
        }
        if users.is_empty() {
            return Err(Hinted::new(
                format!("htpasswd file `{}` has no bcrypt entries", path.display()),
                "add a user with `htpasswd -B FILE USER`",
            ));
        }
        let dummy_hash = bcrypt::hash("rctl-dummy-password", cost)
            .map_err(|e| Hinted::new("cannot prepare password checks", "retry").with_source(e))?;
        Ok(Htpasswd {
            users,
            realm,
            dummy_hash,
            memo: Mutex::new(HashMap::new()),
        })
    }

    /// The `WWW-Authenticate` value for a 401.
    pub fn challenge(&self) -> String {
        format!("Basic realm=\"{}\"", self.realm.replace('"', ""))
    }

    /// The user an `Authorization` header proves, if it proves one. Runs bcrypt: call it off
    /// the async threads.
    pub fn verify(&self, authorization: &str) -> Option<String> {
        let key: [u8; 32] = Sha256::digest(authorization.as_bytes()).into();
        if let Some(user) = self.memo.lock().ok()?.get(&key) {
            return Some(user.clone());
        }

        let encoded = authorization.strip_prefix("Basic ")?.trim();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (user, password) = decoded.split_once(':')?;
        let (hash, known) = match self.users.get(user) {
            Some(hash) => (hash.as_str(), true),
            None => (self.dummy_hash.as_str(), false),
        };
        let matches = bcrypt::verify(password, hash).unwrap_or(false);
        let accepted: bool = (u8::from(matches) & u8::from(known)).ct_eq(&1).into();
        if !accepted {
            tracing::debug!(user, "rejected credentials");
            return None;
        }
        if let Ok(mut memo) = self.memo.lock() {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(key, user.to_string());
        }
        Some(user.to_string())
    }
}

/// Where the htpasswd file and realm come from.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub htpasswd: PathBuf,
    pub realm: String,
}
