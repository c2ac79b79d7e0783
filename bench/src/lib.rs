//! Benchmark support: a vendor-shaped mock server on loopback, page fixtures
//! with varied values, and the hand-written baseline client a user would
//! write without this project.

pub mod baseline;
pub mod facade;

// The fixtures and the mock server are shared with the offline demo.
pub use invoicing_mock_vendors::{fixtures, server};
