//! Vendor-shaped invoice servers on loopback, one [`Shape`](shape::Shape)
//! per provider (in [`vendors`]): the benchmarks, the offline demo and
//! their tests list invoices from them as from the real vendors.

pub mod fixtures;
pub mod server;
pub mod shape;
pub mod vendors;
