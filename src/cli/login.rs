//! `rctl login [REGISTRY]`: check a username and password against a registry, then store them
//! in the OS keyring (or, with `--store file`, in a private file).
//!
//! Nothing is stored unless the registry accepts the credentials. The password comes from
//! `--password-stdin`, a prompt on the terminal (not echoed), or `--password` (with a warning:
//! process arguments are visible to other users).

use std::fmt;
use std::io::{IsTerminal, Read, Write};

use anyhow::Context as _;
use clap::{CommandFactory, ValueEnum};

use super::{Cli, Context};
use crate::auth::store::{self, Target};
use crate::auth::token::TokenError;
use crate::auth::{Credential, Source};
use crate::client::{self, RegistryClient};
use crate::error::Hinted;
use crate::oci::reference::{DOCKER_HUB, normalize_registry};

/// Log in to a registry and store the credentials.
#[derive(clap::Args)]
pub struct Args {
    /// The registry, such as `localhost:5000` or `ghcr.io` [default: Docker Hub].
    #[arg(value_parser = parse_registry)]
    pub registry: Option<String>,

    /// The username; prompted for on a terminal when missing.
    #[arg(short, long)]
    pub username: Option<String>,

    /// Read the password (or access token) from stdin.
    #[arg(long, conflicts_with = "password")]
    pub password_stdin: bool,

    /// The password. Insecure: other users can see command arguments; prefer `--password-stdin`.
    #[arg(short, long)]
    pub password: Option<String>,

    /// Where to keep the credentials: the OS keyring, or a file readable only by you (the secret
    /// is not encrypted).
    #[arg(long, value_enum, default_value_t = StoreChoice::Keyring)]
    pub store: StoreChoice,
}

impl fmt::Debug for Args {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Args")
            .field("registry", &self.registry)
            .field("username", &self.username)
            .field("password_stdin", &self.password_stdin)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("store", &self.store)
            .finish()
    }
}

/// `--store`: where `rctl login` keeps credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// The OS keyring (Secret Service, Keychain, Credential Manager).
    Keyring,
    /// `credentials.json` in rctl's config directory, mode 0600, not encrypted.
    File,
}

impl From<StoreChoice> for Target {
    fn from(choice: StoreChoice) -> Target {
        match choice {
            StoreChoice::Keyring => Target::Keyring,
            StoreChoice::File => Target::File,
        }
    }
}

/// A registry named on the command line, in canonical form: `docker.io`,
/// `https://index.docker.io/v1/` and `https://host` are accepted as docker accepts them.
pub(super) fn parse_registry(input: &str) -> Result<String, String> {
    let registry = normalize_registry(input.trim());
    if registry.is_empty()
        || registry
            .chars()
            .any(|c| c.is_whitespace() || c == '@' || c.is_control())
    {
        return Err(format!(
            "`{input}` is not a registry host (such as `localhost:5000` or `ghcr.io`)"
        ));
    }
    Ok(registry)
}

pub async fn run(ctx: &mut Context, args: Args) -> anyhow::Result<()> {
    let registry = args
        .registry
        .clone()
        .unwrap_or_else(|| DOCKER_HUB.to_string());
    let target = Target::from(args.store);
    if args.password.is_some() {
        eprintln!(
            "warning: a password given with `--password` is visible to other users of this \
             machine; use `--password-stdin`"
        );
    }

    check_usage(&args);
    // Fail before anyone types a password when the credentials would have nowhere to go.
    blocking({
        let (registry, config) = (registry.clone(), ctx.config.clone());
        move || store::check_writable(target, &registry, &config)
    })
    .await
    .with_context(|| match target {
        Target::Keyring => "cannot store credentials in the OS keyring",
        Target::File => "cannot store credentials in a file",
    })?;

    let credential = read_credential(&args, &registry)?;

    if ctx.insecure {
        ctx.config.add_insecure(&registry);
    }
    let client = RegistryClient::connect(&registry, &ctx.config, Some(credential.clone())).await?;
    client
        .verify_login()
        .await
        .map_err(|err| rejected(err, &registry))?;

    let source = blocking({
        let (registry, config) = (registry.clone(), ctx.config.clone());
        move || store::save(&registry, &config, &credential, target)
    })
    .await
    .with_context(|| format!("cannot store the credentials for `{registry}`"))?;
    tracing::debug!(registry, source = %source, "stored credentials");
    if let Source::File(path) = &source {
        eprintln!(
            "warning: the credentials are stored unencrypted in `{}`",
            path.display()
        );
    }
    println!("Login Succeeded");
    Ok(())
}

/// Run a credential-store call off the async threads: the OS keyring blocks.
pub(super) async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, store::StoreError> + Send + 'static,
) -> Result<T, store::StoreError> {
    tokio::task::spawn_blocking(call)
        .await
        .expect("credential store call panicked")
}

/// Turn "the registry said no" into a message about the login, not about stored credentials.
fn rejected(err: client::Error, registry: &str) -> anyhow::Error {
    let hint = "check the username and password (or access token); nothing was stored";
    match err {
        client::Error::Unauthorized { .. } => Hinted::new(
            format!("registry `{registry}` rejected the username or password"),
            hint,
        )
        .into(),
        client::Error::Token {
            source: source @ TokenError::Unauthorized { .. },
            ..
        } => Hinted::new(
            format!("registry `{registry}` rejected the username or password"),
            hint,
        )
        .with_source(source)
        .into(),
        other => other.into(),
    }
}

/// Exit with a usage error when the flags leave no way to get a username or a password.
fn check_usage(args: &Args) {
    let terminal = std::io::stdin().is_terminal();
    if args.username.is_none() {
        if args.password_stdin {
            usage_error("`--password-stdin` needs `--username`");
        }
        if !terminal {
            usage_error("`--username` is required when stdin is not a terminal");
        }
    }
    if args.password.is_none() && !args.password_stdin && !terminal {
        usage_error(
            "no password: pipe it in with `--password-stdin`, or run `rctl login` on a terminal",
        );
    }
}

fn read_credential(args: &Args, registry: &str) -> anyhow::Result<Credential> {
    let terminal = std::io::stdin().is_terminal();
    let username = match &args.username {
        Some(username) => username.clone(),
        None if terminal && !args.password_stdin => prompt_username(registry)?,
        None => usage_error("`--username` is required when stdin is not a terminal"),
    };
    if username.is_empty() {
        usage_error("the username is empty");
    }

    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the password from stdin")?;
        let text = text.strip_suffix('\n').unwrap_or(&text);
        text.strip_suffix('\r').unwrap_or(text).to_string()
    } else if let Some(password) = &args.password {
        password.clone()
    } else if terminal {
        rpassword::prompt_password("Password: ").context("cannot read the password")?
    } else {
        usage_error(
            "no password: pipe it in with `--password-stdin`, or run `rctl login` on a terminal",
        )
    };
    if password.is_empty() {
        usage_error("the password is empty");
    }
    Ok(Credential::password(username, password))
}

fn prompt_username(registry: &str) -> anyhow::Result<String> {
    eprint!("Username for {registry}: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the username")?;
    Ok(line.trim().to_string())
}

/// Print a usage error the way clap does and exit with code 2.
fn usage_error(message: &str) -> ! {
    let mut command = Cli::command();
    command.build();
    let login = command
        .find_subcommand_mut("login")
        .expect("login is a subcommand");
    login
        .error(clap::error::ErrorKind::MissingRequiredArgument, message)
        .exit()
}

#[cfg(test)]
mod tests {
    use super::parse_registry;

    #[test]
    fn registry_argument_accepts_docker_forms() {
        for (input, registry) in [
            ("docker.io", "docker.io"),
            ("https://index.docker.io/v1/", "docker.io"),
            ("index.docker.io", "docker.io"),
            ("localhost:5000", "localhost:5000"),
            ("https://Registry.Example.com", "registry.example.com"),
            ("http://127.0.0.1:5000/v2/", "127.0.0.1:5000"),
        ] {
            assert_eq!(parse_registry(input).as_deref(), Ok(registry), "{input}");
        }
        for bad in ["", "https://", "user@host", "two words"] {
            assert!(parse_registry(bad).is_err(), "{bad}");
        }
    }
}
