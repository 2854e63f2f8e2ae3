//! `rctl tag SRC DST`: a new name for an image in the local store.

use super::Context;
use crate::oci::Reference;
use crate::transfer::store::Store;

/// Give an image in the local store another name, as `docker tag` does.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The image's current name.
    pub source: Reference,
    /// The new name, such as `localhost:5000/team/app:v1`.
    pub target: Reference,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    store.tag(&args.source, &args.target)?;
    Ok(())
}
