//! The Lago adapter against a local mock server.

use crate::facade_support::{dec, invoices, lago, only_error, query};
use chrono::NaiveDate;
use invoicing::{Error, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{header, serve};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "lago-test-key-123";

/// The document's example invoice (`InvoiceObject` from its properties'
/// `example`s, the document has no whole response example), as text so
/// its bytes can be compared with `Invoice::raw`.
const EXAMPLE: &str = r#"{"lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "billing_entity_code": "acme_corp", "sequential_id": 2, "number": "LAG-1234-001-002", "issuing_date": "2022-04-30", "payment_dispute_lost_at": "2022-09-14T16:35:31Z", "payment_due_date": "2022-04-30", "payment_overdue": true, "net_payment_term": 30, "invoice_type": "subscription", "status": "finalized", "payment_status": "succeeded", "currency": "EUR", "fees_amount_cents": 100, "coupons_amount_cents": 10, "credit_notes_amount_cents": 10, "sub_total_excluding_taxes_amount_cents": 100, "taxes_amount_cents": 20, "sub_total_including_taxes_amount_cents": 120, "prepaid_credit_amount_cents": 0, "prepaid_granted_credit_amount_cents": 0, "prepaid_purchased_credit_amount_cents": 0, "progressive_billing_credit_amount_cents": 0, "total_amount_cents": 100, "version_number": 3, "self_billed": false, "file_url": "https://getlago.com/invoice/file", "web_url": "https://app.getlago.com/acme/customer/1a901a90-1a90-1a90-1a90-1a901a901a90/invoice/2b012b01-2b01-2b01-2b01-2b012b012b01/overview", "created_at": "2022-04-29T08:59:51Z", "updated_at": "2022-04-29T08:59:51Z", "customer": {"lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "sequential_id": 1, "slug": "LAG-1234-001", "external_id": "5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba", "address_line1": "5230 Penfield Ave", "address_line2": null, "applicable_timezone": "America/Los_Angeles", "city": "Woodland Hills", "country": "US", "currency": "USD", "email": "dinesh@piedpiper.test", "legal_name": "Coleman-Blair", "legal_number": "49-008-2965", "name": "Gavin Belson", "state": "CA", "tax_identification_number": "EU123456789", "zipcode": "91364", "created_at": "2022-04-29T08:59:51Z"}}"#;

/// The document's example fee (`FeeObject`).
const FEE: &str = r#"{"lago_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_charge_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_charge_filter_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_fixed_charge_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_invoice_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_true_up_fee_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_true_up_parent_fee_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_subscription_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "lago_customer_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "external_customer_id": "external_id", "external_subscription_id": "external_id", "amount_cents": 100, "precise_amount": "1.0001", "precise_total_amount": "1.0212", "amount_currency": "EUR", "taxes_amount_cents": 20, "taxes_precise_amount": "0.20123", "taxes_rate": 20, "units": "0.32", "precise_unit_amount": "312.5", "total_aggregated_units": "0.32", "total_amount_cents": 120, "total_amount_currency": "EUR", "events_count": 23, "pay_in_advance": true, "invoiceable": true, "from_date": "2022-04-29T08:59:51Z", "to_date": "2022-05-29T08:59:51Z", "payment_status": "pending", "created_at": "2022-08-24T14:58:59Z", "succeeded_at": "2022-08-24T14:58:59Z", "failed_at": "2022-08-24T14:58:59Z", "refunded_at": "2022-08-24T14:58:59Z", "event_transaction_id": "transaction_1234567890", "description": "Fee description", "precise_coupons_amount_cents": "0.0", "sub_total_excluding_taxes_amount_cents": 100, "sub_total_excluding_taxes_precise_amount_cents": "100.0", "self_billed": false, "item": {"type": "subscription", "code": "startup", "name": "Startup", "description": "Startup", "invoice_display_name": "Setup Fee (SF1)", "filter_invoice_display_name": "AWS eu-east-1", "filters": {}, "lago_item_id": "1a901a90-1a90-1a90-1a90-1a901a901a90", "item_type": "Subscription", "grouped_by": {}}}"#;

fn page(invoices: &[String], current: u64, last: u64, total: u64) -> String {
    let next = if current < last {
        json!(current + 1)
    } else {
        Value::Null
    };
    format!(
        r#"{{"invoices": [{}], "meta": {{"current_page": {current}, "next_page": {next}, "prev_page": null, "total_pages": {last}, "total_count": {total}}}}}"#,
        invoices.join(",")
    )
}

/// The example with `changes` applied to its top-level members.
fn invoice(changes: Value) -> String {
    let mut invoice: Value = serde_json::from_str(EXAMPLE).unwrap();
    for (key, value) in changes.as_object().unwrap() {
        invoice[key] = value.clone();
    }
    invoice.to_string()
}

fn uuid(n: u64) -> String {
    format!("1a901a90-1a90-1a90-1a90-{n:012x}")
}

fn json_body(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

#[tokio::test]
async fn the_example_maps_field_by_field_and_keeps_its_raw_bytes() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[EXAMPLE.to_owned()], 1, 1, 1)).await;
    let listed = invoices(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let invoice = &listed[0];
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    assert_eq!(invoice.raw.get(), EXAMPLE);
    assert_eq!(invoice.provider, Provider::Lago);
    assert_eq!(invoice.id, "1a901a90-1a90-1a90-1a90-1a901a901a90");
    assert_eq!(invoice.number.as_deref(), Some("LAG-1234-001-002"));
    assert_eq!(invoice.kind.as_deref(), Some("subscription"));
    assert_eq!(invoice.status, Status::Paid, "finalized and succeeded");
    assert_eq!(invoice.vendor_status.as_deref(), Some("finalized"));
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2022, 4, 30));
    assert_eq!(invoice.issued_at, None, "a date, no time");
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2022, 4, 30));
    assert_eq!(
        invoice.created_at.unwrap().to_string(),
        "2022-04-29T08:59:51+00:00"
    );
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "EUR");
    let totals = &invoice.totals;
    let value = |amount: &Option<invoicing::Amount>| {
        let amount = amount.as_ref().unwrap();
        assert_eq!(amount.currency.as_ref().unwrap().as_str(), "EUR");
        amount.value.to_string()
    };
    assert_eq!(value(&totals.subtotal), "1.00");
    assert_eq!(value(&totals.discount), "0.10");
    assert_eq!(value(&totals.net), "1.00");
    assert_eq!(value(&totals.tax), "0.20");
    assert_eq!(value(&totals.gross), "1.20");
    assert_eq!(value(&totals.amount_due), "1.00");
    assert_eq!(
        (totals.amount_paid.as_ref(), totals.shipping.as_ref()),
        (None, None)
    );
    assert!(invoice.lines.is_empty(), "list items carry no fees");
    assert_eq!(
        invoice.pdf_url.as_deref(),
        Some("https://getlago.com/invoice/file")
    );
    assert!(
        invoice
            .hosted_url
            .as_deref()
            .unwrap()
            .starts_with("https://app.getlago.com/")
    );
    assert!(!invoice.credit_note);
    assert!(invoice.seller.is_none());
    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(
        buyer.id.as_deref(),
        Some("1a901a90-1a90-1a90-1a90-1a901a901a90")
    );
    assert_eq!(
        buyer.account_ref.as_deref(),
        Some("5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba")
    );
    assert_eq!(buyer.name.as_deref(), Some("Coleman-Blair"));
    assert_eq!(buyer.email.as_deref(), Some("dinesh@piedpiper.test"));
    assert_eq!(buyer.vat_id.as_deref(), Some("EU123456789"));
    assert_eq!(buyer.registration_id.as_deref(), Some("49-008-2965"));
    assert_eq!(buyer.address_lines, ["5230 Penfield Ave"]);
    assert_eq!(buyer.city.as_deref(), Some("Woodland Hills"));
    assert_eq!(buyer.postal_code.as_deref(), Some("91364"));
    assert_eq!(buyer.region.as_deref(), Some("CA"));
    assert_eq!(buyer.country_code.as_deref(), Some("US"));
}

#[tokio::test]
async fn pages_are_followed_to_the_last_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(|request: &Request| {
            let at = |n: u64| invoice(json!({"lago_id": uuid(n)}));
            let body = match query(request, "page").as_deref() {
                Some("1") => page(&[at(1), at(2)], 1, 3, 5),
                Some("2") => page(&[at(3), at(4)], 2, 3, 5),
                Some("3") => page(&[at(5)], 3, 3, 5),
                other => panic!("unexpected page {other:?}"),
            };
            json_body(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let listed =
        invoices(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.clone()).collect();
    assert_eq!(ids, (1..=5).map(uuid).collect::<Vec<_>>());
    for request in server.received_requests().await.unwrap() {
        assert_eq!(query(&request, "per_page").as_deref(), Some("2"));
        assert_eq!(
            header(&request, "authorization"),
            Some(format!("Bearer {KEY}"))
        );
    }
}

#[tokio::test]
async fn a_page_without_its_list_or_with_lagos_error_is_an_error_item() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"meta": {"current_page": 1, "total_pages": 1, "total_count": 0}}"#,
    )
    .await;
    let err = only_error(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert!(matches!(err, Error::MissingList { .. }), "{err:?}");

    let server = MockServer::start().await;
    serve(&server, 200, r#"{"status": 401, "error": "Unauthorized"}"#).await;
    let err = only_error(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert!(err.to_string().contains("Unauthorized"), "{err}");
}

#[tokio::test]
async fn cents_follow_each_currencys_exponent() {
    let server = MockServer::start().await;
    let cases = [
        ("JPY", 1999, "1999"),
        ("KRW", 50000, "50000"),
        ("KWD", 1999, "1.999"),
        ("BHD", -1500, "-1.500"),
        ("USD", -5, "-0.05"),
    ];
    let listed: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, (code, cents, _))| {
            invoice(
                json!({"lago_id": uuid(i as u64), "currency": code, "total_amount_cents": cents,
                "sub_total_including_taxes_amount_cents": cents}),
            )
        })
        .collect();
    serve(&server, 200, &page(&listed, 1, 1, 5)).await;
    let listed = invoices(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    for (invoice, (code, _, expected)) in listed.iter().zip(cases) {
        assert!(invoice.is_complete(), "{code}: {:?}", invoice.problems);
        let gross = invoice.totals.gross.as_ref().unwrap();
        assert_eq!(gross.value.to_string(), expected, "{code}");
        assert_eq!(gross.currency.as_ref().unwrap().as_str(), code);
        assert_eq!(
            invoice
                .totals
                .amount_due
                .as_ref()
                .unwrap()
                .value
                .to_string(),
            expected
        );
    }
}

#[tokio::test]
async fn an_unknown_currency_is_a_field_problem_not_a_guess() {
    let server = MockServer::start().await;
    let body = page(
        &[
            invoice(json!({"lago_id": uuid(1), "currency": "XYZ"})),
            invoice(json!({"lago_id": uuid(2), "currency": "eur"})),
        ],
        1,
        1,
        2,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 2, "every invoice comes through");
    let xyz = &listed[0];
    assert_eq!(
        (xyz.totals.gross.as_ref(), xyz.totals.amount_due.as_ref()),
        (None, None)
    );
    let total = xyz
        .problems
        .iter()
        .find(|p| p.field == "total_amount_cents")
        .unwrap();
    assert_eq!(total.value.as_deref(), Some("100"));
    assert!(total.reason.contains("no ISO 4217 minor unit"), "{total}");
    let lower = &listed[1];
    assert_eq!(lower.currency, None);
    assert!(
        lower.problems.iter().any(|p| p.field == "currency"),
        "{:?}",
        lower.problems
    );
    assert_eq!(lower.totals.gross, None);
}

#[tokio::test]
async fn statuses_null_dates_and_unknown_values() {
    let server = MockServer::start().await;
    let body = page(
        &[
            invoice(json!({"lago_id": uuid(1), "status": "draft", "payment_due_date": null})),
            invoice(
                json!({"lago_id": uuid(2), "status": "finalized", "payment_status": "pending", "payment_overdue": false}),
            ),
            invoice(
                json!({"lago_id": uuid(3), "status": "finalized", "payment_status": "failed", "payment_overdue": true}),
            ),
            invoice(json!({"lago_id": uuid(4), "status": "voided"})),
            invoice(json!({"lago_id": uuid(5), "status": "pending"})),
            invoice(json!({"lago_id": uuid(6), "status": "closed_for_audit"})),
            invoice(json!({"lago_id": uuid(7), "issuing_date": "30/04/2022"})),
            invoice(json!({"lago_id": uuid(8), "issuing_date": null})),
        ],
        1,
        1,
        8,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(lago(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let statuses: Vec<_> = listed.iter().map(|i| i.status.clone()).collect();
    assert_eq!(
        statuses[..6],
        [
            Status::Draft,
            Status::Open,
            Status::Overdue,
            Status::Void,
            Status::Other("pending".into()),
            Status::Other("closed_for_audit".into()),
        ]
    );
    assert_eq!(listed[0].due_date, None, "null due date");
    assert!(listed[0].is_complete());
    assert_eq!(listed[5].vendor_status.as_deref(), Some("closed_for_audit"));
    // A date that is not one: a problem, the rest of the invoice mapped.
    assert_eq!(listed[6].issue_date, None);
    assert_eq!(listed[6].problems[0].field, "issuing_date");
    assert_eq!(
        listed[6].problems[0].value.as_deref(),
        Some(r#""30/04/2022""#)
    );
    assert!(listed[6].totals.gross.is_some());
    assert_eq!(listed[7].issue_date, None);
    assert_eq!(listed[7].problems[0].field, "issuing_date");
}

#[tokio::test]
async fn get_maps_fees_as_lines_and_a_bad_id_is_refused_before_sending() {
    let server = MockServer::start().await;
    let mut detail: Value = serde_json::from_str(EXAMPLE).unwrap();
    let mut jpy: Value = serde_json::from_str(FEE).unwrap();
    jpy["amount_cents"] = json!(-1200);
    jpy["amount_currency"] = json!("JPY");
    jpy["item"]["invoice_display_name"] = Value::Null;
    detail["fees"] = json!([serde_json::from_str::<Value>(FEE).unwrap(), jpy]);
    let id = "1a901a90-1a90-1a90-1a90-1a901a901a90";
    Mock::given(method("GET"))
        .and(path(format!("/invoices/{id}")))
        .respond_with(json_body(json!({"invoice": detail}).to_string()))
        .expect(1)
        .mount(&server)
        .await;
    let source = lago(&server, Auth::bearer(KEY));
    let invoice = source.get(id).await.unwrap();
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    assert_eq!(invoice.lines.len(), 2);
    let line = &invoice.lines[0];
    assert_eq!(
        line.id.as_deref(),
        Some("1a901a90-1a90-1a90-1a90-1a901a901a90")
    );
    assert_eq!(line.name.as_deref(), Some("Setup Fee (SF1)"));
    assert_eq!(line.description.as_deref(), Some("Fee description"));
    assert_eq!(line.quantity, Some(dec("0.32")));
    assert_eq!(line.unit_price, None, "precise_unit_amount stays raw");
    let amount = line.amount.as_ref().unwrap();
    assert_eq!(
        (
            amount.value.to_string(),
            amount.currency.as_ref().unwrap().as_str()
        ),
        ("1.00".into(), "EUR")
    );
    let jpy = &invoice.lines[1];
    assert_eq!(jpy.name.as_deref(), Some("Startup"));
    assert_eq!(jpy.amount.as_ref().unwrap().value.to_string(), "-1200");

    let err = source.get("not-a-uuid").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api(invoicing_runtime::Error::InvalidRequest { .. })
        ),
        "{err:?}"
    );
}
