//! Vendor-shaped invoice servers on loopback, in-process, for the
//! benchmarks (`bench/`), the offline demo (`demo/`) and their tests: one
//! copy of what each vendor's list response looks like.
//!
//! - [`fixtures`]: invoices shaped after each spec's list example, with
//!   ids, numbers, amounts, dates and statuses varied by their position, and
//!   whole page bodies as each vendor sends them.
//! - [`server`]: a server that pages them the vendor's way (`Link` cursors,
//!   page numbers, page tokens, or one response).

pub mod fixtures;
pub mod server;
