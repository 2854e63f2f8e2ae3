//! The `rctl` binary: parse the command line, set up logging, run, and report errors the way a
//! user can act on (`error:`, the causes, a `hint:`), with exit code 1 for failures and 2 for
//! usage errors.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use rctl::cli::{self, Cli};
use rctl::error::{EXIT_FAILURE, EXIT_USAGE, hint};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = err.print();
            return ExitCode::from(code as u8);
        }
    };
    init_logging(cli.verbose, cli.quiet);

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(EXIT_FAILURE as u8);
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::from(EXIT_FAILURE as u8)
        }
    }
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "rctl=debug,info",
        (false, _) => "rctl=trace,debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_target(false)
        .init();
}

/// Print `error: …`, each distinct cause, then the first hint found along the chain.
fn report(err: &anyhow::Error) {
    eprintln!("error: {err}");
    let mut previous = err.to_string();
    let causes: Vec<String> = err
        .chain()
        .skip(1)
        .map(|cause| cause.to_string())
        .filter(|text| {
            let fresh = !previous.contains(text.as_str());
            previous = text.clone();
            fresh
        })
        .collect();
    if !causes.is_empty() {
        eprintln!("\nCaused by:");
        for cause in causes {
            eprintln!("    {cause}");
        }
    }
    if let Some(hint) = err.chain().find_map(hint) {
        eprintln!("\nhint: {hint}");
    }
}
