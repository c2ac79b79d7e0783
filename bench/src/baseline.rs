//! The client a user would write by hand without this project: reqwest,
//! serde_json straight into a struct with the fields they need, and a paging
//! loop. The end-to-end runs compare the facade against it over the same
//! server.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::benched::Benched;
use crate::consumer::Consumer;

/// Sendcloud v3 fields a hand-written client keeps.
#[derive(Debug, Deserialize)]
pub struct SendcloudV3Row {
    /// Id.
    pub id: u64,
    /// Invoice number.
    pub reference: String,
    /// Tax.
    pub tax: Money,
}

/// Sendcloud v2 fields a hand-written client keeps.
#[derive(Debug, Deserialize)]
pub struct SendcloudV2Row {
    /// Id.
    pub id: u64,
    /// Invoice number.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Total, as a float: what a hand-written client typically does.
    pub price_incl: f64,
}

/// Kitchen fields a hand-written client keeps.
#[derive(Debug, Deserialize)]
pub struct KitchenRow {
    /// Id.
    pub id: String,
    /// Invoice number.
    pub number: Option<String>,
    /// Status.
    pub status: String,
    /// Total, as a float.
    pub total_amount: f64,
}

/// Coinbase fields a hand-written client keeps.
#[derive(Debug, Deserialize)]
pub struct CoinbaseRow {
    /// Id.
    pub uuid: String,
    /// Invoice number.
    #[serde(rename = "invoiceNumber")]
    pub invoice_number: String,
    /// Status.
    pub status: String,
    /// Total.
    #[serde(rename = "totalAmountDue")]
    pub total: Money,
}

/// `{"value": "...", "currency": "..."}`.
#[derive(Debug, Deserialize)]
pub struct Money {
    /// Decimal string.
    pub value: String,
    /// Currency code.
    pub currency: String,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(alias = "invoices")]
    data: Vec<T>,
    #[serde(rename = "nextPageToken")]
    next_page_token: Option<String>,
    meta: Option<Meta>,
}

#[derive(Deserialize)]
struct Meta {
    current_page: usize,
    last_page: usize,
}

/// Lists every invoice of the vendor at `base_url` into `consumer`;
/// returns how many.
pub async fn list_all(
    client: &reqwest::Client,
    style: Benched,
    base_url: &str,
    per_page: usize,
    consumer: &mut Consumer,
) -> reqwest::Result<usize> {
    match style {
        Benched::SendcloudV2 => {
            list::<SendcloudV2Row>(client, style, base_url, per_page, consumer).await
        }
        Benched::SendcloudV3 => {
            list::<SendcloudV3Row>(client, style, base_url, per_page, consumer).await
        }
        Benched::Kitchen => list::<KitchenRow>(client, style, base_url, per_page, consumer).await,
        Benched::Coinbase => list::<CoinbaseRow>(client, style, base_url, per_page, consumer).await,
    }
}

async fn list<T: DeserializeOwned>(
    client: &reqwest::Client,
    style: Benched,
    base_url: &str,
    per_page: usize,
    consumer: &mut Consumer,
) -> reqwest::Result<usize> {
    let mut next: Option<String> = Some(match style {
        Benched::SendcloudV2 => format!("{base_url}/user/invoices"),
        Benched::SendcloudV3 => format!("{base_url}/invoices?page_size={per_page}"),
        Benched::Kitchen => format!("{base_url}/invoices?per_page={per_page}&page=1"),
        Benched::Coinbase => format!("{base_url}/api/v1/invoices?pageSize={per_page}"),
    });
    while let Some(url) = next.take() {
        let response = client.get(&url).send().await?.error_for_status()?;
        let link = response
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await?;
        let page: Envelope<T> =
            serde_json::from_slice(&bytes).expect("the mock server sends valid pages");
        let next_page = match style {
            Benched::SendcloudV2 => None,
            Benched::SendcloudV3 => {
                link.and_then(|l| l.split(['<', '>']).nth(1).map(str::to_owned))
            }
            Benched::Kitchen => page.meta.filter(|m| m.current_page < m.last_page).map(|m| {
                format!(
                    "{base_url}/invoices?per_page={per_page}&page={}",
                    m.current_page + 1
                )
            }),
            Benched::Coinbase => page
                .next_page_token
                .map(|t| format!("{base_url}/api/v1/invoices?pageSize={per_page}&pageToken={t}")),
        };
        for invoice in page.data {
            consumer.take(invoice).await;
        }
        next = next_page;
    }
    Ok(consumer.taken())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server;

    #[tokio::test]
    async fn the_baseline_pages_through_every_style() {
        let client = reqwest::Client::new();
        for style in Benched::ALL {
            let vendor = server::start(style.shape(), 45, 10).await;
            let count = list_all(
                &client,
                style,
                &vendor.base_url,
                10,
                &mut Consumer::counting(),
            )
            .await
            .unwrap();
            assert_eq!(count, 45, "{}", style.name());
        }
        let vendor = server::start(Benched::Kitchen.shape(), 0, 10).await;
        assert_eq!(
            list_all(
                &client,
                Benched::Kitchen,
                &vendor.base_url,
                10,
                &mut Consumer::counting()
            )
            .await
            .unwrap(),
            0
        );
    }
}
