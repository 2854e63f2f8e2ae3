//! The copy engine: an image (or an index with its children) from one [`Endpoint`] to another.
//!
//! Order and guarantees:
//! 1. The source's root manifest is read and, with `--platform`, narrowed: one platform gives
//!    that child alone, several give a new index holding only them (its digest changes).
//! 2. Child manifests already at the destination are skipped with their blobs; the rest are
//!    read, and their blobs move concurrently (`jobs` at a time). Each digest is moved once, so
//!    two uploads of one blob never run at the same time.
//!    Nested indexes are followed, children first, down to [`MAX_INDEX_DEPTH`] levels; a deeper
//!    tree is refused before anything is written.
//! 3. Child manifests are stored by digest, and the root goes last under its tag, so an
//!    interrupted copy never leaves a tag pointing at missing content. Running it again skips
//!    everything already there.
//!
//! Schema 1 images are refused rather than converted.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::{StreamExt, TryStreamExt};
use serde_json::Value;

use super::endpoint::{BlobOutcome, Endpoint};
use super::error::{Error, Result};
use super::observer::Observer;
use crate::oci::{Descriptor, Digest, Manifest, Platform};

/// What to copy and how.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// Only these platforms of an index; `None` copies the image as it is.
    pub platforms: Option<Vec<Platform>>,
    /// How many blobs move at once.
    pub jobs: usize,
    /// Also copy the manifests that refer to the image (signatures, SBOMs).
    pub referrers: bool,
    /// Upload blobs larger than this in chunks of this size.
    pub chunk_size: Option<u64>,
}

/// The number of blobs moved at once unless `--jobs` says otherwise. Measured with
/// `bench/copy.sh`: on loopback every value from 4 up reaches the destination's ingest ceiling;
/// over a 20 ms, 200 Mbit/s link a 48-blob index took 3.5 s with 4, 2.7 s with 8 and 2.8 s with
/// 16 (the link is full from 8 on). Each stream holds only a few small buffers.
pub const DEFAULT_JOBS: usize = 8;

/// What a copy did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyReport {
    pub source: String,
    pub destination: String,
    pub digest: Digest,
    pub media_type: String,
    pub size: u64,
    pub bytes_moved: u64,
    pub bytes_skipped: u64,
    pub blobs_moved: u64,
    pub blobs_skipped: u64,
    /// Whether the destination already held the image (only its tag may have been written).
    pub up_to_date: bool,
    /// Why the destination's digest differs from the source's, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest_changed: Option<String>,
    /// The digest of the source's root manifest.
    pub source_digest: Digest,
}

/// Copy the image `source` names to `destination`.
pub async fn copy(
    source: &Endpoint,
    destination: &Endpoint,
    options: &CopyOptions,
    reporter: &dyn Observer,
) -> Result<CopyReport> {
    let original = source.root_manifest().await?;
    let (root, digest_changed) = select(source, &original, options.platforms.as_deref()).await?;

    let mut report = CopyReport {
        source: source.display(),
        destination: destination.display(),
        digest: root.digest().clone(),
        media_type: root.media_type().to_string(),
        size: root.bytes().len() as u64,
        bytes_moved: 0,
        bytes_skipped: 0,
        blobs_moved: 0,
        blobs_skipped: 0,
        up_to_date: false,
        digest_changed,
        source_digest: original.digest().clone(),
    };

    let counters = Counters::default();
    let present = transfer_tree(
        source,
        destination,
        &root,
        true,
        options,
        reporter,
        &counters,
    )
    .await?;
    if present {
        report.bytes_skipped = image_size(&root);
        reporter.line(&format!(
            "Image is up to date for {}",
            destination.display()
        ));
    }

    // A manifest with a `subject` (a signature, an SBOM) must be findable from its subject at a
    // destination without the referrers API: keep the `sha256-<hex>` index there up to date.
    // (In a layout the root's own `index.json` entry already makes it findable.)
    if let Some(subject) = &root.body().subject
        && matches!(destination, Endpoint::Registry { .. })
        && !destination.has_referrers_api(&subject.digest).await?
    {
        let mut entry = root.descriptor();
        entry.artifact_type = super::endpoint::artifact_type(&root);
        entry.annotations = root.body().annotations.clone();
        destination
            .add_referrer_to_tag(&subject.digest, &entry)
            .await?;
    }

    if options.referrers {
        let mut subjects = vec![root.descriptor()];
        subjects.extend(root.body().manifests.iter().cloned());
        let mut api = None;
        for subject in &subjects {
            for referrer in source.referrers(&subject.digest).await? {
                let manifest = source.manifest(&referrer).await?;
                transfer_tree(
                    source,
                    destination,
                    &manifest,
                    false,
                    options,
                    reporter,
                    &counters,
                )
                .await?;
                if api.is_none() {
                    api = Some(destination.has_referrers_api(&subject.digest).await?);
                }
                if api == Some(false) {
                    destination
                        .add_referrer_to_tag(&subject.digest, &referrer)
                        .await?;
                }
                reporter.line(&format!("Referrer {} copied", referrer.digest));
            }
        }
    }

    report.bytes_moved = counters.moved.into_inner();
    report.bytes_skipped += counters.skipped.into_inner();
    report.blobs_moved = counters.moved_count.into_inner();
    report.blobs_skipped = counters.skipped_count.into_inner();
    Ok(report)
}

/// What moved and what was already there.
#[derive(Default)]
struct Counters {
    moved: AtomicU64,
    skipped: AtomicU64,
    moved_count: AtomicU64,
    skipped_count: AtomicU64,
}

/// Copy `root` with its children and blobs; the root goes last, under the destination's tag
/// when `tag` is set (else by digest). Returns whether the destination already held it.
async fn transfer_tree(
    source: &Endpoint,
    destination: &Endpoint,
    root: &Manifest,
    tag: bool,
    options: &CopyOptions,
    reporter: &dyn Observer,
    counters: &Counters,
) -> Result<bool> {
    let jobs = options.jobs;
    let chunk_size = options.chunk_size;
    // Already there: only the tag may need to move.
    if destination.has_manifest(root.digest()).await? {
        tracing::debug!(digest = %root.digest(), "destination already holds the manifest");
        if tag {
            destination.put_manifest(root, true).await?;
        }
        return Ok(true);
    }

    let children = if root.is_index() {
        read_children(source, destination, root, jobs).await?
    } else {
        Vec::new()
    };

    let mut seen = HashSet::new();
    let mut blobs = Vec::new();
    for manifest in children
        .iter()
        .map(|c| &c.manifest)
        .chain(std::iter::once(root))
    {
        for blob in manifest.blobs() {
            if blob.urls.is_some() {
                // Foreign layers (Windows base images) stay where their URLs point.
                continue;
            }
            if seen.insert(blob.digest.clone()) {
                blobs.push(blob.clone());
            }
        }
    }

    let mount_from = source.mount_source(destination);
    futures_util::stream::iter(blobs.iter().map(|blob| {
        let mount_from = mount_from.as_deref();
        async move {
            let line = reporter.blob(blob);
            let opener = source.opener(blob);
            let result = destination
                .put_blob(
                    blob,
                    opener.as_ref(),
                    mount_from,
                    chunk_size,
                    &line.counter(),
                )
                .await;
            match &result {
                Ok(outcome) => {
                    line.finish(outcome);
                    if *outcome == BlobOutcome::Moved {
                        counters.moved.fetch_add(blob.size, Ordering::Relaxed);
                        counters.moved_count.fetch_add(1, Ordering::Relaxed);
                    } else {
                        counters.skipped.fetch_add(blob.size, Ordering::Relaxed);
                        counters.skipped_count.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(_) => line.abandon(),
            }
            result.map(|_| ())
        }
    }))
    .buffer_unordered(jobs.max(1))
    .try_collect::<Vec<()>>()
    .await?;

    // Level by level: an inner index goes only after every manifest it names.
    let highest = children.iter().map(|c| c.height).max().unwrap_or(0);
    for height in 0..=highest {
        let level = children.iter().filter(|c| c.height == height);
        futures_util::stream::iter(level.map(|child| async move {
            destination.put_manifest(&child.manifest, false).await?;
            reporter.manifest(child.manifest.digest());
            Ok::<_, Error>(())
        }))
        .buffer_unordered(jobs.max(1))
        .try_collect::<Vec<()>>()
        .await?;
    }
    destination.put_manifest(root, tag).await?;
    reporter.manifest(root.digest());
    Ok(false)
}

/// The manifest to copy: the root itself, one platform's child, or a narrowed index.
async fn select(
    source: &Endpoint,
    root: &Manifest,
    platforms: Option<&[Platform]>,
) -> Result<(Manifest, Option<String>)> {
    if root.is_schema1() {
        return Err(Error::Schema1(source.display()));
    }
    let Some(platforms) = platforms.filter(|_| root.is_index()) else {
        return Ok((root.clone(), None));
    };
    let available = || {
        root.body()
            .manifests
            .iter()
            .filter_map(|d| d.platform.as_ref().map(|p| p.to_string()))
            .collect::<Vec<_>>()
    };
    let mut picked: Vec<&Descriptor> = Vec::new();
    for platform in platforms {
        let Some(child) = root.children_for(platform).into_iter().next() else {
            return Err(Error::NoPlatform {
                platform: platform.to_string(),
                image: source.display(),
                available: available(),
            });
        };
        if !picked.iter().any(|d| d.digest == child.digest) {
            picked.push(child);
        }
    }
    if picked.len() == 1 {
        let child = source.manifest(picked[0]).await?;
        let reason = format!(
            "the image for `{}` alone was copied, not the index {}",
            platforms[0],
            root.digest()
        );
        return Ok((child, Some(reason)));
    }
    if picked.len() == root.body().manifests.len() {
        return Ok((root.clone(), None));
    }

    // A new index with only the chosen entries; every other field stays as it was.
    let mut value: Value = serde_json::from_slice(root.bytes()).map_err(|e| {
        Error::Manifest(
            source.display(),
            crate::oci::manifest::ManifestError::Json(e),
        )
    })?;
    let keep: HashSet<String> = picked.iter().map(|d| d.digest.to_string()).collect();
    if let Some(Value::Array(entries)) = value.get_mut("manifests") {
        entries.retain(|entry| {
            entry
                .get("digest")
                .and_then(Value::as_str)
                .is_some_and(|d| keep.contains(d))
        });
    }
    let bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    let narrowed = Manifest::from_bytes(bytes.into(), Some(root.media_type()))
        .map_err(|e| Error::Manifest(source.display(), e))?;
    let names: Vec<String> = platforms.iter().map(|p| p.to_string()).collect();
    let reason = format!(
        "a new index with only {} was written (the source index is {})",
        names.join(", "),
        root.digest()
    );
    Ok((narrowed, Some(reason)))
}

/// How deep indexes may nest inside one another. Content addressing rules out true cycles,
/// but a source can still describe an endless chain; deeper trees are refused, not truncated.
pub const MAX_INDEX_DEPTH: usize = 4;

/// A manifest to store below the root, with its height: 0 for an image, one more than its
/// highest child for an index. Storing by rising height puts every child before its parent.
struct Child {
    height: usize,
    manifest: Manifest,
}

/// The manifests below `index` that the destination lacks, read from the source, following
/// nested indexes down to [`MAX_INDEX_DEPTH`]. A nested index the destination already holds is
/// taken as complete, like the root.
async fn read_children(
    source: &Endpoint,
    destination: &Endpoint,
    index: &Manifest,
    jobs: usize,
) -> Result<Vec<Child>> {
    let mut children = Vec::new();
    let mut heights = HashMap::new();
    read_level(
        source,
        destination,
        index,
        jobs,
        1,
        &mut children,
        &mut heights,
    )
    .await?;
    Ok(children)
}

/// The entries of `index` (at nesting `depth`) and, recursively, of the indexes among them.
/// Returns the height of `index`.
async fn read_level(
    source: &Endpoint,
    destination: &Endpoint,
    index: &Manifest,
    jobs: usize,
    depth: usize,
    children: &mut Vec<Child>,
    heights: &mut HashMap<Digest, usize>,
) -> Result<usize> {
    // A manifest named twice in the tree is read once; its parents still wait for it.
    let mut height = 1;
    let mut fresh = HashSet::new();
    let mut entries: Vec<&Descriptor> = Vec::new();
    for entry in &index.body().manifests {
        if let Some(known) = heights.get(&entry.digest) {
            height = height.max(known + 1);
        } else if fresh.insert(&entry.digest) {
            entries.push(entry);
        }
    }
    let found: Vec<Option<Manifest>> =
        futures_util::stream::iter(entries.into_iter().map(|entry| async move {
            if destination.has_manifest(&entry.digest).await? {
                return Ok::<_, Error>(None);
            }
            let child = source.manifest(entry).await?;
            if child.is_schema1() {
                return Err(Error::Schema1(source.display()));
            }
            Ok(Some(child))
        }))
        .buffered(jobs.max(1))
        .try_collect()
        .await?;

    for child in found.into_iter().flatten() {
        let child_height = if child.is_index() {
            if depth >= MAX_INDEX_DEPTH {
                return Err(Error::NestedTooDeep {
                    image: source.display(),
                    digest: child.digest().clone(),
                    limit: MAX_INDEX_DEPTH,
                });
            }
            tracing::debug!(digest = %child.digest(), depth, "following a nested index");
            Box::pin(read_level(
                source,
                destination,
                &child,
                jobs,
                depth + 1,
                children,
                heights,
            ))
            .await?
        } else {
            0
        };
        height = height.max(child_height + 1);
        heights.insert(child.digest().clone(), child_height);
        children.push(Child {
            height: child_height,
            manifest: child,
        });
    }
    Ok(height)
}

/// What a no-op copy skipped, from the root alone (children are not read again).
fn image_size(root: &Manifest) -> u64 {
    let entries = if root.is_index() {
        &root.body().manifests
    } else {
        &root.body().layers
    };
    let config = root.body().config.as_ref().map_or(0, |c| c.size);
    root.bytes().len() as u64 + config + entries.iter().map(|d| d.size).sum::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::oci_layout::OciLayout;

    #[tokio::test]
    async fn schema1_images_are_refused_not_converted() {
        let dir = tempfile::tempdir().unwrap();
        let source = Endpoint::Layout {
            layout: OciLayout::create(dir.path()).unwrap(),
            name: None,
            display: "oci:test".into(),
        };
        let body = br#"{"schemaVersion":1,"name":"a","tag":"v1","fsLayers":[{"blobSum":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]}"#;
        let manifest = Manifest::from_bytes(bytes::Bytes::from_static(body), None).unwrap();
        let result = select(&source, &manifest, None).await;
        assert!(matches!(result, Err(Error::Schema1(_))));
    }
}
