//! `rctl tags REPO`: list a repository's tags.

use super::{Context, Format};
use crate::oci::Reference;

/// List the tags of a repository, following the registry's pagination.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The repository, such as `busybox` or `localhost:5000/team/app` (no tag).
    #[arg(value_parser = Reference::parse_repository)]
    pub repository: Reference,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let client = ctx.connect(args.repository.registry()).await?;
    let tags = client.list_tags(args.repository.repository()).await?;
    match ctx.format {
        Format::Text => {
            for tag in &tags {
                println!("{tag}");
            }
        }
        Format::Json => ctx.print_json(&serde_json::json!({
            "repository": args.repository.name(),
            "tags": tags,
        }))?,
    }
    Ok(())
}
