//! Shell completion scripts and man pages generated from the clap definitions, for
//! `rctl completion` and for the committed `completions/` and `man/` directories.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// The shells rctl ships completions for, with their file names under `completions/`.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "rctl.bash"),
    (Shell::Zsh, "_rctl"),
    (Shell::Fish, "rctl.fish"),
    (Shell::Elvish, "rctl.elv"),
    (Shell::PowerShell, "_rctl.ps1"),
];

/// The completion script for `shell`.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rctl", &mut out);
    out
}

/// Man pages: `rctl.1` and one `rctl-<command>.1` per command, as (file name, roff) pairs.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let command = Cli::command();
    let mut pages = Vec::new();
    let mut render = |name: String, cmd: clap::Command| {
        let mut out = Vec::new();
        // Rendering to a Vec cannot fail.
        let _ = clap_mangen::Man::new(cmd).render(&mut out);
        pages.push((name, out));
    };
    render("rctl.1".to_string(), command.clone());
    for sub in command.get_subcommands() {
        let name = format!("rctl-{}", sub.get_name());
        render(
            format!("{name}.1"),
            sub.clone().name(name).version(env!("CARGO_PKG_VERSION")),
        );
    }
    pages
}
