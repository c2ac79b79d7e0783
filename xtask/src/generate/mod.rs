//! Generating a crate from a prepared document, in the passes the README
//! numbers 6 to 11: 6. [`constant_headers`], 7. [`shape`],
//! 8. [`progenitor`] (progenitor itself), 9. [`postprocess`] (the `syn`
//! passes over its output), 10. [`crate_files`], 11. [`write`](mod@write); composed
//! by [`crate::pipeline`]. [`progenitor_output`] is the one module that
//! knows the shape of progenitor's code; [`cargo_toml`] reads and sets
//! crate versions.

pub mod cargo_toml;
pub mod constant_headers;
pub mod crate_files;
pub mod postprocess;
pub mod progenitor;
pub mod progenitor_output;
pub mod shape;
pub mod write;
