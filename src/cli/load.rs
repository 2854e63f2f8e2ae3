//! `rctl load -i FILE`: images from a docker or OCI archive into the local store.

use crate::transfer::observer::Observer as _;
use std::path::PathBuf;

use super::Context;
use super::copy::reporter;
use crate::oci::Reference;
use crate::transfer::docker_archive::{self, IMPORTED};
use crate::transfer::oci_archive::{Scratch, unpack};
use crate::transfer::oci_layout::{OciLayout, ref_name};
use crate::transfer::store::Store;
use crate::transfer::{CopyOptions, Endpoint, Error};

/// Load images from a `docker save` / `podman save` archive (docker or OCI format).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive to read.
    #[arg(short, long)]
    pub input: PathBuf,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    let _guard = store.write_guard()?;
    let scratch = Scratch::new()?;
    unpack(&args.input, scratch.path())?;
    let reporter = reporter(ctx, "Loaded");

    // (layout, name in it, names to give it in the store)
    let mut work: Vec<(OciLayout, String, Vec<Reference>)> = Vec::new();
    if docker_archive::is_docker_archive(scratch.path()) {
        for tags in docker_archive::list(scratch.path())? {
            let names: Vec<Reference> = tags.iter().filter_map(|t| t.parse().ok()).collect();
            let Some(first) = names.first() else {
                reporter.line("Skipping an image without a name");
                continue;
            };
            // Each import re-points IMPORTED in the same scratch layout, so copy it right away.
            let (layout, _) = docker_archive::import_dir(&args.input, scratch.path(), Some(first))?;
            load_one(&store, &layout, IMPORTED, &names, &reporter).await?;
        }
    } else {
        let layout = OciLayout::open(scratch.path())?;
        for entry in layout.entries()? {
            let Some(name) = ref_name(&entry) else {
                continue;
            };
            let Ok(reference) = name.parse::<Reference>() else {
                continue;
            };
            if !name.contains('/') && !name.contains(':') {
                reporter.line(&format!("Skipping `{name}`: not a full image name"));
                continue;
            }
            work.push((layout.clone(), name.to_string(), vec![reference]));
        }
        if work.is_empty() {
            return Err(Error::NotFound {
                what: "a named image".into(),
                place: args.input.display().to_string(),
            }
            .into());
        }
        for (layout, name, names) in &work {
            load_one(&store, layout, name, names, &reporter).await?;
        }
    }
    Ok(())
}

async fn load_one(
    store: &Store,
    layout: &OciLayout,
    name: &str,
    names: &[Reference],
    reporter: &super::progress::Reporter,
) -> anyhow::Result<()> {
    let source = Endpoint::Layout {
        layout: layout.clone(),
        name: Some(name.to_string()),
        display: name.to_string(),
    };
    let destination = Endpoint::Layout {
        layout: store.layout().clone(),
        name: Some(names[0].to_string()),
        display: names[0].to_string(),
    };
    let options = CopyOptions {
        platforms: None,
        jobs: 4,
        referrers: false,
        chunk_size: None,
    };
    super::copy::interruptible(crate::transfer::copy(
        &source,
        &destination,
        &options,
        reporter,
    ))
    .await?;
    for extra in &names[1..] {
        store.tag(&names[0], extra)?;
    }
    for name in names {
        println!("Loaded image: {name}");
    }
    Ok(())
}
