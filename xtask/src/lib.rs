//! `cargo xtask`: the project's automation, as a library so its passes can
//! be tested one by one and reused by the cross-crate contract tests.

pub mod cargo_toml;
pub mod diff;
pub mod manifest;
pub mod passes;
pub mod pipeline;
pub mod progenitor_output;
pub mod refs;
pub mod spec_error;
pub mod spec_files;
pub mod surface;
