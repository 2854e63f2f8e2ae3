//! The `auths` map that docker's `config.json` and podman's `auth.json` share: which key
//! belongs to a registry, and how an entry decodes into a [`Credential`].
//!
//! Keys are matched the way the docker CLI matches them: the exact credential key first
//! (`https://index.docker.io/v1/` for Docker Hub, `host[:port]` otherwise), then any key that
//! names the same host once a scheme and a legacy `/v1/` or `/v2/` path are dropped
//! (`https://host`, `http://host/v1/`). Keys scoped to a repository namespace
//! (podman's `quay.io/org`) are not used for the whole registry.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;

use crate::auth::credential::{Credential, Secret};
use crate::oci::reference::{credential_key, normalize_registry};

/// One entry under `auths`. Docker writes `auth` (base64 of `user:password`) and, after an
/// OAuth2 login, `identitytoken`; some tools write `username` and `password` in the clear.
#[derive(Default, Deserialize)]
pub(super) struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

pub(super) type Auths = BTreeMap<String, AuthEntry>;

impl AuthEntry {
    /// The credential this entry holds; `None` for an empty entry (docker leaves `{}` behind
    /// when a credential store keeps the secret). `Err` names what is malformed.
    pub(super) fn credential(&self) -> Result<Option<Credential>, &'static str> {
        let mut username = self.username.clone().filter(|u| !u.is_empty());
        let mut password = self.password.clone().filter(|p| !p.is_empty());

        if let Some(auth) = self.auth.as_deref().filter(|a| !a.is_empty()) {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(auth.trim())
                .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(auth.trim()))
                .map_err(|_| "`auth` is not base64")?;
            let decoded = String::from_utf8(decoded).map_err(|_| "`auth` is not UTF-8")?;
            let (user, pass) = decoded
                .split_once(':')
                .ok_or("`auth` is not of the form `user:password`")?;
            username = Some(user.to_string());
            password = Some(pass.to_string()).filter(|p| !p.is_empty());
        }

        if let Some(token) = self.identitytoken.clone().filter(|t| !t.is_empty()) {
            return Ok(Some(Credential {
                username: username.unwrap_or_default(),
                secret: Secret::IdentityToken(token),
            }));
        }
        Ok(match (username, password) {
            (Some(username), Some(password)) => Some(Credential::password(username, password)),
            _ => None,
        })
    }
}

/// The entry for `registry` (a canonical name), and the key it was found under.
pub(super) fn find<'a>(auths: &'a Auths, registry: &str) -> Option<(&'a str, &'a AuthEntry)> {
    let key = credential_key(registry);
    if let Some((key, entry)) = auths.get_key_value(&key) {
        return Some((key.as_str(), entry));
    }
    auths
        .iter()
        .find(|(key, _)| key_registry(key).as_deref() == Some(registry))
        .map(|(key, entry)| (key.as_str(), entry))
}

/// The registry a key names, or `None` for a key scoped below the registry.
pub(super) fn key_registry(key: &str) -> Option<String> {
    let rest = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = path.trim_end_matches('/');
    if !(path.is_empty() || path == "v1" || path == "v2") || host.is_empty() {
        return None;
    }
    Some(normalize_registry(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(json: &str) -> AuthEntry {
        serde_json::from_str(json).unwrap()
    }

    fn auths(keys: &[&str]) -> Auths {
        keys.iter()
            .map(|k| (k.to_string(), AuthEntry::default()))
            .collect()
    }

    #[test]
    fn auth_field_decodes_to_user_and_password_split_at_the_first_colon() {
        // base64("alice:pa:ss")
        let credential = entry(r#"{"auth":"YWxpY2U6cGE6c3M="}"#)
            .credential()
            .unwrap()
            .unwrap();
        assert_eq!(credential, Credential::password("alice", "pa:ss"));
    }

    #[test]
    fn identity_token_wins_over_the_password() {
        let credential = entry(r#"{"auth":"YWxpY2U6","identitytoken":"tok"}"#)
            .credential()
            .unwrap()
            .unwrap();
        assert_eq!(credential.username, "alice");
        assert!(credential.secret == Secret::IdentityToken("tok".into()));
    }

    #[test]
    fn empty_entry_holds_nothing_and_bad_base64_is_an_error() {
        assert!(entry("{}").credential().unwrap().is_none());
        assert!(entry(r#"{"auth":"***"}"#).credential().is_err());
    }

    #[test]
    fn docker_hub_matches_its_credential_key_and_aliases() {
        let map = auths(&["docker.io", "https://index.docker.io/v1/"]);
        assert_eq!(
            find(&map, "docker.io").unwrap().0,
            "https://index.docker.io/v1/"
        );
        let map = auths(&["index.docker.io"]);
        assert_eq!(find(&map, "docker.io").unwrap().0, "index.docker.io");
    }

    #[test]
    fn legacy_url_keys_match_their_host_but_namespaced_keys_do_not() {
        let map = auths(&["https://localhost:5000"]);
        assert!(find(&map, "localhost:5000").is_some());
        let map = auths(&["http://registry.example.com/v1/"]);
        assert!(find(&map, "registry.example.com").is_some());
        let map = auths(&["quay.io/org"]);
        assert!(find(&map, "quay.io").is_none());
        let map = auths(&["localhost:5001"]);
        assert!(find(&map, "localhost:5000").is_none());
    }
}
