//! The JSON form of a credential in rctl's own stores: the keyring entry's secret and each
//! value in the credentials file.
//!
//! `{"username": "u", "password": "p"}`, or `"identitytoken"` in place of `"password"` for an
//! OAuth2 refresh token. The record has no `Debug`, so it cannot end up in a log by accident.

use serde::{Deserialize, Serialize};

use crate::auth::credential::{Credential, Secret};

#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Record {
    username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identitytoken: Option<String>,
}

impl Record {
    pub(super) fn from_credential(credential: &Credential) -> Record {
        let (password, identitytoken) = match &credential.secret {
            Secret::Password(p) => (Some(p.clone()), None),
            Secret::IdentityToken(t) => (None, Some(t.clone())),
        };
        Record {
            username: credential.username.clone(),
            password,
            identitytoken,
        }
    }

    /// The credential, or `None` when the record holds no secret.
    pub(super) fn into_credential(self) -> Option<Credential> {
        let secret = match (self.identitytoken, self.password) {
            (Some(token), _) if !token.is_empty() => Secret::IdentityToken(token),
            (_, Some(password)) => Secret::Password(password),
            _ => return None,
        };
        Some(Credential {
            username: self.username,
            secret,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_and_identity_token_round_trip() {
        for credential in [
            Credential::password("alice", "pa:ss"),
            Credential {
                username: "bob".into(),
                secret: Secret::IdentityToken("refresh".into()),
            },
        ] {
            let text = serde_json::to_string(&Record::from_credential(&credential)).unwrap();
            let back: Record = serde_json::from_str(&text).unwrap();
            assert_eq!(back.into_credential(), Some(credential));
        }
    }
}
