//! `rctl delete REF`: delete a manifest (by digest) or a tag from a registry.

use super::Context;
use crate::client::{Error as ClientError, RegistryClient};
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
        Err(err) if reference.digest().is_none() => {
            Err(tag_refused(&client, &reference, err).await)
        }
        Err(err) => Err(explain(err)),
    }
}

/// A refused tag delete: deletion is off, or the registry deletes manifests but not tags.
async fn tag_refused(
    client: &RegistryClient,
    reference: &Reference,
    err: ClientError,
) -> anyhow::Error {
    let by_digest = match client
        .head_manifest(reference.repository(), &reference.tag_or_digest())
        .await
    {
        Ok(head) => format!("{}@{}", reference.name(), head.digest),
        Err(_) => format!("{}@sha256:<hex>", reference.name()),
    };
    match err {
        ClientError::Status { status: 400, .. } => Hinted::new(
            format!("registry `{}` cannot delete tags", reference.registry()),
            format!(
                "delete the manifest by digest with `rctl delete {by_digest}` (this removes every tag that points at it)"
            ),
        )
        .with_source(err)
        .into(),
        other => explain(other),
    }
}

fn explain(err: ClientError) -> anyhow::Error {
    match err {
        ClientError::Unsupported { ref registry, .. } => Hinted::new(
            format!("deletion is disabled on this registry (`{registry}`)"),
            "enable deletes on the registry; for registry:2 start it with `REGISTRY_STORAGE_DELETE_ENABLED=true`",
        )
        .with_source(err)
        .into(),
        other => other.into(),
    }
}
