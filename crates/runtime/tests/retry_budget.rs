//! The retry budget shared by a client's requests: a failing local server
//! and many concurrent callers see a bounded number of retries.

use std::time::Duration;

use futures::future::join_all;
use invoicing_runtime::test_util::{quick_retries, serve};
use invoicing_runtime::{Auth, ClientContext, Error, Limits, ProviderId, RetryBudget};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn context(capacity: u32) -> ClientContext {
    ClientContext::new(ProviderId::new("acme"), Auth::none())
        .with_retry(quick_retries(4))
        .with_retry_budget(RetryBudget {
            capacity,
            ..RetryBudget::default()
        })
}

async fn get(
    context: &ClientContext,
    client: &reqwest::Client,
    url: &str,
) -> Result<reqwest::Response, Error> {
    let request = client.get(url).build().unwrap();
    context.send(client, request, "list_invoices").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_callers_of_a_failing_vendor_share_one_bounded_budget() {
    const CALLERS: usize = 40;
    let server = MockServer::start().await;
    serve(&server, 503, "{}").await;
    // 50 tokens at 5 a retry: 10 retries for the whole client, where the
    // policy alone would allow 3 for each of the 40 callers (160 requests).
    let context = context(50);
    let client = reqwest::Client::new();
    let uri = server.uri();
    let responses = join_all((0..CALLERS).map(|_| {
        let (context, client, uri) = (context.clone(), client.clone(), uri.clone());
        tokio::spawn(async move { get(&context, &client, &uri).await })
    }))
    .await;
    let attempts: usize = responses
        .into_iter()
        .map(|joined| {
            let response = joined.unwrap().unwrap();
            assert_eq!(response.status(), 503);
            response.headers()["x-invoicing-attempts"]
                .to_str()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    let received = server.received_requests().await.unwrap().len();
    assert_eq!(received, CALLERS + 10);
    assert_eq!(attempts, received);
    assert_eq!(context.retry_tokens(), 0);
}

#[tokio::test]
async fn successes_refill_the_budget_and_retries_resume() {
    let failing = MockServer::start().await;
    serve(&failing, 500, "{}").await;
    let healthy = MockServer::start().await;
    serve(&healthy, 200, "{}").await;
    let context = context(5);
    let client = reqwest::Client::new();
    // One retry empties the bucket; the next failure is not retried.
    let first = get(&context, &client, &failing.uri()).await.unwrap();
    assert_eq!(first.headers()["x-invoicing-attempts"], "2");
    let second = get(&context, &client, &failing.uri()).await.unwrap();
    assert_eq!(second.headers()["x-invoicing-attempts"], "1");
    // Five successes put back the price of one retry.
    for _ in 0..5 {
        get(&context, &client, &healthy.uri()).await.unwrap();
    }
    assert_eq!(context.retry_tokens(), 5);
    let third = get(&context, &client, &failing.uri()).await.unwrap();
    assert_eq!(third.headers()["x-invoicing-attempts"], "2");
    assert_eq!(failing.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn a_retry_after_a_timeout_costs_more() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    // 20 tokens pay two retries after timeouts (10 each), not a third.
    let context = context(20).with_limits(Limits {
        attempt_timeout: Duration::from_millis(100),
        ..Limits::default()
    });
    let client = reqwest::Client::new();
    let err = get(&context, &client, &server.uri()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 3, .. }), "{err:?}");
    assert_eq!(context.retry_tokens(), 0);
}

#[tokio::test]
async fn clones_share_the_budget_and_a_new_context_has_its_own() {
    let server = MockServer::start().await;
    serve(&server, 502, "{}").await;
    let context = context(10);
    let clone = context.clone();
    let client = reqwest::Client::new();
    get(&clone, &client, &server.uri()).await.unwrap();
    assert_eq!(
        context.retry_tokens(),
        0,
        "the clone spent the shared tokens"
    );
    let other = ClientContext::new(ProviderId::new("acme"), Auth::none());
    assert_eq!(other.retry_tokens(), RetryBudget::default().capacity);
}
