//! `rctl catalog REGISTRY`: list a registry's repositories.

use super::{Context, Format};
use crate::oci::reference::normalize_registry;

/// List the repositories of a registry (`/v2/_catalog`; Docker Hub has none).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The registry host, such as `localhost:5000` or `registry.example.com`.
    pub registry: String,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let registry = normalize_registry(&args.registry);
    let client = ctx.connect(&registry).await?;
    let repositories = client.catalog().await?;
    match ctx.format {
        Format::Text => {
            for repository in &repositories {
                println!("{repository}");
            }
        }
        Format::Json => ctx.print_json(&serde_json::json!({
            "registry": registry,
            "repositories": repositories,
        }))?,
    }
    Ok(())
}
