//! Stripe: `GET /v1/invoices?starting_after=<last id>`, `has_more`.

use crate::shape::{Page, Served, Shape, minor_units, param};

/// The Stripe mock.
pub struct Stripe;

/// Midnight UTC of 1 January 2026, in Unix seconds.
const JAN_2026: usize = 1_767_225_600;

impl Shape for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn list_path(&self) -> &'static str {
        "/v1/invoices"
    }

    fn invoice(&self, i: usize) -> String {
        // Stripe's API reference example invoice, its amounts in each
        // currency's minor unit (two, zero and three decimals). The line's
        // `invoice_item` is null, not the id Stripe usually sends: the
        // generated `LineItemInvoiceItem` (an `anyOf` of an id and an
        // object, typed by typify as a struct) cannot decode the id form,
        // and these pages must decode as the generated list response.
        let created = JAN_2026 + i * 3_600;
        format!(
            r#"{{"id":"in_mock{i:016x}","object":"invoice","account_country":"US","account_name":"Stripe Docs","account_tax_ids":null,"amount_due":{a},"amount_paid":0,"amount_remaining":{a},"amount_shipping":0,"application":null,"application_fee_amount":null,"attempt_count":0,"attempted":false,"auto_advance":false,"automatic_tax":{{"enabled":false,"status":null}},"billing_reason":"manual","charge":null,"collection_method":"send_invoice","created":{created},"currency":"{c}","custom_fields":null,"customer":"cus_NeZwdNtLEOXuvB","customer_address":null,"customer_email":"jennyrosen@example.com","customer_name":"Jenny Rosen","customer_phone":null,"customer_shipping":null,"customer_tax_exempt":"none","customer_tax_ids":[],"default_payment_method":null,"default_source":null,"default_tax_rates":[],"description":null,"discount":null,"discounts":[],"due_date":{due},"effective_at":{created},"ending_balance":null,"footer":null,"from_invoice":null,"hosted_invoice_url":"https://invoice.stripe.com/i/acct_mock/test_{i}","invoice_pdf":"https://pay.stripe.com/invoice/acct_mock/test_{i}/pdf","last_finalization_error":null,"latest_revision":null,"lines":{{"object":"list","data":[{{"id":"il_mock{i:016x}","object":"line_item","amount":{a},"amount_excluding_tax":{a},"currency":"{c}","description":"My First Invoice Item (created for API docs)","discount_amounts":[],"discountable":true,"discounts":[],"invoice_item":null,"livemode":false,"metadata":{{}},"period":{{"end":{created},"start":{created}}},"price":null,"proration":false,"proration_details":{{"credited_items":null}},"quantity":1,"subscription":null,"tax_amounts":[],"tax_rates":[],"type":"invoiceitem","unit_amount_excluding_tax":"{a}"}}],"has_more":false,"url":"/v1/invoices/in_mock{i:016x}/lines"}},"livemode":false,"metadata":{{}},"next_payment_attempt":null,"number":"FC8BB3E4-{i:04}","on_behalf_of":null,"paid":false,"paid_out_of_band":false,"payment_intent":null,"payment_settings":{{"default_mandate":null,"payment_method_options":null,"payment_method_types":null}},"period_end":{created},"period_start":{created},"post_payment_credit_notes_amount":0,"pre_payment_credit_notes_amount":0,"quote":null,"receipt_number":null,"rendering_options":null,"shipping_cost":null,"shipping_details":null,"starting_balance":0,"statement_descriptor":null,"status":"{st}","status_transitions":{{"finalized_at":{created},"marked_uncollectible_at":null,"paid_at":null,"voided_at":null}},"subscription":null,"subtotal":{a},"subtotal_excluding_tax":{a},"tax":0,"test_clock":null,"total":{a},"total_discount_amounts":[],"total_excluding_tax":{a},"total_tax_amounts":[],"transfer_data":null,"webhooks_delivered_at":{created}}}"#,
            a = minor_units(i),
            c = ["usd", "eur", "jpy", "kwd"][i % 4],
            due = created + 30 * 86_400,
            st = ["open", "paid", "draft", "void", "uncollectible"][i % 5],
        )
    }

    fn page_asked(&self, query: &str, per_page: usize) -> usize {
        // The cursor is the id of the last invoice of the page before.
        param(query, "starting_after")
            .and_then(|id| id.strip_prefix("in_mock"))
            .and_then(|hex| usize::from_str_radix(hex, 16).ok())
            .map_or(1, |last| (last + 1) / per_page.max(1) + 1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        Served::json(format!(
            r#"{{"object":"list","data":[{items}],"has_more":{more},"url":"/v1/invoices"}}"#,
            items = page.items,
            more = page.has_next(),
        ))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![("STRIPE_SECRET_KEY", "sk_test_offline".into())]
    }
}
