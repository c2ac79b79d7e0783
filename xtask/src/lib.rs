//! `cargo xtask`: the project's automation, as a library so its passes can
//! be tested one by one and reused by the cross-crate contract tests.

pub mod corpus;
pub mod diff;
pub mod document;
pub mod manifest;
pub mod passes;
pub mod pipeline;
pub mod spec_error;
pub mod surface;
