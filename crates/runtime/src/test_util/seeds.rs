//! The seeds a test that draws random data runs with.

use std::hash::{BuildHasher, RandomState};

/// The seeds to run: `fixed` (what CI runs), or those the environment
/// variable `var` names: `random` for one new seed, or a comma-separated
/// list. A test prints each seed it runs, so a failure can be reproduced.
///
/// # Panics
/// When `var` holds something else.
#[must_use]
pub fn seeds(var: &str, fixed: &[u64]) -> Vec<u64> {
    match std::env::var(var).as_deref().map(str::trim) {
        Err(_) | Ok("") => fixed.to_vec(),
        Ok("random") => vec![RandomState::new().hash_one(0) % 1_000_000_000],
        Ok(list) => list
            .split(',')
            .map(|seed| {
                seed.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{var}={list:?}: `random` or numbers"))
            })
            .collect(),
    }
}
