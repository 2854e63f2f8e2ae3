//! rctl: a daemon-less container registry client and an embedded private registry.
//!
//! The crate is a library with the `rctl` binary on top. The layers, from the bottom:
//!
//! - [`oci`]: the vocabulary of the specs (references, digests, media types, manifests); no I/O.
//! - [`auth`]: `WWW-Authenticate` challenges, bearer tokens, and the credential stores (OS
//!   keyring, docker's `config.json` and credential helpers, podman's `auth.json`).
//! - [`client`]: the registry HTTP client: TLS, retries, authentication, manifests, blobs, tags.
//! - [`transfer`]: locations (registries, OCI layouts, archives, the local store) and copies
//!   between them.
//! - [`server`]: the registry server behind `rctl serve`.
//! - [`cli`]: one thin file per command, parsing flags and calling the layers above.
//!
//! Where to start reading: [`cli::Command`] for what rctl does, then
//! [`client::RegistryClient`] for how it talks to a registry. Nothing below [`cli`] writes to the
//! terminal, and [`client`] and [`server`] do not import each other.
//!
//! Deliberate limits are listed in the README's "Limits" section.

pub mod auth;
pub mod cli;
pub mod client;
pub mod config;
pub mod error;
pub mod oci;
pub mod server;
pub mod transfer;
