//! `rctl logout [REGISTRY]`: remove the credentials `rctl login` stored for a registry, from
//! the OS keyring and from the `--store file` credentials file.
//!
//! As with docker, logging out of a registry with no stored credentials is not an error.
//! docker's and podman's own stores are left alone.

use super::Context;
use super::login::{blocking, parse_registry};
use crate::auth::store;
use crate::oci::reference::DOCKER_HUB;

/// Remove stored credentials for a registry.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The registry, such as `localhost:5000` or `ghcr.io` [default: Docker Hub].
    #[arg(value_parser = parse_registry)]
    pub registry: Option<String>,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let registry = args.registry.unwrap_or_else(|| DOCKER_HUB.to_string());
    let erased = blocking({
        let (registry, config) = (registry.clone(), ctx.config.clone());
        move || store::erase(&registry, &config)
    })
    .await?;

    // A keyring that cannot be reached is one rctl cannot read either, so its entry is not in
    // use; say so and carry on, as lookups do.
    if let Some(err) = &erased.keyring_error {
        let cause = std::error::Error::source(err)
            .map(|cause| format!(": {cause}"))
            .unwrap_or_default();
        eprintln!(
            "warning: the OS keyring could not be checked for `{registry}` ({err}{cause}); \
             an entry there, if any, was not removed"
        );
    }
    if erased.removed.is_empty() {
        println!("Not logged in to {registry}");
    }
    for source in &erased.removed {
        println!("Removed login credentials for {registry} from {source}");
    }
    Ok(())
}
