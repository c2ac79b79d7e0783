//! The Sendcloud v2 adapter against a local mock server: one response, two
//! date forms, no currency.

use crate::facade_support::{dec, invoices, only_error, sendcloud_v2};
use chrono::{NaiveDate, NaiveDateTime};
use invoicing::{Currency, Error, ListQuery, Provider, Source, Status, Timestamp};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::serve;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Written as text so the bytes of each invoice can be compared with
/// `Invoice::raw`.
const LISTED: [&str; 3] = [
    r#"{"date": "08-06-2022 11:39:36", "id": 1, "isPayed": true, "items": "https://panel.sendcloud.sc/api/v2/user/invoices/1/items", "price_excl": 100.00, "price_incl": 121.00, "ref": "12-2022-NL1", "type": "periodic"}"#,
    r#"{"date":"2022-06-30T00:00:00Z","id":2,"isPayed":false,"items":"https://panel.sendcloud.sc/api/v2/user/invoices/2/items","price_excl":0.1,"price_incl":675.65,"ref":"12-2022-NL2","type":"credit_limit"}"#,
    r#"{"date": "2022-07-01T00:00:00+02:00", "id": 3, "isPayed": false, "items": "x", "price_excl": -123456789012345678901234.5678, "price_incl": -123456789012345678901234.5678, "ref": "12-2022-NL3", "type": "periodical"}"#,
];

fn basic() -> Auth {
    Auth::basic("public-key-abc", "secret-key-xyz")
}

#[tokio::test]
async fn every_invoice_of_the_one_response_is_mapped() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user/invoices"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            format!("{{\"invoices\": [{}]}}", LISTED.join(",\n  ")),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let listed =
        invoices(sendcloud_v2(&server, basic()).list(&ListQuery::new().page_size(1))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    for (invoice, raw) in listed.iter().zip(LISTED) {
        assert_eq!(invoice.raw.get(), raw);
        assert_eq!(invoice.provider, Provider::SendcloudV2);
        assert!(invoice.lines.is_empty(), "the list sends items as a URL");
    }

    let first = &listed[0];
    assert_eq!(first.number.as_deref(), Some("12-2022-NL1"));
    assert_eq!(first.kind.as_deref(), Some("periodic"));
    assert_eq!(
        (first.status.clone(), first.vendor_status.clone()),
        (Status::Paid, None)
    );
    // The zone-less form stays naive.
    let naive = NaiveDateTime::parse_from_str("2022-06-08 11:39:36", "%Y-%m-%d %H:%M:%S").unwrap();
    assert_eq!(first.issued_at, Some(Timestamp::Naive(naive)));
    assert_eq!(first.issue_date, NaiveDate::from_ymd_opt(2022, 6, 8));
    assert_eq!(
        first.currency, None,
        "v2 sends no currency and none was configured"
    );
    let totals = &first.totals;
    let net = totals.net.as_ref().unwrap();
    assert_eq!(
        (net.value.to_string(), net.derived, net.currency.clone()),
        ("100.00".to_owned(), false, None)
    );
    let tax = totals.tax.as_ref().unwrap();
    assert_eq!(
        (tax.value.to_string(), tax.derived),
        ("21.00".to_owned(), true)
    );
    assert_eq!(totals.gross.as_ref().unwrap().value, dec("121"));

    let second = &listed[1];
    assert_eq!(second.status, Status::Open);
    assert_eq!(second.kind.as_deref(), Some("credit_limit"));
    assert_eq!(
        second.issue_date,
        NaiveDate::from_ymd_opt(2022, 6, 30),
        "UTC midnight"
    );
    assert!(matches!(second.issued_at, Some(Timestamp::WithOffset(_))));
    assert_eq!(second.totals.net.as_ref().unwrap().value, dec("0.1"));
    assert_eq!(second.totals.tax.as_ref().unwrap().value, dec("675.55"));

    let third = &listed[2];
    assert_eq!(
        third.kind.as_deref(),
        Some("periodical"),
        "a type outside the enum"
    );
    assert_eq!(
        third.issue_date,
        NaiveDate::from_ymd_opt(2022, 7, 1),
        "+02:00 midnight"
    );
    assert_eq!(
        third.totals.gross.as_ref().unwrap().value.to_string(),
        "-123456789012345678901234.5678"
    );
    assert_eq!(third.totals.tax.as_ref().unwrap().value, dec("0"));
}

#[tokio::test]
async fn a_configured_currency_is_used_and_nothing_else() {
    let server = MockServer::start().await;
    serve(&server, 200, &format!("{{\"invoices\": [{}]}}", LISTED[0])).await;
    let source = sendcloud_v2(&server, basic()).currency(Currency::new("EUR").unwrap());
    let listed = invoices(source.list(&ListQuery::new())).await;
    assert_eq!(listed[0].currency.as_ref().unwrap().as_str(), "EUR");
    assert_eq!(
        listed[0].totals.tax.as_ref().unwrap().to_string(),
        "21.00 EUR"
    );
}

#[tokio::test]
async fn only_an_empty_list_is_an_empty_stream() {
    let server = MockServer::start().await;
    serve(&server, 200, r#"{"invoices": []}"#).await;
    assert!(
        invoices(sendcloud_v2(&server, basic()).list(&ListQuery::new()))
            .await
            .is_empty()
    );
    // A 200 without the list, with a null list, or with Sendcloud's error
    // object is an error item, never an empty account.
    for (body, detail) in [
        (
            "{}",
            "the response has no `invoices` list (missing or null)",
        ),
        (
            r#"{"invoices": null}"#,
            "the response has no `invoices` list (missing or null)",
        ),
        (
            r#"{"error": {"code": 500, "request": "api/v2/user/invoices", "message": "Internal error"}}"#,
            r#"the vendor sent an error in a successful response: {"code": 500, "request": "api/v2/user/invoices", "message": "Internal error"}"#,
        ),
    ] {
        let server = MockServer::start().await;
        serve(&server, 200, body).await;
        let err = only_error(sendcloud_v2(&server, basic()).list(&ListQuery::new())).await;
        assert!(matches!(err, Error::MissingList { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("sendcloud-v2 list_invoices (first page): {detail}; JSON starts {body:?}")
        );
    }
}

#[tokio::test]
async fn zero_prices_give_a_zero_tax_never_minus_zero() {
    let server = MockServer::start().await;
    // The vendor's own detail example has `price_incl: 0, price_excl: 0`.
    let zero = r#"{"date": "05-10-2020 02:12:01", "id": 1, "isPayed": true, "items": "x", "price_excl": 0, "price_incl": 0, "ref": "R", "type": "periodic"}"#;
    let scales = r#"{"date": "05-10-2020 02:12:01", "id": 2, "isPayed": true, "items": "x", "price_excl": 0.00, "price_incl": 1.5, "ref": "R", "type": "periodic"}"#;
    serve(
        &server,
        200,
        &format!(r#"{{"invoices": [{zero}, {scales}]}}"#),
    )
    .await;
    let listed = invoices(sendcloud_v2(&server, basic()).list(&ListQuery::new())).await;
    let tax = |i: usize| listed[i].totals.tax.as_ref().unwrap().value.to_string();
    assert_eq!(tax(0), "0");
    // 1.5 - 0.00 at the larger scale.
    assert_eq!(tax(1), "1.50");
    assert!(listed.iter().all(|invoice| invoice.is_complete()));
}

#[tokio::test]
async fn an_unreadable_date_is_a_problem_and_the_invoice_still_comes() {
    let server = MockServer::start().await;
    let bad = LISTED[0].replace("08-06-2022 11:39:36", "2022/06/08");
    serve(
        &server,
        200,
        &format!("{{\"invoices\": [{bad}, {}]}}", LISTED[1]),
    )
    .await;
    let listed = invoices(sendcloud_v2(&server, basic()).list(&ListQuery::new())).await;
    let partial = &listed[0];
    assert_eq!(
        partial.problems[0].to_string(),
        r#"`date` = "2022/06/08": neither `dd-mm-yyyy hh:mm:ss` nor RFC 3339"#
    );
    assert_eq!((partial.issued_at, partial.created_at), (None, None));
    // Everything else is mapped, and the raw JSON is kept.
    assert_eq!(
        partial.totals.tax.as_ref().unwrap().value.to_string(),
        "21.00"
    );
    assert_eq!(partial.raw.get(), bad);
    assert!(!partial.is_complete());
    assert!(listed[1].is_complete());
}

#[tokio::test]
async fn get_returns_the_detail_with_its_lines_and_404_is_not_found() {
    let server = MockServer::start().await;
    let detail = r#"{"id": 7, "date": "05-10-2020 02:12:01", "isPayed": true, "items": [{"id": 11, "name": "Shipping label"}, {"id": 12, "name": "Insurance"}], "price_excl": 10.5, "price_incl": 12.705, "ref": "12-2020-NL7", "type": "initial"}"#;
    Mock::given(method("GET"))
        .and(path("/user/invoices/7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(format!(r#"{{"invoice": {detail}}}"#), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/invoices/8"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"invoice": {"ref": "only-a-ref"}}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/user/invoices/9"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"error": {"code": 404, "request": "api/v2/user/invoices/9", "message": "No Invoice matches the given query."}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let source = sendcloud_v2(&server, basic());

    let invoice = source.get("7").await.unwrap();
    assert_eq!(invoice.raw.get(), detail);
    assert_eq!(invoice.kind.as_deref(), Some("initial"));
    let lines: Vec<_> = invoice
        .lines
        .iter()
        .map(|l| (l.id.as_deref(), l.name.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [
            (Some("11"), Some("Shipping label")),
            (Some("12"), Some("Insurance"))
        ]
    );
    assert_eq!(
        invoice.totals.tax.as_ref().unwrap().value.to_string(),
        "2.205"
    );

    // Every detail field is optional: absent ones stay absent.
    let sparse = source.get("8").await.unwrap();
    assert_eq!(
        (sparse.id.as_str(), sparse.status.clone()),
        ("8", Status::Unknown)
    );
    assert_eq!((sparse.issue_date, sparse.totals.tax.clone()), (None, None));

    let err = source.get("9").await.unwrap_err();
    assert!(
        matches!(err, Error::Api(invoicing_runtime::Error::NotFound { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "sendcloud-v2 get_invoice: not found (404): No Invoice matches the given query. [404] (request api/v2/user/invoices/9)"
    );
}
