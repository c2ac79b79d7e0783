//! The loop a user of the generated crates alone writes: the typed
//! `.stream()` of the list operation (the runtime's paging, exactly once,
//! read ahead), each item the generated `Invoice`, nothing normalised.

use futures::{Stream, TryStreamExt};
use invoicing_runtime::{Auth, Error};

use crate::benched::Benched;
use crate::consumer::Consumer;

/// A generated client of a paged vendor.
pub enum TypedClient {
    /// Sendcloud v3.
    SendcloudV3(invoicing_sendcloud_v3::Client),
    /// Kitchen.
    Kitchen(invoicing_kitchen::Client),
    /// Coinbase Business.
    Coinbase(invoicing_coinbase_business::Client),
}

impl TypedClient {
    /// The generated client of `style` for `base_url`; `None` for Sendcloud
    /// v2, whose list is one response, not paged.
    pub fn new(style: Benched, base_url: &str) -> Option<Self> {
        Some(match style {
            Benched::SendcloudV2 => return None,
            Benched::SendcloudV3 => Self::SendcloudV3(invoicing_sendcloud_v3::Client::with_auth(
                base_url,
                Auth::none(),
            )),
            Benched::Kitchen => {
                Self::Kitchen(invoicing_kitchen::Client::with_auth(base_url, Auth::none()))
            }
            Benched::Coinbase => Self::Coinbase(invoicing_coinbase_business::Client::with_auth(
                base_url,
                Auth::none(),
            )),
        })
    }

    /// Lists every invoice in pages of `per_page` into `consumer`; returns
    /// how many.
    pub async fn list_all(
        &self,
        per_page: u64,
        read_ahead: bool,
        consumer: &mut Consumer,
    ) -> Result<usize, Error> {
        match self {
            Self::SendcloudV3(client) => {
                let list = client.list_invoices().page_size(per_page);
                consume(list.stream().read_ahead(read_ahead), consumer).await
            }
            Self::Kitchen(client) => {
                let list = client.list_invoices().per_page(per_page);
                consume(list.stream().read_ahead(read_ahead), consumer).await
            }
            Self::Coinbase(client) => {
                let list = client.list_invoices().page_size(per_page);
                consume(list.stream().read_ahead(read_ahead), consumer).await
            }
        }
    }
}

/// Decodes one list page body as the generated crate's typed page (every
/// invoice into its generated type, in one pass): the baseline of the
/// decode benchmark. Returns how many invoices it held.
pub fn decode_page(style: Benched, body: &[u8]) -> usize {
    fn count<P: serde::de::DeserializeOwned>(body: &[u8], len: fn(P) -> usize) -> usize {
        len(serde_json::from_slice(body).expect("a typed page"))
    }
    match style {
        Benched::SendcloudV2 => count(
            body,
            |p: invoicing_sendcloud_v2::types::ListInvoicesResponse| p.invoices.len(),
        ),
        Benched::SendcloudV3 => count(body, |p: invoicing_sendcloud_v3::types::InvoiceList| {
            p.data.len()
        }),
        Benched::Kitchen => count(body, |p: invoicing_kitchen::types::InvoicePage| {
            p.data.len()
        }),
        Benched::Coinbase => count(
            body,
            |p: invoicing_coinbase_business::types::ListInvoicesResponse| p.invoices.len(),
        ),
    }
}

async fn consume<T>(
    mut stream: impl Stream<Item = Result<T, Error>> + Unpin,
    consumer: &mut Consumer,
) -> Result<usize, Error> {
    while let Some(invoice) = stream.try_next().await? {
        consumer.take(invoice).await;
    }
    Ok(consumer.taken())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server;

    #[tokio::test]
    async fn the_typed_loop_pages_through_every_paged_style() {
        for style in Benched::PAGED {
            let vendor = server::start(style.shape(), 45, 10).await;
            let client = TypedClient::new(style, &vendor.base_url).unwrap();
            for read_ahead in [true, false] {
                let mut consumer = Consumer::counting();
                let count = client.list_all(10, read_ahead, &mut consumer).await;
                assert_eq!(count.unwrap(), 45, "{}", style.name());
            }
        }
        assert!(TypedClient::new(Benched::SendcloudV2, "http://127.0.0.1:9").is_none());
    }
}
