//! Sendcloud API v3: `GET /invoices`, paged by `Link: <...?cursor=...>;
//! rel="next"`.

use crate::shape::{Page, Served, Shape, amount, day, param};

/// The Sendcloud v3 mock.
pub struct SendcloudV3;

impl Shape for SendcloudV3 {
    fn name(&self) -> &'static str {
        "sendcloud-v3"
    }

    fn list_path(&self) -> &'static str {
        "/invoices"
    }

    fn invoice(&self, i: usize) -> String {
        let d = day(i);
        format!(
            r#"{{"id":{id},"reference":"INV-2026-{i:06}","created_at":"{d}T00:00:00Z","due_date":{due},"price_taxable":{{"value":"{a}00","currency":"EUR"}},"price_non_taxable":{{"value":"0.0000","currency":"EUR"}},"tax":{{"value":"{b}00","currency":"EUR"}},"description":"Shipping charges {i}","category":"{cat}","issuer":{{"business_name":"Sendcloud B.V.","address":"Stationsplein 32","postal_code":"5611 AC","city":"Eindhoven","country_name":"Netherlands","vat_id":"NL852587582B01","coc_id":"57500015"}}}}"#,
            id = 5000 + i,
            a = amount(i),
            b = amount(i + 1),
            due = if i.is_multiple_of(4) {
                "null".to_string()
            } else {
                format!("\"{d}T00:00:00Z\"")
            },
            cat = if i.is_multiple_of(2) {
                "transactional"
            } else {
                "subscription"
            },
        )
    }

    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "cursor")
            .and_then(|v| v.strip_prefix('p'))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        let mut served = Served::json(format!(r#"{{"data":[{}]}}"#, page.items));
        if page.has_next() {
            let link = format!(
                "<{}/invoices?cursor=p{}&page_size={}>; rel=\"next\"",
                page.base_url,
                page.number + 1,
                page.per_page
            );
            served.headers.push(("link", link));
        }
        served
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "SENDCLOUD_PUBLIC_KEY",
                "offline-sendcloud-public-key".into(),
            ),
            (
                "SENDCLOUD_SECRET_KEY",
                "offline-sendcloud-secret-key".into(),
            ),
        ]
    }
}
