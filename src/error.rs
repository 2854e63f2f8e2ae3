//! How a failure is shown to a user: the message, the chain of causes, and a `hint:` that names
//! the next command to try.
//!
//! Library errors are typed (`thiserror`) and know their own hint; this module finds the first
//! hint along an error's cause chain so that `main` can print it under the error.

use std::error::Error as StdError;

/// The exit code for a failed command.
pub const EXIT_FAILURE: i32 = 1;
/// The exit code for a usage error, as clap uses it.
pub const EXIT_USAGE: i32 = 2;

/// An error that carries advice for the user alongside its message.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Hinted {
    message: String,
    hint: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Hinted {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Hinted {
        Hinted {
            message: message.into(),
            hint: hint.into(),
            source: None,
        }
    }

    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Hinted {
        self.source = Some(Box::new(source));
        self
    }
}

/// The first hint found along the cause chain of `error`, outermost first.
pub fn hint(error: &(dyn StdError + 'static)) -> Option<String> {
    let mut current = Some(error);
    while let Some(err) = current {
        if let Some(found) = own_hint(err) {
            return Some(found);
        }
        current = err.source();
    }
    None
}

fn own_hint(err: &(dyn StdError + 'static)) -> Option<String> {
    if let Some(e) = err.downcast_ref::<Hinted>() {
        return Some(e.hint.clone());
    }
    if let Some(e) = err.downcast_ref::<crate::client::Error>() {
        return e.hint();
    }
    if let Some(e) = err.downcast_ref::<crate::transfer::Error>() {
        return e.hint();
    }
    if let Some(e) = err.downcast_ref::<crate::transfer::location::LocationError>() {
        return Some(e.hint());
    }
    if let Some(e) = err.downcast_ref::<crate::auth::store::StoreError>() {
        return e.hint();
    }
    if let Some(e) = err.downcast_ref::<crate::oci::reference::ReferenceError>() {
        let _ = e;
        return Some(
            "references look like `busybox`, `ghcr.io/owner/app:v1` or \
             `localhost:5000/team/app@sha256:<hex>`"
                .to_string(),
        );
    }
    None
}
