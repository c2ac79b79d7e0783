//! Pages of invoices for any provider's [`Shape`], for decoding benchmarks
//! and tests that need a vendor's page without a server.

use crate::shape::{Page, Shape};

/// The invoices `first..first + count` joined as a JSON array's contents.
pub fn invoices(shape: &dyn Shape, first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| shape.invoice(i))
        .collect::<Vec<_>>()
        .join(",")
}

/// Page `number` of `last` (each of `per_page` invoices, `items` on this
/// one) as the vendor sends it, its body only.
pub fn page(shape: &dyn Shape, items: &str, number: usize, last: usize, per_page: usize) -> String {
    shape
        .page(&Page {
            items,
            number,
            last,
            per_page,
            total: last * per_page,
            base_url: "http://127.0.0.1:9",
        })
        .body
}
