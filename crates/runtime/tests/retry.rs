//! Retries against a local mock server; waits are milliseconds.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::{call, quick_retries};
use invoicing_runtime::{ATTEMPTS_HEADER, Auth, Context, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn context(max_attempts: u32) -> Context {
    Context::new("sendcloud-v3", Auth::none()).with_retry(quick_retries(max_attempts))
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_with_retry_after_zero_then_200_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    // The default policy's backoff would be up to 200 ms; `Retry-After: 0`
    // means no wait at all.
    let context = Context::new("kitchen", Auth::none());
    let http = reqwest::Client::new();
    let started = Instant::now();
    let response = call(
        &context,
        http.get(format!("{}/api/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[ATTEMPTS_HEADER], "2");
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_503_until_attempts_run_out_returns_the_last_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(serde_json::json!({"message": "Down for maintenance"})),
        )
        .mount(&server)
        .await;
    let http = reqwest::Client::new();
    let response = call(
        &context(3),
        http.get(format!("{}/invoices", server.uri())),
        "listInvoices",
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()[ATTEMPTS_HEADER], "3");
    assert_eq!(requests_to(&server).await, 3);

    let err = Error::from_progenitor(
        "sendcloud-v3",
        "listInvoices",
        progenitor_client::Error::<()>::UnexpectedResponse(response),
    )
    .await;
    assert!(matches!(err, Error::Server { attempts: 3, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "sendcloud-v3 listInvoices: server error (503 Service Unavailable) after 3 attempt(s): \
         Down for maintenance"
    );
}

#[tokio::test]
async fn each_retryable_status_is_retried_and_others_are_not() {
    for (status, expected_requests) in [(502, 2), (504, 2), (500, 1), (404, 1), (400, 1)] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let http = reqwest::Client::new();
        let response = call(&context(2), http.get(server.uri()), "get")
            .await
            .unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(
            requests_to(&server).await,
            expected_requests,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn post_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let http = reqwest::Client::new();
    let response = call(
        &context(4),
        http.post(format!("{}/invoices", server.uri())).body("{}"),
        "create",
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()[ATTEMPTS_HEADER], "1");
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn a_long_retry_after_is_capped_at_max_delay() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let http = reqwest::Client::new();
    let response = call(
        &context(3),
        http.get(format!("{}/invoices", server.uri())),
        "list",
    )
    .await
    .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.status(), 429);
    let err = Error::from_progenitor(
        "sendcloud-v3",
        "list",
        progenitor_client::Error::<()>::UnexpectedResponse(response),
    )
    .await;
    match err {
        Error::RateLimited {
            retry_after,
            attempts,
            ..
        } => {
            assert_eq!(retry_after, Some(Duration::from_secs(3600)));
            assert_eq!(attempts, 3);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dropped_connections_are_retried_for_reads() {
    // A server that accepts and at once closes every connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicU32::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    let http = reqwest::Client::new();
    let err = call(
        &context(3),
        http.get(format!("http://{address}/invoices")),
        "list",
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3);

    accepted.store(0, Ordering::SeqCst);
    let err = call(
        &context(3),
        http.post(format!("http://{address}/invoices")),
        "create",
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn never_sends_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let context = Context::new("kitchen", Auth::none()).with_retry(RetryPolicy::never());
    let http = reqwest::Client::new();
    let response = call(&context, http.get(server.uri()), "list")
        .await
        .unwrap();
    assert_eq!(response.headers()[ATTEMPTS_HEADER], "1");
    assert_eq!(requests_to(&server).await, 1);
}

#[test]
fn context_and_its_futures_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + Clone + std::fmt::Debug>(_: &T) {}
    fn assert_send<T: Send>(_: &T) {}
    let context = Context::new("kitchen", Auth::bearer("k"));
    assert_send_sync(&context);
    let client = reqwest::Client::new();
    let mut request = client.get("http://127.0.0.1:9/").build().unwrap();
    assert_send(&context.prepare(&mut request));
    let request = client.get("http://127.0.0.1:9/").build().unwrap();
    assert_send(&context.execute(&client, request, "list"));
}
