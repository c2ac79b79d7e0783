//! The vendor's request id header, declared on the context, on every error
//! of a request whose response had it, scrubbed like the rest of the
//! response.

use std::sync::atomic::{AtomicUsize, Ordering};

use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{Auth, ClientContext, Error, Limits, ProviderId};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "request-id-test-key-0123456789";

fn context() -> ClientContext {
    ClientContext::new(ProviderId::new("acme"), Auth::bearer(KEY))
        .with_request_id_header("X-Request-Id")
        .with_retry(quick_retries(3))
}

/// The error of one `GET` through `context` to `server`, as a generated
/// `send()` maps it.
async fn error_of(context: &ClientContext, server: &MockServer) -> Error {
    let client = reqwest::Client::new();
    let request = client.get(server.uri()).build().unwrap();
    let result = context.send(&client, request, "list_invoices").await;
    let progenitor = match result {
        Ok(response) => progenitor_client::Error::<()>::UnexpectedResponse(response),
        Err(err) => return err,
    };
    Error::from_progenitor(context.origin("list_invoices"), progenitor).await
}

#[tokio::test]
async fn an_error_response_shows_the_vendors_request_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req_8fQ2")
                .set_body_raw(r#"{"message":"Invoice not found"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = error_of(&context(), &server).await;
    assert_eq!(err.request_id(), Some("req_8fQ2"));
    assert_eq!(
        err.to_string(),
        "acme list_invoices (request id req_8fQ2): not found (404): Invoice not found"
    );
    // Placed on a page, it keeps the id.
    assert_eq!(err.on_page("page 2").request_id(), Some("req_8fQ2"));
}

#[tokio::test]
async fn the_last_attempts_request_id_is_kept_after_retries() {
    let server = MockServer::start().await;
    let sent = AtomicUsize::new(0);
    Mock::given(any())
        .respond_with(move |_: &Request| {
            let n = sent.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(503).insert_header("x-request-id", format!("req_{n}"))
        })
        .mount(&server)
        .await;
    let err = error_of(&context(), &server).await;
    assert!(matches!(err, Error::Server { attempts: 3, .. }), "{err:?}");
    assert_eq!(err.request_id(), Some("req_3"));
}

#[tokio::test]
async fn a_body_over_the_limit_still_names_the_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_big")
                .set_body_raw("x".repeat(4096), "application/json"),
        )
        .mount(&server)
        .await;
    let context = context().with_limits(Limits {
        max_body_bytes: 1024,
        ..Limits::default()
    });
    let err = error_of(&context, &server).await;
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("(request id req_big)"), "{err}");
}

#[tokio::test]
async fn a_request_id_echoing_the_credential_is_scrubbed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &Request| {
            let authorization = request.headers["authorization"].to_str().unwrap();
            ResponseTemplate::new(403).insert_header("x-request-id", authorization)
        })
        .mount(&server)
        .await;
    let err = error_of(&context(), &server).await;
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(
        err.request_id().is_some_and(|id| id.contains("[redacted]")),
        "{err:?}"
    );
}

#[tokio::test]
async fn without_a_declared_header_no_id_is_read() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "req_1"))
        .mount(&server)
        .await;
    let context = ClientContext::new(ProviderId::new("acme"), Auth::bearer(KEY));
    let err = error_of(&context, &server).await;
    assert_eq!(err.request_id(), None);
    assert_eq!(err.to_string(), "acme list_invoices: not found (404)");
}
