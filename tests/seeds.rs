//! Seeds for the tests that draw random data: a fixed list by default (CI
//! runs the same cases every time), another list or random seeds from an
//! environment variable to explore. A test prints the seeds it runs with,
//! and its failure messages repeat them with the command that reproduces
//! the run.

use std::hash::{BuildHasher, RandomState};

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The seeds to run with: `fixed` unless the environment variable `var`
/// says otherwise, as `random` (as many random seeds as `fixed` holds) or
/// a comma-separated list of numbers.
///
/// # Panics
/// When `var` holds something else: a typo must not quietly run the
/// fixed seeds.
pub(crate) fn seeds(var: &str, fixed: &[u64]) -> Vec<u64> {
    let chosen = match std::env::var(var) {
        Err(_) => fixed.to_vec(),
        Ok(value) if value.trim().is_empty() => fixed.to_vec(),
        Ok(value) if value.trim() == "random" => (0..fixed.len().max(1))
            .map(|n| RandomState::new().hash_one(n) % 1_000_000_000)
            .collect(),
        Ok(value) => value
            .split(',')
            .map(|seed| {
                seed.trim().parse().unwrap_or_else(|_| {
                    panic!("{var}={value:?}: expected `random` or numbers separated by commas")
                })
            })
            .collect(),
    };
    eprintln!("{var}={}", list(&chosen));
    chosen
}

/// `seeds` as the environment variable takes them back.
pub(crate) fn list(seeds: &[u64]) -> String {
    seeds
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A proptest runner whose cases all come from `seed` (proptest's own
/// `TestRunner::new` seeds itself from the OS), with no failure files.
pub(crate) fn runner(cases: u32, seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}
