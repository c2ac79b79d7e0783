//! Benchmark support: a vendor-shaped mock server on loopback, page fixtures
//! with varied values, and the clients the end-to-end runs compare: the
//! facade, a loop over a generated crate's typed `.stream()`, and the
//! hand-written baseline a user would write without this project, all
//! feeding the same consumer.

pub mod baseline;
pub mod consumer;
pub mod facade;
pub mod fixtures;
pub mod server;
pub mod typed;
