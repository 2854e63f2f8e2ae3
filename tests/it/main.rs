//! rctl's integration tests: one binary, a module per area, all against real peers (Debian's
//! docker-registry, skopeo, podman, gnome-keyring, and rctl's own server) that the harness starts
//! on free loopback ports.

mod client;
mod credentials;
mod generated;
mod harness;
mod reference_cli;
mod serve;
mod transfer;
