//! The Stripe adapter against a local mock server.

use crate::facade_support::{dec, invoices, only_error, query, stripe};
use chrono::NaiveDate;
use invoicing::{Error, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::paging::Problem;
use invoicing_runtime::test_util::{header, serve};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_stripe_123";

/// An invoice as Stripe's API reference shows one (the document, a
/// snapshot of 2023-09, has no response examples), written as text so its
/// bytes can be compared with `Invoice::raw`.
const EXAMPLE: &str = r#"{
  "id": "in_1MtHbELkdIwHu7ixl4OzzPMv",
  "object": "invoice",
  "account_country": "US",
  "account_name": "Stripe Docs",
  "account_tax_ids": null,
  "amount_due": 2149,
  "amount_paid": 500,
  "amount_remaining": 1649,
  "amount_shipping": 0,
  "application": null,
  "application_fee_amount": null,
  "attempt_count": 0,
  "attempted": false,
  "auto_advance": false,
  "automatic_tax": {"enabled": false, "status": null},
  "billing_reason": "manual",
  "charge": null,
  "collection_method": "send_invoice",
  "created": 1680644467,
  "currency": "usd",
  "custom_fields": null,
  "customer": "cus_NeZwdNtLEOXuvB",
  "customer_address": {"city": "South San Francisco", "country": "US", "line1": "354 Oyster Point Blvd", "line2": null, "postal_code": "94080", "state": "CA"},
  "customer_email": "jennyrosen@example.com",
  "customer_name": "Jenny Rosen",
  "customer_phone": null,
  "customer_shipping": null,
  "customer_tax_exempt": "none",
  "customer_tax_ids": [{"type": "us_ein", "value": "12-3456789"}, {"type": "eu_vat", "value": "DE123456789"}],
  "default_payment_method": null,
  "default_source": null,
  "default_tax_rates": [],
  "description": "Thanks for your business",
  "discount": null,
  "discounts": [],
  "due_date": 1681853667,
  "effective_at": 1680644500,
  "ending_balance": null,
  "footer": null,
  "from_invoice": null,
  "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1M2JTkLkdIwHu7ix/test_YWNjdF8xTTJKVGtMa2RJd0h1N2l4LF9OZVp3dVBYNnF0dGlvdXRubGVjSXVOOWhiVWpmUktPLDcxMTg1MjY10200x7P2wMSm?s=ap",
  "invoice_pdf": "https://pay.stripe.com/invoice/acct_1M2JTkLkdIwHu7ix/test_YWNjdF8xTTJKVGtMa2RJd0h1N2l4LF9OZVp3dVBYNnF0dGlvdXRubGVjSXVOOWhiVWpmUktPLDcxMTg1MjY10200x7P2wMSm/pdf?s=ap",
  "last_finalization_error": null,
  "latest_revision": null,
  "lines": {
    "object": "list",
    "data": [
      {"id": "il_1MtHbELkdIwHu7ixrGSZsLGt", "object": "line_item", "amount": 1999, "amount_excluding_tax": 1999, "currency": "usd", "description": "My First Invoice Item (created for API docs)", "discount_amounts": [], "discountable": true, "discounts": [], "invoice_item": "ii_1MtHbELkdIwHu7ixbgF4rxWg", "livemode": false, "metadata": {}, "period": {"end": 1680644467, "start": 1680644467}, "price": {"id": "price_1Mr6rdLkdIwHu7ixwPmiybbR", "object": "price", "active": true, "billing_scheme": "per_unit", "created": 1680126037, "currency": "usd", "custom_unit_amount": null, "livemode": false, "lookup_key": null, "metadata": {}, "nickname": null, "product": "prod_NcLYGKH0eY5b8s", "recurring": null, "tax_behavior": "unspecified", "tiers_mode": null, "transform_quantity": null, "type": "one_time", "unit_amount": 1999, "unit_amount_decimal": "1999"}, "proration": false, "proration_details": {"credited_items": null}, "quantity": 1, "subscription": null, "tax_amounts": [], "tax_rates": [], "type": "invoiceitem", "unit_amount_excluding_tax": "1999"}
    ],
    "has_more": false,
    "url": "/v1/invoices/in_1MtHbELkdIwHu7ixl4OzzPMv/lines"
  },
  "livemode": false,
  "metadata": {},
  "next_payment_attempt": null,
  "number": "FC8BB3E4-0001",
  "on_behalf_of": null,
  "paid": false,
  "paid_out_of_band": false,
  "payment_intent": null,
  "payment_settings": {"default_mandate": null, "payment_method_options": null, "payment_method_types": null},
  "period_end": 1680644467,
  "period_start": 1680644467,
  "post_payment_credit_notes_amount": 0,
  "pre_payment_credit_notes_amount": 0,
  "quote": null,
  "receipt_number": null,
  "rendering_options": null,
  "shipping_cost": null,
  "shipping_details": null,
  "starting_balance": 0,
  "statement_descriptor": null,
  "status": "open",
  "status_transitions": {"finalized_at": 1680644500, "marked_uncollectible_at": null, "paid_at": null, "voided_at": null},
  "subscription": null,
  "subtotal": 1999,
  "subtotal_excluding_tax": 1999,
  "tax": 150,
  "test_clock": null,
  "total": 2149,
  "total_discount_amounts": [],
  "total_excluding_tax": 1999,
  "total_tax_amounts": [],
  "transfer_data": null,
  "webhooks_delivered_at": 1680644467
}"#;

/// A list page of `invoices` (JSON objects), `has_more` as given.
fn page(invoices: &[String], has_more: bool) -> String {
    format!(
        r#"{{"object": "list", "data": [{}], "has_more": {has_more}, "url": "/v1/invoices"}}"#,
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

fn with_id(id: &str) -> String {
    invoice(json!({"id": id}))
}

fn json_body(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn problem(err: &Error) -> &Problem {
    match err {
        Error::Api(invoicing_runtime::Error::Paging { problem, .. }) => problem,
        other => panic!("not a paging error: {other:?}"),
    }
}

#[tokio::test]
async fn the_example_maps_field_by_field_and_keeps_its_raw_bytes() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[EXAMPLE.to_owned()], false)).await;
    let listed = invoices(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let invoice = &listed[0];
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    assert_eq!(invoice.raw.get(), EXAMPLE);
    assert_eq!(invoice.provider, Provider::Stripe);
    assert_eq!(invoice.id, "in_1MtHbELkdIwHu7ixl4OzzPMv");
    assert_eq!(invoice.number.as_deref(), Some("FC8BB3E4-0001"));
    assert_eq!(invoice.kind.as_deref(), Some("manual"));
    assert_eq!(invoice.status, Status::Open);
    assert_eq!(invoice.vendor_status.as_deref(), Some("open"));
    assert_eq!(
        invoice.issued_at.unwrap().to_string(),
        "2023-04-04T21:41:40+00:00"
    );
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2023, 4, 4));
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2023, 4, 18));
    assert_eq!(
        invoice.created_at.unwrap().to_string(),
        "2023-04-04T21:41:07+00:00"
    );
    assert_eq!(invoice.paid_at, None, "status_transitions.paid_at is null");
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "USD");
    assert_eq!(
        invoice.description.as_deref(),
        Some("Thanks for your business")
    );
    assert!(
        invoice
            .hosted_url
            .as_deref()
            .unwrap()
            .starts_with("https://invoice.stripe.com/i/")
    );
    assert!(invoice.pdf_url.as_deref().unwrap().ends_with("/pdf?s=ap"));
    assert!(!invoice.credit_note);

    let totals = &invoice.totals;
    let value = |amount: &Option<invoicing::Amount>| {
        let amount = amount.as_ref().unwrap();
        assert_eq!(amount.currency.as_ref().unwrap().as_str(), "USD");
        assert!(!amount.derived);
        amount.value.to_string()
    };
    assert_eq!(value(&totals.subtotal), "19.99");
    assert_eq!(value(&totals.net), "19.99");
    assert_eq!(value(&totals.tax), "1.50");
    assert_eq!(value(&totals.gross), "21.49");
    assert_eq!(value(&totals.shipping), "0.00");
    assert_eq!(value(&totals.amount_due), "21.49");
    assert_eq!(value(&totals.amount_paid), "5.00");
    assert_eq!(value(&totals.amount_remaining), "16.49");
    assert_eq!(totals.discount, None, "no discount amounts");

    let line = &invoice.lines[0];
    assert_eq!(line.id.as_deref(), Some("il_1MtHbELkdIwHu7ixrGSZsLGt"));
    assert_eq!(line.name, None, "the price has no nickname");
    assert_eq!(
        line.description.as_deref(),
        Some("My First Invoice Item (created for API docs)")
    );
    assert_eq!(line.quantity, Some(dec("1")));
    assert_eq!(line.unit_price.as_ref().unwrap().value, dec("19.99"));
    assert_eq!(line.amount.as_ref().unwrap().value, dec("19.99"));

    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(buyer.id.as_deref(), Some("cus_NeZwdNtLEOXuvB"));
    assert_eq!(buyer.name.as_deref(), Some("Jenny Rosen"));
    assert_eq!(buyer.email.as_deref(), Some("jennyrosen@example.com"));
    assert_eq!(buyer.address_lines, ["354 Oyster Point Blvd"]);
    assert_eq!(buyer.city.as_deref(), Some("South San Francisco"));
    assert_eq!(buyer.region.as_deref(), Some("CA"));
    assert_eq!(buyer.postal_code.as_deref(), Some("94080"));
    assert_eq!(buyer.country_code.as_deref(), Some("US"));
    assert_eq!(
        buyer.vat_id.as_deref(),
        Some("DE123456789"),
        "the VAT id, not the EIN"
    );
    let seller = invoice.seller.as_ref().unwrap();
    assert_eq!(seller.name.as_deref(), Some("Stripe Docs"));
    assert_eq!(seller.country_code.as_deref(), Some("US"));
}

#[tokio::test]
async fn pages_follow_the_last_id_while_has_more() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices"))
        .respond_with(|request: &Request| {
            let body = match query(request, "starting_after").as_deref() {
                None => page(&[with_id("in_1"), with_id("in_2")], true),
                Some("in_2") => page(&[with_id("in_3"), with_id("in_4")], true),
                Some("in_4") => page(&[with_id("in_5")], false),
                other => panic!("unexpected cursor {other:?}"),
            };
            json_body(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let source = stripe(&server, Auth::bearer(KEY));
    let listed = invoices(source.list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["in_1", "in_2", "in_3", "in_4", "in_5"]);
    for request in server.received_requests().await.unwrap() {
        assert_eq!(query(&request, "limit").as_deref(), Some("2"));
        assert_eq!(
            header(&request, "authorization"),
            Some(format!("Bearer {KEY}"))
        );
        assert!(!request.url.path().starts_with("//"), "{}", request.url);
    }
}

#[tokio::test]
async fn the_page_size_is_kept_to_stripes_limit() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[], false)).await;
    let listed =
        invoices(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new().page_size(1000))).await;
    assert!(listed.is_empty());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(query(&requests[0], "limit").as_deref(), Some("100"));
}

#[tokio::test]
async fn has_more_with_nothing_to_follow_is_an_error_item_not_the_end() {
    // An empty page that says more follow.
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[], true)).await;
    let err = only_error(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert_eq!(problem(&err), &Problem::EmptyPage);

    // A last invoice without an id: it is an error item of its own, and the
    // listing cannot go on after it.
    let server = MockServer::start().await;
    let no_id = invoice(json!({"id": null}));
    serve(&server, 200, &page(&[with_id("in_1"), no_id], true)).await;
    let items =
        crate::facade_support::collect(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new()))
            .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "in_1");
    let decode = items[1].as_ref().unwrap_err();
    assert!(
        matches!(decode, Error::Decode { raw: Some(_), .. }),
        "{decode:?}"
    );
    assert!(decode.to_string().contains("without an `id`"), "{decode}");
    assert_eq!(
        problem(items[2].as_ref().unwrap_err()),
        &Problem::NoIdToFollow
    );
}

#[tokio::test]
async fn a_page_without_its_list_or_with_stripes_error_is_an_error_item() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"object": "list", "has_more": false, "url": "/v1/invoices"}"#,
    )
    .await;
    let err = only_error(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert!(matches!(err, Error::MissingList { .. }), "{err:?}");

    let server = MockServer::start().await;
    serve(
        &server,
        200,
        r#"{"error": {"type": "api_error", "message": "Try again later."}}"#,
    )
    .await;
    let err = only_error(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert!(err.to_string().contains("Try again later."), "{err}");
}

#[tokio::test]
async fn minor_units_follow_each_currencys_exponent() {
    let server = MockServer::start().await;
    let cases = [
        ("jpy", 1999, "1999"),
        ("krw", 50000, "50000"),
        ("kwd", 1999, "1.999"),
        ("bhd", -1500, "-1.500"),
        ("eur", -5, "-0.05"),
    ];
    let listed: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, (code, units, _))| {
            let mut line: Value = serde_json::from_str(EXAMPLE).unwrap();
            let mut line = line["lines"]["data"][0].take();
            line["currency"] = json!(code);
            line["amount"] = json!(units);
            line["price"]["unit_amount"] = json!(units);
            invoice(
                json!({"id": format!("in_{i}"), "currency": code, "total": units,
                "amount_due": units, "tax": null, "total_excluding_tax": null,
                "lines": {"object": "list", "data": [line], "has_more": false, "url": "/v1/x"}}),
            )
        })
        .collect();
    serve(&server, 200, &page(&listed, false)).await;
    let listed = invoices(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    for (invoice, (code, _, expected)) in listed.iter().zip(cases) {
        assert!(invoice.is_complete(), "{code}: {:?}", invoice.problems);
        let gross = invoice.totals.gross.as_ref().unwrap();
        assert_eq!(gross.value.to_string(), expected, "{code}");
        assert_eq!(
            gross.currency.as_ref().unwrap().as_str(),
            code.to_uppercase()
        );
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
        assert_eq!(invoice.totals.tax, None, "null tax is unknown, not zero");
        let line = &invoice.lines[0];
        assert_eq!(
            line.amount.as_ref().unwrap().value.to_string(),
            expected,
            "{code}"
        );
        assert_eq!(
            line.unit_price.as_ref().unwrap().value.to_string(),
            expected
        );
    }
}

#[tokio::test]
async fn an_unknown_currency_is_a_field_problem_not_a_guess() {
    let server = MockServer::start().await;
    let body = page(
        &[
            invoice(json!({"id": "in_xyz", "currency": "xyz"})),
            invoice(json!({"id": "in_bad", "currency": "US$"})),
        ],
        false,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let xyz = &listed[0];
    assert_eq!(xyz.totals.gross, None);
    assert_eq!(xyz.totals.amount_due, None);
    let total = xyz.problems.iter().find(|p| p.field == "total").unwrap();
    assert_eq!(total.value.as_deref(), Some("2149"));
    assert!(total.reason.contains("no ISO 4217 minor unit"), "{total}");
    // Lines are in their own currency, still USD here.
    assert_eq!(xyz.lines[0].amount.as_ref().unwrap().value, dec("19.99"));

    let bad = &listed[1];
    assert_eq!(bad.currency, None);
    let currency = bad.problems.iter().find(|p| p.field == "currency").unwrap();
    assert_eq!(
        currency.value.as_deref(),
        Some(r#""US$""#),
        "the vendor's value"
    );
    assert!(
        bad.problems
            .iter()
            .any(|p| p.field == "total" && p.reason.contains("without a currency"))
    );
}

#[tokio::test]
async fn null_dates_statuses_and_unknown_statuses() {
    let server = MockServer::start().await;
    let body = page(
        &[
            invoice(json!({"id": "in_draft", "status": "draft", "number": null,
                "effective_at": null, "due_date": null, "status_transitions":
                {"finalized_at": null, "paid_at": null, "marked_uncollectible_at": null, "voided_at": null}})),
            invoice(json!({"id": "in_new", "status": "processing"})),
            invoice(json!({"id": "in_none", "status": null})),
            invoice(
                json!({"id": "in_paid", "status": "paid", "status_transitions":
                {"finalized_at": 1680644500, "paid_at": 1680730900}}),
            ),
        ],
        false,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(stripe(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let draft = &listed[0];
    assert!(draft.is_complete(), "{:?}", draft.problems);
    assert_eq!(draft.status, Status::Draft);
    assert_eq!(
        (draft.issue_date, draft.due_date, draft.number.as_deref()),
        (None, None, None)
    );
    assert_eq!(listed[1].status, Status::Other("processing".into()));
    assert_eq!(listed[1].vendor_status.as_deref(), Some("processing"));
    assert_eq!(listed[2].status, Status::Unknown);
    assert_eq!(listed[2].vendor_status, None);
    assert_eq!(listed[3].status, Status::Paid);
    assert_eq!(
        listed[3].paid_at.unwrap().to_string(),
        "2023-04-05T21:41:40+00:00"
    );
}

#[tokio::test]
async fn lines_left_out_of_a_listed_invoice_are_a_problem_and_get_lists_them_all() {
    let mut example: Value = serde_json::from_str(EXAMPLE).unwrap();
    let line = example["lines"]["data"][0].take();
    let line_with = move |id: &str| {
        let mut line = line.clone();
        line["id"] = json!(id);
        line
    };
    let id = "in_1MtHbELkdIwHu7ixl4OzzPMv";
    let many = invoice(
        json!({"lines": {"object": "list", "data": [line_with("il_1")],
        "has_more": true, "url": format!("/v1/invoices/{id}/lines")}}),
    );

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices"))
        .respond_with(json_body(page(std::slice::from_ref(&many), false)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/invoices/{id}")))
        .respond_with(json_body(many.clone()))
        .mount(&server)
        .await;
    let lines_page = move |request: &Request| {
        let (data, more) = match query(request, "starting_after").as_deref() {
            None => (vec![line_with("il_1"), line_with("il_2")], true),
            Some("il_2") => (vec![line_with("il_3")], false),
            other => panic!("unexpected cursor {other:?}"),
        };
        json_body(
            json!({"object": "list", "data": data, "has_more": more, "url": "/v1/x"}).to_string(),
        )
    };
    Mock::given(method("GET"))
        .and(path(format!("/v1/invoices/{id}/lines")))
        .respond_with(lines_page)
        .expect(2)
        .mount(&server)
        .await;
    let source = stripe(&server, Auth::bearer(KEY));

    let listed = invoices(source.list(&ListQuery::new())).await;
    assert_eq!(listed[0].lines.len(), 1);
    assert_eq!(listed[0].problems.len(), 1, "{:?}", listed[0].problems);
    assert_eq!(listed[0].problems[0].field, "lines");

    let got = source.get(id).await.unwrap();
    assert!(got.is_complete(), "{:?}", got.problems);
    let ids: Vec<_> = got.lines.iter().map(|l| l.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["il_1", "il_2", "il_3"]);
    assert_eq!(got.raw.get(), many);
}

#[tokio::test]
async fn get_returns_the_example_and_a_missing_one_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices/in_1MtHbELkdIwHu7ixl4OzzPMv"))
        .respond_with(json_body(EXAMPLE.to_owned()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/invoices/in_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"error": {"code": "resource_missing", "message": "No such invoice: 'in_missing'", "param": "invoice", "type": "invalid_request_error"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let source = stripe(&server, Auth::bearer(KEY));
    let invoice = source.get("in_1MtHbELkdIwHu7ixl4OzzPMv").await.unwrap();
    assert_eq!(invoice.number.as_deref(), Some("FC8BB3E4-0001"));
    assert_eq!(invoice.raw.get(), EXAMPLE);
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    let err = source.get("in_missing").await.unwrap_err();
    assert!(
        matches!(err, Error::Api(invoicing_runtime::Error::NotFound { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("No such invoice"), "{err}");
}
