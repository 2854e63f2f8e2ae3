//! `rctl digest REF`: the digest of an image, from a HEAD request.

use super::{Context, Format};
use crate::oci::Reference;

/// Print the digest REF resolves to (a HEAD request: it does not count as a Docker Hub pull).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The image, such as `busybox` or `localhost:5000/app:v1`.
    pub reference: Reference,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let client = ctx.connect(args.reference.registry()).await?;
    let head = client
        .head_manifest(args.reference.repository(), &args.reference.tag_or_digest())
        .await?;
    match ctx.format {
        Format::Text => println!("{}", head.digest),
        Format::Json => ctx.print_json(&serde_json::json!({
            "reference": args.reference.to_string(),
            "digest": head.digest,
            "mediaType": head.media_type,
            "size": head.size,
        }))?,
    }
    Ok(())
}
