//! Decodes the same page many times, for a profiler to sample, or to
//! compare the facade with typed decode on a busy machine.
//!
//! `cargo build --release -p invoicing-bench --example profile_decode`, then
//! `target/release/examples/profile_decode <provider> [facade|typed|compare] [rounds]`:
//!
//! - `facade` (the default) or `typed` decodes pages of 500 invoices
//!   `rounds` times (10) the facade's way or the generated crate's typed
//!   way: `perf record -g` it, or count its instructions with
//!   `valgrind --tool=cachegrind --cache-sim=no` (1 round and 11, subtracted,
//!   are 10 rounds of 20,000 invoices), which a busy machine does not change;
//! - `compare` alternates a round of each and prints the fastest round of
//!   each per invoice, and their ratio: both see the same load, and the
//!   fastest round the least of it.

use std::time::Instant;

use invoicing_bench::benched::Benched;
use invoicing_bench::facade::Decoders;
use invoicing_bench::fixtures;
use invoicing_bench::typed;

/// Pages of 500 invoices decoded per round.
const PAGES: usize = 40;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "coinbase-business".into());
    let mode = args.next().unwrap_or_else(|| "facade".into());
    let rounds: usize = args.next().map_or(10, |n| n.parse().expect("rounds"));
    let style = *Benched::ALL
        .iter()
        .find(|s| s.name() == name)
        .expect("a provider name");
    let body = fixtures::page(
        style.shape(),
        &fixtures::invoices(style.shape(), 0, 500),
        1,
        1,
        500,
    )
    .into_bytes();
    let decoders = Decoders::default();
    let facade = || {
        (0..PAGES)
            .map(|_| {
                let page = decoders.decode_page(style, &body);
                page.iter().filter(|r| r.is_ok()).count()
            })
            .sum::<usize>()
    };
    let typed = || {
        (0..PAGES)
            .map(|_| typed::decode_page(style, &body))
            .sum::<usize>()
    };
    let modes: Vec<(&str, &dyn Fn() -> usize)> = match mode.as_str() {
        "facade" => vec![("facade", &facade)],
        "typed" => vec![("typed", &typed)],
        "compare" => vec![("typed", &typed), ("facade", &facade)],
        other => panic!("unknown mode {other}"),
    };
    let mut fastest = vec![f64::MAX; modes.len()];
    for _ in 0..rounds {
        for (i, (_, decode)) in modes.iter().enumerate() {
            let started = Instant::now();
            let decoded = decode();
            assert_eq!(decoded, PAGES * 500, "every invoice decodes");
            fastest[i] = fastest[i].min(started.elapsed().as_secs_f64() / decoded as f64);
        }
    }
    let times: Vec<String> = modes
        .iter()
        .zip(&fastest)
        .map(|((mode, _), seconds)| format!("{mode} {:.0} ns", seconds * 1e9))
        .collect();
    print!("{name}: {} per invoice", times.join(", "));
    if let [typed, facade] = fastest[..] {
        print!(" (fastest of {rounds} rounds each): {:.2}x", facade / typed);
    }
    println!();
}
