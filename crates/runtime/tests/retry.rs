//! Retries against a local mock server, through the real send loop; waits
//! are milliseconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{Auth, ClientContext, Error, Origin, ProviderId, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SENDCLOUD_V3: ProviderId = ProviderId::new("sendcloud-v3");

fn context(max_attempts: u32) -> ClientContext {
    ClientContext::new(SENDCLOUD_V3, Auth::none()).with_retry(quick_retries(max_attempts))
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Sends `request` through `context` as operation `list`.
async fn send(
    context: &ClientContext,
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, Error> {
    let client = invoicing_runtime::http_client();
    context
        .send(&client, request.build().unwrap(), "list")
        .await
}

/// The runtime's error for a final response, as a generated client maps it.
async fn mapped(response: reqwest::Response) -> Error {
    let origin = Origin::new(SENDCLOUD_V3, Some("list"));
    Error::from_progenitor(
        origin,
        progenitor_client::Error::<()>::UnexpectedResponse(response),
    )
    .await
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
    let context = ClientContext::new(SENDCLOUD_V3, Auth::none());
    let http = reqwest::Client::new();
    let started = Instant::now();
    let response = send(&context, http.get(format!("{}/api/invoices", server.uri())))
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-invoicing-attempts"], "2");
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
    let response = send(&context(3), http.get(format!("{}/invoices", server.uri())))
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["x-invoicing-attempts"], "3");
    assert_eq!(requests_to(&server).await, 3);

    let err = mapped(response).await;
    assert!(matches!(err, Error::Server { attempts: 3, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "sendcloud-v3 list: server error (503 Service Unavailable) after 3 attempt(s): \
         Down for maintenance"
    );
}

#[tokio::test]
async fn each_retryable_status_is_retried_and_others_are_not() {
    for (status, expected_requests) in [
        (500, 2),
        (502, 2),
        (503, 2),
        (504, 2),
        (429, 2),
        (501, 1),
        (404, 1),
        (400, 1),
        (200, 1),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let http = reqwest::Client::new();
        let response = send(&context(2), http.get(server.uri())).await.unwrap();
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
    let response = send(
        &context(4),
        http.post(format!("{}/invoices", server.uri())).body("{}"),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["x-invoicing-attempts"], "1");
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
    let response = send(&context(3), http.get(format!("{}/invoices", server.uri())))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(response.status(), 429);
    match mapped(response).await {
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
    let err = send(&context(3), http.get(format!("http://{address}/invoices")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    assert!(
        err.to_string().starts_with(
            "sendcloud-v3 list: transport error after 3 attempt(s): error sending request"
        ),
        "{err}"
    );

    accepted.store(0, Ordering::SeqCst);
    let err = send(&context(3), http.post(format!("http://{address}/invoices")))
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
    let context = ClientContext::new(SENDCLOUD_V3, Auth::none()).with_retry(RetryPolicy::never());
    let http = reqwest::Client::new();
    let response = send(&context, http.get(server.uri())).await.unwrap();
    assert_eq!(response.headers()["x-invoicing-attempts"], "1");
    assert_eq!(requests_to(&server).await, 1);
}

#[test]
fn context_and_its_futures_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + Clone + std::fmt::Debug>(_: &T) {}
    fn assert_send<T: Send>(_: &T) {}
    let context = ClientContext::new(SENDCLOUD_V3, Auth::bearer("k"));
    assert_send_sync(&context);
    let client = reqwest::Client::new();
    let request = client.get("http://127.0.0.1:9/").build().unwrap();
    assert_send(&context.send(&client, request, "list"));
    let request = client.get("http://127.0.0.1:9/").build().unwrap();
    let info = progenitor_client::OperationInfo {
        operation_id: "list",
    };
    assert_send(&context.exec(&client, request, &info));
}
