//! The Kitchen adapter against a local mock server.

use crate::facade_support::{dec, invoices, kitchen, query};
use chrono::NaiveDate;
use invoicing::adapters::KitchenState;
use invoicing::{Error, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{header, serve};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "kitchen-test-key-123";

/// The vendor's example invoice (spec and seed), written as text so its
/// bytes (spacing, `675.65`, nulls) can be compared with `Invoice::raw`.
const EXAMPLE: &str = r#"{"archived_at": null, "amount": 675.65, "billing_profile": "bp_0123bc88a70c86ed9d1feb73",
  "charge_automatically": false, "client": "u_62988d0392da49247a831d35",
  "created_at": "2024-03-13T09:16:53+00:00", "creator": "u_c13cc0aee4b5af7a42951898", "currency": "USD",
  "discount_amount": 341.47, "discounts": [{"amount": 50.54, "currency": "USD", "id": "invti_81c4288ef04117d38e29b22c",
  "title": "The discount item title", "type": "percentage"}], "due_date": "2024-07-20T23:59:59+00:00",
  "due_date_in_days": 8, "due_reminder_message": "The reminder message", "due_reminder_send_date": "1982-07-22T00:00:00+00:00",
  "due_reminder_send_days": 2, "due_reminder_sent_at": null, "file": null, "finalized_at": null, "footer_notes": null,
  "id": "in_31d435a7f94fd8d87c36ecfd", "is_external": false, "issue_date": "2024-07-12T00:00:00+00:00",
  "items": [{"amount": 675.65, "currency": "USD", "description": "The invoice item description",
  "id": "invi_ac3074df0d1c309d12624399", "quantity": "1.00", "title": "The invoice item title"}],
  "language": "en_US", "marked_uncollectible_at": null, "memo": null, "meta": null, "number": "PREFIX-00018",
  "paid_at": null, "payment_gateways": [], "recurring_invoice": null, "status": "paid",
  "tax_items": [{"amount": 46.3, "currency": "USD", "id": "invti_e5d2b8e5d9a4017b84c95b47", "title": "The tax item title"}],
  "shipping_amount": 19.99, "total_amount": 508.9, "type": "invoice", "updated_at": "2024-03-13T09:16:53+00:00",
  "voided_at": null, "visibility": "shared"}"#;

fn page(invoices: &[&str], current: u64, last: u64) -> String {
    format!(
        r#"{{"data": [{}], "links": {{"first": null, "last": null, "prev": null, "next": null}},
            "meta": {{"current_page": {current}, "from": 1, "last_page": {last}, "path": "/api/invoices", "per_page": 2, "to": 2, "total": 5}}}}"#,
        invoices.join(",")
    )
}

fn small(id: &str) -> String {
    format!(r#"{{"id": "{id}", "currency": "EUR", "status": "open", "total_amount": 10.00}}"#)
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

#[tokio::test]
async fn pages_are_followed_to_the_last_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(|request: &Request| {
            let body = match query(request, "page").as_deref() {
                Some("1") => page(&[&small("in_1"), &small("in_2")], 1, 3),
                Some("2") => page(&[&small("in_3"), &small("in_4")], 2, 3),
                Some("3") => page(&[&small("in_5")], 3, 3),
                other => panic!("unexpected page {other:?}"),
            };
            json(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let source = kitchen(&server, Auth::bearer(KEY)).state(KitchenState::All);
    let listed = invoices(source.list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["in_1", "in_2", "in_3", "in_4", "in_5"]);
    assert!(listed.iter().all(|i| i.provider == Provider::Kitchen));

    let requests = server.received_requests().await.unwrap();
    let pages: Vec<_> = requests.iter().map(|r| query(r, "page").unwrap()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    for request in &requests {
        assert_eq!(query(request, "per_page").as_deref(), Some("2"));
        assert_eq!(query(request, "state").as_deref(), Some("all"));
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {KEY}"))
        );
        assert_eq!(
            header(request, "x-requested-with").as_deref(),
            Some("XMLHttpRequest")
        );
    }
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    use futures::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let n: u64 = query(request, "page").unwrap().parse().unwrap();
            json(page(&[&small(&format!("in_{n}"))], n, 3))
        })
        .mount(&server)
        .await;
    let source = kitchen(&server, Auth::bearer(KEY));
    let mut stream = source.list(&ListQuery::new());
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        0,
        "lazy until polled"
    );
    assert_eq!(stream.next().await.unwrap().unwrap().id, "in_1");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "one page at a time"
    );
    drop(stream);
}

#[tokio::test]
async fn an_empty_list_is_an_empty_stream_and_page_size_is_kept_in_range() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[], 1, 1)).await;
    let source = kitchen(&server, Auth::bearer(KEY));
    let listed = invoices(source.list(&ListQuery::new().page_size(1000))).await;
    assert!(listed.is_empty());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(query(&requests[0], "per_page").as_deref(), Some("100"));
    assert_eq!(query(&requests[0], "state"), None, "Kitchen's own default");
}

#[tokio::test]
async fn the_vendor_example_maps_field_by_field_and_keeps_its_raw_bytes() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[EXAMPLE], 1, 1)).await;
    let listed = invoices(kitchen(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let invoice = &listed[0];
    assert_eq!(invoice.raw.get(), EXAMPLE);
    assert_eq!(invoice.id, "in_31d435a7f94fd8d87c36ecfd");
    assert_eq!(invoice.number.as_deref(), Some("PREFIX-00018"));
    assert_eq!(invoice.kind.as_deref(), Some("invoice"));
    assert_eq!(invoice.status, Status::Paid);
    assert_eq!(invoice.vendor_status.as_deref(), Some("paid"));
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2024, 7, 12));
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2024, 7, 20));
    assert_eq!(
        invoice.created_at.unwrap().to_string(),
        "2024-03-13T09:16:53+00:00"
    );
    assert_eq!(invoice.paid_at, None, "null where nullable");
    assert_eq!(invoice.description, None, "memo is null");
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "USD");

    let totals = &invoice.totals;
    let value = |amount: &Option<invoicing::Amount>| {
        let amount = amount.as_ref().unwrap();
        assert_eq!(amount.currency.as_ref().unwrap().as_str(), "USD");
        (amount.value, amount.derived)
    };
    assert_eq!(value(&totals.subtotal), (dec("675.65"), false));
    assert_eq!(value(&totals.discount), (dec("341.47"), false));
    assert_eq!(value(&totals.shipping), (dec("19.99"), false));
    assert_eq!(value(&totals.tax), (dec("46.3"), true));
    assert_eq!(value(&totals.gross), (dec("508.9"), false));
    assert_eq!(totals.total(), totals.gross.as_ref());
    assert_eq!(
        (totals.net.as_ref(), totals.amount_due.as_ref()),
        (None, None)
    );

    let line = &invoice.lines[0];
    assert_eq!(line.id.as_deref(), Some("invi_ac3074df0d1c309d12624399"));
    assert_eq!(line.name.as_deref(), Some("The invoice item title"));
    assert_eq!(
        line.description.as_deref(),
        Some("The invoice item description")
    );
    assert_eq!(line.quantity.unwrap().to_string(), "1.00");
    assert_eq!(line.amount.as_ref().unwrap().value, dec("675.65"));

    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(buyer.id.as_deref(), Some("u_62988d0392da49247a831d35"));
    assert_eq!(
        buyer.account_ref.as_deref(),
        Some("bp_0123bc88a70c86ed9d1feb73")
    );
    assert_eq!(buyer.name, None);
    assert!(invoice.seller.is_none());
}

#[tokio::test]
async fn amounts_are_exact() {
    let server = MockServer::start().await;
    let body = page(
        &[r#"{"id": "in_x", "currency": "EUR", "status": "open",
             "amount": 123456789012345678901234.5678, "discount_amount": 0.1, "shipping_amount": 1e-7,
             "total_amount": -675.65, "tax_items": [{"amount": 0.1}, {"amount": 0.2, "currency": "EUR"}],
             "items": [{"quantity": "1240.5000", "amount": -0.01}]}"#],
        1,
        1,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(kitchen(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    let totals = &listed[0].totals;
    assert_eq!(
        totals.subtotal.as_ref().unwrap().value.to_string(),
        "123456789012345678901234.5678"
    );
    assert_eq!(totals.discount.as_ref().unwrap().value, dec("0.1"));
    assert_eq!(totals.shipping.as_ref().unwrap().value, dec("0.0000001"));
    assert_eq!(totals.gross.as_ref().unwrap().value.to_string(), "-675.65");
    // 0.1 + 0.2 is 0.30000000000000004 in f64.
    assert_eq!(totals.tax.as_ref().unwrap().value.to_string(), "0.3");
    let line = &listed[0].lines[0];
    assert_eq!(line.quantity.unwrap().to_string(), "1240.5000");
    assert_eq!(line.amount.as_ref().unwrap().value.to_string(), "-0.01");
}

#[tokio::test]
async fn a_value_too_precise_for_a_decimal_is_a_problem_on_the_invoice() {
    let server = MockServer::start().await;
    let big = r#"{"id": "in_big", "currency": "EUR", "status": "open", "amount": 1.5, "total_amount": 1234567890123456789012345678901.5}"#;
    let body = page(
        &[
            big,
            &small("in_ok"),
            r#"{"id": "in_cur", "currency": "eur", "status": "open", "total_amount": 1}"#,
        ],
        1,
        1,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(kitchen(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 3, "every invoice comes through");
    let problem = &listed[0].problems[0];
    assert_eq!(
        (problem.field.as_str(), problem.value.as_deref()),
        ("total_amount", Some("1234567890123456789012345678901.5"))
    );
    assert!(problem.reason.contains("does not fit"), "{problem}");
    assert_eq!(listed[0].totals.gross, None, "empty, never rounded");
    assert_eq!(
        listed[0].totals.subtotal.as_ref().unwrap().value,
        dec("1.5")
    );
    assert_eq!(listed[0].raw.get(), big);
    assert!(listed[1].is_complete());
    // A currency that is not a code: the invoice's amounts are left empty.
    assert_eq!(
        listed[2].problems[0].to_string(),
        r#"`currency` = "eur": "eur" is not a currency code (3 to 10 upper-case letters A-Z)"#
    );
    assert_eq!(
        (listed[2].currency.clone(), listed[2].totals.gross.clone()),
        (None, None)
    );
    let err = listed[2].clone().require_complete().unwrap_err();
    assert!(
        err.to_string()
            .starts_with(r#"kitchen invoice "in_cur": 1 field problem: `currency`"#),
        "{err}"
    );
}

#[tokio::test]
async fn values_outside_the_spec_decode() {
    let server = MockServer::start().await;
    let body = page(
        &[
            r#"{"id": "in_new", "currency": "EUR", "status": "partially_paid", "type": "credit_note",
             "visibility": "team", "discounts": [{"type": "bogus", "amount": 1}], "brand_new_field": {"x": 1}}"#,
        ],
        1,
        1,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(kitchen(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert_eq!(listed[0].status, Status::Other("partially_paid".to_owned()));
    assert_eq!(listed[0].vendor_status.as_deref(), Some("partially_paid"));
    assert_eq!(listed[0].kind.as_deref(), Some("credit_note"));
    assert!(
        listed[0].totals.tax.is_none(),
        "no tax items: tax unknown, not zero"
    );
}

#[tokio::test]
async fn dates_keep_their_calendar_day_in_the_vendor_offset() {
    let server = MockServer::start().await;
    let body = page(
        &[r#"{"id": "in_d", "currency": "EUR", "status": "open",
             "issue_date": "2024-07-12T00:00:00+00:00", "due_date": "2024-07-20T00:00:00+02:00"}"#],
        1,
        1,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(kitchen(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert_eq!(listed[0].issue_date, NaiveDate::from_ymd_opt(2024, 7, 12));
    // In UTC this is 2024-07-19T22:00:00Z; the vendor's day is the 20th.
    assert_eq!(listed[0].due_date, NaiveDate::from_ymd_opt(2024, 7, 20));
    assert_eq!(
        listed[0].due_at.unwrap().to_string(),
        "2024-07-20T00:00:00+02:00"
    );
}

#[tokio::test]
async fn get_returns_one_invoice_and_a_missing_one_is_not_found() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices/in_31d435a7f94fd8d87c36ecfd"))
        .respond_with(json(format!(r#"{{"data": {EXAMPLE}}}"#)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices/in_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"message": "No query results for model [Invoice]."}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let source = kitchen(&server, Auth::bearer(KEY));
    let invoice = source.get("in_31d435a7f94fd8d87c36ecfd").await.unwrap();
    assert_eq!(invoice.number.as_deref(), Some("PREFIX-00018"));
    assert_eq!(invoice.raw.get(), EXAMPLE);
    let err = source.get("in_missing").await.unwrap_err();
    assert!(
        matches!(err, Error::Api(invoicing_runtime::Error::NotFound { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "kitchen get_invoice: not found (404): No query results for model [Invoice]."
    );
}

#[tokio::test]
async fn an_invoice_that_does_not_decode_fails_alone_with_its_raw_json() {
    let server = MockServer::start().await;
    let not_an_object = r#""in_2""#;
    let no_id = r#"{"id": 42, "currency": "EUR", "status": "open"}"#;
    let no_currency = r#"{"id": "in_4", "status": "open"}"#;
    let body = page(
        &[
            &small("in_1"),
            not_an_object,
            no_id,
            no_currency,
            &small("in_5"),
        ],
        1,
        1,
    );
    serve(&server, 200, &body).await;
    let items =
        crate::facade_support::collect(kitchen(&server, Auth::bearer(KEY)).list(&ListQuery::new()))
            .await;
    assert_eq!(items.len(), 5);
    assert_eq!(items[0].as_ref().unwrap().id, "in_1");
    // Each names the JSON path of the value that failed (none for the
    // invoice itself) and the line and column in the invoice's JSON.
    for (index, raw, at) in [
        (
            1,
            not_an_object,
            ": invalid type: string \"in_2\", expected struct ",
        ),
        (
            2,
            no_id,
            ": at `id`: invalid type: integer `42`, expected a string at line 1 column 9",
        ),
    ] {
        let err = items[index].as_ref().unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "kitchen list_invoices: cannot decode invoice at index {index}"
            )),
            "{text}"
        );
        assert!(text.contains(at), "{text}");
        assert!(
            text.contains(" at line 1 column ") && text.contains("(in the invoice's JSON)"),
            "{text}"
        );
        assert!(
            matches!(err, Error::Decode { raw: Some(got), .. } if got.get() == raw),
            "{err:?}"
        );
    }
    // A required field absent is a problem on an invoice that still comes.
    let partial = items[3].as_ref().unwrap();
    assert_eq!(
        partial.problems[0].to_string(),
        "`currency`: required by the vendor's spec but absent"
    );
    assert_eq!(partial.status, Status::Open);
    assert_eq!(items[4].as_ref().unwrap().id, "in_5");
}

#[tokio::test]
async fn a_status_filter_keeps_only_matching_invoices() {
    let server = MockServer::start().await;
    let body = page(
        &[
            &small("in_open"),
            r#"{"id": "in_paid", "currency": "EUR", "status": "paid"}"#,
        ],
        1,
        1,
    );
    serve(&server, 200, &body).await;
    let source = kitchen(&server, Auth::bearer(KEY));
    let paid = invoices(source.list(&ListQuery::new().status(Status::Paid))).await;
    let ids: Vec<_> = paid.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["in_paid"]);
}

#[tokio::test]
async fn a_reset_in_the_middle_of_a_page_costs_no_invoice() {
    use invoicing_runtime::test_util::{FaultServer, Step, quick_retries, response, response_head};
    use std::sync::atomic::{AtomicBool, Ordering};

    // Page 2's first answer is cut by a connection reset halfway through its
    // body; the listing must still deliver every invoice, each once.
    let cut = AtomicBool::new(false);
    let server = FaultServer::start(move |_, head| {
        let (first, second, current) = if head.contains("page=2") {
            (small("in_3"), small("in_4"), 2)
        } else {
            (small("in_1"), small("in_2"), 1)
        };
        let body = page(&[&first, &second], current, 2);
        if current == 2 && !cut.swap(true, Ordering::SeqCst) {
            let mut bytes = response_head(200, &[("content-length", &body.len().to_string())]);
            bytes.extend_from_slice(&body.as_bytes()[..body.len() / 2]);
            return vec![Step::Send(bytes), Step::Reset];
        }
        vec![Step::Send(response(200, &[], body.as_bytes()))]
    })
    .await;
    let source = invoicing::adapters::Kitchen::new(invoicing_kitchen::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        invoicing_kitchen::context(Auth::bearer(KEY)).with_retry(quick_retries(3)),
    ));
    let started = std::time::Instant::now();
    let listed = invoices(source.list(&ListQuery::new())).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["in_1", "in_2", "in_3", "in_4"]);
    assert_eq!(server.requests(), 3);
}
