//! Mapping generated-client errors, with each vendor's error body, from real
//! responses of a local mock server.

use std::time::Duration;

use invoicing_runtime::{ApiMessage, Error, Origin, ProviderId};
use progenitor_client::{Error as P, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A real response with `status`, `body` and `headers`.
async fn response(status: u16, body: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let server = MockServer::start().await;
    let mut template =
        ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json");
    for (name, value) in headers {
        template = template.insert_header(*name, *value);
    }
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    reqwest::get(server.uri()).await.unwrap()
}

fn origin(provider: &'static str, operation: &'static str) -> Origin {
    Origin::new(ProviderId::new(provider), Some(operation))
}

async fn unexpected(provider: &'static str, status: u16, body: &str) -> Error {
    let response = response(status, body, &[]).await;
    Error::from_progenitor(
        origin(provider, "op"),
        P::<()>::UnexpectedResponse(response),
    )
    .await
}

fn text(err: &Error) -> &str {
    &err.api_message().expect("a vendor message").text
}

#[tokio::test]
async fn sendcloud_v2_not_found() {
    let err = unexpected(
        "sendcloud-v2",
        404,
        r#"{"error":{"code":404,"request":"api/v2/user/invoices/99","message":"No Invoice matches the given query."}}"#,
    )
    .await;
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(*err.origin(), origin("sendcloud-v2", "op"));
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let message = err.api_message().unwrap();
    assert_eq!(
        message.request_id.as_deref(),
        Some("api/v2/user/invoices/99")
    );
    assert_eq!(
        err.to_string(),
        "sendcloud-v2 op: not found (404): No Invoice matches the given query. [404] \
         (request api/v2/user/invoices/99)"
    );
}

#[tokio::test]
async fn sendcloud_v3_validation_errors() {
    let err = unexpected(
        "sendcloud-v3",
        400,
        r#"{"errors":[{"status":"400","code":"invalid","detail":"Ensure this value is less than or equal to 500.","source":{"parameter":"page_size"}}]}"#,
    )
    .await;
    assert!(
        matches!(
            err,
            Error::Rejected {
                status: StatusCode::BAD_REQUEST,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        text(&err),
        "Ensure this value is less than or equal to 500. (at page_size)"
    );
    assert!(!err.is_transient());
}

#[tokio::test]
async fn kitchen_unauthenticated_and_invalid() {
    let err = unexpected("kitchen", 401, r#"{"message":"Unauthenticated."}"#).await;
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "kitchen op: unauthorized (401): Unauthenticated."
    );

    let err = unexpected(
        "kitchen",
        422,
        r#"{"message":"The selected state is invalid.","errors":{"state":["The selected state is invalid."]}}"#,
    )
    .await;
    assert!(matches!(err, Error::Rejected { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(
        text(&err),
        "The selected state is invalid. (state: The selected state is invalid.)"
    );
}

#[tokio::test]
async fn coinbase_forbidden() {
    let err = unexpected(
        "coinbase-business",
        403,
        r#"{"errorType":"forbidden","errorMessage":"API key lacks the invoicing scope","correlationId":"9f1c-42","errorLink":"https://docs.cdp.coinbase.com/api-reference/v2/errors#forbidden"}"#,
    )
    .await;
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    let message = err.api_message().unwrap();
    assert_eq!(message.text, "API key lacks the invoicing scope");
    assert_eq!(message.code.as_deref(), Some("forbidden"));
    assert_eq!(message.request_id.as_deref(), Some("9f1c-42"));
    assert_eq!(
        message.link.as_deref(),
        Some("https://docs.cdp.coinbase.com/api-reference/v2/errors#forbidden")
    );
}

/// Coinbase's documented error schema as a generated client types it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CoinbaseError {
    error_type: String,
    error_message: String,
    correlation_id: Option<String>,
    error_link: Option<String>,
}

#[tokio::test]
async fn coinbase_documented_rate_limit_keeps_its_message_and_retry_after() {
    let response = response(
        429,
        r#"{"errorType":"rate_limit_exceeded","errorMessage":"Too many requests","correlationId":"c-1"}"#,
        &[("retry-after", "30"), ("x-invoicing-attempts", "4")],
    )
    .await;
    // What progenitor does with a documented error status.
    let status = response.status();
    let headers = response.headers().clone();
    let body: CoinbaseError = response.json().await.unwrap();
    let value = ResponseValue::new(body, status, headers);

    let err = Error::from_progenitor(
        origin("coinbase-business", "listInvoices"),
        P::ErrorResponse(value),
    )
    .await;
    match &err {
        Error::RateLimited {
            retry_after,
            attempts,
            message,
            ..
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(30)));
            assert_eq!(*attempts, 4);
            assert_eq!(message.as_ref().unwrap().text, "Too many requests");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.is_transient());
    assert_eq!(
        err.to_string(),
        "coinbase-business listInvoices: rate limited (429) after 4 attempt(s), retry after 30s: \
         Too many requests [rate_limit_exceeded] (request c-1)"
    );

    // Without a serializable body only status and headers are used.
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "5".parse().unwrap());
    let value = ResponseValue::new((), StatusCode::TOO_MANY_REQUESTS, headers);
    let err = Error::from_progenitor(
        origin("coinbase-business", "listInvoices"),
        P::ErrorResponse(value),
    )
    .await;
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), attempts: 1, message: None, .. } if d == Duration::from_secs(5)),
        "{err:?}"
    );
}

#[tokio::test]
async fn server_error_with_an_html_body_has_no_vendor_message() {
    let err = unexpected(
        "sendcloud-v3",
        500,
        "<html><body>Internal Server Error</body></html>",
    )
    .await;
    assert!(
        matches!(
            err,
            Error::Server {
                attempts: 1,
                message: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Only decoding matters.
struct Invoice {
    id: i64,
}

#[tokio::test]
async fn a_body_that_does_not_match_the_spec_is_quoted() {
    let long_tail = "x".repeat(5000);
    let body = format!(r#"{{"id":"in_123","note":"{long_tail}"}}"#);
    let response = response(200, &body, &[]).await;
    let err = ResponseValue::<Invoice>::from_response::<()>(response)
        .await
        .map(|_| ())
        .unwrap_err();
    let err = Error::from_progenitor(origin("kitchen", "getInvoice"), err).await;
    match &err {
        Error::InvalidResponse {
            detail, excerpt, ..
        } => {
            assert!(detail.contains("invalid type"), "{detail}");
            assert!(excerpt.starts_with(r#"{"id":"in_123""#), "{excerpt}");
            assert!(excerpt.len() <= 1024 + 3, "{}", excerpt.len());
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("kitchen getInvoice: invalid response: invalid type")
    );
}

#[tokio::test]
async fn an_undocumented_success_status_is_an_invalid_response() {
    let err = unexpected("kitchen", 202, r#"{"queued":true}"#).await;
    match &err {
        Error::InvalidResponse {
            status, excerpt, ..
        } => {
            assert_eq!(*status, Some(StatusCode::ACCEPTED));
            assert_eq!(excerpt, r#"{"queued":true}"#);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn other_generated_client_errors() {
    // A hook of the caller's own may still raise `Custom`.
    let err = Error::from_progenitor(
        origin("kitchen", "list"),
        P::<()>::Custom("the cache is closed".into()),
    )
    .await;
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert_eq!(err.to_string(), "kitchen list: the cache is closed");

    let err = Error::from_progenitor(
        origin("kitchen", "list"),
        P::<()>::InvalidRequest("bad header".into()),
    )
    .await;
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");

    // Port 9 (discard) is closed on the loopback interface of test machines.
    let refused = reqwest::get("http://127.0.0.1:9/").await.unwrap_err();
    let err = Error::from_progenitor(
        origin("kitchen", "list"),
        P::<()>::CommunicationError(refused),
    )
    .await;
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
    assert!(err.is_transient());
}

#[tokio::test]
async fn an_error_placed_on_a_page_says_so() {
    let err = unexpected("kitchen", 500, "").await.on_page("page 3");
    assert_eq!(
        err.to_string(),
        "kitchen op (page 3): server error (500 Internal Server Error) after 1 attempt(s)"
    );
    assert_eq!(err.origin().page(), Some("page 3"));
}

#[test]
fn api_message_is_public_for_callers_with_their_own_bodies() {
    let message = ApiMessage::from_body(br#"{"detail":"Not found."}"#).unwrap();
    assert_eq!(message.to_string(), "Not found.");
}
