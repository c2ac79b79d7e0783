//! `cargo xtask`: the project's automation, as a library so its passes can
//! be tested one by one and reused by the cross-crate contract tests.
//!
//! Modules depend one way, each only on modules listed before it (a test,
//! `xtask/tests/layers.rs`, holds the code to this list):
//!
//! 1. [`naming`]: the Rust names progenitor and typify give what a
//!    document names (a leaf);
//! 2. spec reading, [`spec`]: first what every later step reads with,
//!    [`spec::error`] (a broken spec named by file and JSON pointer),
//!    [`spec::manifest`] (the providers, their path globs compiled once),
//!    [`spec::refs`] (`$ref` resolution), [`spec::document`] (operations,
//!    references and schemas of a document held as JSON); then the passes
//!    [`spec::load`], [`spec::overlay`], [`spec::select`],
//!    [`spec::normalise`], [`spec::validate`], composed by [`spec::files`];
//!    then what is read from a prepared document: [`spec::parameters`]
//!    (each operation's parameter constraints), [`spec::credentials`]
//!    (credentials from the environment), [`spec::paging`] (how list
//!    operations page), [`spec::idempotency`] (which writes take an
//!    idempotency key, and where);
//! 3. generation, [`generate`]: [`generate::progenitor_output`] (what
//!    progenitor's code looks like), then the passes
//!    [`generate::constant_headers`], [`generate::shape`],
//!    [`generate::progenitor`], [`generate::postprocess`],
//!    [`generate::crate_files`], [`generate::write`], and
//!    [`generate::cargo_toml`] (crate versions);
//! 4. [`surface`]: the public API read from generated code;
//! 5. [`pipeline`]: a provider's files, from spec to surface;
//!    [`registry`]: the facade's lists of providers, from the manifest;
//! 6. [`diff`]: `cargo xtask diff`, comparing surfaces and specs across
//!    revisions; [`corpus`]: `cargo xtask corpus`, real documents built in
//!    a scratch workspace;
//!
//! and `main` (the command line) on top.

pub mod corpus;
pub mod diff;
pub mod generate;
pub mod naming;
pub mod pipeline;
pub mod registry;
pub mod spec;
pub mod surface;
