//! The vocabulary of the image and distribution specs: references, digests, media types and
//! manifests. Nothing here does I/O.

pub mod digest;
pub mod manifest;
pub mod media_type;
pub mod reference;

pub use digest::Digest;
pub use manifest::{Descriptor, Manifest, Platform};
pub use reference::Reference;
