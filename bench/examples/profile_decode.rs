//! Decodes the same pages many times, for a profiler to sample:
//! `cargo build --release -p invoicing-bench --example profile_decode` then
//! `perf record -g target/release/examples/profile_decode coinbase-business`.

use invoicing_bench::facade::Decoders;
use invoicing_bench::fixtures::{self, Style};

fn main() {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "coinbase-business".into());
    let style = *Style::ALL
        .iter()
        .find(|s| s.name() == name)
        .expect("a provider name");
    let body = fixtures::page(style, &fixtures::invoices(style, 0, 500), 1, 1, 500).into_bytes();
    let decoders = Decoders::default();
    let mut ok = 0;
    for _ in 0..400 {
        ok += decoders
            .decode_page(style, &body)
            .iter()
            .filter(|r| r.is_ok())
            .count();
    }
    println!("{ok} invoices");
}
