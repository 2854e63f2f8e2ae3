//! `rctl copy SRC DST`: any location to any location, without the local store.

use crate::transfer::observer::Observer as _;
use std::io::IsTerminal;
use std::sync::Arc;

use super::progress::{Mode, Reporter};
use super::{Context, Format};
use crate::client::RegistryClient;
use crate::oci::Platform;
use crate::transfer::copy::DEFAULT_JOBS;
use crate::transfer::{CopyOptions, CopyReport, Location, open};

/// Copy an image between registries, OCI layouts and archives. By default an index is copied
/// with every platform and keeps its digest.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the image is: `REF`, `oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`,
    /// `docker-archive:FILE[:REF]`.
    pub source: String,
    /// Where it goes, in the same forms.
    pub destination: String,
    /// Copy only these platforms (`os/arch[/variant]`, comma-separated). One platform copies
    /// its image alone; several make a new index (with a new digest).
    #[arg(long, value_delimiter = ',')]
    pub platform: Vec<Platform>,
    /// Copy every platform of an index (the default).
    #[arg(long, conflicts_with = "platform")]
    pub all_platforms: bool,
    /// Also copy what refers to the image (signatures, SBOMs).
    #[arg(long)]
    pub referrers: bool,
    /// Upload blobs larger than this many bytes in chunks of this size (default: above 1 GiB, in
    /// 64 MiB chunks), for proxies that cap request bodies.
    #[arg(long, value_name = "BYTES")]
    pub chunk_size: Option<u64>,
    /// How many blobs move at once.
    #[arg(long, default_value_t = DEFAULT_JOBS)]
    pub jobs: usize,
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let source: Location = parse_location(&args.source)?;
    let destination: Location = parse_location(&args.destination)?;
    let platforms = (!args.platform.is_empty()).then_some(args.platform);
    let reporter = reporter(ctx, "Copied");
    let options = CopyOptions {
        platforms,
        jobs: args.jobs.max(1),
        referrers: args.referrers,
        chunk_size: args.chunk_size,
    };
    let report = copy_locations(ctx, &source, &destination, options, &reporter).await?;
    print_report(ctx, &reporter, &report)
}

/// Run a transfer until it ends or Ctrl-C arrives. On Ctrl-C the transfer is dropped, which
/// removes its temporary files; what was already committed stays and a rerun skips it.
pub async fn interruptible<T>(
    transfer: impl std::future::Future<Output = Result<T, crate::transfer::Error>>,
) -> anyhow::Result<T> {
    tokio::select! {
        result = transfer => Ok(result?),
        _ = tokio::signal::ctrl_c() => Err(crate::error::Hinted::new(
            "interrupted",
            "run the same command again: what was already copied is skipped",
        )
        .into()),
    }
}

/// Parse a location, with the hint on failure.
pub fn parse_location(text: &str) -> anyhow::Result<Location> {
    text.parse::<Location>().map_err(|e| {
        let hint = e.hint();
        crate::error::Hinted::new(e.to_string(), hint).into()
    })
}

/// How progress is shown for this run.
pub fn reporter(ctx: &Context, verb: &'static str) -> Reporter {
    let mode = if ctx.quiet {
        Mode::Quiet
    } else if std::io::stderr().is_terminal() {
        Mode::Bars
    } else {
        Mode::Plain
    };
    Reporter::new(mode, verb)
}

/// Connect to the registry a location names, if it names one.
pub async fn client_for(
    ctx: &mut Context,
    location: &Location,
) -> anyhow::Result<Option<Arc<RegistryClient>>> {
    match location {
        Location::Registry(reference) => {
            Ok(Some(Arc::new(ctx.connect(reference.registry()).await?)))
        }
        _ => Ok(None),
    }
}

/// Copy between two locations, reusing one client when both are on the same registry (so blobs
/// can be mounted with one token).
pub async fn copy_locations(
    ctx: &mut Context,
    source: &Location,
    destination: &Location,
    mut options: CopyOptions,
    reporter: &Reporter,
) -> anyhow::Result<CopyReport> {
    let same_registry = matches!(
        (source, destination),
        (Location::Registry(a), Location::Registry(b)) if a.registry() == b.registry()
    );
    // Both ends connect at once: over a long link each connection costs several round trips.
    let (source_client, destination_client) = if same_registry {
        let client = client_for(ctx, source).await?;
        (client.clone(), client)
    } else {
        let mut other = ctx.clone();
        let (a, b) = tokio::join!(client_for(ctx, source), client_for(&mut other, destination));
        (a?, b?)
    };
    let opened_source = open::source(source, source_client)?;
    let opened_destination = open::destination(destination, destination_client)?;
    if options.platforms.is_none() && opened_destination.single_image_only() {
        options.platforms = Some(vec![Platform::host()]);
    }
    let report = interruptible(crate::transfer::copy(
        &opened_source.endpoint,
        &opened_destination.endpoint,
        &options,
        reporter,
    ))
    .await?;
    let name = match source {
        Location::Registry(reference) => Some(reference.clone()),
        Location::DockerArchive { reference, .. } => reference.clone(),
        _ => None,
    };
    opened_destination.finish(name.as_ref())?;
    Ok(report)
}

/// The closing lines: docker's `TAG: digest: … size: N` or the JSON report on stdout, and why a
/// digest changed on stderr.
pub fn print_report(ctx: &Context, reporter: &Reporter, report: &CopyReport) -> anyhow::Result<()> {
    if report.up_to_date {
        reporter.line(&format!("Image is up to date for {}", report.destination));
    }
    if let Some(reason) = &report.digest_changed {
        reporter.line(&format!(
            "Digest changed from {}: {reason}",
            report.source_digest
        ));
    }
    match ctx.format {
        Format::Json => ctx.print_json(report),
        Format::Text => {
            if !ctx.quiet {
                let tag = match report.destination.parse::<Location>() {
                    Ok(Location::Registry(reference)) => reference.tag().map(str::to_string),
                    Ok(Location::OciLayout { tag, .. } | Location::OciArchive { tag, .. }) => tag,
                    Ok(Location::DockerArchive { reference, .. }) => {
                        reference.and_then(|r| r.tag().map(str::to_string))
                    }
                    Err(_) => None,
                }
                .unwrap_or_else(|| report.destination.clone());
                println!("{tag}: digest: {} size: {}", report.digest, report.size);
            }
            Ok(())
        }
    }
}
