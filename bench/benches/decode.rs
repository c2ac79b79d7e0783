//! Decode + normalise, per provider: a page of realistic invoices from bytes
//! to the facade's `Invoice`s, against two baselines on the same bytes:
//! `serde_json::Value`, and the generated crate's typed page.
//!
//! `cargo bench -p invoicing-bench --bench decode`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use invoicing_bench::benched::Benched;
use invoicing_bench::fixtures;
use invoicing_bench::{facade, typed};

fn decode(c: &mut Criterion) {
    let decoders = facade::Decoders::default();
    for style in Benched::ALL {
        let mut group = c.benchmark_group(format!("decode/{}", style.name()));
        for n in [100, 500] {
            let body = fixtures::page(
                style.shape(),
                &fixtures::invoices(style.shape(), 0, n),
                1,
                1,
                n,
            )
            .into_bytes();
            assert_eq!(typed::decode_page(style, &body), n);
            assert!(decoders.decode_page(style, &body).iter().all(Result::is_ok));
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(
                BenchmarkId::new("serde_json::Value", n),
                &body,
                |b, body| {
                    b.iter(|| {
                        black_box(serde_json::from_slice::<serde_json::Value>(body).expect("valid"))
                    })
                },
            );
            group.bench_with_input(BenchmarkId::new("generated type", n), &body, |b, body| {
                b.iter(|| black_box(typed::decode_page(style, body)))
            });
            group.bench_with_input(BenchmarkId::new("facade Invoice", n), &body, |b, body| {
                b.iter(|| black_box(decoders.decode_page(style, body)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, decode);
criterion_main!(benches);
