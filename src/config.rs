//! Settings: flags first, then `RCTL_*` environment variables, then
//! `$XDG_CONFIG_HOME/rctl/config.toml`, then defaults.
//!
//! This is the one module that reads the process environment (clap's `env` attributes aside,
//! which document a flag's variable next to the flag). Everything else receives a [`Config`].
//!
//! The file holds per-registry settings:
//!
//! ```toml
//! [registries."registry.example.com:5000"]
//! tls = "verify"          # or "skip-verify", or "insecure" (plain HTTP allowed)
//! ca_file = "/etc/ssl/my-ca.pem"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::oci::reference::normalize_registry;

/// How rctl talks TLS to one registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    /// HTTPS with certificate verification (plain HTTP only for loopback hosts).
    #[default]
    Verify,
    /// HTTPS without certificate verification.
    SkipVerify,
    /// HTTPS without verification, falling back to plain HTTP: docker's "insecure registry".
    Insecure,
}

/// Settings for one registry from the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySettings {
    #[serde(default)]
    pub tls: Option<TlsMode>,
    /// An extra CA bundle (PEM) trusted for this registry.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    registries: BTreeMap<String, RegistrySettings>,
}

/// Everything rctl reads from the environment and the config file, resolved once at startup.
#[derive(Debug, Clone, Default)]
pub struct Config {
    registries: BTreeMap<String, RegistrySettings>,
    /// Registries named by `--insecure` on the command line (or `RCTL_INSECURE`).
    insecure: Vec<String>,
    /// Where docker's `config.json` lives (`$DOCKER_CONFIG` or `~/.docker`).
    pub docker_config_dir: Option<PathBuf>,
    /// podman's `auth.json` (`$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`,
    /// else `~/.config/containers/auth.json`).
    pub podman_auth_files: Vec<PathBuf>,
    /// Directories holding `HOST[:PORT]/ca.crt` files, docker's and podman's layout.
    pub certs_dirs: Vec<PathBuf>,
    /// rctl's own files: the `--store file` credentials live here.
    pub config_dir: Option<PathBuf>,
    /// rctl's data: the local image store lives here.
    pub data_dir: Option<PathBuf>,
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file `{path}` is not valid")]
    Parse {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
}

impl Config {
    /// Load from the environment and the config file (`$RCTL_CONFIG` overrides its path).
    pub fn load() -> Result<Config, ConfigError> {
        let env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = dirs::home_dir();
        let config_dir =
            env("RCTL_CONFIG_DIR").or_else(|| dirs::config_dir().map(|d| d.join("rctl")));
        let file =
            env("RCTL_CONFIG").or_else(|| config_dir.as_ref().map(|d| d.join("config.toml")));

        let parsed = match &file {
            Some(path) if path.exists() => read_file(path)?,
            _ => ConfigFile::default(),
        };
        let registries = parsed
            .registries
            .into_iter()
            .map(|(host, settings)| (normalize_registry(&host), settings))
            .collect();

        let docker_config_dir =
            env("DOCKER_CONFIG").or_else(|| home.as_ref().map(|h| h.join(".docker")));
        let mut podman_auth_files = Vec::new();
        if let Some(file) = env("REGISTRY_AUTH_FILE") {
            podman_auth_files.push(file);
        } else {
            if let Some(runtime) = env("XDG_RUNTIME_DIR") {
                podman_auth_files.push(runtime.join("containers/auth.json"));
            }
            if let Some(config) = dirs::config_dir() {
                podman_auth_files.push(config.join("containers/auth.json"));
            }
        }
        let mut certs_dirs = vec![
            PathBuf::from("/etc/docker/certs.d"),
            PathBuf::from("/etc/containers/certs.d"),
        ];
        if let Some(home) = &home {
            certs_dirs.push(home.join(".config/containers/certs.d"));
            certs_dirs.push(home.join(".docker/certs.d"));
        }
        let insecure = std::env::var("RCTL_INSECURE")
            .map(|v| {
                v.split(',')
                    .map(|h| normalize_registry(h.trim()))
                    .filter(|h| !h.is_empty())
                    .collect()
            })
            .unwrap_or_default();

        Ok(Config {
            registries,
            insecure,
            docker_config_dir,
            podman_auth_files,
            certs_dirs,
            config_dir,
            data_dir: env("RCTL_DATA_DIR").or_else(|| dirs::data_dir().map(|d| d.join("rctl"))),
        })
    }

    /// Mark registries as insecure for this run (`--insecure`).
    pub fn add_insecure(&mut self, registry: &str) {
        self.insecure.push(normalize_registry(registry));
    }

    /// The TLS mode for `registry`: `--insecure` wins over the file, which wins over the default.
    pub fn tls_mode(&self, registry: &str) -> TlsMode {
        if self.insecure.iter().any(|h| h == registry) {
            return TlsMode::Insecure;
        }
        self.registries
            .get(registry)
            .and_then(|s| s.tls)
            .unwrap_or_default()
    }

    /// CA files trusted for `registry`: the config file's `ca_file`, then every `ca.crt` (and
    /// other `*.crt`) in the certs.d directories named after the registry.
    pub fn ca_files(&self, registry: &str) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .registries
            .get(registry)
            .and_then(|s| s.ca_file.clone())
            .into_iter()
            .collect();
        for dir in &self.certs_dirs {
            files.extend(crt_files(&dir.join(registry)));
        }
        files
    }
}

fn read_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

fn crt_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "crt"))
        .collect();
    files.sort();
    files
}
