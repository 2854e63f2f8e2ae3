//! docker's credential-helper protocol, read side: `docker-credential-<name> get` with the
//! server URL on stdin, answering `{"ServerURL": …, "Username": …, "Secret": …}` on stdout.
//!
//! A helper that answers "credentials not found" (docker's own helpers print exactly that and
//! exit 1) means "no credentials", not a failure. A `Username` of `<token>` marks `Secret` as
//! an identity (OAuth2 refresh) token. The secret travels only through the helper's stdout;
//! it is never put in an argument, and a failing helper's output is quoted in the error only
//! as its first line.

use std::io::Write;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::StoreError;
use crate::auth::credential::{Credential, Secret};

/// What docker's helpers print when they hold nothing for the server.
const NOT_FOUND: &str = "credentials not found";
/// The `Username` that marks `Secret` as an identity token.
const TOKEN_USERNAME: &str = "<token>";

#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Ask helper `name` for the credential of `server_url` (a credential key).
pub fn get(name: &str, server_url: &str) -> Result<Option<Credential>, StoreError> {
    let program = format!("docker-credential-{name}");
    let spawn_error = |source| StoreError::HelperSpawn {
        name: name.to_string(),
        source,
    };
    tracing::debug!(helper = %program, server_url, "asking credential helper");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_error)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading its input is judged by its answer below.
        let _ = stdin.write_all(server_url.as_bytes());
    }
    // TODO: bound the wait; a helper that hangs (say, on a GUI unlock prompt) hangs rctl, as it
    // hangs docker.
    let output = child.wait_with_output().map_err(spawn_error)?;

    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stdout.contains(NOT_FOUND) || stderr.contains(NOT_FOUND) {
            return Ok(None);
        }
        let message = first_line(&stdout)
            .or_else(|| first_line(&stderr))
            .unwrap_or_else(|| format!("exited with {}", output.status));
        return Err(StoreError::Helper {
            name: name.to_string(),
            message,
        });
    }

    let answer: HelperAnswer =
        serde_json::from_str(stdout.trim()).map_err(|_| StoreError::Helper {
            name: name.to_string(),
            message: "its answer is not the expected JSON".to_string(),
        })?;
    if answer.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(if answer.username == TOKEN_USERNAME {
        Credential {
            username: String::new(),
            secret: Secret::IdentityToken(answer.secret),
        }
    } else {
        Credential::password(answer.username, answer.secret)
    }))
}

fn first_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.chars().take(200).collect())
}
