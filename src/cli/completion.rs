//! `rctl completion SHELL`: print a completion script.

use std::io::Write;

use clap_complete::Shell;

/// Print a completion script for bash, zsh, fish, elvish or powershell.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    std::io::stdout().write_all(&super::generate::completion(args.shell))?;
    Ok(())
}
