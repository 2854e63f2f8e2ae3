//! `rctl inspect REF`: show a manifest, an index, or an image's config.

use std::io::Write;

use anyhow::Context as _;

use super::Context;
use crate::error::Hinted;
use crate::oci::{Manifest, Platform, Reference};

/// Show the manifest or index REF points at, as indented JSON.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The image, such as `busybox`, `ghcr.io/owner/app:v1` or `localhost:5000/app@sha256:…`.
    pub reference: Reference,

    /// Print the exact bytes the registry sent.
    #[arg(long, conflicts_with = "config")]
    pub raw: bool,

    /// Show the image config (for an index, of the host platform or `--platform`).
    #[arg(long)]
    pub config: bool,

    /// Pick this platform (`os/arch[/variant]`) from an index.
    #[arg(long)]
    pub platform: Option<Platform>,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let client = ctx.connect(args.reference.registry()).await?;
    let repository = args.reference.repository();
    let mut manifest = client
        .get_manifest(repository, &args.reference.tag_or_digest())
        .await?;

    let wanted = match (&args.platform, args.config) {
        (Some(platform), _) => Some(platform.clone()),
        (None, true) => Some(Platform::host()),
        (None, false) => None,
    };
    if let Some(platform) = wanted.filter(|_| manifest.is_index()) {
        manifest = pick_platform(&client, repository, &manifest, &platform).await?;
    }

    let bytes = if args.config {
        let config = manifest.body().config.clone().ok_or_else(|| {
            Hinted::new(
                format!("`{}` has no image config ({})", args.reference, manifest.media_type()),
                "only image manifests have a config; inspect without `--config` to see what this is",
            )
        })?;
        client.get_blob_bytes(repository, &config.digest).await?
    } else {
        manifest.bytes().clone()
    };

    let mut stdout = std::io::stdout().lock();
    if args.raw {
        stdout.write_all(&bytes)?;
    } else {
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).context("the registry sent invalid JSON")?;
        writeln!(stdout, "{}", serde_json::to_string_pretty(&value)?)?;
    }
    Ok(())
}

/// The child manifest of `index` for `platform`.
pub async fn pick_platform(
    client: &crate::client::RegistryClient,
    repository: &str,
    index: &Manifest,
    platform: &Platform,
) -> anyhow::Result<Manifest> {
    let Some(child) = index.children_for(platform).into_iter().next() else {
        let available: Vec<String> = index
            .body()
            .manifests
            .iter()
            .filter_map(|d| d.platform.as_ref().map(|p| p.to_string()))
            .collect();
        return Err(Hinted::new(
            format!(
                "no manifest for platform `{platform}` in index {}",
                index.digest()
            ),
            format!("available platforms: {}", available.join(", ")),
        )
        .into());
    };
    Ok(client
        .get_manifest(repository, &child.digest.to_string())
        .await?)
}
