//! Cross-crate tests live beside this file, one module each of one test
//! binary (`main.rs`: `contract_examples.rs`,
//! `forward_compat.rs`, ...). This library only compiles the READMEs'
//! examples as doc tests, so the first page a newcomer reads (here or on
//! crates.io) stays true.
#![doc = include_str!("../README.md")]

/// The facade's README, as crates.io shows it.
#[doc = include_str!("../crates/invoicing/README.md")]
pub mod facade_readme {}

/// The runtime's README, as crates.io shows it.
#[doc = include_str!("../crates/runtime/README.md")]
pub mod runtime_readme {}
