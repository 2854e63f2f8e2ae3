//! `rctl push REF`: local image store → registry, as `docker push` does it.

use super::Context;
use super::copy::{print_report, reporter};
use crate::oci::Reference;
use crate::transfer::observer::Observer as _;
use crate::transfer::store::Store;
use crate::transfer::{CopyOptions, Endpoint, Error};

/// Upload an image from the local store to the registry its name points at.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The image's name in the local store, such as `localhost:5000/team/app:v1`.
    pub reference: Reference,
    /// How many blobs move at once.
    #[arg(long, default_value_t = crate::transfer::copy::DEFAULT_JOBS)]
    pub jobs: usize,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let reference = args.reference;
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    if store.resolve(&reference)?.is_none() {
        return Err(Error::NotFound {
            what: format!("image `{reference}`"),
            place: "the local store".into(),
        }
        .into());
    }
    let reporter = reporter(ctx, "Pushed");
    reporter.line(&format!(
        "The push refers to repository [{}]",
        reference.name()
    ));
    let client = std::sync::Arc::new(ctx.connect(reference.registry()).await?);
    let source = Endpoint::Layout {
        layout: store.layout().clone(),
        name: Some(reference.to_string()),
        display: reference.to_string(),
    };
    let destination = Endpoint::Registry {
        client,
        reference: reference.clone(),
    };
    let options = CopyOptions {
        platforms: None,
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
    print_report(ctx, &reporter, &report)
}
