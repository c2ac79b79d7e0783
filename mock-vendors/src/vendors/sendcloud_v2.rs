//! Sendcloud API v2: `GET /user/invoices`, every invoice in one response.

use crate::shape::{Page, Served, Shape, amount};

/// The Sendcloud v2 mock.
pub struct SendcloudV2;

impl Shape for SendcloudV2 {
    fn name(&self) -> &'static str {
        "sendcloud-v2"
    }

    fn list_path(&self) -> &'static str {
        "/user/invoices"
    }

    fn unpaged(&self) -> bool {
        true
    }

    fn invoice(&self, i: usize) -> String {
        format!(
            r#"{{"id":{id},"ref":"EU-CENTRAL-1-0-22-NL{i:07}","type":"{ty}","price_incl":{a},"price_excl":{b},"isPayed":{paid},"date":"{dd:02}-{mm:02}-2022 11:39:36","items":"https://panel.sendcloud.sc/api/v2/user/invoices/{id}"}}"#,
            id = 1_000_000 + i,
            ty = [
                "periodic",
                "forced",
                "initial_payment",
                "credit_limit",
                "other"
            ][i % 5],
            a = amount(i),
            b = amount(i + 1),
            paid = !i.is_multiple_of(3),
            dd = 1 + i % 28,
            mm = 1 + i % 12,
        )
    }

    fn page_asked(&self, _query: &str, _per_page: usize) -> usize {
        1
    }

    fn page(&self, page: &Page<'_>) -> Served {
        Served::json(format!(r#"{{"invoices":[{}]}}"#, page.items))
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
            // The API sends no currency; a real account's owner knows theirs.
            ("SENDCLOUD_V2_CURRENCY", "EUR".into()),
        ]
    }
}
