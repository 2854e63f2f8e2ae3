//! `rctl pull REF`: registry → local image store, as `docker pull` does it.

use super::Context;
use super::copy::reporter;
use crate::oci::{Platform, Reference};
use crate::transfer::observer::Observer as _;
use crate::transfer::store::Store;
use crate::transfer::{CopyOptions, Endpoint};

/// Download an image into the local store (the host's platform unless told otherwise).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The image, such as `busybox` or `localhost:5000/team/app:v1`.
    pub reference: String,
    /// Pull these platforms (`os/arch[/variant]`, comma-separated) instead of the host's.
    #[arg(long, value_delimiter = ',')]
    pub platform: Vec<Platform>,
    /// Pull every platform of an index, keeping the index's digest.
    #[arg(long, conflicts_with = "platform")]
    pub all_platforms: bool,
    /// How many blobs move at once.
    #[arg(long, default_value_t = crate::transfer::copy::DEFAULT_JOBS)]
    pub jobs: usize,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let reference: Reference = args.reference.parse()?;
    let reporter = reporter(ctx, "Pull complete");
    if !names_tag_or_digest(&args.reference) {
        reporter.line("Using default tag: latest");
    }
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    let _guard = store.write_guard()?;
    let client = std::sync::Arc::new(ctx.connect(reference.registry()).await?);
    reporter.line(&format!(
        "{}: Pulling from {}",
        reference.tag_or_digest(),
        reference.repository()
    ));

    let platforms = match (args.all_platforms, args.platform.is_empty()) {
        (true, _) => None,
        (false, true) => Some(vec![Platform::host()]),
        (false, false) => Some(args.platform),
    };
    let source = Endpoint::Registry {
        client,
        reference: reference.clone(),
    };
    let destination = Endpoint::Layout {
        layout: store.layout().clone(),
        name: Some(reference.to_string()),
        display: format!("the local store ({})", store.root().display()),
    };
    let options = CopyOptions {
        platforms,
        jobs: args.jobs.max(1),
        referrers: false,
        chunk_size: None,
    };
    let report = super::copy::interruptible(crate::transfer::copy(
        &source,
        &destination,
        &options,
        &reporter,
    ))
    .await?;

    reporter.line(&format!("Digest: {}", report.source_digest));
    let status = if report.blobs_moved == 0 {
        "Image is up to date for"
    } else {
        "Downloaded newer image for"
    };
    reporter.line(&format!("Status: {status} {reference}"));
    match ctx.format {
        super::Format::Json => ctx.print_json(&report),
        super::Format::Text => {
            println!("{reference}");
            Ok(())
        }
    }
}

/// Whether the user wrote a tag or digest (docker then stays quiet about `latest`).
pub fn names_tag_or_digest(text: &str) -> bool {
    let last = text.rsplit('/').next().unwrap_or(text);
    text.contains('@') || last.contains(':')
}
