//! The facade side of each measurement: one adapter per style, pointed at a
//! base URL, and a decode of one page body.

use futures::TryStreamExt;
use invoicing::adapters::{CoinbaseBusiness, Kitchen, SendcloudV2, SendcloudV3};
use invoicing::{Invoice, Invoices, ListQuery};
use invoicing_runtime::Auth;

use crate::consumer::Consumer;
use crate::fixtures::Style;

/// One adapter of each style, to decode page bodies with. Building an
/// adapter builds an HTTP client (TLS roots and all), so benchmarks build
/// one up front, as a real caller does.
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
    pub fn decode_page(&self, style: Style, body: &[u8]) -> Vec<invoicing::Result<Invoice>> {
        let page = match style {
            Style::SendcloudV2 => self.sendcloud_v2.decode_page(body),
            Style::SendcloudV3 => self.sendcloud_v3.decode_page(body),
            Style::Kitchen => self.kitchen.decode_page(body),
            Style::Coinbase => self.coinbase.decode_page(body),
        };
        page.expect("benchmark pages have the vendor's envelope")
    }
}

/// One source per `(style, base_url)`, built once, as a caller does.
pub fn invoices(vendors: &[(Style, String)]) -> Invoices {
    let mut builder = Invoices::builder();
    for (style, base_url) in vendors {
        builder = match style {
            Style::SendcloudV2 => {
                builder.sendcloud_v2(SendcloudV2::with_base_url(base_url, Auth::none()))
            }
            Style::SendcloudV3 => {
                builder.sendcloud_v3(SendcloudV3::with_base_url(base_url, Auth::none()))
            }
            Style::Kitchen => builder.kitchen(Kitchen::with_base_url(base_url, Auth::none())),
            Style::Coinbase => {
                builder.coinbase_business(CoinbaseBusiness::with_base_url(base_url, Auth::none()))
            }
        };
    }
    builder.build()
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
        for style in Style::ALL {
            let items = fixtures::invoices(style, 0, 60);
            let body = fixtures::page(style, &items, 1, 1, 60);
            let page = Decoders::default().decode_page(style, body.as_bytes());
            assert_eq!(page.len(), 60, "{}", style.name());
            for (i, invoice) in page.into_iter().enumerate() {
                let invoice =
                    invoice.unwrap_or_else(|e| panic!("{} invoice {i}: {e}", style.name()));
                assert_eq!(invoice.raw.get(), fixtures::invoice(style, i));
                assert!(
                    invoice.totals.total().is_some() || style == Style::SendcloudV3,
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
        for style in Style::ALL {
            let vendor = server::start(style, 35, 10).await;
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
