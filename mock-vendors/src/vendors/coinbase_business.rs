//! Coinbase Business: `GET /api/v1/invoices?pageToken=...`,
//! `nextPageToken`.

use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::shape::{Page, Served, Shape, amount, day, param};

/// The Coinbase Business mock.
pub struct CoinbaseBusiness;

/// The seed of the offline Coinbase Developer Platform Ed25519 key.
const OFFLINE_KEY_SEED: [u8; 32] = [0x5e; 32];

impl Shape for CoinbaseBusiness {
    fn name(&self) -> &'static str {
        "coinbase-business"
    }

    fn list_path(&self) -> &'static str {
        "/api/v1/invoices"
    }

    fn invoice(&self, i: usize) -> String {
        let d = day(i);
        format!(
            r#"{{"uuid":"750a84dd-2460-504c-8bb9-{i:012x}","invoiceNumber":"INV-{i}","contactName":"John Doe","contactEmail":"john.doe@example.com","contactAddress":{{"addressLine1":"123 Main Street","city":"San Francisco","state":"CA","country":"US","postalCode":"94103"}},"dueDate":"{d}T10:30:00Z","invoiceDate":"{d}T10:30:00Z","lineItems":[{{"itemName":"Web Development Services","quantity":10,"unitPrice":{{"value":"{b}","currency":"USDC"}}}}],"tax":{{"value":"1.00","currency":"USDC"}},"totalAmountDue":{{"value":"{a}","currency":"USDC"}},"status":"{st}","createdAt":"{d}T10:30:00Z","updatedAt":"{d}T10:30:00Z","createdBy":"u1","lastUpdatedBy":"u1","entityName":"Acme Corporation","entityAddress":{{"addressLine1":"1 Infinite Loop","city":"Cupertino","country":"US"}}}}"#,
            a = amount(i),
            b = amount(i + 1),
            st = ["OPEN", "PAID", "DRAFT", "OVERDUE", "VOID", "SCHEDULED"][i % 6],
        )
    }

    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "pageToken")
            .and_then(|v| v.strip_prefix('t'))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        let items = page.items;
        Served::json(if page.has_next() {
            format!(
                r#"{{"invoices":[{items}],"nextPageToken":"t{}"}}"#,
                page.number + 1
            )
        } else {
            format!(r#"{{"invoices":[{items}]}}"#)
        })
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "COINBASE_CDP_KEY_ID",
                "organizations/offline/apiKeys/demo".into(),
            ),
            ("COINBASE_CDP_KEY_SECRET", ed25519_secret(&OFFLINE_KEY_SEED)),
        ]
    }
}

/// A key secret as the Coinbase Developer Platform hands it out: base64 of
/// the seed and the public key, so every request signs a real JWT.
fn ed25519_secret(seed: &[u8; 32]) -> String {
    let pair = Ed25519KeyPair::from_seed_unchecked(seed).expect("any 32 bytes are a seed");
    BASE64.encode([seed.as_slice(), pair.public_key().as_ref()].concat())
}
