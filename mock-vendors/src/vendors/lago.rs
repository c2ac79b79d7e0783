//! Lago: `GET /invoices?page=N`, `meta.total_pages`.

use crate::shape::{Page, Served, Shape, day, minor_units, param};

/// The Lago mock.
pub struct Lago;

impl Shape for Lago {
    fn name(&self) -> &'static str {
        "lago"
    }

    fn list_path(&self) -> &'static str {
        "/invoices"
    }

    fn invoice(&self, i: usize) -> String {
        // The document's example invoice (its properties' examples), its
        // amounts in each currency's minor unit (two, zero and three
        // decimals).
        let (net, tax) = (minor_units(i), minor_units(i + 1) % 10_000);
        format!(
            r#"{{"lago_id":"1a901a90-1a90-1a90-1a90-{i:012x}","billing_entity_code":"acme_corp","sequential_id":{i},"number":"LAG-1234-001-{i:03}","issuing_date":"{d}","payment_dispute_lost_at":null,"payment_due_date":"{d}","payment_overdue":false,"net_payment_term":30,"invoice_type":"subscription","status":"{st}","payment_status":"{pst}","currency":"{c}","fees_amount_cents":{net},"coupons_amount_cents":0,"credit_notes_amount_cents":0,"sub_total_excluding_taxes_amount_cents":{net},"taxes_amount_cents":{tax},"sub_total_including_taxes_amount_cents":{gross},"prepaid_credit_amount_cents":0,"prepaid_granted_credit_amount_cents":0,"prepaid_purchased_credit_amount_cents":0,"progressive_billing_credit_amount_cents":0,"total_amount_cents":{gross},"version_number":3,"self_billed":false,"file_url":"https://getlago.com/invoice/file","web_url":null,"created_at":"{d}T08:59:51Z","updated_at":"{d}T08:59:51Z","customer":{{"lago_id":"1a901a90-1a90-1a90-1a90-1a901a901a90","sequential_id":1,"slug":"LAG-1234-001","external_id":"5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba","address_line1":"5230 Penfield Ave","address_line2":null,"applicable_timezone":"America/Los_Angeles","city":"Woodland Hills","country":"US","currency":"USD","email":"dinesh@piedpiper.test","legal_name":"Coleman-Blair","legal_number":"49-008-2965","name":"Gavin Belson","state":"CA","tax_identification_number":"EU123456789","zipcode":"91364","created_at":"2022-04-29T08:59:51Z"}}}}"#,
            d = day(i),
            gross = net + tax,
            c = ["EUR", "USD", "JPY", "KWD"][i % 4],
            st = ["finalized", "finalized", "draft", "voided", "pending"][i % 5],
            pst = ["succeeded", "pending"][i % 2],
        )
    }

    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        let next = if page.has_next() {
            (page.number + 1).to_string()
        } else {
            "null".to_owned()
        };
        let prev = if page.number > 1 {
            (page.number - 1).to_string()
        } else {
            "null".to_owned()
        };
        Served::json(format!(
            r#"{{"invoices":[{items}],"meta":{{"current_page":{number},"next_page":{next},"prev_page":{prev},"total_pages":{last},"total_count":{total}}}}}"#,
            items = page.items,
            number = page.number,
            last = page.last,
            total = page.total,
        ))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![("LAGO_API_KEY", "offline-lago-api-key".into())]
    }
}
