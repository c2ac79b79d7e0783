//! The offline demo: every provider's invoices listed into one table on the
//! terminal, rows printed as they arrive, a progress line on stderr.
//!
//! ```sh
//! cargo run -p invoicing-demo              # local vendor-shaped servers, no account
//! cargo run -p invoicing-demo -- --live    # the real vendors whose credentials are set
//! ```
//!
//! Both modes build an [`invoicing::Invoices`] and hand it to the same
//! [`table::print_table`]: only where it reads from (base URLs) and with
//! what (credentials) differ, in [`offline`] and [`live`].

pub mod live;
pub mod offline;
pub mod progress;
pub mod table;
