//! rctl's credentials file for `rctl login --store file`: `credentials.json` in rctl's config
//! directory (`$XDG_CONFIG_HOME/rctl` on Linux), for machines without a usable keyring.
//!
//! The secrets in it are not encrypted; the file is private to its owner instead. Every write
//! goes to a temporary file created with mode 0600 in the same directory, is flushed, and is
//! renamed over the old file, so the file is never partly written and never readable by others,
//! not even for a moment. The directory is created with mode 0700.
//!
//! Format: `{"auths": {"<credential key>": {"username": "…", "password": "…"}}}`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::record::Record;
use crate::auth::credential::Credential;
use crate::config::Config;

/// The file's name inside rctl's config directory.
pub const FILE_NAME: &str = "credentials.json";

#[derive(Default, Serialize, Deserialize)]
struct CredentialsFile {
    #[serde(default)]
    auths: BTreeMap<String, Record>,
}

/// Where the credentials file lives, if rctl has a config directory.
pub fn path(config: &Config) -> Option<PathBuf> {
    config.config_dir.as_ref().map(|dir| dir.join(FILE_NAME))
}

/// The credential stored under `key`.
pub fn get(path: &Path, key: &str) -> Result<Option<Credential>, StoreError> {
    let Some(file) = super::read_json::<CredentialsFile>(path)? else {
        return Ok(None);
    };
    Ok(file
        .auths
        .get(key)
        .cloned()
        .and_then(Record::into_credential))
}

/// Store `credential` under `key`, keeping the other entries.
pub fn set(path: &Path, key: &str, credential: &Credential) -> Result<(), StoreError> {
    let mut file = super::read_json::<CredentialsFile>(path)?.unwrap_or_default();
    file.auths
        .insert(key.to_string(), Record::from_credential(credential));
    write(path, &file)
}

/// Remove the entry for `key`; `false` when there was none. The file stays, possibly empty.
pub fn delete(path: &Path, key: &str) -> Result<bool, StoreError> {
    let Some(mut file) = super::read_json::<CredentialsFile>(path)? else {
        return Ok(false);
    };
    if file.auths.remove(key).is_none() {
        return Ok(false);
    }
    write(path, &file)?;
    Ok(true)
}

fn write(path: &Path, file: &CredentialsFile) -> Result<(), StoreError> {
    let fail = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir).map_err(fail)?;

    let mut bytes = serde_json::to_vec_pretty(file).expect("credentials always serialize");
    bytes.push(b'\n');
    let temp = dir.join(format!(
        ".{FILE_NAME}.{}.tmp",
        uuid::Uuid::new_v4().simple()
    ));
    let result = (|| {
        let mut out = create_private_file(&temp)?;
        out.write_all(&bytes)?;
        out.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(fail)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// A new file that only its owner can read, from the moment it exists.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

// TODO: restrict the file's ACL on Windows; it inherits the (per-user) config directory's.
#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_delete_keep_other_entries_and_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rctl").join(FILE_NAME);
        let alice = Credential::password("alice", "one");
        let bob = Credential::password("bob", "two");

        set(&path, "localhost:5000", &alice).unwrap();
        set(&path, "https://index.docker.io/v1/", &bob).unwrap();
        assert_eq!(get(&path, "localhost:5000").unwrap(), Some(alice));
        assert!(delete(&path, "localhost:5000").unwrap());
        assert!(!delete(&path, "localhost:5000").unwrap());
        assert_eq!(
            get(&path, "https://index.docker.io/v1/").unwrap(),
            Some(bob)
        );

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files left behind");
    }
}
