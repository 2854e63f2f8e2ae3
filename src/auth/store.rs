//! Credential lookup across the stores rctl reads. Placeholder: the stores land separately.

use super::credential::{Credential, Source};
use crate::config::Config;

/// Why a credential store could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("credential store failed: {0}")]
pub struct StoreError(pub String);

/// The credential for `registry`, and where it came from.
pub fn lookup(
    _registry: &str,
    _config: &Config,
) -> Result<Option<(Credential, Source)>, StoreError> {
    Ok(None)
}
