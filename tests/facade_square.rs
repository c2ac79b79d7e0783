//! The Square adapter against a local mock server: the document's own
//! list and get examples, cursor pages, the required location, and money
//! in each currency's minor unit.

use crate::facade_support::{collect, dec, invoices, query};
use chrono::NaiveDate;
use invoicing::adapters::Square;
use invoicing::{Amount, Error, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{env_vars, header, quick_retries, serve};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "square-test-access-token";
const LOCATION: &str = "ES0RJRZYEC39A";

/// The document's `ListInvoicesResponse` example, as published.
const LIST_EXAMPLE: &str = r##"{"cursor": "ChoIDhIWVm54ZVRhLXhySFBOejBBM2xJb2daUQoFCI4IGAE", "invoices": [{"accepted_payment_methods": {"bank_account": false, "buy_now_pay_later": false, "card": true, "cash_app_pay": false, "square_gift_card": false}, "attachments": [{"description": "Service contract", "filename": "file.jpg", "filesize": 102705, "hash": "273ee02cb6f5f8a3a8ca23604930dd53", "id": "inva:0-3bB9ZuDHiziThQhuC4fwWt", "mime_type": "image/jpeg", "uploaded_at": "2030-01-13T21:24:10Z"}], "created_at": "2030-01-13T17:45:13Z", "custom_fields": [{"label": "Event Reference Number", "placement": "ABOVE_LINE_ITEMS", "value": "Ref. #1234"}, {"label": "Terms of Service", "placement": "BELOW_LINE_ITEMS", "value": "The terms of service are..."}], "delivery_method": "EMAIL", "description": "We appreciate your business!", "id": "inv:0-ChCHu2mZEabLeeHahQnXDjZQECY", "invoice_number": "inv-100", "location_id": "ES0RJRZYEC39A", "order_id": "CAISENgvlJ6jLWAzERDzjyHVybY", "payment_requests": [{"automatic_payment_source": "NONE", "computed_amount_money": {"amount": 10000, "currency": "USD"}, "due_date": "2030-01-24", "reminders": [{"message": "Your invoice is due tomorrow", "relative_scheduled_days": -1, "status": "PENDING", "uid": "beebd363-e47f-4075-8785-c235aaa7df11"}], "request_type": "BALANCE", "tipping_enabled": true, "total_completed_amount_money": {"amount": 0, "currency": "USD"}, "uid": "2da7964f-f3d2-4f43-81e8-5aa220bf3355"}], "primary_recipient": {"customer_id": "JDKYHBWT1D4F8MFH63DBMEN8Y4", "email_address": "Amelia.Earhart@example.com", "family_name": "Earhart", "given_name": "Amelia", "phone_number": "1-212-555-4240"}, "sale_or_service_date": "2030-01-24", "scheduled_at": "2030-01-13T10:00:00Z", "status": "DRAFT", "store_payment_method_enabled": false, "timezone": "America/Los_Angeles", "title": "Event Planning Services", "updated_at": "2030-01-13T21:24:10Z", "version": 1}, {"accepted_payment_methods": {"bank_account": false, "buy_now_pay_later": false, "card": true, "cash_app_pay": false, "square_gift_card": true}, "created_at": "2021-01-23T15:29:12Z", "delivery_method": "EMAIL", "id": "inv:0-ChC366qAfskpGrBI_1bozs9mEA3", "invoice_number": "inv-455", "location_id": "ES0RJRZYEC39A", "next_payment_amount_money": {"amount": 3000, "currency": "USD"}, "order_id": "a65jnS8NXbfprvGJzY9F4fQTuaB", "payment_requests": [{"automatic_payment_source": "CARD_ON_FILE", "card_id": "ccof:IkWfpLj4tNHMyFii3GB", "computed_amount_money": {"amount": 1000, "currency": "USD"}, "due_date": "2021-01-23", "percentage_requested": "25", "request_type": "DEPOSIT", "tipping_enabled": false, "total_completed_amount_money": {"amount": 1000, "currency": "USD"}, "uid": "66c3bdfd-5090-4ff9-a8a0-c1e1a2ffa176"}, {"automatic_payment_source": "CARD_ON_FILE", "card_id": "ccof:IkWfpLj4tNHMyFii3GB", "computed_amount_money": {"amount": 3000, "currency": "USD"}, "due_date": "2021-06-15", "request_type": "BALANCE", "tipping_enabled": false, "total_completed_amount_money": {"amount": 0, "currency": "USD"}, "uid": "120c5e18-4f80-4f6b-b159-774cb9bf8f99"}], "primary_recipient": {"customer_id": "JDKYHBWT1D4F8MFH63DBMEN8Y4", "email_address": "Amelia.Earhart@example.com", "family_name": "Earhart", "given_name": "Amelia", "phone_number": "1-212-555-4240"}, "public_url": "https://squareup.com/pay-invoice/invtmp:5e22a2c2-47c1-46d6-b061-808764dfe2b9", "sale_or_service_date": "2030-01-24", "status": "PARTIALLY_PAID", "store_payment_method_enabled": false, "timezone": "America/Los_Angeles", "updated_at": "2021-01-23T15:29:56Z", "version": 3}]}"##;
/// The document's `GetInvoiceResponse` example, as published.
const GET_EXAMPLE: &str = r##"{"invoice": {"accepted_payment_methods": {"bank_account": false, "buy_now_pay_later": false, "card": true, "cash_app_pay": false, "square_gift_card": false}, "created_at": "2020-06-18T17:45:13Z", "custom_fields": [{"label": "Event Reference Number", "placement": "ABOVE_LINE_ITEMS", "value": "Ref. #1234"}, {"label": "Terms of Service", "placement": "BELOW_LINE_ITEMS", "value": "The terms of service are..."}], "delivery_method": "EMAIL", "description": "We appreciate your business!", "id": "inv:0-ChCHu2mZEabLeeHahQnXDjZQECY", "invoice_number": "inv-100", "location_id": "ES0RJRZYEC39A", "order_id": "CAISENgvlJ6jLWAzERDzjyHVybY", "payment_requests": [{"automatic_payment_source": "NONE", "computed_amount_money": {"amount": 10000, "currency": "USD"}, "due_date": "2030-01-24", "reminders": [{"message": "Your invoice is due tomorrow", "relative_scheduled_days": -1, "status": "PENDING", "uid": "beebd363-e47f-4075-8785-c235aaa7df11"}], "request_type": "BALANCE", "tipping_enabled": true, "total_completed_amount_money": {"amount": 0, "currency": "USD"}, "uid": "2da7964f-f3d2-4f43-81e8-5aa220bf3355"}], "primary_recipient": {"customer_id": "JDKYHBWT1D4F8MFH63DBMEN8Y4", "email_address": "Amelia.Earhart@example.com", "family_name": "Earhart", "given_name": "Amelia", "phone_number": "1-212-555-4240"}, "sale_or_service_date": "2030-01-24", "scheduled_at": "2030-01-13T10:00:00Z", "status": "DRAFT", "store_payment_method_enabled": false, "timezone": "America/Los_Angeles", "title": "Event Planning Services", "updated_at": "2020-06-18T17:45:13Z", "version": 0}}"##;

/// An adapter on `server` for the example's location, retrying quickly.
fn square(server: &MockServer) -> Square {
    Square::new(invoicing_square::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        invoicing_square::context(Auth::bearer(TOKEN)).with_retry(quick_retries(3)),
    ))
    .location(LOCATION)
}

/// A small invoice with one `BALANCE` request of `units` in `currency`.
fn small(id: &str, currency: &str, units: &str) -> String {
    format!(
        r#"{{"id": "{id}", "status": "UNPAID", "location_id": "{LOCATION}",
            "payment_requests": [{{"request_type": "BALANCE", "due_date": "2030-01-24",
                "computed_amount_money": {{"amount": {units}, "currency": "{currency}"}},
                "total_completed_amount_money": {{"amount": 0, "currency": "{currency}"}}}}]}}"#
    )
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

/// The invoices of one page holding `invoices`.
async fn listed(invoices_json: &[&str]) -> Vec<invoicing::Invoice> {
    let server = MockServer::start().await;
    let body = format!(r#"{{"invoices": [{}]}}"#, invoices_json.join(","));
    serve(&server, 200, &body).await;
    invoices(square(&server).list(&ListQuery::new())).await
}

fn amount(amount: &Option<Amount>) -> (String, String, bool) {
    let amount = amount.as_ref().expect("an amount");
    (
        amount.value.to_string(),
        amount.currency.as_ref().expect("a currency").to_string(),
        amount.derived,
    )
}

#[tokio::test]
async fn the_document_list_example_maps_field_by_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices"))
        .respond_with(
            |request: &Request| match query(request, "cursor").as_deref() {
                None => json(LIST_EXAMPLE.to_owned()),
                // The example's cursor: the next (last) page is empty.
                Some("ChoIDhIWVm54ZVRhLXhySFBOejBBM2xJb2daUQoFCI4IGAE") => {
                    json(r#"{"invoices": []}"#.to_owned())
                }
                other => panic!("unexpected cursor {other:?}"),
            },
        )
        .expect(2)
        .mount(&server)
        .await;
    let listed = invoices(square(&server).list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 2);
    for request in server.received_requests().await.unwrap() {
        assert_eq!(query(&request, "location_id").as_deref(), Some(LOCATION));
        assert_eq!(
            header(&request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }

    let draft = &listed[0];
    assert_eq!(draft.provider, Provider::Square);
    assert_eq!(draft.id, "inv:0-ChCHu2mZEabLeeHahQnXDjZQECY");
    assert_eq!(draft.number.as_deref(), Some("inv-100"));
    assert_eq!(draft.status, Status::Draft);
    assert_eq!(draft.vendor_status.as_deref(), Some("DRAFT"));
    assert_eq!(draft.issue_date, None, "Square has no invoice date");
    assert_eq!(draft.due_date, NaiveDate::from_ymd_opt(2030, 1, 24));
    assert_eq!(
        draft.created_at.unwrap().to_string(),
        "2030-01-13T17:45:13+00:00"
    );
    assert_eq!(draft.currency.as_ref().unwrap().as_str(), "USD");
    let usd = |value: &str| (value.to_owned(), "USD".to_owned(), true);
    assert_eq!(amount(&draft.totals.gross), usd("100.00"));
    assert_eq!(amount(&draft.totals.amount_paid), usd("0.00"));
    assert_eq!(draft.totals.amount_due, None);
    assert_eq!(
        draft.description.as_deref(),
        Some("We appreciate your business!")
    );
    assert!(draft.lines.is_empty(), "lines are the order's");
    assert_eq!(draft.seller.as_ref().unwrap().id.as_deref(), Some(LOCATION));
    let buyer = draft.buyer.as_ref().unwrap();
    assert_eq!(buyer.id.as_deref(), Some("JDKYHBWT1D4F8MFH63DBMEN8Y4"));
    assert_eq!(buyer.name.as_deref(), Some("Amelia Earhart"));
    assert_eq!(buyer.email.as_deref(), Some("Amelia.Earhart@example.com"));
    assert_eq!(draft.hosted_url, None);
    assert!(!draft.credit_note);
    assert!(draft.is_complete(), "{:?}", draft.problems);

    // A deposit paid and a balance open: the total is their sum, the
    // due date the balance's.
    let partly = &listed[1];
    assert_eq!(partly.status, Status::Open);
    assert_eq!(partly.vendor_status.as_deref(), Some("PARTIALLY_PAID"));
    assert_eq!(amount(&partly.totals.gross), usd("40.00"));
    assert_eq!(amount(&partly.totals.amount_paid), usd("10.00"));
    assert_eq!(partly.due_date, NaiveDate::from_ymd_opt(2021, 6, 15));
    assert_eq!(
        partly.hosted_url.as_deref(),
        Some("https://squareup.com/pay-invoice/invtmp:5e22a2c2-47c1-46d6-b061-808764dfe2b9")
    );
    // The raw JSON is the example's own invoice, byte for byte as sent.
    let example: serde_json::Value = serde_json::from_str(LIST_EXAMPLE).unwrap();
    let raw: serde_json::Value = serde_json::from_str(partly.raw.get()).unwrap();
    assert_eq!(raw, example["invoices"][1]);
}

#[tokio::test]
async fn get_reads_the_document_example() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/inv:0-ChCHu2mZEabLeeHahQnXDjZQECY"))
        .respond_with(json(GET_EXAMPLE.to_owned()))
        .expect(1)
        .mount(&server)
        .await;
    let invoice = square(&server)
        .get("inv:0-ChCHu2mZEabLeeHahQnXDjZQECY")
        .await
        .unwrap();
    assert_eq!(invoice.number.as_deref(), Some("inv-100"));
    assert_eq!(amount(&invoice.totals.gross).0, "100.00");
}

#[tokio::test]
async fn cursors_are_followed_until_the_last_page_has_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices"))
        .respond_with(|request: &Request| {
            let body = match query(request, "cursor").as_deref() {
                None => format!(
                    r#"{{"invoices": [{}, {}], "cursor": "c2"}}"#,
                    small("inv:1", "USD", "100"),
                    small("inv:2", "USD", "200")
                ),
                Some("c2") => format!(
                    r#"{{"invoices": [{}], "cursor": "c3"}}"#,
                    small("inv:3", "USD", "300")
                ),
                // An empty cursor is the end too.
                Some("c3") => format!(
                    r#"{{"invoices": [{}], "cursor": ""}}"#,
                    small("inv:4", "USD", "400")
                ),
                other => panic!("unexpected cursor {other:?}"),
            };
            json(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let listed = invoices(square(&server).list(&ListQuery::new().page_size(500))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["inv:1", "inv:2", "inv:3", "inv:4"]);
    for request in server.received_requests().await.unwrap() {
        assert_eq!(query(&request, "limit").as_deref(), Some("200"));
    }
}

#[tokio::test]
async fn minor_units_follow_each_currency_s_exponent() {
    let listed = listed(&[
        &small("jpy", "JPY", "1999"),
        &small("krw", "KRW", "1500000"),
        &small("kwd", "KWD", "1999"),
        &small("bhd", "BHD", "-5"),
        &small("eur", "EUR", "-1999"),
    ])
    .await;
    let totals: Vec<_> = listed.iter().map(|i| amount(&i.totals.gross)).collect();
    let want = |v: &str, c: &str| (v.to_owned(), c.to_owned(), true);
    assert_eq!(
        totals,
        [
            want("1999", "JPY"),
            want("1500000", "KRW"),
            want("1.999", "KWD"),
            want("-0.005", "BHD"),
            want("-19.99", "EUR"),
        ]
    );
    assert!(listed.iter().all(|i| i.is_complete()));
    assert_eq!(listed[2].totals.gross.as_ref().unwrap().value, dec("1.999"));
}

#[tokio::test]
async fn a_currency_without_a_minor_unit_is_a_field_problem_not_a_guess() {
    let listed = listed(&[
        &small("xyz", "XYZ", "1999"),
        &small("unknown", "UNKNOWN_CURRENCY", "1999"),
    ])
    .await;
    for invoice in &listed {
        assert_eq!(invoice.totals.gross, None, "{}", invoice.id);
        assert_eq!(invoice.totals.amount_paid, None, "{}", invoice.id);
        assert!(!invoice.problems.is_empty());
    }
    let xyz = &listed[0].problems[0];
    assert_eq!(
        xyz.field,
        "payment_requests[0].computed_amount_money.amount"
    );
    assert!(xyz.reason.contains("ISO 4217"), "{xyz}");
    assert_eq!(
        listed[1].problems[0].field,
        "payment_requests[0].computed_amount_money.currency"
    );
}

#[tokio::test]
async fn null_dates_unknown_statuses_and_other_statuses() {
    let listed = listed(&[
        r#"{"id": "a", "status": "ARCHIVED", "created_at": null,
            "payment_requests": [{"due_date": null, "computed_amount_money": {"amount": 1, "currency": "USD"}}]}"#,
        r#"{"id": "b", "status": "REFUNDED", "created_at": "2030-01-13T17:45:13-08:00",
            "payment_requests": [{"due_date": "24.01.2030"}]}"#,
        r#"{"id": "c", "status": "CANCELED"}"#,
        r#"{"id": "d", "status": "PAID", "payment_requests": []}"#,
    ])
    .await;
    assert_eq!(listed[0].status, Status::Other("ARCHIVED".to_owned()));
    assert_eq!((listed[0].created_at, listed[0].due_date), (None, None));
    assert!(listed[0].is_complete(), "{:?}", listed[0].problems);
    assert_eq!(listed[1].status, Status::Other("REFUNDED".to_owned()));
    assert_eq!(
        listed[1].created_at.unwrap().to_string(),
        "2030-01-13T17:45:13-08:00"
    );
    assert_eq!(listed[1].due_date, None);
    assert_eq!(listed[1].problems[0].field, "payment_requests[0].due_date");
    assert_eq!(listed[2].status, Status::Void);
    assert_eq!(listed[3].status, Status::Paid);
    assert_eq!(
        listed[3].totals.gross, None,
        "no requests: no total, not zero"
    );
}

#[tokio::test]
async fn a_page_without_its_invoices_is_an_error_item() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"errors": [{"category": "INVALID_REQUEST_ERROR", "code": "NOT_FOUND", "detail": "Location not found"}]}"#,
    )
    .await;
    let items = collect(square(&server).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 1);
    let err = items.into_iter().next().unwrap().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("square"), "{text}");
    assert!(text.contains("invoices"), "{text}");
}

#[tokio::test]
async fn the_location_is_required() {
    let server = MockServer::start().await;
    let source = Square::new(invoicing_square::Client::with_auth(
        &server.uri(),
        Auth::bearer(TOKEN),
    ));
    let items = collect(source.list(&ListQuery::new())).await;
    let err = items.into_iter().next().unwrap().unwrap_err();
    assert!(err.to_string().contains("SQUARE_LOCATION_ID"), "{err}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let err = Square::from_vars(None, env_vars(&[("SQUARE_ACCESS_TOKEN", "t")])).unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert!(err.to_string().contains("SQUARE_LOCATION_ID"), "{err}");
    let err = Square::from_vars(None, env_vars(&[("SQUARE_LOCATION_ID", LOCATION)])).unwrap_err();
    assert!(err.to_string().contains("SQUARE_ACCESS_TOKEN"), "{err}");
}

#[tokio::test]
async fn from_vars_reads_the_token_and_the_location() {
    let server = MockServer::start().await;
    serve(&server, 200, r#"{"invoices": []}"#).await;
    let source = Square::from_vars(
        Some(&server.uri()),
        env_vars(&[
            ("SQUARE_ACCESS_TOKEN", "EAAAl-token"),
            ("SQUARE_LOCATION_ID", "L1"),
        ]),
    )
    .unwrap();
    assert!(invoices(source.list(&ListQuery::new())).await.is_empty());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(query(&requests[0], "location_id").as_deref(), Some("L1"));
    assert_eq!(
        header(&requests[0], "authorization").as_deref(),
        Some("Bearer EAAAl-token")
    );
}
