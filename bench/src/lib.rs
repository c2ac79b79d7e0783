//! Benchmark support: a vendor-shaped mock server on loopback, page fixtures
//! with varied values, and the hand-written baseline client a user would
//! write without this project.

pub mod baseline;
pub mod facade;
pub mod fixtures;
pub mod server;
