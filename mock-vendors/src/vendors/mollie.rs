//! Mollie: `GET /v2/sales-invoices?from=<id>&limit=N`, HAL pages whose
//! `_links.next.href` names the next page by its first invoice's id.

use crate::shape::{Page, Served, Shape, amount, day, param};

/// The Mollie mock (sales invoices).
pub struct Mollie;

/// Invoice `i`'s id, as Mollie writes them (`invoice_...`).
fn id(i: usize) -> String {
    format!("invoice_{i:021x}")
}

impl Shape for Mollie {
    fn name(&self) -> &'static str {
        "mollie"
    }

    fn list_path(&self) -> &'static str {
        "/v2/sales-invoices"
    }

    fn invoice(&self, i: usize) -> String {
        // Issued and paid only: a draft has no number and no issue date,
        // which the demo's table (number, issue date) shows for every row.
        let status = ["issued", "paid"][i % 2];
        let d = day(i);
        // Paid ones have a payment date, as Mollie's examples show them.
        let (number, issued, paid) = match status {
            "issued" => (
                format!(r#""INV-{i:05}""#),
                format!(r#""{d}T10:47:38+00:00""#),
                "null".to_owned(),
            ),
            _ => (
                format!(r#""INV-{i:05}""#),
                format!(r#""{d}T10:47:38+00:00""#),
                format!(r#""{d}T12:00:00+00:00""#),
            ),
        };
        format!(
            r#"{{"resource":"sales-invoice","id":"{id}","mode":"live","invoiceNumber":{number},"profileId":"pfl_QkEhN94Ba","currency":"EUR","status":"{status}","vatScheme":"standard","paymentTerm":"30 days","recipientIdentifier":"123532354","recipient":{{"type":"consumer","givenName":"Given","familyName":"Family","email":"given.family@mollie.com","streetAndNumber":"Street 1","postalCode":"1000 AA","city":"Amsterdam","country":"NL"}},"lines":[{{"description":"LEGO 4440 Forest Police Station","quantity":1,"vatRate":"0.00","unitPrice":{{"value":"{a}","currency":"EUR"}}}}],"amountDue":{{"value":"{a}","currency":"EUR"}},"subtotalAmount":{{"value":"{a}","currency":"EUR"}},"totalAmount":{{"value":"{a}","currency":"EUR"}},"totalVatAmount":{{"value":"0.00","currency":"EUR"}},"discountedSubtotalAmount":{{"value":"{a}","currency":"EUR"}},"isEInvoice":false,"createdAt":"{d}T10:47:38+00:00","issuedAt":{issued},"paidAt":{paid},"dueAt":null,"_links":{{"self":{{"href":"https://api.mollie.com/v2/sales-invoices/{id}","type":"application/hal+json"}},"documentation":{{"href":"https://docs.mollie.com/reference/get-sales-invoice","type":"text/html"}}}}}}"#,
            id = id(i),
            a = amount(i),
        )
    }

    fn page_asked(&self, query: &str, per_page: usize) -> usize {
        param(query, "from")
            .and_then(|v| v.strip_prefix("invoice_"))
            .and_then(|v| usize::from_str_radix(v, 16).ok())
            .map_or(1, |first| first / per_page.max(1) + 1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        let count = if page.has_next() {
            page.per_page
        } else {
            page.total - page.first_index()
        };
        let next = if page.has_next() {
            format!(
                r#"{{"href":"{}/v2/sales-invoices?from={}&limit={}","type":"application/hal+json"}}"#,
                page.base_url,
                id(page.first_index() + page.per_page),
                page.per_page
            )
        } else {
            "null".to_owned()
        };
        Served::json(format!(
            r#"{{"count":{count},"_embedded":{{"sales_invoices":[{items}]}},"_links":{{"self":{{"href":"{base}/v2/sales-invoices","type":"application/hal+json"}},"previous":null,"next":{next},"documentation":{{"href":"https://docs.mollie.com/reference/list-sales-invoices","type":"text/html"}}}}}}"#,
            items = page.items,
            base = page.base_url,
        ))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![("MOLLIE_API_KEY", "test_offline-mollie-api-key".into())]
    }
}
