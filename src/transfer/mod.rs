//! Locations of images (registries, OCI layouts, archives, the local store) and the copy engine
//! that moves images between them.
//!
//! - [`location`]: parsing `oci:`, `oci-archive:`, `docker-archive:` and registry references.
//! - [`endpoint`]: one side of a copy; archives are unpacked to, or packed from, an OCI layout.
//! - [`copy`]: the engine: children first, blobs concurrently and streamed, the tag last.
//! - [`oci_layout`], [`oci_archive`], [`docker_archive`]: the on-disk formats.
//! - [`store`]: the local image store behind `pull`, `tag`, `push`, `images` and `rmi`.
//! - [`observer`]: the events a copy reports; the command line turns them into bars and lines.
//!
//! Nothing becomes visible half-written: blobs are verified before they are renamed into place
//! locally and before a registry commits them, and names and tags are written last.

pub mod copy;
pub mod docker_archive;
pub mod endpoint;
pub mod error;
pub mod location;
pub mod observer;
pub mod oci_archive;
pub mod oci_layout;
pub mod open;
pub mod store;

pub use copy::{CopyOptions, CopyReport, copy};
pub use endpoint::Endpoint;
pub use error::Error;
pub use location::Location;
