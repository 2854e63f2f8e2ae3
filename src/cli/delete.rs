//! `rctl delete REF`: delete a manifest (by digest) or a tag from a registry.

use super::Context;
use crate::client::Error as ClientError;
use crate::error::Hinted;
use crate::oci::Reference;

/// Delete a manifest by digest, or a tag where the registry allows it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// `REPO@sha256:…` deletes the manifest; `REPO:TAG` deletes the tag.
    pub reference: Reference,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let reference = args.reference;
    let client = ctx.connect(reference.registry()).await?;
    let repository = reference.repository();
    let target = reference.tag_or_digest();
    match client.delete_manifest(repository, &target).await {
        Ok(()) => {
            println!("Deleted: {reference}");
            Ok(())
        }
        Err(err) => Err(explain(err, reference.digest().is_none())),
    }
}

fn explain(err: ClientError, by_tag: bool) -> anyhow::Error {
    match err {
        ClientError::Unsupported { ref registry, .. } => {
            let hint = if by_tag {
                "this registry may not delete tags: delete by digest (`rctl digest REF` gives it); \
                 for registry:2 also set `REGISTRY_STORAGE_DELETE_ENABLED=true`"
            } else {
                "for registry:2, start it with `REGISTRY_STORAGE_DELETE_ENABLED=true`"
            };
            Hinted::new(
                format!("deletion is disabled on this registry (`{registry}`)"),
                hint,
            )
            .with_source(err)
            .into()
        }
        other => other.into(),
    }
}
