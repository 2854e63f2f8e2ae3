//! `rctl gc`: mark and sweep of a data directory.
//!
//! Mark: every manifest of every repository is live (with `delete_untagged`, only manifests a
//! tag reaches, their index children, and referrers of live manifests), and so is every blob a
//! live manifest names. Sweep: unmarked blobs, untagged manifests (with `delete_untagged`),
//! upload sessions older than the upload age, and leftover temporary files.
//!
//! Safe while the server takes pushes: nothing younger than the grace period is swept (a layer
//! uploaded a second ago has no manifest yet; a manifest being written is not yet linked), and
//! blobs are only ever removed after the mark of every repository is complete. The server
//! refreshes a blob's mtime whenever a push reuses it (an upload of an existing blob, a mount,
//! a manifest naming it), so an old unreferenced blob that a push revives is also young again.
//! A dry run reports the same numbers and removes nothing.
//!
//! TODO: the age check and the removal of a blob are two steps; a push that revives the blob
//! between them (within microseconds) can still lose it. A lock file shared with the server
//! would close that window.

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::time::Duration;

use bytes::Bytes;

use super::storage::atomic::{self, TEMP_PREFIX, list_dir};
use super::storage::manifests::ManifestRef;
use super::storage::uploads::age_of;
use super::storage::{RepoName, Storage, Tag};
use crate::oci::{Digest, Manifest};

/// What to collect.
#[derive(Debug, Clone)]
pub struct GcOptions {
    /// Also remove manifests no tag reaches.
    pub delete_untagged: bool,
    /// Report only.
    pub dry_run: bool,
    /// Nothing modified more recently than this is removed.
    pub grace: Duration,
    /// Upload sessions untouched for this long are removed.
    pub upload_max_age: Duration,
}

/// What was (or, in a dry run, would be) removed.
#[derive(Debug, Default, serde::Serialize)]
pub struct GcReport {
    pub blobs_removed: u64,
    pub bytes_freed: u64,
    pub manifests_removed: u64,
    pub uploads_removed: u64,
    pub temp_files_removed: u64,
    pub blobs_kept: u64,
}

/// Run a collection over the data directory `data`.
pub fn collect(data: &Path, options: &GcOptions) -> io::Result<GcReport> {
    let storage = Storage::open(data)?;
    let mut report = GcReport::default();
    let mut live: HashSet<Digest> = HashSet::new();
    let repositories = storage.repositories()?;

    for name in &repositories {
        let kept = live_manifests(&storage, name, options, &mut report)?;
        for digest in kept {
            live.insert(digest.clone());
            let Some(bytes) = storage.read_manifest(&digest)? else {
                continue;
            };
            if let Ok(manifest) = Manifest::from_bytes(Bytes::from(bytes), None) {
                for blob in manifest.blobs() {
                    live.insert(blob.digest.clone());
                }
            }
        }
    }

    let mut swept = HashSet::new();
    let blobs = storage.layout.blobs_root();
    for algorithm in list_dir(&blobs)? {
        for prefix in list_dir(&blobs.join(&algorithm))? {
            for hex in list_dir(&blobs.join(&algorithm).join(&prefix))? {
                let Ok(digest) = format!("{algorithm}:{hex}").parse::<Digest>() else {
                    continue;
                };
                let data = storage.layout.blob_data(&digest);
                if live.contains(&digest) || !old_enough(&data, options.grace) {
                    report.blobs_kept += 1;
                    continue;
                }
                report.blobs_removed += 1;
                report.bytes_freed += std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0);
                tracing::debug!(%digest, "sweeping unreferenced blob");
                if !options.dry_run {
                    atomic::remove_all(&storage.layout.blob_dir(&digest))?;
                }
                swept.insert(digest);
            }
        }
    }

    for name in &repositories {
        if !options.dry_run {
            for digest in &swept {
                storage.unlink_layer(name, digest)?;
            }
        }
        let uploads = storage.layout.uploads_dir(name);
        for id in list_dir(&uploads)? {
            let dir = uploads.join(&id);
            let age = age_of(&dir.join("data")).or_else(|| age_of(&dir));
            if age >= Some(options.upload_max_age) {
                report.uploads_removed += 1;
                if !options.dry_run {
                    atomic::remove_all(&dir)?;
                }
            }
        }
    }

    remove_temp_files(data, options, &mut report)?;
    Ok(report)
}

/// The manifests of `name` that stay; with `delete_untagged`, the others are unlinked.
fn live_manifests(
    storage: &Storage,
    name: &RepoName,
    options: &GcOptions,
    report: &mut GcReport,
) -> io::Result<Vec<Digest>> {
    let revisions = storage.revisions(name)?;
    if !options.delete_untagged {
        return Ok(revisions);
    }

    let mut kept: HashSet<Digest> = HashSet::new();
    for tag in storage.tags(name)?.unwrap_or_default() {
        let Some(tag) = Tag::parse(&tag) else {
            continue;
        };
        if let Some(digest) = storage.resolve_manifest(name, &ManifestRef::Tag(tag))? {
            kept.insert(digest);
        }
    }
    // Young manifests may be children or referrers whose parent is still being pushed.
    for digest in &revisions {
        if !old_enough(&storage.layout.revision_link(name, digest), options.grace) {
            kept.insert(digest.clone());
        }
    }
    // Children of kept indexes and referrers of kept manifests, until nothing changes.
    let parsed: Vec<(Digest, Option<Manifest>)> = revisions
        .iter()
        .map(|d| {
            let manifest = storage
                .read_manifest(d)
                .ok()
                .flatten()
                .and_then(|b| Manifest::from_bytes(Bytes::from(b), None).ok());
            (d.clone(), manifest)
        })
        .collect();
    loop {
        let before = kept.len();
        for (digest, manifest) in &parsed {
            let Some(manifest) = manifest else { continue };
            if kept.contains(digest) {
                for child in &manifest.body().manifests {
                    kept.insert(child.digest.clone());
                }
            } else if manifest
                .body()
                .subject
                .as_ref()
                .is_some_and(|s| kept.contains(&s.digest))
            {
                kept.insert(digest.clone());
            }
        }
        if kept.len() == before {
            break;
        }
    }

    for digest in &revisions {
        if kept.contains(digest) {
            continue;
        }
        report.manifests_removed += 1;
        tracing::debug!(repository = %name, %digest, "removing untagged manifest");
        if !options.dry_run {
            storage.delete_manifest(name, digest)?;
        }
    }
    Ok(revisions.into_iter().filter(|d| kept.contains(d)).collect())
}

fn old_enough(path: &Path, grace: Duration) -> bool {
    age_of(path).is_some_and(|age| age >= grace)
}

/// Remove `.tmp-*` files a crash left behind anywhere under the data directory.
fn remove_temp_files(dir: &Path, options: &GcOptions, report: &mut GcReport) -> io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(err) => return Err(err),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            remove_temp_files(&path, options, report)?;
        } else if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            && old_enough(&path, options.grace)
        {
            report.temp_files_removed += 1;
            if !options.dry_run {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}
