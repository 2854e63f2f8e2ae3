//! `rctl rmi REF...`: remove names from the local store and free what no name uses.

use super::Context;
use super::progress::human;
use crate::oci::Reference;
use crate::transfer::store::Store;

/// Remove images from the local store; blobs no other image uses are deleted.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The names to remove.
    #[arg(required = true)]
    pub references: Vec<Reference>,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    let freed = store.remove(&args.references)?;
    for reference in &args.references {
        println!("Untagged: {reference}");
    }
    if !ctx.quiet {
        eprintln!("Freed {}", human(freed));
    }
    Ok(())
}
