//! PayPal Invoicing v2: `GET /v2/invoicing/invoices?page=N`, up to
//! `total_pages`.

use crate::shape::{Page, Served, Shape, day, param};

/// The PayPal Invoicing v2 mock.
pub struct PaypalInvoicingV2;

/// Invoice `i`'s currency and its total in major units with that
/// currency's decimals (PayPal's amounts are decimal strings: integers for
/// JPY, three places for KWD).
fn money(i: usize) -> (&'static str, String) {
    let whole = (i * 7919) % 100_000;
    match i % 3 {
        0 => ("USD", format!("{whole}.{:02}", (i * 31) % 100)),
        1 => ("JPY", whole.to_string()),
        _ => ("KWD", format!("{whole}.{:03}", (i * 31) % 1000)),
    }
}

impl Shape for PaypalInvoicingV2 {
    fn name(&self) -> &'static str {
        "paypal-invoicing-v2"
    }

    fn list_path(&self) -> &'static str {
        "/v2/invoicing/invoices"
    }

    /// The document's `invoice_draft` example, its id, number, status,
    /// currency, amounts and dates varied.
    fn invoice(&self, i: usize) -> String {
        let (currency, total) = money(i);
        format!(
            r##"{{"id":"INV2-C82X-JNN9-{i:09X}","status":"{st}","detail":{{"invoice_number":"#{i}","reference":"deal-refernce-update","invoice_date":"{d}","currency_code":"{currency}","note":"Thank you for your business.","memo":"This is a long contract","payment_term":{{"term_type":"NET_10","due_date":"{d}"}},"metadata":{{"create_time":"{d}T10:30:00Z","recipient_view_url":"https://www.paypal.com/invoice/p/#INV2-C82X-JNN9-{i:09X}"}}}},"invoicer":{{"name":{{"given_name":"David","surname":"Larusso"}},"address":{{"address_line_1":"1234 First Street","admin_area_2":"Anytown","admin_area_1":"CA","postal_code":"98765","country_code":"US"}},"email_address":"merchant@example.com"}},"primary_recipients":[{{"billing_info":{{"name":{{"given_name":"Stephanie","surname":"Meyers"}},"address":{{"address_line_1":"1234 Main Street","admin_area_2":"Anytown","admin_area_1":"CA","postal_code":"98765","country_code":"US"}},"email_address":"bill-me@example.com"}}}}],"items":[{{"name":"Yoga Mat","description":"Elastic mat to practice yoga.","quantity":"1","unit_amount":{{"currency_code":"{currency}","value":"{total}"}}}}],"amount":{{"currency_code":"{currency}","value":"{total}","breakdown":{{"item_total":{{"currency_code":"{currency}","value":"{total}"}}}}}},"due_amount":{{"currency_code":"{currency}","value":"{total}"}}}}"##,
            st = ["SENT", "PAID", "DRAFT", "CANCELLED", "PARTIALLY_PAID", "SCHEDULED"][i % 6],
            d = day(i),
        )
    }

    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        Served::json(format!(
            r#"{{"items":[{items}],"total_pages":{last},"total_items":{total},"links":[{{"href":"{base}/v2/invoicing/invoices?page={number}&page_size={per_page}&total_required=true","rel":"self","method":"GET"}}]}}"#,
            items = page.items,
            last = page.last,
            total = page.total,
            base = page.base_url,
            number = page.number,
            per_page = page.per_page,
        ))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![("PAYPAL_ACCESS_TOKEN", "offline-paypal-access-token".into())]
    }
}
