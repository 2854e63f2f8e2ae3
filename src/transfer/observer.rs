//! What the copy engine reports while it works, for whoever shows it.
//!
//! The engine knows nothing of terminals: it calls an [`Observer`] for status lines, for each
//! blob (bytes as they move, then how the blob arrived) and for each manifest stored. The
//! command line draws bars or plain lines from these events (`cli::progress`); [`Silent`]
//! shows nothing.

use crate::client::uploads::Progress;
use crate::oci::{Descriptor, Digest};

use super::endpoint::BlobOutcome;

/// Receives the progress of one copy.
pub trait Observer: Send + Sync {
    /// A status line (`Using default tag: latest`, `Image is up to date for …`).
    fn line(&self, text: &str);
    /// A manifest was stored at the destination.
    fn manifest(&self, digest: &Digest);
    /// A blob starts moving (or being checked).
    fn blob(&self, descriptor: &Descriptor) -> Box<dyn BlobObserver + '_>;
}

/// Receives the progress of one blob.
pub trait BlobObserver: Send + Sync {
    /// The callback that hears about bytes as they move.
    fn counter(&self) -> Progress;
    /// The blob is done: moved, already there, or mounted.
    fn finish(&self, outcome: &BlobOutcome);
    /// The blob failed.
    fn abandon(&self);
}

/// An observer that shows nothing.
pub struct Silent;

impl Observer for Silent {
    fn line(&self, _text: &str) {}

    fn manifest(&self, _digest: &Digest) {}

    fn blob(&self, _descriptor: &Descriptor) -> Box<dyn BlobObserver + '_> {
        Box::new(Silent)
    }
}

impl BlobObserver for Silent {
    fn counter(&self) -> Progress {
        std::sync::Arc::new(|_| {})
    }

    fn finish(&self, _outcome: &BlobOutcome) {}

    fn abandon(&self) {}
}
