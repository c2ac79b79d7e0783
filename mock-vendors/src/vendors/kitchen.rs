//! Kitchen: `GET /invoices?page=N`, `meta.last_page`.

use crate::shape::{Page, Served, Shape, amount, day, param};

/// The Kitchen mock.
pub struct Kitchen;

impl Shape for Kitchen {
    fn name(&self) -> &'static str {
        "kitchen"
    }

    fn list_path(&self) -> &'static str {
        "/invoices"
    }

    fn invoice(&self, i: usize) -> String {
        format!(
            r#"{{"archived_at":null,"amount":{a},"billing_profile":"bp_0123bc88a70c86ed9d1feb73","charge_automatically":false,"client":"u_62988d0392da49247a831d35","created_at":"{d}T09:16:53+00:00","creator":"u_c13cc0aee4b5af7a42951898","currency":"USD","discount_amount":1.5,"discounts":[{{"amount":1.5,"currency":"USD","id":"invti_81c4288ef04117d38e29b22c","title":"Discount","type":"percentage"}}],"due_date":"{d}T23:59:59+00:00","due_date_in_days":8,"due_reminder_message":"The reminder message","due_reminder_send_date":null,"due_reminder_send_days":2,"due_reminder_sent_at":null,"file":null,"finalized_at":null,"footer_notes":null,"id":"in_{i:024x}","is_external":false,"issue_date":"{d}T00:00:00+00:00","items":[{{"amount":{a},"currency":"USD","description":"Work","id":"invi_{i:024x}","quantity":"1.00","title":"Item"}}],"language":"en_US","marked_uncollectible_at":null,"memo":null,"meta":null,"number":"PREFIX-{i:05}","paid_at":null,"payment_gateways":[],"recurring_invoice":null,"status":"{st}","tax_items":[{{"amount":{b},"currency":"USD","id":"invti_{i:024x}","title":"VAT"}}],"shipping_amount":19.99,"total_amount":{a},"type":"invoice","updated_at":"{d}T09:16:53+00:00","voided_at":null,"visibility":"shared"}}"#,
            a = amount(i),
            b = amount(i + 1),
            d = day(i),
            st = ["paid", "open", "draft", "void", "uncollectible"][i % 5],
        )
    }

    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        Served::json(format!(
            r#"{{"data":[{items}],"links":{{"first":"/api/invoices?page=1","last":"/api/invoices?page={last}","prev":null,"next":null}},"meta":{{"current_page":{number},"from":1,"last_page":{last},"links":[],"path":"/api/invoices","per_page":{per_page},"to":1,"total":1}}}}"#,
            items = page.items,
            last = page.last,
            number = page.number,
            per_page = page.per_page,
        ))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![("KITCHEN_API_KEY", "offline-kitchen-api-key".into())]
    }
}
