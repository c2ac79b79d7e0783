//! Decodes the same page many times, for a profiler to sample:
//! `cargo build --release -p invoicing-bench --example profile_decode`, then
//! `perf record -g target/release/examples/profile_decode coinbase-business`
//! (the facade's decode), or with `typed` after the provider (the generated
//! crate's typed decode, the baseline), and a number of rounds (10). Prints
//! the fastest round's time per invoice, a quick comparison on a busy
//! machine; `valgrind --tool=cachegrind --cache-sim=no` on 1 round and on
//! 11 gives the instructions of 10 rounds, which a busy machine does not
//! change.

use std::time::Instant;

use invoicing_bench::facade::Decoders;
use invoicing_bench::fixtures::{self, Style};
use invoicing_bench::typed;

/// Pages of 500 invoices decoded per round.
const PAGES: usize = 40;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "coinbase-business".into());
    let typed_only = args.next().as_deref() == Some("typed");
    let rounds: usize = args.next().map_or(10, |n| n.parse().expect("rounds"));
    let style = *Style::ALL
        .iter()
        .find(|s| s.name() == name)
        .expect("a provider name");
    let body = fixtures::page(style, &fixtures::invoices(style, 0, 500), 1, 1, 500).into_bytes();
    let decoders = Decoders::default();
    let mut fastest = f64::MAX;
    for _ in 0..rounds {
        let started = Instant::now();
        let mut decoded = 0;
        for _ in 0..PAGES {
            decoded += match typed_only {
                true => typed::decode_page(style, &body),
                false => decoders
                    .decode_page(style, &body)
                    .iter()
                    .filter(|r| r.is_ok())
                    .count(),
            };
        }
        assert_eq!(decoded, PAGES * 500, "every invoice decodes");
        fastest = fastest.min(started.elapsed().as_secs_f64() / decoded as f64);
    }
    println!("{name}: {:.0} ns per invoice", fastest * 1e9);
}
