//! Nothing lost, per provider: lists that are missing, null or replaced by
//! the vendor's error object are error items; zero and mixed-scale amounts
//! stay exact; every kind of unmappable field is a problem on an invoice
//! that still comes through; an invoice that does not decode is an error
//! item that carries its JSON.

use crate::facade_support::{coinbase, collect, invoices, kitchen, only_error, sendcloud_v3};
use futures::StreamExt;
use invoicing::{Error, Invoice, ListQuery, Source};
use invoicing_runtime::Auth;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .expect(1..=3)
        .mount(&server)
        .await;
    server
}

/// A Sendcloud v3 invoice with these prices (`null` for no non-taxable part).
fn v3(id: u32, created_at: &str, taxable: &str, non_taxable: &str, tax: &str) -> String {
    format!(
        r#"{{"id": {id}, "reference": "R{id}", "created_at": "{created_at}", "price_taxable": {taxable}, "price_non_taxable": {non_taxable}, "tax": {tax}}}"#
    )
}

fn eur(value: &str) -> String {
    format!(r#"{{"value": "{value}", "currency": "EUR"}}"#)
}

/// A Kitchen page of `invoices`, the only page.
fn kitchen_page(invoices: &[String]) -> String {
    format!(
        r#"{{"data": [{}], "links": {{}}, "meta": {{"current_page": 1, "last_page": 1}}}}"#,
        invoices.join(", ")
    )
}

/// A Coinbase invoice with these line items and amount due.
fn coinbase_invoice(n: u32, line_items: &str, due: &str) -> String {
    format!(
        r#"{{"uuid": "00000000-0000-4000-8000-00000000000{n}", "invoiceNumber": "CB-{n}", "status": "OPEN",
            "contactName": "A", "contactEmail": "a@example.com", "entityName": "E",
            "createdAt": "2026-05-01T10:00:00Z", "updatedAt": "2026-05-01T10:00:00Z", "createdBy": "u",
            "lastUpdatedBy": "u", "lineItems": {line_items}, "totalAmountDue": {due}}}"#
    )
}

fn problems(invoice: &Invoice) -> Vec<String> {
    invoice.problems.iter().map(ToString::to_string).collect()
}

#[tokio::test]
async fn a_list_that_is_missing_null_or_a_vendor_error_is_an_error_item() {
    let cases: [(&str, &str, &str); 8] = [
        (
            "sendcloud-v3",
            "{}",
            "the response has no `data` list (missing or null)",
        ),
        (
            "sendcloud-v3",
            r#"{"data": null}"#,
            "the response has no `data` list (missing or null)",
        ),
        (
            "sendcloud-v3",
            r#"{"error": {"code": 503, "request": "api/v3/invoices", "message": "Try again"}}"#,
            r#"the vendor sent an error in a successful response: {"code": 503, "request": "api/v3/invoices", "message": "Try again"}"#,
        ),
        (
            "kitchen",
            r#"{"meta": {"current_page": 1, "last_page": 1}}"#,
            "the response has no `data` list (missing or null)",
        ),
        (
            "kitchen",
            r#"{"message": "Server Error"}"#,
            r#"the vendor sent an error in a successful response: "Server Error""#,
        ),
        (
            "coinbase-business",
            r#"{"nextPageToken": "t"}"#,
            "the response has no `invoices` list (missing or null)",
        ),
        (
            "coinbase-business",
            r#"{"invoices": null}"#,
            "the response has no `invoices` list (missing or null)",
        ),
        (
            "coinbase-business",
            r#"{"errorType": "internal", "errorMessage": "Oops"}"#,
            r#"the vendor sent an error in a successful response: "Oops""#,
        ),
    ];
    for (provider, body, detail) in cases {
        let server = serve(200, body).await;
        let stream = match provider {
            "sendcloud-v3" => sendcloud_v3(&server, Auth::none()).list(&ListQuery::new()),
            "kitchen" => kitchen(&server, Auth::none()).list(&ListQuery::new()),
            _ => coinbase(&server, Auth::none()).list(&ListQuery::new()),
        };
        let err = only_error(stream).await;
        assert!(matches!(err, Error::MissingList { .. }), "{err:?}");
        let page = if provider == "kitchen" {
            "page 1"
        } else {
            "first page"
        };
        assert_eq!(
            err.to_string(),
            format!("{provider} list_invoices ({page}): {detail}; JSON starts {body:?}")
        );
    }
    // Empty lists are empty pages.
    let server = serve(200, r#"{"data": []}"#).await;
    assert!(
        invoices(sendcloud_v3(&server, Auth::none()).list(&ListQuery::new()))
            .await
            .is_empty()
    );
    let server = serve(200, &kitchen_page(&[])).await;
    assert!(
        invoices(kitchen(&server, Auth::none()).list(&ListQuery::new()))
            .await
            .is_empty()
    );
    let server = serve(200, r#"{"invoices": []}"#).await;
    assert!(
        invoices(coinbase(&server, Auth::none()).list(&ListQuery::new()))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn kitchen_without_meta_lists_the_page_then_stops_at_a_repeated_one() {
    let server = serve(
        200,
        &format!(
            r#"{{"data": [{}]}}"#,
            r#"{"id": "in_1", "currency": "EUR", "status": "open"}"#
        ),
    )
    .await;
    // Without `meta` there is no last page number: page 2 is asked for, and
    // this server answers it with page 1 again.
    let items = collect(kitchen(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "in_1");
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        "kitchen list_invoices (page 2): cannot follow pages: the page repeats items already listed \
         and the list did not grow: the vendor repeats pages"
    );
}

#[tokio::test]
async fn zero_and_mixed_scale_amounts_are_exact_at_the_larger_scale() {
    // Sendcloud v3: 12.50 + 0.0000, and a zero tax on zero prices.
    let body = format!(
        r#"{{"data": [{}, {}]}}"#,
        v3(
            1,
            "2026-05-31T00:00:00Z",
            &eur("12.50"),
            &eur("0.0000"),
            &eur("0.00")
        ),
        v3(
            2,
            "2026-05-31T00:00:00Z",
            &eur("0.0000"),
            "null",
            &eur("-0.0000")
        ),
    );
    let server = serve(200, &body).await;
    let listed = invoices(sendcloud_v3(&server, Auth::none()).list(&ListQuery::new())).await;
    let totals = |i: usize| {
        let t = &listed[i].totals;
        [&t.net, &t.tax, &t.gross].map(|a| a.as_ref().unwrap().value.to_string())
    };
    assert_eq!(totals(0), ["12.5000", "0.00", "12.5000"]);
    assert_eq!(totals(1), ["0.0000", "0.0000", "0.0000"], "never -0");

    // Kitchen: tax items [0.00, 46.3].
    let server = serve(
        200,
        &kitchen_page(&[r#"{"id": "in_t", "currency": "USD", "status": "paid", "tax_items": [{"amount": 0.00}, {"amount": 46.3}]}"#.to_owned()]),
    )
    .await;
    let listed = invoices(kitchen(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(
        listed[0].totals.tax.as_ref().unwrap().to_string(),
        "46.30 USD"
    );

    // Coinbase: a line of 1.5 x "0.00", and one of 2 x "9.99".
    let lines = r#"[{"itemName": "free", "quantity": 1.5, "unitPrice": {"value": "0.00", "currency": "USDC"}},
                    {"itemName": "paid", "quantity": 2, "unitPrice": {"value": "9.99", "currency": "USDC"}}]"#;
    let server = serve(
        200,
        &format!(
            r#"{{"invoices": [{}]}}"#,
            coinbase_invoice(1, lines, r#"{"value": "19.98", "currency": "USDC"}"#)
        ),
    )
    .await;
    let listed = invoices(coinbase(&server, Auth::none()).list(&ListQuery::new())).await;
    let amounts: Vec<_> = listed[0]
        .lines
        .iter()
        .map(|line| line.amount.as_ref().unwrap().value.to_string())
        .collect();
    assert_eq!(amounts, ["0.00", "19.98"]);
    assert!(listed[0].is_complete());
}

#[tokio::test]
async fn each_kind_of_unmappable_field_is_a_problem_on_an_invoice_that_still_comes() {
    let max = "79228162514264337593543950335";
    let body = format!(
        r#"{{"data": [{}, {}, {}, {}]}}"#,
        // A date that is not RFC 3339, in a field the generated type requires.
        v3(
            1,
            "31-05-2026 10:00:00",
            &eur("1.0000"),
            "null",
            &eur("0.2100")
        ),
        // A currency that is not a code.
        v3(
            2,
            "2026-05-31T00:00:00Z",
            &eur("1.0000"),
            "null",
            r#"{"value": "0.2100", "currency": "eur"}"#
        ),
        // A derived amount that does not fit.
        v3(3, "2026-05-31T00:00:00Z", &eur(max), &eur(max), &eur("0")),
        // An id that is not the vendor's integer: not an invoice at all.
        v3(4, "2026-05-31T00:00:00Z", &eur("1"), "null", &eur("0"))
            .replace(r#""id": 4"#, r#""id": "4""#),
    );
    let server = serve(200, &body).await;
    let items = collect(sendcloud_v3(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 4);
    let date = items[0].as_ref().unwrap();
    assert_eq!(
        problems(date),
        [r#"`created_at` = "31-05-2026 10:00:00": input contains invalid characters"#]
    );
    assert_eq!((date.created_at, date.issue_date), (None, None));
    assert_eq!(date.number.as_deref(), Some("R1"), "the rest is mapped");
    assert_eq!(
        date.totals.gross.as_ref().unwrap().value.to_string(),
        "1.2100"
    );

    let currency = items[1].as_ref().unwrap();
    assert_eq!(
        problems(currency),
        [
            r#"`tax.currency` = "eur": "eur" is not a currency code (3 to 10 upper-case letters A-Z)"#
        ]
    );
    assert_eq!(
        (currency.totals.tax.clone(), currency.totals.gross.clone()),
        (None, None)
    );
    assert!(currency.totals.net.is_some());

    let overflow = items[2].as_ref().unwrap();
    assert_eq!(
        problems(overflow),
        [format!(
            "`price_taxable + price_non_taxable` = {max} EUR + {max} EUR: the exact sum does not fit a decimal"
        )]
    );
    assert_eq!(overflow.totals.net, None);

    let err = items[3].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Decode { raw: Some(raw), .. } if raw.get().contains(r#""id": "4""#)),
        "{err:?}"
    );

    // Kitchen: two currencies in one derived sum.
    let server = serve(
        200,
        &kitchen_page(&[r#"{"id": "in_m", "currency": "EUR", "status": "open", "total_amount": 10, "tax_items": [{"amount": 1}, {"amount": 2, "currency": "USD"}]}"#.to_owned()]),
    )
    .await;
    let listed = invoices(kitchen(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(
        problems(&listed[0]),
        [
            "`tax_items[0].amount + tax_items[1].amount` = 1 EUR + 2 USD: cannot add amounts in different currencies (`tax_items[0].amount` in EUR, `tax_items[1].amount` in USD)"
        ]
    );
    assert_eq!(listed[0].totals.tax, None);
    assert_eq!(
        listed[0].totals.gross.as_ref().unwrap().to_string(),
        "10 EUR"
    );

    // Coinbase: a line product that does not fit, and a date that is not one.
    let lines = format!(
        r#"[{{"itemName": "x", "quantity": {max}, "unitPrice": {{"value": "10", "currency": "USDC"}}}}]"#
    );
    let invoice = coinbase_invoice(1, &lines, r#"{"value": "1", "currency": "USDC"}"#).replace(
        r#""createdAt": "2026-05-01T10:00:00Z""#,
        r#""createdAt": "yesterday""#,
    );
    let server = serve(200, &format!(r#"{{"invoices": [{invoice}]}}"#)).await;
    let listed = invoices(coinbase(&server, Auth::none()).list(&ListQuery::new())).await;
    let problems = problems(&listed[0]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with(r#"`createdAt` = "yesterday": "#),
        "{problems:?}"
    );
    assert_eq!(
        problems[1],
        format!(
            "`lineItems[0].quantity * lineItems[0].unitPrice` = {max} * 10 USDC: the exact product does not fit a decimal"
        )
    );
    let line = &listed[0].lines[0];
    assert_eq!(
        (
            line.amount.clone(),
            line.unit_price.as_ref().unwrap().to_string()
        ),
        (None, "10 USDC".to_owned())
    );
    assert_eq!(listed[0].created_at, None);
    assert_eq!(listed[0].raw.get(), invoice);
}

#[tokio::test]
async fn a_caller_can_treat_invoices_with_problems_as_errors_in_one_call() {
    let body = format!(
        r#"{{"data": [{}, {}]}}"#,
        v3(
            1,
            "2026-05-31T00:00:00Z",
            &eur("1.0000"),
            "null",
            &eur("0.2100")
        ),
        v3(2, "soon", &eur("1.0000"), "null", &eur("0.2100")),
    );
    let server = serve(200, &body).await;
    let items: Vec<_> = sendcloud_v3(&server, Auth::none())
        .list(&ListQuery::new())
        .require_complete()
        .collect()
        .await;
    assert_eq!(items[0].as_ref().unwrap().id, "1");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"sendcloud-v3 invoice "2": 1 field problem: `created_at` = "soon": input contains invalid characters"#
    );
    // The error keeps the whole invoice.
    assert!(matches!(err, Error::Incomplete(invoice) if invoice.number.as_deref() == Some("R2")));
}

#[tokio::test]
async fn sendcloud_v3_errors_are_typed_and_quoted() {
    let server = serve(
        404,
        r#"{"error": {"code": 404, "request": "api/v3/invoices/9", "message": "No Invoice matches the given query."}}"#,
    )
    .await;
    let err = sendcloud_v3(&server, Auth::none())
        .get("9")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Api(invoicing_runtime::Error::NotFound { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "sendcloud-v3 retrieve_invoice: not found (404): No Invoice matches the given query. [404] (request api/v3/invoices/9)"
    );

    // The generated client reads the vendor's message from the same body.
    let client = invoicing_sendcloud_v3::Client::with_auth(
        &server.uri(),
        invoicing_sendcloud_v3::Auth::none(),
    );
    match client.retrieve_invoice().invoice_id(9u64).send().await {
        Err(err @ invoicing_sendcloud_v3::Error::NotFound { .. }) => {
            assert_eq!(
                err.api_message().unwrap().text,
                "No Invoice matches the given query."
            );
        }
        other => panic!("expected the 404: {other:?}"),
    }
}
