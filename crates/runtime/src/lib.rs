//! Support code shared by every generated invoicing client.
//!
//! Generated crates call into this crate for what an OpenAPI document cannot
//! say: how to authenticate, when to retry, how to follow pages, and how to
//! keep JSON numbers exact. A user who depends on one generated crate gets all
//! of it without the `invoices` facade.
//!
//! - [`Auth`] and [`Context`]: credentials and default headers put on every
//!   request, retries and token renewal around every send.
//! - [`RetryPolicy`]: which requests are retried and how long to wait.
//! - [`Error`]: one error type, with the vendor's own message.
//! - [`paging`]: `Link` headers, cursors and lazy page streams.
//! - [`Number`]: JSON numbers kept exact.

mod auth;
mod context;
mod error;
mod number;
pub mod paging;
pub mod query;
mod retry;
mod secret;

pub use auth::Auth;
pub use context::{Context, http_client};
pub use error::{ApiMessage, Error, Origin};
pub use number::Number;
pub use retry::{ATTEMPTS_HEADER, RetryPolicy, retry_after};
pub use secret::Secret;
