//! Cross-crate tests live beside this file, one module each of one test
//! binary (`main.rs`: `contract_examples.rs`,
//! `forward_compat.rs`, ...). This library only compiles the README's
//! examples as doc tests, so the first page a newcomer reads stays true.
#![doc = include_str!("../README.md")]
