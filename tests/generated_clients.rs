//! Generated clients against local mock servers: the requests they send and
//! how their responses and errors come back. (Paging: `generated_paging.rs`.)

use std::time::{Duration, Instant};

use invoicing_runtime::test_util::{FaultServer, Step, response, response_head};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn kitchen_sends_its_required_headers_and_no_api_version() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("page", "2"))
        .and(query_param("state", "all"))
        .and(header("authorization", "Bearer test-key"))
        .and(header("x-requested-with", "XMLHttpRequest"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "in_1", "currency": "USD", "status": "paid", "total_amount": 508.9}],
            "links": {"first": null, "last": null, "prev": null, "next": null},
            "meta": {"current_page": 2, "last_page": 2}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = invoicing_kitchen::Client::with_auth(
        &server.uri(),
        invoicing_kitchen::Auth::bearer("test-key"),
    );
    let page = client
        .list_invoices()
        .page(2u64)
        .state(invoicing_kitchen::types::ListInvoicesState::All)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        page.data[0].total_amount.as_ref().unwrap().as_str(),
        "508.9"
    );
    let received = &server.received_requests().await.unwrap()[0];
    assert!(received.headers.get("api-version").is_none());
}

#[tokio::test]
async fn send_raw_returns_the_body_verbatim_and_errors_as_send_does() {
    let server = MockServer::start().await;
    let body = r#"{"data": [{"id": "in_1", "currency": "USD", "status": "paid", "amount": 675.650, "new": 1}], "links": {}, "meta": {"current_page": 1, "last_page": 1}}"#;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices/in_404"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "No query results."})),
        )
        .mount(&server)
        .await;
    let client =
        invoicing_kitchen::Client::with_auth(&server.uri(), invoicing_kitchen::Auth::bearer("k"));
    let raw = client.list_invoices().send_raw().await.unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.into_inner(), body.as_bytes());
    match client.get_invoice().id("in_404").send_raw().await {
        Err(err @ invoicing_kitchen::Error::NotFound { .. }) => {
            assert_eq!(err.api_message().unwrap().text, "No query results.")
        }
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_error_status_with_an_undocumented_body_keeps_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices/in_gone"))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client =
        invoicing_kitchen::Client::with_auth(&server.uri(), invoicing_kitchen::Auth::bearer("k"));
    let mapped = client.get_invoice().id("in_gone").send().await.unwrap_err();
    assert_eq!(mapped.status().map(|s| s.as_u16()), Some(404), "{mapped:?}");
    assert!(
        matches!(mapped, invoicing_runtime::Error::NotFound { .. }),
        "{mapped:?}"
    );
    assert!(mapped.to_string().contains("kitchen"), "{mapped}");
}

#[tokio::test]
async fn a_single_crate_user_gets_a_page_cut_by_a_reset_retried() {
    let page = br#"{"data": [{"id": 7, "reference": "INV-7", "created_at": "2026-05-31T00:00:00Z",
        "price_taxable": {"value": "1.0000", "currency": "EUR"}, "tax": {"value": "0.2100", "currency": "EUR"}}]}"#;
    let server = FaultServer::start(move |n, _| {
        if n == 0 {
            let mut cut = response_head(200, &[("content-length", &page.len().to_string())]);
            cut.extend_from_slice(&page[..40]);
            vec![Step::Send(cut), Step::Reset]
        } else {
            vec![Step::Send(response(200, &[], page))]
        }
    })
    .await;
    let client = invoicing_sendcloud_v3::Client::with_auth(
        &server.uri(),
        invoicing_sendcloud_v3::Auth::basic("public-key-abc", "secret-key-xyz"),
    );
    let started = Instant::now();
    let invoices = client.list_invoices().send().await.unwrap().into_inner();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(invoices.data[0].reference, "INV-7");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_single_crate_user_gets_short_secret_free_errors() {
    const KEY: &str = "kitchen-single-crate-key-42";
    // A proxy that answers with a large page echoing the request's
    // `Authorization`, whose first invoice has a status that is no string.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let authorization = request.headers["authorization"].to_str().unwrap();
            let body = json!({
                "data": [{"id": authorization, "currency": "EUR", "status": 12}],
                "links": {},
                "meta": {"current_page": 1, "last_page": 1, "padding": "x".repeat(1 << 20)},
            });
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    let client =
        invoicing_kitchen::Client::with_auth(&server.uri(), invoicing_kitchen::Auth::bearer(KEY));
    let err = client.list_invoices().send().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.len() < 8 << 10, "{} bytes", shown.len());
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("Bearer [redacted]"), "{shown}");
    assert!(shown.contains("at `data[0].status`"), "{shown}");
}

#[tokio::test]
async fn a_single_crate_user_reads_provider_operation_and_the_vendors_message() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "Invoice workspace p11-missing not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client =
        invoicing_kitchen::Client::with_auth(&server.uri(), invoicing_kitchen::Auth::bearer("k"));
    let err = client.list_invoices().send().await.unwrap_err();
    let (display, debug) = (format!("{err}"), format!("{err:?}"));
    println!("Display: {display}\nDebug:   {debug}");
    assert_eq!(
        display,
        "kitchen list_invoices: not found (404): Invoice workspace p11-missing not found"
    );
    for shown in [&display, &debug] {
        assert!(
            !shown.to_lowercase().contains("x-invoicing-attempts"),
            "{shown}"
        );
    }
}
