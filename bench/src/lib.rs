//! Benchmark support: the clients the end-to-end runs compare (the facade,
//! a loop over a generated crate's typed `.stream()`, and the hand-written
//! baseline a user would write without this project, all feeding the same
//! consumer), over the vendor-shaped mock servers and page fixtures of
//! `invoicing-mock-vendors`.

pub mod baseline;
pub mod benched;
pub mod consumer;
pub mod facade;
pub mod trace;
pub mod typed;

// The fixtures and the mock server are shared with the offline demo.
pub use invoicing_mock_vendors::{fixtures, server};
