//! Square Invoices: `GET /v2/invoices?location_id=...&cursor=...`, the
//! next page's `cursor` in the body.

use crate::shape::{Page, Served, Shape, day, minor_units, param};

/// The Square mock.
pub struct Square;

impl Shape for Square {
    fn name(&self) -> &'static str {
        "square"
    }

    fn list_path(&self) -> &'static str {
        "/v2/invoices"
    }

    /// The invoices of the document's `ListInvoicesResponse` example,
    /// its id, number, status, currency, amounts and dates varied (amounts
    /// in the currency's minor unit: cents, yen, fils).
    fn invoice(&self, i: usize) -> String {
        let d = day(i);
        format!(
            r#"{{"accepted_payment_methods":{{"bank_account":false,"buy_now_pay_later":false,"card":true,"cash_app_pay":false,"square_gift_card":false}},"attachments":[{{"description":"Service contract","filename":"file.jpg","filesize":102705,"hash":"273ee02cb6f5f8a3a8ca23604930dd53","id":"inva:0-3bB9ZuDHiziThQhuC4fwWt","mime_type":"image/jpeg","uploaded_at":"{d}T21:24:10Z"}}],"created_at":"{d}T17:45:13Z","custom_fields":[{{"label":"Event Reference Number","placement":"ABOVE_LINE_ITEMS","value":"Ref. #1234"}}],"delivery_method":"EMAIL","description":"We appreciate your business!","id":"inv:0-ChCHu2mZEabLeeHahQ{i:010}","invoice_number":"inv-{i}","location_id":"ES0RJRZYEC39A","next_payment_amount_money":{{"amount":{a},"currency":"{c}"}},"order_id":"CAISENgvlJ6jLWAzERDzjyHVybY","payment_requests":[{{"automatic_payment_source":"NONE","computed_amount_money":{{"amount":{a},"currency":"{c}"}},"due_date":"{d}","request_type":"BALANCE","tipping_enabled":true,"total_completed_amount_money":{{"amount":0,"currency":"{c}"}},"uid":"2da7964f-f3d2-4f43-81e8-{i:012x}"}}],"primary_recipient":{{"customer_id":"JDKYHBWT1D4F8MFH63DBMEN8Y4","email_address":"Amelia.Earhart@example.com","family_name":"Earhart","given_name":"Amelia","phone_number":"1-212-555-4240"}},"public_url":"https://squareup.com/pay-invoice/inv:0-ChCHu2mZEabLeeHahQ{i:010}","sale_or_service_date":"{d}","scheduled_at":"{d}T10:00:00Z","status":"{st}","store_payment_method_enabled":false,"timezone":"America/Los_Angeles","title":"Event Planning Services","updated_at":"{d}T21:24:10Z","version":1}}"#,
            a = minor_units(i),
            c = ["USD", "JPY", "KWD"][i % 3],
            st = ["UNPAID", "PAID", "DRAFT", "CANCELED", "PARTIALLY_PAID", "SCHEDULED"][i % 6],
        )
    }

    /// Cursors are `c<page>`, as the mock hands them out.
    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "cursor")
            .and_then(|v| v.strip_prefix('c'))
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        // Square leaves the cursor out of the last page.
        let cursor = if page.has_next() {
            format!(r#","cursor":"c{}""#, page.number + 1)
        } else {
            String::new()
        };
        Served::json(format!(r#"{{"invoices":[{}]{cursor}}}"#, page.items))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SQUARE_ACCESS_TOKEN", "offline-square-access-token".into()),
            ("SQUARE_LOCATION_ID", "ES0RJRZYEC39A".into()),
        ]
    }
}
