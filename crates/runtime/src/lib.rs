//! Support code shared by every generated invoicing client.
//!
//! Generated crates call into this crate for what an OpenAPI document cannot
//! say: how to authenticate, when to retry, how to follow pages, and how to
//! keep JSON numbers exact. A user who depends on one generated crate gets all
//! of it without the `invoices` facade.

mod context;
mod number;

pub use context::{Auth, Context, http_client};
pub use number::Number;
