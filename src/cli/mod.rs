//! The command line: one file per command, each a clap `Args` struct and a `run` function that
//! calls the library. Global flags live here, and so does [`Context`], which carries the
//! resolved configuration into every command.

mod catalog;
mod completion;
mod copy;
mod delete;
mod digest;
mod gc;
pub mod generate;
mod images;
mod inspect;
mod load;
mod login;
mod logout;
mod progress;
mod pull;
mod push;
mod rmi;
mod save;
mod serve;
mod tag;
mod tags;

use clap::{Parser, Subcommand, ValueEnum};

use crate::auth::store;
use crate::client::RegistryClient;
use crate::config::Config;

/// Daemon-less container registry client and private registry.
#[derive(Debug, Parser)]
#[command(
    name = "rctl",
    version,
    about,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Show debug logs (`-vv` for trace); `RUST_LOG` also works.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print only errors: no progress, no status lines.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Allow plain HTTP and unverified TLS for the registries this command talks to.
    #[arg(long, global = true)]
    pub insecure: bool,

    /// Output format for data printed on stdout.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How data is printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in to a registry: check the credentials, then store them in the OS keyring.
    Login(login::Args),
    /// Remove the credentials stored for a registry.
    Logout(logout::Args),
    /// Show a manifest, index or image config.
    Inspect(inspect::Args),
    /// Print the digest of an image (a HEAD request: free on Docker Hub's pull limit).
    Digest(digest::Args),
    /// List the tags of a repository.
    Tags(tags::Args),
    /// List the repositories of a registry.
    Catalog(catalog::Args),
    /// Copy an image between registries, OCI layouts and archives.
    Copy(copy::Args),
    /// Pull an image from a registry into the local store.
    Pull(pull::Args),
    /// Give an image in the local store another name.
    Tag(tag::Args),
    /// Push an image from the local store to a registry.
    Push(push::Args),
    /// List the images in the local store.
    Images(images::Args),
    /// Remove images from the local store.
    Rmi(rmi::Args),
    /// Save images from the local store to a docker archive.
    Save(save::Args),
    /// Load images from a docker or OCI archive into the local store.
    Load(load::Args),
    /// Delete a manifest or tag from a registry.
    Delete(delete::Args),
    /// Print a shell completion script.
    Completion(completion::Args),
    /// Run a private registry (distribution-spec v1.1) over a data directory.
    Serve(serve::Args),
    /// Garbage-collect a registry data directory.
    Gc(gc::Args),
}

/// What every command gets: the configuration and the global flags.
#[derive(Clone)]
pub struct Context {
    pub config: Config,
    pub quiet: bool,
    pub insecure: bool,
    pub format: Format,
}

impl Context {
    pub fn new(cli: &Cli) -> anyhow::Result<Context> {
        Ok(Context {
            config: Config::load()?,
            quiet: cli.quiet,
            insecure: cli.insecure,
            format: cli.format,
        })
    }

    /// Connect to `registry` with the credentials the stores hold for it.
    pub async fn connect(&mut self, registry: &str) -> anyhow::Result<RegistryClient> {
        if self.insecure {
            self.config.add_insecure(registry);
        }
        let registry_owned = registry.to_string();
        let config = self.config.clone();
        let found =
            tokio::task::spawn_blocking(move || store::lookup(&registry_owned, &config)).await??;
        let credential = match found {
            Some((credential, source)) => {
                tracing::debug!(registry, source = %source, username = %credential.username, "using stored credentials");
                Some(credential)
            }
            None => {
                tracing::debug!(registry, "no stored credentials; connecting anonymously");
                None
            }
        };
        Ok(RegistryClient::connect(registry, &self.config, credential).await?)
    }

    /// Print a value as pretty JSON on stdout.
    pub fn print_json(&self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        println!("{}", serde_json::to_string_pretty(value)?);
        Ok(())
    }
}

/// Run the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut ctx = Context::new(&cli)?;
    match cli.command {
        Command::Login(args) => login::run(&mut ctx, args).await,
        Command::Logout(args) => logout::run(&mut ctx, args).await,
        Command::Inspect(args) => inspect::run(&mut ctx, args).await,
        Command::Digest(args) => digest::run(&mut ctx, args).await,
        Command::Tags(args) => tags::run(&mut ctx, args).await,
        Command::Catalog(args) => catalog::run(&mut ctx, args).await,
        Command::Copy(args) => copy::run(&mut ctx, args).await,
        Command::Pull(args) => pull::run(&mut ctx, args).await,
        Command::Tag(args) => tag::run(&mut ctx, args).await,
        Command::Push(args) => push::run(&mut ctx, args).await,
        Command::Images(args) => images::run(&mut ctx, args).await,
        Command::Rmi(args) => rmi::run(&mut ctx, args).await,
        Command::Save(args) => save::run(&mut ctx, args).await,
        Command::Load(args) => load::run(&mut ctx, args).await,
        Command::Delete(args) => delete::run(&mut ctx, args).await,
        Command::Completion(args) => completion::run(args),
        Command::Serve(args) => serve::run(args, cli.verbose, cli.quiet).await,
        Command::Gc(args) => gc::run(&mut ctx, args).await,
    }
}
