//! `rctl serve`: run the embedded registry. Flags mirror the `REGISTRY_*` variables that
//! `registry:2` users already set.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::ValueEnum;
use tracing::instrument::WithSubscriber;

use crate::error::Hinted;
use crate::server::{AuthConfig, Server, ServerConfig};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (`:5000` means every interface).
    #[arg(long, env = "REGISTRY_HTTP_ADDR", default_value = ":5000")]
    pub addr: String,

    /// Data directory, in registry:2's filesystem layout.
    #[arg(
        long,
        env = "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY",
        default_value = "/var/lib/registry"
    )]
    pub data: PathBuf,

    /// PEM certificate chain for HTTPS (needs `--tls-key`).
    #[arg(long, env = "REGISTRY_HTTP_TLS_CERTIFICATE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// PEM private key for HTTPS (needs `--tls-cert`).
    #[arg(long, env = "REGISTRY_HTTP_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Require HTTP Basic auth against this htpasswd file (bcrypt entries, `htpasswd -B`).
    #[arg(long, env = "REGISTRY_AUTH_HTPASSWD_PATH")]
    pub htpasswd: Option<PathBuf>,

    /// Realm named in the authentication challenge.
    #[arg(
        long,
        env = "REGISTRY_AUTH_HTPASSWD_REALM",
        default_value = "Registry Realm"
    )]
    pub realm: String,

    /// Refuse pushes and deletes.
    #[arg(long)]
    pub read_only: bool,

    /// Refuse deletes of manifests, tags and blobs with `UNSUPPORTED`.
    #[arg(long)]
    pub no_delete: bool,

    /// Remove upload sessions untouched for this long (`30s`, `15m`, `12h`, `7d`).
    #[arg(long, default_value = "7d", value_parser = parse_duration)]
    pub upload_max_age: Duration,

    /// Log format for the request log on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// How `serve` writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

pub async fn run(args: Args, verbose: u8, quiet: bool) -> anyhow::Result<()> {
    // The server's log is its product: one line per request at `info`, in the chosen format,
    // whatever the command-wide default filter is.
    let level = match (quiet, verbose) {
        (true, _) => "warn",
        (false, 0) => "info",
        (false, 1) => "info,rctl=debug",
        (false, _) => "debug,rctl=trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false);
    let dispatch = match args.log_format {
        LogFormat::Json => tracing::Dispatch::new(builder.json().flatten_event(true).finish()),
        LogFormat::Text => tracing::Dispatch::new(builder.finish()),
    };
    serve(args).with_subscriber(dispatch).await
}

async fn serve(args: Args) -> anyhow::Result<()> {
    let config = ServerConfig {
        data: args.data.clone(),
        read_only: args.read_only,
        delete_enabled: !args.no_delete,
        auth: args.htpasswd.map(|htpasswd| AuthConfig {
            htpasswd,
            realm: args.realm,
        }),
        tls: args.tls_cert.zip(args.tls_key),
        upload_max_age: args.upload_max_age,
    };
    let server = Server::new(config)?;

    let addr = match args.addr.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => args.addr.clone(),
    };
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|err| {
        Hinted::new(
            format!("cannot listen on `{addr}`"),
            "pick a free address with `--addr 127.0.0.1:5001`",
        )
        .with_source(err)
    })?;
    tracing::info!(data = %args.data.display(), "serving registry data");
    server
        .run(listener, shutdown_signal())
        .await
        .context("the server stopped with an error")
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutdown signal received");
}

/// `30s`, `15m`, `12h`, `7d`, or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like `30s`, `15m`, `12h` or `7d`"))?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return Err(format!("`{text}` has an unknown unit (use s, m, h or d)")),
    };
    Ok(Duration::from_secs(number * seconds))
}
