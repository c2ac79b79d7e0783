//! The PayPal Invoicing v2 adapter against a local mock server: the
//! document's own invoice example, page numbers up to `total_pages`,
//! OAuth2 client credentials from the server's `/v1/oauth2/token`, and
//! the edge cases of money, dates and statuses.

use crate::facade_support::{collect, dec, invoices, paypal, query};
use chrono::NaiveDate;
use invoicing::adapters::PaypalInvoicingV2;
use invoicing::{Amount, Error, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{env_vars, header, serve};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "paypal-test-access-token";
const LIST: &str = "/v2/invoicing/invoices";

/// The document's `invoice_draft` example (`#/components/examples/invoice_draft`),
/// as text so its bytes can be compared with `Invoice::raw`.
const EXAMPLE: &str = r##"{"id": "INV2-C82X-JNN9-Y6S5-CNXW", "status": "DRAFT", "detail": {"invoice_number": "#123", "reference": "deal-refernce-update", "invoice_date": "2018-11-12", "currency_code": "USD", "note": "Thank you for your business.", "term": "No refunds after 30 days.", "memo": "This is a long contract", "payment_term": {"term_type": "NET_10", "due_date": "2018-11-22"}}, "invoicer": {"name": {"given_name": "David", "surname": "Larusso"}, "address": {"address_line_1": "1234 First Street", "address_line_2": "337673 Hillside Court", "admin_area_2": "Anytown", "admin_area_1": "CA", "postal_code": "98765", "country_code": "US"}, "email_address": "merchant@example.com", "phones": [{"country_code": "001", "national_number": "4085551234", "phone_type": "MOBILE"}], "website": "www.test.com", "tax_id": "ABcNkWSfb5ICTt73nD3QON1fnnpgNKBy-Jb5SeuGj185MNNw6g", "logo_url": "https://example.com/logo.PNG", "additional_notes": "2-4"}, "primary_recipients": [{"billing_info": {"name": {"given_name": "Stephanie", "surname": "Meyers"}, "address": {"address_line_1": "1234 Main Street", "admin_area_2": "Anytown", "admin_area_1": "CA", "postal_code": "98765", "country_code": "US"}, "email_address": "bill-me@example.com", "phones": [{"country_code": "001", "national_number": "4884551234", "phone_type": "HOME"}], "additional_info_value": "add-info"}, "shipping_info": {"name": {"given_name": "Stephanie", "surname": "Meyers"}, "address": {"address_line_1": "1234 Main Street", "admin_area_2": "Anytown", "admin_area_1": "CA", "postal_code": "98765", "country_code": "US"}}}], "items": [{"name": "Yoga Mat", "description": "Elastic mat to practice yoga.", "quantity": "1", "unit_amount": {"currency_code": "USD", "value": "50.00"}, "tax": {"name": "Sales Tax", "percent": "7.25", "amount": {"currency_code": "USD", "value": "3.27"}}, "discount": {"percent": "5", "amount": {"currency_code": "USD", "value": "2.5"}}, "unit_of_measure": "QUANTITY"}, {"name": "Yoga t-shirt", "quantity": "1", "unit_amount": {"currency_code": "USD", "value": "10.00"}, "tax": {"name": "Sales Tax", "percent": "7.25", "amount": {"currency_code": "USD", "value": "0.34"}}, "discount": {"amount": {"currency_code": "USD", "value": "5.00"}}, "unit_of_measure": "QUANTITY"}], "configuration": {"partial_payment": {"allow_partial_payment": true, "minimum_amount_due": {"currency_code": "USD", "value": "20.00"}}, "allow_tip": true, "tax_calculated_after_discount": true, "tax_inclusive": false, "template_id": "TEMP-19V05281TU309413B"}, "amount": {"currency_code": "USD", "value": "74.21", "breakdown": {"item_total": {"currency_code": "USD", "value": "60.00"}, "custom": {"label": "Packing Charges", "amount": {"currency_code": "USD", "value": "10.00"}}, "shipping": {"amount": {"currency_code": "USD", "value": "10.00"}, "tax": {"name": "Sales Tax", "percent": "7.25", "amount": {"currency_code": "USD", "value": "0.73"}}}, "discount": {"item_discount": {"currency_code": "USD", "value": "-7.50"}, "invoice_discount": {"percent": "5", "amount": {"currency_code": "USD", "value": "-2.63"}}}, "tax_total": {"currency_code": "USD", "value": "4.34"}}}}"##;

/// A list page as PayPal sends it with `total_required=true`.
fn page(invoices: &[&str], total_pages: u64, total_items: u64) -> String {
    format!(
        r#"{{"items": [{}], "total_pages": {total_pages}, "total_items": {total_items},
            "links": [{{"href": "https://api-m.paypal.com/v2/invoicing/invoices?page=1", "rel": "self", "method": "GET"}}]}}"#,
        invoices.join(",")
    )
}

/// A small invoice in `currency` with total `value`.
fn small(id: &str, currency: &str, value: &str) -> String {
    format!(
        r#"{{"id": "{id}", "status": "SENT", "detail": {{"currency_code": "{currency}", "invoice_date": "2024-07-12"}},
            "amount": {{"currency_code": "{currency}", "value": "{value}"}},
            "due_amount": {{"currency_code": "{currency}", "value": "{value}"}}}}"#
    )
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn bearer() -> Auth {
    Auth::bearer(TOKEN)
}

/// The single invoice a one-page listing of `invoice` gives.
async fn one(invoice: &str) -> invoicing::Invoice {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[invoice], 1, 1)).await;
    let mut listed = invoices(paypal(&server, bearer()).list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 1);
    listed.remove(0)
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
async fn the_document_example_maps_field_by_field_and_keeps_its_raw_bytes() {
    let invoice = one(EXAMPLE).await;
    assert_eq!(invoice.raw.get(), EXAMPLE);
    assert_eq!(invoice.provider, Provider::PaypalInvoicingV2);
    assert_eq!(invoice.id, "INV2-C82X-JNN9-Y6S5-CNXW");
    assert_eq!(invoice.number.as_deref(), Some("#123"));
    assert_eq!(invoice.kind, None);
    assert_eq!(invoice.status, Status::Draft);
    assert_eq!(invoice.vendor_status.as_deref(), Some("DRAFT"));
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2018, 11, 12));
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2018, 11, 22));
    assert_eq!(
        (invoice.issued_at, invoice.due_at),
        (None, None),
        "dates only"
    );
    assert_eq!(invoice.created_at, None, "no metadata in the example");
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "USD");
    assert_eq!(
        invoice.description.as_deref(),
        Some("Thank you for your business.")
    );

    let totals = &invoice.totals;
    let usd = |value: &str| (value.to_owned(), "USD".to_owned(), false);
    assert_eq!(amount(&totals.gross), usd("74.21"));
    assert_eq!(amount(&totals.subtotal), usd("60.00"));
    assert_eq!(amount(&totals.tax), usd("4.34"));
    assert_eq!(amount(&totals.shipping), usd("10.00"));
    // PayPal writes the discount negative; the model's is positive.
    assert_eq!(amount(&totals.discount), usd("2.63"));
    assert_eq!(totals.amount_due, None, "a draft has no due_amount");
    assert_eq!(totals.total(), totals.gross.as_ref());

    assert_eq!(invoice.lines.len(), 2);
    let mat = &invoice.lines[0];
    assert_eq!(mat.name.as_deref(), Some("Yoga Mat"));
    assert_eq!(
        mat.description.as_deref(),
        Some("Elastic mat to practice yoga.")
    );
    assert_eq!(mat.quantity, Some(dec("1")));
    assert_eq!(amount(&mat.unit_price), usd("50.00"));
    assert_eq!(
        amount(&mat.amount),
        ("50.00".to_owned(), "USD".to_owned(), true)
    );

    let seller = invoice.seller.as_ref().unwrap();
    assert_eq!(seller.name.as_deref(), Some("David Larusso"));
    assert_eq!(seller.email.as_deref(), Some("merchant@example.com"));
    assert_eq!(
        seller.vat_id.as_deref(),
        Some("ABcNkWSfb5ICTt73nD3QON1fnnpgNKBy-Jb5SeuGj185MNNw6g")
    );
    assert_eq!(
        seller.address_lines,
        ["1234 First Street", "337673 Hillside Court"]
    );
    assert_eq!(seller.city.as_deref(), Some("Anytown"));
    assert_eq!(seller.region.as_deref(), Some("CA"));
    assert_eq!(seller.postal_code.as_deref(), Some("98765"));
    assert_eq!(seller.country_code.as_deref(), Some("US"));
    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(buyer.name.as_deref(), Some("Stephanie Meyers"));
    assert_eq!(buyer.email.as_deref(), Some("bill-me@example.com"));
    assert_eq!(buyer.address_lines, ["1234 Main Street"]);
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
}

#[tokio::test]
async fn get_reads_the_invoice_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoicing/invoices/INV2-C82X-JNN9-Y6S5-CNXW"))
        .respond_with(json(EXAMPLE.to_owned()))
        .expect(1)
        .mount(&server)
        .await;
    let invoice = paypal(&server, bearer())
        .get("INV2-C82X-JNN9-Y6S5-CNXW")
        .await
        .unwrap();
    assert_eq!(invoice.raw.get(), EXAMPLE);
    assert_eq!(invoice.number.as_deref(), Some("#123"));
    assert_eq!(invoice.totals.gross.unwrap().value, dec("74.21"));
}

#[tokio::test]
async fn a_missing_invoice_is_an_api_error_with_paypal_s_debug_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("Paypal-Debug-Id", "b1d1f06c7246c")
                .set_body_raw(
                    r#"{"name": "RESOURCE_NOT_FOUND", "message": "The specified resource does not exist.", "debug_id": "b1d1f06c7246c"}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let err = paypal(&server, bearer())
        .get("INV2-NOPE")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("paypal-invoicing-v2"), "{text}");
    assert!(text.contains("invoices_get"), "{text}");
    assert!(text.contains("b1d1f06c7246c"), "{text}");
}

#[tokio::test]
async fn pages_are_followed_up_to_total_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(|request: &Request| {
            let body = match query(request, "page").as_deref() {
                Some("1") => page(
                    &[
                        &small("INV2-1", "USD", "1.00"),
                        &small("INV2-2", "USD", "2.00"),
                    ],
                    3,
                    5,
                ),
                Some("2") => page(
                    &[
                        &small("INV2-3", "USD", "3.00"),
                        &small("INV2-4", "USD", "4.00"),
                    ],
                    3,
                    5,
                ),
                Some("3") => page(&[&small("INV2-5", "USD", "5.00")], 3, 5),
                other => panic!("unexpected page {other:?}"),
            };
            json(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let listed = invoices(paypal(&server, bearer()).list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["INV2-1", "INV2-2", "INV2-3", "INV2-4", "INV2-5"]);
    let requests = server.received_requests().await.unwrap();
    let pages: Vec<_> = requests.iter().map(|r| query(r, "page").unwrap()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    for request in &requests {
        assert_eq!(query(request, "page_size").as_deref(), Some("2"));
        assert_eq!(query(request, "total_required").as_deref(), Some("true"));
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }
}

#[tokio::test]
async fn the_page_size_is_kept_in_paypal_s_range() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[], 0, 0)).await;
    let listed = invoices(paypal(&server, bearer()).list(&ListQuery::new().page_size(500))).await;
    assert!(listed.is_empty());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "an empty first page is the end");
    assert_eq!(query(&requests[0], "page_size").as_deref(), Some("100"));
}

/// The scheme's `tokenUrl` is relative (`/v1/oauth2/token`): the token
/// comes from the server the adapter reads, with the client id and
/// secret as HTTP Basic, and the listing sends it as a bearer token.
#[tokio::test]
async fn client_credentials_from_variables_fetch_a_token_from_the_same_server() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "scope": "https://uri.paypal.com/services/invoicing",
            "access_token": "A21AAFresh",
            "token_type": "Bearer",
            "app_id": "APP-80W284485P519543T",
            "expires_in": 31668,
            "nonce": "2020-04-03T15:35:36ZaYZlGvEkV4yVSz8g6bAKFoGSEzuy3CQcz3ljhibkOHg"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json(page(&[&small("INV2-1", "EUR", "9.99")], 1, 1)))
        .expect(1)
        .mount(&server)
        .await;
    let source = PaypalInvoicingV2::from_vars(
        Some(&server.uri()),
        env_vars(&[
            ("PAYPAL_CLIENT_ID", "client-id-1"),
            ("PAYPAL_CLIENT_SECRET", "client-secret-1"),
        ]),
    )
    .unwrap();
    let listed = invoices(source.list(&ListQuery::new())).await;
    assert_eq!(listed[0].id, "INV2-1");
    let requests = server.received_requests().await.unwrap();
    let token = requests
        .iter()
        .find(|r| r.url.path() == "/v1/oauth2/token")
        .unwrap();
    assert_eq!(
        header(token, "authorization"),
        Some("Basic Y2xpZW50LWlkLTE6Y2xpZW50LXNlY3JldC0x".to_owned())
    );
    let list = requests.iter().find(|r| r.url.path() == LIST).unwrap();
    assert_eq!(
        header(list, "authorization").as_deref(),
        Some("Bearer A21AAFresh")
    );
}

#[test]
fn missing_credentials_name_the_variables() {
    let err =
        PaypalInvoicingV2::from_vars(None, env_vars(&[("PAYPAL_CLIENT_ID", "id")])).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("PAYPAL_CLIENT_SECRET"), "{text}");
    let err = PaypalInvoicingV2::from_vars(None, env_vars(&[])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("PAYPAL_CLIENT_ID") && text.contains("PAYPAL_ACCESS_TOKEN"),
        "{text}"
    );
}

#[tokio::test]
async fn an_access_token_from_variables_is_sent_as_a_bearer_token() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        &page(&[&small("INV2-1", "USD", "1.00")], 1, 1),
    )
    .await;
    let source = PaypalInvoicingV2::from_vars(
        Some(&server.uri()),
        env_vars(&[("PAYPAL_ACCESS_TOKEN", "A21AAToken")]),
    )
    .unwrap();
    let listed = invoices(source.list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 1);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        header(&requests[0], "authorization").as_deref(),
        Some("Bearer A21AAToken")
    );
}

#[tokio::test]
async fn payments_due_amount_and_the_recipient_s_page() {
    let invoice = one(
        r#"{"id": "INV2-PART", "status": "PARTIALLY_PAID",
            "detail": {"currency_code": "EUR", "metadata": {"create_time": "2024-07-12T09:30:00Z",
                "recipient_view_url": "https://www.paypal.com/invoice/p/#INV2-PART"}},
            "amount": {"currency_code": "EUR", "value": "100.00"},
            "due_amount": {"currency_code": "EUR", "value": "60.00"},
            "payments": {"paid_amount": {"currency_code": "EUR", "value": "40.00"},
                "transactions": [{"payment_date": "2024-07-13", "method": "PAYPAL", "amount": {"currency_code": "EUR", "value": "40.00"}}]}}"#,
    )
    .await;
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    let eur = |value: &str| (value.to_owned(), "EUR".to_owned(), false);
    assert_eq!(amount(&invoice.totals.gross), eur("100.00"));
    assert_eq!(amount(&invoice.totals.amount_paid), eur("40.00"));
    assert_eq!(amount(&invoice.totals.amount_due), eur("60.00"));
    assert_eq!(amount(&invoice.totals.amount_remaining), eur("60.00"));
    assert_eq!(
        invoice.hosted_url.as_deref(),
        Some("https://www.paypal.com/invoice/p/#INV2-PART")
    );
    assert_eq!(invoice.pdf_url, None);
    assert!(!invoice.credit_note);
    assert_eq!(
        invoice.created_at.unwrap().to_string(),
        "2024-07-12T09:30:00+00:00"
    );
}

#[tokio::test]
async fn zero_and_three_decimal_currencies_are_exact() {
    let server = MockServer::start().await;
    let body = page(
        &[
            &small("JPY-1", "JPY", "1500"),
            &small("KRW-1", "KRW", "1234567"),
            &small("KWD-1", "KWD", "12.345"),
            &small("BHD-1", "BHD", "0.005"),
        ],
        1,
        4,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(paypal(&server, bearer()).list(&ListQuery::new())).await;
    let totals: Vec<_> = listed.iter().map(|i| amount(&i.totals.gross)).collect();
    assert_eq!(
        totals,
        [
            ("1500".to_owned(), "JPY".to_owned(), false),
            ("1234567".to_owned(), "KRW".to_owned(), false),
            ("12.345".to_owned(), "KWD".to_owned(), false),
            ("0.005".to_owned(), "BHD".to_owned(), false),
        ]
    );
    assert!(listed.iter().all(|i| i.is_complete()));
    assert_eq!(amount(&listed[2].totals.amount_due).0, "12.345");
}

#[tokio::test]
async fn negative_amounts_and_fractions_without_an_integer_part_are_exact() {
    let invoice = one(
        r#"{"id": "INV2-NEG", "status": "REFUNDED", "detail": {"currency_code": "USD"},
            "amount": {"currency_code": "USD", "value": "-10.50"},
            "due_amount": {"currency_code": "USD", "value": "-.5"},
            "items": [{"name": "Refund", "quantity": ".5", "unit_amount": {"currency_code": "USD", "value": "-21.00"}}]}"#,
    )
    .await;
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    assert_eq!(amount(&invoice.totals.gross).0, "-10.50");
    assert_eq!(amount(&invoice.totals.amount_due).0, "-0.5");
    let line = &invoice.lines[0];
    assert_eq!(line.quantity, Some(dec("0.5")));
    assert_eq!(
        amount(&line.amount),
        ("-10.50".to_owned(), "USD".to_owned(), true)
    );
    assert_eq!(invoice.status, Status::Other("REFUNDED".to_owned()));
}

#[tokio::test]
async fn a_currency_that_is_not_a_code_is_a_field_problem_not_a_guess() {
    let invoice = one(
        r#"{"id": "INV2-CUR", "status": "SENT", "detail": {"currency_code": "usd"},
            "amount": {"currency_code": "usd", "value": "10.00"}}"#,
    )
    .await;
    assert_eq!(invoice.currency, None);
    assert_eq!(invoice.totals.gross, None);
    let fields: Vec<_> = invoice.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["detail.currency_code", "amount.currency_code"]);
    assert_eq!(invoice.problems[0].value.as_deref(), Some(r#""usd""#));
}

#[tokio::test]
async fn a_code_iso_4217_does_not_list_is_a_field_problem() {
    let invoice = one(
        r#"{"id": "INV2-XYZ", "status": "SENT", "detail": {"currency_code": "XYZ"},
            "amount": {"currency_code": "XYZ", "value": "10.00"},
            "due_amount": {"currency_code": "EUR", "value": "10.00"}}"#,
    )
    .await;
    assert_eq!(
        (invoice.currency.clone(), invoice.totals.gross.clone()),
        (None, None)
    );
    let fields: Vec<_> = invoice.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["detail.currency_code", "amount.currency_code"]);
    assert!(
        invoice.problems[0].reason.contains("ISO 4217"),
        "{}",
        invoice.problems[0]
    );
    // An amount in a currency of its own is read with it.
    assert_eq!(amount(&invoice.totals.amount_due).1, "EUR");
}

#[tokio::test]
async fn null_and_unreadable_dates_and_unknown_statuses() {
    let server = MockServer::start().await;
    let body = page(
        &[
            r#"{"id": "INV2-NULL", "status": "SENT", "detail": {"currency_code": "EUR", "invoice_date": null,
                "payment_term": {"due_date": null}, "metadata": {"create_time": null}}}"#,
            r#"{"id": "INV2-BAD", "status": "ARCHIVED", "detail": {"currency_code": "EUR", "invoice_date": "12/07/2024",
                "metadata": {"create_time": "2024-07-12T09:30:00-07:00"}}}"#,
        ],
        1,
        2,
    );
    serve(&server, 200, &body).await;
    let listed = invoices(paypal(&server, bearer()).list(&ListQuery::new())).await;
    let null = &listed[0];
    assert_eq!(
        (null.issue_date, null.due_date, null.created_at),
        (None, None, None)
    );
    assert!(null.is_complete(), "null dates are absent, not problems");
    assert_eq!(null.status, Status::Open);

    let bad = &listed[1];
    assert_eq!(bad.status, Status::Other("ARCHIVED".to_owned()));
    assert_eq!(bad.vendor_status.as_deref(), Some("ARCHIVED"));
    assert_eq!(bad.issue_date, None);
    assert_eq!(bad.problems[0].field, "detail.invoice_date");
    // The vendor's offset is kept: 09:30 at -07:00, not 16:30 UTC.
    assert_eq!(
        bad.created_at.unwrap().to_string(),
        "2024-07-12T09:30:00-07:00"
    );
}

#[tokio::test]
async fn statuses_map_to_the_common_vocabulary() {
    let server = MockServer::start().await;
    let statuses = [
        ("DRAFT", Status::Draft),
        ("SENT", Status::Open),
        ("UNPAID", Status::Open),
        ("PARTIALLY_PAID", Status::Open),
        ("PAYMENT_PENDING", Status::Open),
        ("SCHEDULED", Status::Scheduled),
        ("PAID", Status::Paid),
        ("MARKED_AS_PAID", Status::Paid),
        ("PARTIALLY_REFUNDED", Status::Paid),
        ("CANCELLED", Status::Void),
        ("REFUNDED", Status::Other("REFUNDED".to_owned())),
        (
            "MARKED_AS_REFUNDED",
            Status::Other("MARKED_AS_REFUNDED".to_owned()),
        ),
    ];
    let bodies: Vec<String> = statuses
        .iter()
        .map(|(status, _)| {
            format!(r#"{{"id": "INV2-{status}", "status": "{status}", "detail": {{"currency_code": "USD"}}}}"#)
        })
        .collect();
    let refs: Vec<&str> = bodies.iter().map(String::as_str).collect();
    serve(&server, 200, &page(&refs, 1, refs.len() as u64)).await;
    let listed = invoices(paypal(&server, bearer()).list(&ListQuery::new())).await;
    let got: Vec<_> = listed.iter().map(|i| i.status.clone()).collect();
    let want: Vec<_> = statuses.iter().map(|(_, s)| s.clone()).collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn a_page_without_its_list_or_with_paypal_s_error_is_an_error_item() {
    for body in [
        r#"{"total_pages": 1, "total_items": 1, "links": []}"#,
        r#"{"name": "INTERNAL_SERVER_ERROR", "message": "An internal server error occurred.", "debug_id": "90957fca61718"}"#,
    ] {
        let server = MockServer::start().await;
        serve(&server, 200, body).await;
        let items = collect(paypal(&server, bearer()).list(&ListQuery::new())).await;
        assert_eq!(items.len(), 1, "{body}");
        let err = items.into_iter().next().unwrap().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("paypal-invoicing-v2"), "{text}");
        assert!(text.contains("invoices_list"), "{text}");
    }
}

#[tokio::test]
async fn an_invoice_that_does_not_decode_is_one_error_item_and_the_rest_come_through() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        &page(
            &[
                r#"["not", "an", "invoice"]"#,
                &small("INV2-OK", "USD", "1.00"),
            ],
            1,
            2,
        ),
    )
    .await;
    let items = collect(paypal(&server, bearer()).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 2);
    assert!(
        matches!(items[0], Err(Error::Decode { .. })),
        "{:?}",
        items[0]
    );
    assert_eq!(items[1].as_ref().unwrap().id, "INV2-OK");
}
