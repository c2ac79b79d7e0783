//! `cargo xtask`: the project's automation, as a library so its passes can
//! be tested one by one and reused by the cross-crate contract tests.
//!
//! Modules depend one way, each only on modules listed before it:
//!
//! 1. foundations: [`spec_error`], [`manifest`], [`refs`] (`$ref`
//!    resolution), [`document`] (operations, references and schemas of a
//!    document held as JSON), [`cargo_toml`] (crate versions);
//! 2. spec reading: the passes [`passes::load`], [`passes::overlay`],
//!    [`passes::select`], [`passes::normalise`], [`passes::validate`],
//!    composed by [`spec_files`]; [`parameters`] (each operation's
//!    parameter constraints), [`credentials`] (credentials from the
//!    environment), [`paging`] (how list operations page),
//!    [`idempotency`] (which writes take an idempotency key, and where);
//! 3. generation: [`progenitor_output`] (what progenitor's code looks
//!    like), the passes [`passes::constant_headers`], [`passes::shape`],
//!    [`passes::generate`], [`passes::postprocess`], [`passes::crate_files`],
//!    [`passes::write`];
//! 4. [`surface`]: the public API read from generated code;
//! 5. [`pipeline`]: a provider's files, from spec to surface;
//!    [`registry`]: the facade's lists of providers, from the manifest;
//! 6. [`diff`]: `cargo xtask diff`, comparing surfaces and specs across
//!    revisions; [`corpus`]: `cargo xtask corpus`, real documents built in
//!    a scratch workspace;
//!
//! and `main` (the command line) on top.

pub mod cargo_toml;
pub mod corpus;
pub mod credentials;
pub mod diff;
pub mod document;
pub mod idempotency;
pub mod manifest;
pub mod paging;
pub mod parameters;
pub mod passes;
pub mod pipeline;
pub mod progenitor_output;
pub mod refs;
pub mod registry;
pub mod spec_error;
pub mod spec_files;
pub mod surface;
