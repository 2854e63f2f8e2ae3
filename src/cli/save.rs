//! `rctl save REF... -o FILE`: images of the local store as a `docker save` archive.

use std::path::PathBuf;

use super::Context;
use crate::oci::{Platform, Reference};
use crate::transfer::Error;
use crate::transfer::docker_archive::{ArchiveImage, export};
use crate::transfer::store::Store;

/// Write images from the local store to a tar that `docker load` and `podman load` accept.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The images to save.
    #[arg(required = true)]
    pub references: Vec<Reference>,
    /// The archive to write.
    #[arg(short, long)]
    pub output: PathBuf,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    let layout = store.layout();
    let mut images = Vec::new();
    for reference in &args.references {
        let descriptor = store.resolve(reference)?.ok_or_else(|| Error::NotFound {
            what: format!("image `{reference}`"),
            place: "the local store".into(),
        })?;
        let mut manifest = layout.read_manifest(&descriptor)?;
        if manifest.is_index() {
            // A docker archive holds one image per name: the host's platform.
            let host = Platform::host();
            let child = manifest
                .children_for(&host)
                .into_iter()
                .next()
                .cloned()
                .ok_or_else(|| {
                    Error::IndexUnsupported(format!("`{reference}` (no `{host}` image)"))
                })?;
            manifest = layout.read_manifest(&child)?;
        }
        images.push(ArchiveImage {
            manifest,
            names: vec![reference.clone()],
        });
    }
    export(layout, &images, &args.output)?;
    Ok(())
}
