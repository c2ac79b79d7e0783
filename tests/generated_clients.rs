//! Generated clients against local mock servers: the requests they send and
//! how their responses and errors come back. (Paging: `generated_paging.rs`.)

use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
    let client = kitchen::Client::with_auth(&server.uri(), kitchen::Auth::bearer("test-key"));
    let page = client
        .list_invoices()
        .page(2u64)
        .state(kitchen::types::ListInvoicesState::All)
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
    let client = kitchen::Client::with_auth(&server.uri(), kitchen::Auth::bearer("k"));
    let raw = client.list_invoices().send_raw().await.unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.into_inner(), body.as_bytes());
    match client.get_invoice().id("in_404").send_raw().await {
        Err(kitchen::Error::ErrorResponse(e)) => assert_eq!(e.message, "No query results."),
        other => panic!("expected the typed 404, got {other:?}"),
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
    let client = kitchen::Client::with_auth(&server.uri(), kitchen::Auth::bearer("k"));
    let err = client.get_invoice().id("in_gone").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err:?}");
    let mapped = invoicing_runtime::Error::from_progenitor("kitchen", "get_invoice", err).await;
    assert!(
        matches!(mapped, invoicing_runtime::Error::NotFound { .. }),
        "{mapped:?}"
    );
    assert!(mapped.to_string().contains("kitchen"), "{mapped}");
}
