//! Authentication: `WWW-Authenticate` challenges, token scopes, bearer tokens, and the stores
//! that hold a user's credentials.

pub mod challenge;
pub mod credential;
pub mod scope;
pub mod store;
pub mod token;

pub use challenge::{Challenge, Scheme};
pub use credential::{Credential, Secret, Source};
pub use scope::{Scope, ScopeSet};
pub use token::Authenticator;
