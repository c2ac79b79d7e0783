//! Vendor-shaped invoice servers on loopback, one [`Shape`](shape::Shape)
//! per provider (in [`vendors`]): the benchmarks, the offline demo and
//! their tests list invoices from them as from the real vendors.

pub mod fixtures;
pub mod server;
pub mod shape;
// Written by `cargo xtask regen`, whose bytes `regen --check` compares.
#[rustfmt::skip]
pub mod vendors;
