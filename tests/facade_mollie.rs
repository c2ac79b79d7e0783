//! The Mollie adapter (sales invoices) against a local mock server.

use crate::facade_support::{collect, dec, invoices, mollie, only_error, query};
use chrono::NaiveDate;
use invoicing::{Error, Invoice, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{header, serve};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "test_mollie-key-123";

/// The sales invoice of Mollie's list example
/// (`/paths/~1v2~1sales-invoices/get/responses/200/.../example`), as text so
/// its bytes can be compared with `Invoice::raw`.
const LIST_EXAMPLE: &str = r#"{"resource": "sales-invoice", "id": "invoice_4Y0eZitmBnQ6IDoMqZQKh", "mode": "live",
  "profileId": "pfl_QkEhN94Ba", "currency": "EUR", "status": "draft", "vatScheme": "standard",
  "paymentTerm": "30 days", "recipientIdentifier": "123532354",
  "lines": [{"description": "LEGO 4440 Forest Police Station", "quantity": 1, "vatRate": "21.00",
    "unitPrice": {"value": "89.00", "currency": "EUR"}}],
  "amountDue": {"value": "107.69", "currency": "EUR"}, "subtotalAmount": {"value": "89.00", "currency": "EUR"},
  "totalAmount": {"value": "107.69", "currency": "EUR"}, "totalVatAmount": {"value": "18.69", "currency": "EUR"},
  "discountedSubtotalAmount": {"value": "89.00", "currency": "EUR"}, "isEInvoice": false,
  "createdAt": "2024-10-03T10:47:38+00:00"}"#;

/// Mollie's `get-sales-invoice` example, with its recipient and links.
const GET_EXAMPLE: &str = r#"{"resource":"sales-invoice","id":"invoice_4Y0eZitmBnQ6IDoMqZQKh","mode":"live","profileId":"pfl_QkEhN94Ba","currency":"EUR","status":"draft","vatScheme":"standard","paymentTerm":"30 days","recipientIdentifier":"123532354","recipient":{"type":"consumer","givenName":"Given","familyName":"Family","email":"given.family@mollie.com","streetAndNumber":"Street 1","postalCode":"1000 AA","city":"Amsterdam","country":"NL"},"lines":[{"description":"LEGO 4440 Forest Police Station","quantity":1,"vatRate":"21.00","unitPrice":{"value":"89.00","currency":"EUR"}}],"amountDue":{"value":"107.69","currency":"EUR"},"subtotalAmount":{"value":"89.00","currency":"EUR"},"totalAmount":{"value":"107.69","currency":"EUR"},"totalVatAmount":{"value":"18.69","currency":"EUR"},"discountedSubtotalAmount":{"value":"89.00","currency":"EUR"},"isEInvoice":false,"createdAt":"2024-10-03T10:47:38+00:00","_links":{"self":{"href":"...","type":"application/hal+json"},"invoicePayment":{"href":"https://pay.mollie.test/invoice_4Y0eZitmBnQ6IDoMqZQKh","type":"text/html"},"pdfLink":{"href":"https://pay.mollie.test/invoice_4Y0eZitmBnQ6IDoMqZQKh.pdf","type":"application/pdf"},"documentation":{"href":"...","type":"text/html"}}}"#;

/// A HAL list page: the invoices and, when there is one, the next page's URL.
fn page(invoices: &[&str], next: Option<&str>) -> String {
    let next = next.map_or_else(
        || "null".to_owned(),
        |href| format!(r#"{{"href": "{href}", "type": "application/hal+json"}}"#),
    );
    format!(
        r#"{{"count": {}, "_embedded": {{"sales_invoices": [{}]}},
            "_links": {{"self": {{"href": "...", "type": "application/hal+json"}}, "previous": null, "next": {next},
            "documentation": {{"href": "...", "type": "text/html"}}}}}}"#,
        invoices.len(),
        invoices.join(",")
    )
}

/// A small sales invoice with the total `value` in `currency`.
fn small(id: &str, status: &str, value: &str, currency: &str) -> String {
    format!(
        r#"{{"resource": "sales-invoice", "id": "{id}", "mode": "test", "status": "{status}",
            "totalAmount": {{"value": "{value}", "currency": "{currency}"}},
            "amountDue": {{"value": "{value}", "currency": "{currency}"}},
            "createdAt": "2024-10-03T10:47:38+02:00", "issuedAt": null, "dueAt": null, "paidAt": null}}"#
    )
}

fn hal(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/hal+json")
}

async fn list(server: &MockServer) -> Vec<Invoice> {
    invoices(mollie(server, Auth::bearer(KEY)).list(&ListQuery::new())).await
}

#[tokio::test]
async fn the_list_example_maps_field_by_field_and_keeps_its_raw_bytes() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[LIST_EXAMPLE], None)).await;
    let listed = list(&server).await;
    let invoice = &listed[0];
    assert_eq!(invoice.raw.get(), LIST_EXAMPLE);
    assert_eq!(invoice.provider, Provider::Mollie);
    assert_eq!(invoice.id, "invoice_4Y0eZitmBnQ6IDoMqZQKh");
    assert_eq!(invoice.number, None, "a draft has no number yet");
    assert_eq!(invoice.kind.as_deref(), Some("sales-invoice"));
    assert_eq!(invoice.status, Status::Draft);
    assert_eq!(invoice.vendor_status.as_deref(), Some("draft"));
    assert_eq!(
        invoice.created_at.unwrap().to_string(),
        "2024-10-03T10:47:38+00:00"
    );
    assert_eq!((invoice.issue_date, invoice.due_date), (None, None));
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "EUR");
    let totals = &invoice.totals;
    let value = |amount: &Option<invoicing::Amount>| {
        let amount = amount.as_ref().unwrap();
        assert_eq!(amount.currency.as_ref().unwrap().as_str(), "EUR");
        assert!(!amount.derived);
        amount.value
    };
    assert_eq!(value(&totals.subtotal), dec("89.00"));
    assert_eq!(value(&totals.net), dec("89.00"));
    assert_eq!(value(&totals.tax), dec("18.69"));
    assert_eq!(value(&totals.gross), dec("107.69"));
    assert_eq!(value(&totals.amount_due), dec("107.69"));
    let line = &invoice.lines[0];
    assert_eq!(
        line.description.as_deref(),
        Some("LEGO 4440 Forest Police Station")
    );
    assert_eq!(line.quantity, Some(dec("1")));
    assert_eq!(line.unit_price.as_ref().unwrap().value, dec("89.00"));
    let amount = line.amount.as_ref().unwrap();
    assert_eq!((amount.value, amount.derived), (dec("89.00"), true));
    assert_eq!(
        invoice.seller.as_ref().unwrap().id.as_deref(),
        Some("pfl_QkEhN94Ba")
    );
    assert!(invoice.buyer.is_none(), "the list example has no recipient");
    assert!(!invoice.credit_note);
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
}

#[tokio::test]
async fn get_reads_one_sales_invoice_with_its_recipient_and_links() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/sales-invoices/invoice_4Y0eZitmBnQ6IDoMqZQKh"))
        .respond_with(hal(GET_EXAMPLE.to_owned()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/sales-invoices/invoice_missing"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"status": 404, "title": "Not Found", "detail": "No sales invoice exists with token invoice_missing.",
                "_links": {"documentation": {"href": "...", "type": "text/html"}}}"#,
            "application/hal+json",
        ))
        .mount(&server)
        .await;
    let source = mollie(&server, Auth::bearer(KEY));
    let invoice = source.get("invoice_4Y0eZitmBnQ6IDoMqZQKh").await.unwrap();
    assert_eq!(invoice.raw.get(), GET_EXAMPLE);
    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(buyer.name.as_deref(), Some("Given Family"));
    assert_eq!(buyer.email.as_deref(), Some("given.family@mollie.com"));
    assert_eq!(buyer.address_lines, ["Street 1"]);
    assert_eq!(buyer.postal_code.as_deref(), Some("1000 AA"));
    assert_eq!(buyer.city.as_deref(), Some("Amsterdam"));
    assert_eq!(buyer.country_code.as_deref(), Some("NL"));
    assert_eq!(
        invoice.hosted_url.as_deref(),
        Some("https://pay.mollie.test/invoice_4Y0eZitmBnQ6IDoMqZQKh")
    );
    assert_eq!(
        invoice.pdf_url.as_deref(),
        Some("https://pay.mollie.test/invoice_4Y0eZitmBnQ6IDoMqZQKh.pdf")
    );
    assert!(invoice.is_complete(), "{:?}", invoice.problems);

    let err = source.get("invoice_missing").await.unwrap_err();
    assert!(
        matches!(err, Error::Api(invoicing_runtime::Error::NotFound { .. })),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("mollie get_sales_invoice: not found (404)"),
        "{text}"
    );
}

#[tokio::test]
async fn pages_are_followed_through_the_next_links() {
    let server = MockServer::start().await;
    let base = server.uri();
    let next = |from: &str| format!("{base}/v2/sales-invoices?from={from}&limit=2");
    let pages = [
        page(
            &[
                &small("invoice_1", "issued", "10.00", "EUR"),
                &small("invoice_2", "paid", "20.00", "EUR"),
            ],
            Some(&next("invoice_3")),
        ),
        page(
            &[
                &small("invoice_3", "draft", "30.00", "EUR"),
                &small("invoice_4", "issued", "40.00", "EUR"),
            ],
            Some(&next("invoice_5")),
        ),
        page(&[&small("invoice_5", "paid", "50.00", "EUR")], None),
    ];
    Mock::given(method("GET"))
        .and(path("/v2/sales-invoices"))
        .respond_with(move |request: &Request| {
            let body = match query(request, "from").as_deref() {
                None => pages[0].clone(),
                Some("invoice_3") => pages[1].clone(),
                Some("invoice_5") => pages[2].clone(),
                other => panic!("unexpected cursor {other:?}"),
            };
            hal(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let source = mollie(&server, Auth::bearer(KEY));
    let listed = invoices(source.list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "invoice_1",
            "invoice_2",
            "invoice_3",
            "invoice_4",
            "invoice_5"
        ]
    );
    let statuses: Vec<_> = listed.iter().map(|i| i.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            Status::Open,
            Status::Paid,
            Status::Draft,
            Status::Open,
            Status::Paid
        ]
    );
    for request in server.received_requests().await.unwrap() {
        assert_eq!(query(&request, "limit").as_deref(), Some("2"));
        assert_eq!(
            header(&request, "authorization"),
            Some(format!("Bearer {KEY}"))
        );
    }
}

#[tokio::test]
async fn currencies_of_every_exponent_and_negative_amounts_are_exact() {
    let server = MockServer::start().await;
    let body = page(
        &[
            &small("invoice_jpy", "issued", "1000", "JPY"),
            &small("invoice_krw", "issued", "15000", "KRW"),
            &small("invoice_kwd", "issued", "1.234", "KWD"),
            &small("invoice_bhd", "issued", "0.005", "BHD"),
            &small("invoice_credit", "issued", "-89.00", "EUR"),
        ],
        None,
    );
    serve(&server, 200, &body).await;
    let listed = list(&server).await;
    let totals: Vec<_> = listed
        .iter()
        .map(|invoice| {
            assert!(invoice.is_complete(), "{:?}", invoice.problems);
            invoice.totals.gross.as_ref().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        totals,
        [
            "1000 JPY",
            "15000 KRW",
            "1.234 KWD",
            "0.005 BHD",
            "-89.00 EUR"
        ]
    );
    assert_eq!(
        listed[4].totals.amount_due.as_ref().unwrap().value,
        dec("-89.00")
    );
}

#[tokio::test]
async fn a_currency_that_is_not_a_code_is_a_problem_not_a_guess() {
    let server = MockServer::start().await;
    let body = page(
        &[
            &small("invoice_lower", "issued", "10.00", "eur"),
            &small("invoice_sign", "issued", "10.00", "€"),
            &small("invoice_value", "issued", "ten", "EUR"),
        ],
        None,
    );
    serve(&server, 200, &body).await;
    let listed = list(&server).await;
    for invoice in &listed {
        assert_eq!(invoice.totals.gross, None, "{}", invoice.id);
        assert_eq!(invoice.currency, None, "{}", invoice.id);
    }
    assert_eq!(
        listed[0].problems[0].to_string(),
        r#"`totalAmount.currency` = "eur": "eur" is not a currency code (3 to 10 upper-case letters A-Z)"#
    );
    assert_eq!(listed[1].problems[0].field, "totalAmount.currency");
    assert_eq!(listed[2].problems[0].field, "totalAmount.value");
}

#[tokio::test]
async fn null_dates_are_none_and_dates_keep_their_offset() {
    let server = MockServer::start().await;
    let issued = r#"{"resource": "sales-invoice", "id": "invoice_1", "mode": "live", "status": "issued",
        "createdAt": "2024-10-03T23:30:00-05:00", "issuedAt": "2024-10-04T00:15:00+02:00",
        "dueAt": "2024-11-03T00:00:00+02:00", "paidAt": null}"#;
    let bad_date = r#"{"resource": "sales-invoice", "id": "invoice_2", "mode": "live", "status": "issued",
        "createdAt": "2024-04-31T12:50:14+00:00"}"#;
    serve(&server, 200, &page(&[issued, bad_date], None)).await;
    let listed = list(&server).await;
    let invoice = &listed[0];
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2024, 10, 4));
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2024, 11, 3));
    assert_eq!(invoice.created_at.unwrap().date().to_string(), "2024-10-03");
    assert_eq!(invoice.paid_at, None);
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
    // April 31st, as in one of Mollie's own examples.
    let problem = &listed[1].problems[0];
    assert_eq!(problem.field, "createdAt");
    assert_eq!(
        problem.value.as_deref(),
        Some(r#""2024-04-31T12:50:14+00:00""#)
    );
    assert_eq!(listed[1].created_at, None);
}

#[tokio::test]
async fn an_unknown_status_is_kept_as_sent() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        &page(&[&small("invoice_1", "canceled", "1.00", "EUR")], None),
    )
    .await;
    let invoice = &list(&server).await[0];
    assert_eq!(invoice.status, Status::Other("canceled".into()));
    assert_eq!(invoice.vendor_status.as_deref(), Some("canceled"));
}

#[tokio::test]
async fn a_page_without_its_list_or_with_mollies_error_is_an_error_item() {
    for (body, detail) in [
        (
            r#"{"count": 0, "_links": {"next": null}}"#.to_owned(),
            "the response has no `_embedded.sales_invoices` list (missing or null)",
        ),
        (
            r#"{"status": 401, "title": "Unauthorized Request", "detail": "Missing authentication, or failed to authenticate"}"#.to_owned(),
            r#"the vendor sent an error in a successful response: "Missing authentication, or failed to authenticate""#,
        ),
    ] {
        let server = MockServer::start().await;
        serve(&server, 200, &body).await;
        let err = only_error(mollie(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
        assert!(matches!(err, Error::MissingList { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("mollie list_sales_invoices (first page): {detail}; JSON starts {body:?}")
        );
    }
    // An empty list is an empty page.
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[], None)).await;
    assert!(list(&server).await.is_empty());
}

#[tokio::test]
async fn an_invoice_that_does_not_decode_fails_alone() {
    let server = MockServer::start().await;
    let no_id = r#"{"resource": "sales-invoice", "mode": "live"}"#;
    let body = page(
        &[
            &small("invoice_1", "paid", "1.00", "EUR"),
            no_id,
            &small("invoice_3", "paid", "3.00", "EUR"),
        ],
        None,
    );
    serve(&server, 200, &body).await;
    let items = collect(mollie(&server, Auth::bearer(KEY)).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id, "invoice_1");
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Decode { raw: Some(raw), .. } if raw.get() == no_id),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("mollie list_sales_invoices: cannot decode invoice at index 1"),
        "{err}"
    );
    assert_eq!(items[2].as_ref().unwrap().id, "invoice_3");
}

#[tokio::test]
async fn a_line_with_its_own_discount_has_no_derived_amount() {
    let server = MockServer::start().await;
    let invoice = r#"{"resource": "sales-invoice", "id": "invoice_1", "mode": "live", "status": "issued",
        "lines": [{"description": "A", "quantity": 3, "vatRate": "21.00", "unitPrice": {"value": "0.10", "currency": "EUR"}},
                  {"description": "B", "quantity": 2, "vatRate": "21.00", "unitPrice": {"value": "5.00", "currency": "EUR"},
                   "discount": {"type": "amount", "value": "1.00"}}]}"#;
    serve(&server, 200, &page(&[invoice], None)).await;
    let invoice = &list(&server).await[0];
    let a = invoice.lines[0].amount.as_ref().unwrap();
    assert_eq!((a.to_string(), a.derived), ("0.30 EUR".to_owned(), true));
    assert_eq!(invoice.lines[1].amount, None);
    assert_eq!(
        invoice.lines[1].unit_price.as_ref().unwrap().to_string(),
        "5.00 EUR"
    );
}
