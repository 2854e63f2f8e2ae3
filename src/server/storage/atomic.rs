//! Atomic file writes and the `link` files of the distribution layout.
//!
//! A file becomes visible only complete: bytes go to `.tmp-<uuid>` in the target's own directory
//! (so the rename never crosses a filesystem), are fsynced, and are renamed over the target.
//! A crash leaves at most a `.tmp-*` file, which readers never look at and `rctl gc` removes.
//! On any error the temporary file is removed before the error is returned.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::oci::Digest;

/// The prefix of temporary files; `gc` removes stale ones.
pub const TEMP_PREFIX: &str = ".tmp-";

/// A fresh temporary path next to `target`.
pub fn temp_path_for(target: &Path) -> PathBuf {
    let dir = target.parent().unwrap_or(Path::new("."));
    dir.join(format!("{TEMP_PREFIX}{}", uuid::Uuid::new_v4()))
}

/// Write `bytes` to `target` so that readers see either the old content or all of the new.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)?;
    }
    let temp = temp_path_for(target);
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Rename a complete, fsynced file into place, creating the target's directory.
pub fn publish(complete: &Path, target: &Path) -> io::Result<()> {
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::rename(complete, target)
}

/// Write a `link` file holding `digest`, as distribution does (no trailing newline).
pub fn write_link(path: &Path, digest: &Digest) -> io::Result<()> {
    write_atomic(path, digest.to_string().as_bytes())
}

/// The digest a `link` file holds; `None` when the file is missing or does not hold a digest.
pub fn read_link(path: &Path) -> io::Result<Option<Digest>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(text.trim().parse().ok()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => Ok(None),
        Err(err) => Err(err),
    }
}

/// Remove a file or directory tree; a missing one is not an error.
pub fn remove_all(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(err) => Err(err),
    };
    match result {
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Names of the entries of `dir`, sorted; an absent directory has none.
pub fn list_dir(dir: &Path) -> io::Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) if err.kind() == io::ErrorKind::NotADirectory => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        if let Some(name) = entry.file_name().to_str()
            && !name.starts_with(TEMP_PREFIX)
        {
            names.push(name.to_string());
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/link");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(list_dir(target.parent().unwrap()).unwrap(), vec!["link"]);
    }

    #[test]
    fn link_round_trips_and_missing_link_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let digest = Digest::sha256_of(b"x");
        write_link(&dir.path().join("link"), &digest).unwrap();
        assert_eq!(read_link(&dir.path().join("link")).unwrap(), Some(digest));
        assert_eq!(read_link(&dir.path().join("nope")).unwrap(), None);
    }
}
