//! The common invoice model, one file per idea.
//!
//! Shaped after the EN 16931 semantic model and unified accounting APIs,
//! limited to what the supported vendors actually send.

mod amount;
mod currency;
pub(crate) mod decimal;
mod invoice;
mod line;
mod party;
mod problem;
mod provider;
mod status;
mod timestamp;
mod totals;

pub use amount::Amount;
pub use currency::{Currency, InvalidCurrency};
pub use invoice::Invoice;
pub use line::Line;
pub use party::Party;
pub use problem::FieldProblem;
pub use provider::{Provider, UnknownProvider};
pub use status::Status;
pub use timestamp::Timestamp;
pub use totals::Totals;
