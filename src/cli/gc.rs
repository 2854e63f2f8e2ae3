//! `rctl gc`: garbage-collect a `rctl serve` (or registry:2) data directory.

use std::path::PathBuf;
use std::time::Duration;

use super::serve::parse_duration;
use super::{Context, Format};
use crate::error::Hinted;
use crate::server::gc::{GcOptions, collect};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data directory to collect.
    #[arg(long, env = "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY")]
    pub data: PathBuf,

    /// Also remove manifests that no tag reaches (and then their blobs).
    #[arg(long)]
    pub delete_untagged: bool,

    /// Report what would be removed, remove nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Never remove anything modified more recently than this (keeps pushes in flight safe).
    #[arg(long, default_value = "1h", value_parser = parse_duration)]
    pub grace: Duration,

    /// Remove upload sessions untouched for this long.
    #[arg(long, default_value = "7d", value_parser = parse_duration)]
    pub upload_max_age: Duration,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    if !args.data.join("docker/registry/v2").is_dir() {
        return Err(Hinted::new(
            format!("`{}` is not a registry data directory", args.data.display()),
            "pass the directory given to `rctl serve --data` (it holds `docker/registry/v2`)",
        )
        .into());
    }
    let options = GcOptions {
        delete_untagged: args.delete_untagged,
        dry_run: args.dry_run,
        grace: args.grace,
        upload_max_age: args.upload_max_age,
    };
    let data = args.data.clone();
    let report = tokio::task::spawn_blocking(move || collect(&data, &options)).await??;
    if ctx.format == Format::Json {
        return ctx.print_json(&report);
    }
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    println!(
        "{verb} {} blobs ({} bytes), {} manifests, {} upload sessions, {} temporary files; kept {} blobs",
        report.blobs_removed,
        report.bytes_freed,
        report.manifests_removed,
        report.uploads_removed,
        report.temp_files_removed,
        report.blobs_kept
    );
    Ok(())
}
