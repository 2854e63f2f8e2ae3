//! OCI archives: an OCI image layout in a tar file (`oci-archive:FILE[:TAG]`).
//!
//! Reading unpacks into a scratch directory and serves it as a layout; writing builds a layout
//! in a scratch directory beside the target and packs it into a temporary file that is renamed
//! over the target only when complete.

use std::path::{Path, PathBuf};

use super::error::{Error, Result};

/// A directory removed when dropped.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// A fresh directory inside `parent`.
    pub fn new_in(parent: &Path) -> Result<Scratch> {
        let path = parent.join(format!(".rctl-tmp-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).map_err(Error::io("create", &path))?;
        Ok(Scratch { path })
    }

    /// A fresh directory in the system's temporary directory.
    pub fn new() -> Result<Scratch> {
        Scratch::new_in(&std::env::temp_dir())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Unpack a tar archive into `dir`, refusing entries that would land outside it.
pub fn unpack(archive: &Path, dir: &Path) -> Result<()> {
    let file = std::fs::File::open(archive).map_err(Error::io("open", archive))?;
    let mut tar = tar::Archive::new(std::io::BufReader::new(file));
    tar.set_preserve_permissions(false);
    // `unpack` skips entries with `..` or absolute paths, so nothing escapes `dir`.
    tar.unpack(dir).map_err(|e| Error::Invalid {
        kind: "tar archive",
        path: archive.to_path_buf(),
        what: e.to_string(),
    })
}

/// Pack the files of `dir` (without dot files: rctl's temporary and lock files) into a tar at `target`,
/// written to a temporary file first and renamed into place.
pub fn pack(dir: &Path, target: &Path, skip: &[&str]) -> Result<()> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = parent.join(format!(
        ".{}.tmp-{}",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        uuid::Uuid::new_v4()
    ));
    let result = (|| -> std::io::Result<()> {
        let file = std::fs::File::create(&temp)?;
        let mut builder = tar::Builder::new(std::io::BufWriter::new(file));
        builder.mode(tar::HeaderMode::Deterministic);
        append_tree(&mut builder, dir, Path::new(""), skip)?;
        let writer = builder.into_inner()?;
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, target)
    })();
    if let Err(source) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::Io {
            action: "write archive",
            path: target.to_path_buf(),
            source,
        });
    }
    Ok(())
}

fn append_tree<W: std::io::Write>(
    builder: &mut tar::Builder<W>,
    root: &Path,
    relative: &Path,
    skip: &[&str],
) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(relative))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        // Temporary files and lock files are rctl's own, not part of the layout.
        if name_text.starts_with('.') || skip.contains(&name_text.as_ref()) {
            continue;
        }
        let path = relative.join(&name);
        if entry.file_type()?.is_dir() {
            builder.append_dir(&path, entry.path())?;
            append_tree(builder, root, &path, skip)?;
        } else {
            builder.append_path_with_name(entry.path(), &path)?;
        }
    }
    Ok(())
}
