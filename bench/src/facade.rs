//! The facade side of each measurement: one adapter per style, pointed at a
//! base URL, and a decode of one page body.

use futures::TryStreamExt;
use std::sync::Arc;

use invoicing::adapters::{CoinbaseBusiness, Kitchen, SendcloudV2, SendcloudV3, source_from_vars};
use invoicing::{Invoice, Invoices, ListQuery, Provider, Source};
use invoicing_runtime::Auth;

use crate::benched::Benched;
use crate::consumer::Consumer;

/// One adapter of each benchmarked provider, to decode page bodies with.
/// Building an adapter builds an HTTP client (TLS roots and all), so
/// benchmarks build one up front, as a real caller does.
pub struct Decoders {
    sendcloud_v2: SendcloudV2,
    sendcloud_v3: SendcloudV3,
    kitchen: Kitchen,
    coinbase: CoinbaseBusiness,
}

impl Default for Decoders {
    fn default() -> Self {
        let unused = "http://127.0.0.1:9";
        Self {
            sendcloud_v2: SendcloudV2::with_base_url(unused, Auth::none()),
            sendcloud_v3: SendcloudV3::with_base_url(unused, Auth::none()),
            kitchen: Kitchen::with_base_url(unused, Auth::none()),
            coinbase: CoinbaseBusiness::with_base_url(unused, Auth::none()),
        }
    }
}

impl Decoders {
    /// Decodes and maps one list page body, as `list` does for each page.
    pub fn decode_page(&self, style: Benched, body: &[u8]) -> Vec<invoicing::Result<Invoice>> {
        let page = match style {
            Benched::SendcloudV2 => self.sendcloud_v2.decode_page(body),
            Benched::SendcloudV3 => self.sendcloud_v3.decode_page(body),
            Benched::Kitchen => self.kitchen.decode_page(body),
            Benched::Coinbase => self.coinbase.decode_page(body),
        };
        page.expect("benchmark pages have the vendor's envelope")
    }
}

/// One source per `(provider, base_url)`, built once, as a caller does.
pub fn invoices(vendors: &[(Benched, String)]) -> Invoices {
    let mut builder = Invoices::builder();
    for (style, base_url) in vendors {
        builder = builder.shared_source(source(*style, base_url));
    }
    builder.build()
}

/// The facade's source of `style` reading `base_url`, without credentials
/// (the mock checks none).
fn source(style: Benched, base_url: &str) -> Arc<dyn Source> {
    let provider: Provider = style.name().parse().expect("a facade provider");
    // Settings a provider needs besides credentials come from its mock.
    let vars = style.shape().offline_vars();
    let var = |name: &str| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    };
    source_from_vars(provider, Some(base_url), var).expect("the mock's variables are complete")
}

/// Lists every invoice of `invoices` through one merged stream into
/// `consumer`; returns how many, failing on any error item.
pub async fn list_all(
    invoices: &Invoices,
    query: &ListQuery,
    consumer: &mut Consumer,
) -> invoicing::Result<usize> {
    let mut stream = invoices.list(query);
    while let Some(invoice) = stream.try_next().await? {
        consumer.take(invoice).await;
    }
    Ok(consumer.taken())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{fixtures, server};

    #[test]
    fn every_fixture_invoice_maps_without_error_and_keeps_its_raw_json() {
        for style in Benched::ALL {
            let items = fixtures::invoices(style.shape(), 0, 60);
            let body = fixtures::page(style.shape(), &items, 1, 1, 60);
            let page = Decoders::default().decode_page(style, body.as_bytes());
            assert_eq!(page.len(), 60, "{}", style.name());
            for (i, invoice) in page.into_iter().enumerate() {
                let invoice =
                    invoice.unwrap_or_else(|e| panic!("{} invoice {i}: {e}", style.name()));
                assert_eq!(invoice.raw.get(), style.shape().invoice(i));
                assert!(
                    invoice.totals.total().is_some() || style == Benched::SendcloudV3,
                    "{}",
                    style.name()
                );
            }
        }
    }

    #[tokio::test]
    async fn the_facade_lists_every_style_from_the_mock_server() {
        let mut vendors = Vec::new();
        let mut servers = Vec::new();
        for style in Benched::ALL {
            let vendor = server::start(style.shape(), 35, 10).await;
            vendors.push((style, vendor.base_url.clone()));
            servers.push(vendor);
        }
        let all = invoices(&vendors);
        for read_ahead in [true, false] {
            let query = ListQuery::new().page_size(10).read_ahead(read_ahead);
            let count = list_all(&all, &query, &mut Consumer::counting()).await;
            assert_eq!(count.unwrap(), 4 * 35);
        }
    }
}
