//! OAuth2 client credentials under load and failure: one token fetch shared
//! by concurrent callers, structured token errors, a short failure pause.

use std::time::{Duration, Instant};

use futures::future::join_all;
use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{
    Auth, ClientContext, Error, Limits, Phase, ProviderId, RetryPolicy, TokenPolicy,
};
use reqwest::StatusCode;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SENDCLOUD: ProviderId = ProviderId::new("sendcloud-v3");

fn oauth2(server: &MockServer) -> Auth {
    Auth::oauth2_client_credentials(
        &format!("{}/oauth2/token/", server.uri()),
        "client-id-for-load",
        "client-secret-for-load",
        Some("api"),
    )
    .unwrap()
}

/// A token endpoint answering `template`, and an API answering 200.
async fn servers(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .respond_with(template)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    server
}

fn token(access_token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 3600,
    }))
}

/// (token fetches, API requests) the server received.
async fn counts(server: &MockServer) -> (usize, usize) {
    let requests = server.received_requests().await.unwrap();
    let fetches = requests
        .iter()
        .filter(|r| r.url.path() == "/oauth2/token/")
        .count();
    (fetches, requests.len() - fetches)
}

/// `callers` concurrent GETs through `context`.
async fn concurrent(
    context: &ClientContext,
    server: &MockServer,
    callers: usize,
) -> Vec<Result<reqwest::Response, Error>> {
    let client = invoicing_runtime::http_client();
    let url = format!("{}/invoices", server.uri());
    join_all((0..callers).map(|_| {
        let request = client.get(&url).build().unwrap();
        context.send(&client, request, "list_invoices")
    }))
    .await
}

/// One GET through `context`.
async fn one_call(
    context: &ClientContext,
    server: &MockServer,
) -> Result<reqwest::Response, Error> {
    concurrent(context, server, 1).await.remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_callers_share_one_token_fetch() {
    let server =
        servers(token("access-token-shared-by-all").set_delay(Duration::from_millis(200))).await;
    let context = ClientContext::new(SENDCLOUD, oauth2(&server));
    let started = Instant::now();
    let results = concurrent(&context, &server, 50).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(r) if r.status() == 200))
    );
    assert_eq!(counts(&server).await, (1, 50));
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .filter(|r| r.url.path() == "/invoices")
            .all(|r| r.headers["authorization"] == "Bearer access-token-shared-by-all")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_token_endpoint_costs_each_caller_one_timeout() {
    let server = servers(token("never-arrives").set_delay(Duration::from_secs(30))).await;
    let context = ClientContext::new(SENDCLOUD, oauth2(&server))
        .with_retry(RetryPolicy::never())
        .with_limits(Limits {
            attempt_timeout: Duration::from_millis(300),
            ..Limits::default()
        });
    let started = Instant::now();
    let results = concurrent(&context, &server, 3).await;
    let elapsed = started.elapsed();
    // Bounded by the attempt timeout, not the endpoint's 30 s stall. That
    // the callers shared one fetch instead of taking turns (3 x 300 ms) is
    // shown by the single token request counted below: a bound tight enough
    // to tell 300 ms from 900 ms would fail on a loaded machine.
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    for result in &results {
        let err = result.as_ref().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Timeout {
                    phase: Phase::Credentials,
                    attempts: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .ends_with("waiting for an access token (1 attempt(s))"),
            "{err}"
        );
    }
    assert_eq!(counts(&server).await, (1, 0));
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_transient_error_with_its_status() {
    let server = servers(
        ResponseTemplate::new(503)
            .set_body_json(serde_json::json!({"error": "temporarily_unavailable"})),
    )
    .await;
    let context = ClientContext::new(SENDCLOUD, oauth2(&server)).with_retry(RetryPolicy::never());
    let results = concurrent(&context, &server, 10).await;
    for result in &results {
        let err = result.as_ref().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Token {
                    transient: true,
                    status: Some(StatusCode::SERVICE_UNAVAILABLE),
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.is_transient());
        assert!(
            err.to_string().starts_with(
                "sendcloud-v3 list_invoices: no OAuth2 access token: the token endpoint failed \
                 (503 Service Unavailable): temporarily_unavailable"
            ),
            "{err}"
        );
    }
    // One fetch for all ten: they shared it, or got its failure in the pause.
    assert_eq!(counts(&server).await, (1, 0));

    // A caller that retries meets the remembered failure instead of the
    // endpoint.
    let retrying = ClientContext::new(SENDCLOUD, oauth2(&server)).with_retry(quick_retries(3));
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = one_call(&retrying, &server).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Token {
                transient: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(counts(&server).await, (1, 0));
}

#[tokio::test]
async fn the_failure_pause_ends_and_a_token_is_fetched_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(token("access-token-after-the-pause"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let context = ClientContext::new(SENDCLOUD, oauth2(&server)).with_retry(RetryPolicy::never());
    let err = one_call(&context, &server).await.unwrap_err();
    assert!(matches!(
        err,
        Error::Token {
            status: Some(StatusCode::INTERNAL_SERVER_ERROR),
            ..
        }
    ));
    let err = one_call(&context, &server).await.unwrap_err();
    match err {
        Error::Token {
            retry_after: Some(wait),
            ..
        } => {
            assert!(wait <= Duration::from_secs(1), "{wait:?}");
        }
        other => panic!("the failure is given again during the pause: {other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = one_call(&context, &server).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(counts(&server).await, (2, 1));
}

#[tokio::test]
async fn refused_client_credentials_are_not_retried() {
    let server = servers(ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "error": "invalid_client",
        "error_description": "Client authentication failed.",
    })))
    .await;
    let context = ClientContext::new(SENDCLOUD, oauth2(&server)).with_retry(quick_retries(4));
    let err = one_call(&context, &server).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Token {
                transient: false,
                status: Some(StatusCode::UNAUTHORIZED),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.api_message().unwrap().code.as_deref(),
        Some("invalid_client")
    );
    assert_eq!(counts(&server).await, (1, 0));
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_transient() {
    let auth = Auth::oauth2_client_credentials(
        // Port 9 (discard) is closed on the loopback interface of test machines.
        "http://127.0.0.1:9/oauth2/token/",
        "client-id-for-load",
        "client-secret-for-load",
        None,
    )
    .unwrap();
    let api = servers(token("unused")).await;
    let context = ClientContext::new(SENDCLOUD, auth).with_retry(RetryPolicy::never());
    let err = one_call(&context, &api).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Token {
                transient: true,
                status: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("no OAuth2 access token: the token endpoint could not be reached"),
        "{err}"
    );
}

#[tokio::test]
async fn a_token_policy_changes_the_lifetime_and_the_pause() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "short-lived-access-token",
            "expires_in": 0,
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // No pause after a failure, no minimum lifetime: the endpoint is asked
    // again at once, and `expires_in: 0` is taken at its word.
    let auth = oauth2(&server).with_token_policy(TokenPolicy {
        min_lifetime: Duration::ZERO,
        failure_pause: Duration::ZERO,
        ..TokenPolicy::default()
    });
    let context = ClientContext::new(SENDCLOUD, auth).with_retry(RetryPolicy::never());
    let err = one_call(&context, &server).await.unwrap_err();
    assert!(matches!(err, Error::Token { .. }), "{err:?}");
    for _ in 0..3 {
        assert_eq!(one_call(&context, &server).await.unwrap().status(), 200);
    }
    assert_eq!(counts(&server).await, (4, 3));
}

/// An OpenAPI `tokenUrl` may be relative to the server (PayPal's
/// `/v1/oauth2/token`): the token comes from the server the request goes
/// to, whichever that is.
#[tokio::test]
async fn a_token_url_that_is_a_path_is_on_the_request_s_server() {
    let server = servers(token("token-from-the-api-server")).await;
    let auth = Auth::oauth2_client_credentials("/oauth2/token/", "id", "secret", None).unwrap();
    let context = ClientContext::new(SENDCLOUD, auth);
    let response = one_call(&context, &server).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(counts(&server).await, (1, 1));
    let requests = server.received_requests().await.unwrap();
    let api = requests
        .iter()
        .find(|r| r.url.path() == "/invoices")
        .unwrap();
    assert_eq!(
        api.headers["authorization"],
        "Bearer token-from-the-api-server"
    );
}

#[test]
fn a_token_url_is_an_absolute_url_or_a_path() {
    for bad in ["oauth2/token", "//other.example/token", ""] {
        let err = Auth::oauth2_client_credentials(bad, "id", "secret", None).unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{bad:?}: {err:?}");
    }
    Auth::oauth2_client_credentials("https://auth.example/token", "id", "secret", None).unwrap();
    Auth::oauth2_client_credentials("/v1/oauth2/token", "id", "secret", None).unwrap();
}
