//! One test per transport fault, each against a raw local server that plays
//! it byte by byte, through the real send loop. Every test is bounded in
//! time (an upper bound on elapsed time) and in requests.

use std::time::{Duration, Instant};

use invoicing_runtime::test_util::{FaultServer, Step, quick_retries, response, response_head};
use invoicing_runtime::{Auth, ClientContext, Error, Limits, Origin, Phase, ProviderId};

const KITCHEN: ProviderId = ProviderId::new("kitchen");
const KEY: &str = "kitchen-fault-test-key";
const PAGE: &[u8] =
    br#"{"data": [{"id": "in_1"}, {"id": "in_2"}, {"id": "in_3"}], "meta": {"last_page": 1}}"#;

fn context(max_attempts: u32, limits: Limits) -> ClientContext {
    ClientContext::new(KITCHEN, Auth::bearer(KEY))
        .with_retry(quick_retries(max_attempts))
        .with_limits(limits)
}

/// Fails if the error's text holds the key the requests carried.
fn assert_secret_free(err: &Error) {
    let text = format!("{err} {err:?}");
    assert!(!text.contains(KEY), "{text}");
}

/// Fails if more than `limit` passed since `started`.
fn assert_within(started: Instant, limit: Duration) {
    let elapsed = started.elapsed();
    assert!(elapsed < limit, "took {elapsed:?}, more than {limit:?}");
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

async fn get(context: &ClientContext, server: &FaultServer) -> Result<reqwest::Response, Error> {
    let client = invoicing_runtime::http_client();
    let request = client
        .get(format!("{}/invoices", server.uri()))
        .build()
        .unwrap();
    context.send(&client, request, "list_invoices").await
}

/// The first `cut` bytes of a page that declares its whole length.
fn page_cut_at(cut: usize) -> Vec<u8> {
    let mut bytes = response_head(200, &[("content-length", &PAGE.len().to_string())]);
    bytes.extend_from_slice(&PAGE[..cut]);
    bytes
}

fn whole_page() -> Vec<Step> {
    vec![Step::Send(response(200, &[], PAGE))]
}

#[tokio::test]
async fn a_reset_mid_body_is_retried_and_the_page_arrives_whole() {
    let server = FaultServer::start(|n, _| match n {
        0 => vec![
            Step::Send(page_cut_at(20)),
            Step::Pause(ms(20)),
            Step::Reset,
        ],
        _ => whole_page(),
    })
    .await;
    let started = Instant::now();
    let response = get(&context(3, Limits::default()), &server).await.unwrap();
    assert_within(started, Duration::from_secs(2));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-invoicing-attempts"], "2");
    assert_eq!(response.bytes().await.unwrap(), PAGE);
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_retried_then_reported() {
    // Every answer declares the whole page and ends after 10 bytes.
    let server = FaultServer::start(|_, _| vec![Step::Send(page_cut_at(10))]).await;
    let started = Instant::now();
    let err = get(&context(3, Limits::default()), &server)
        .await
        .unwrap_err();
    assert_secret_free(&err);
    assert_within(started, Duration::from_secs(2));
    assert_eq!(server.requests(), 3);
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    let text = err.to_string();
    assert!(
        text.starts_with("kitchen list_invoices: transport error after 3 attempt(s): "),
        "{text}"
    );
}

#[tokio::test]
async fn a_stalled_body_times_out_and_is_retried() {
    let server = FaultServer::start(|n, _| match n {
        0 => vec![
            Step::Send(page_cut_at(30)),
            Step::Pause(Duration::from_secs(30)),
        ],
        _ => whole_page(),
    })
    .await;
    let limits = Limits {
        attempt_timeout: ms(300),
        ..Limits::default()
    };
    let started = Instant::now();
    let response = get(&context(3, limits), &server).await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= ms(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(response.bytes().await.unwrap(), PAGE);
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_body_that_always_stalls_says_it_timed_out_reading_the_body() {
    let server = FaultServer::start(|_, _| {
        vec![
            Step::Send(page_cut_at(30)),
            Step::Pause(Duration::from_secs(30)),
        ]
    })
    .await;
    let limits = Limits {
        attempt_timeout: ms(200),
        ..Limits::default()
    };
    let started = Instant::now();
    let err = get(&context(2, limits), &server).await.unwrap_err();
    assert_secret_free(&err);
    assert_within(started, Duration::from_secs(2));
    assert!(
        matches!(
            err,
            Error::Timeout {
                phase: Phase::Body,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("kitchen list_invoices: timed out after ")
            && text.ends_with(" reading the response body (2 attempt(s))"),
        "{text}"
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_silent_server_costs_at_most_the_deadline() {
    let server = FaultServer::start(|_, _| vec![Step::Pause(Duration::from_secs(60))]).await;
    let limits = Limits {
        attempt_timeout: ms(300),
        deadline: ms(800),
        ..Limits::default()
    };
    let started = Instant::now();
    let err = get(&context(4, limits), &server).await.unwrap_err();
    assert_secret_free(&err);
    let elapsed = started.elapsed();
    // At the deadline, not 4 x 300 ms plus backoff (or the server's 60 s);
    // the upper bound leaves room for a loaded machine.
    assert!(elapsed >= ms(800) && elapsed < ms(3000), "{elapsed:?}");
    let Error::Timeout {
        phase, attempts, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(*phase, Phase::Response);
    // 300 ms, 300 ms, then what is left of the 800 ms.
    assert_eq!(*attempts, 3);
    assert_eq!(server.requests(), 3);
    assert!(err.is_transient());
    assert!(
        err.to_string().contains("timed out after ")
            && err
                .to_string()
                .contains("waiting for the response (3 attempt(s))"),
        "{err}"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_ends_the_operation_at_once() {
    let server =
        FaultServer::start(|_, _| vec![Step::Send(response(503, &[("retry-after", "30")], b"{}"))])
            .await;
    let limits = Limits {
        deadline: Duration::from_secs(5),
        ..Limits::default()
    };
    let context = ClientContext::new(KITCHEN, Auth::none())
        .with_retry(invoicing_runtime::RetryPolicy::default())
        .with_limits(limits);
    let started = Instant::now();
    let response = get(&context, &server).await.unwrap();
    // Not the 30 s the server asked for: the deadline is 5 s.
    assert_within(started, Duration::from_secs(3));
    assert_eq!(response.status(), 503);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_body_declared_over_the_limit_is_not_read() {
    let server = FaultServer::start(|_, _| {
        vec![
            Step::Send(response_head(200, &[("content-length", "268435456")])),
            Step::Stream { total: 256 << 20 },
        ]
    })
    .await;
    let limits = Limits {
        max_body_bytes: 1 << 20,
        ..Limits::default()
    };
    let started = Instant::now();
    let err = get(&context(3, limits), &server).await.unwrap_err();
    assert_secret_free(&err);
    assert_within(started, Duration::from_secs(2));
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 1_048_576,
                declared: Some(268_435_456),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_transient());
    assert_eq!(
        server.requests(),
        1,
        "a body too large is not asked for again"
    );
    assert_eq!(
        err.to_string(),
        "kitchen list_invoices: the response body (200 OK) is larger than the limit of \
         1048576 bytes (it declares 268435456); it was not read further"
    );
}

#[tokio::test]
async fn a_body_without_a_length_is_read_up_to_the_limit_only() {
    let server = FaultServer::start(|_, _| {
        vec![
            Step::Send(response_head(200, &[])),
            Step::Stream { total: 64 << 20 },
        ]
    })
    .await;
    let limits = Limits {
        max_body_bytes: 1 << 20,
        ..Limits::default()
    };
    let started = Instant::now();
    let err = get(&context(3, limits), &server).await.unwrap_err();
    assert_secret_free(&err);
    assert_within(started, Duration::from_secs(3));
    assert!(
        matches!(err, Error::BodyTooLarge { declared: None, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_huge_vendor_message_is_cut_to_about_a_kibibyte() {
    let body = format!(
        r#"{{"message": "{}", "errors": {{"state": ["{}"]}}}}"#,
        "é".repeat(50_000),
        "x".repeat(50_000)
    );
    let server =
        FaultServer::start(move |_, _| vec![Step::Send(response(422, &[], body.as_bytes()))]).await;
    let response = get(&context(3, Limits::default()), &server).await.unwrap();
    let origin = Origin::new(KITCHEN, Some("list_invoices"));
    let err = Error::from_progenitor(
        origin,
        progenitor_client::Error::<()>::UnexpectedResponse(response),
    )
    .await;
    assert_secret_free(&err);
    let text = err.to_string();
    assert!(text.len() < 1200, "{}", text.len());
    assert!(
        text.starts_with("kitchen list_invoices: request rejected (422 Unprocessable Entity): éé"),
        "{text}"
    );
    assert!(text.ends_with('…'), "{text}");
    assert!(format!("{err:?}").len() < 1500);
}

#[tokio::test]
async fn an_undecodable_page_is_quoted_for_about_a_kibibyte() {
    let body = format!(r#"{{"data": [{{"id": "{}"}}]}}"#, "7".repeat(200_000));
    let server =
        FaultServer::start(move |_, _| vec![Step::Send(response(200, &[], body.as_bytes()))]).await;
    let response = get(&context(1, Limits::default()), &server).await.unwrap();

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // Only decoding matters.
    struct Page {
        data: Vec<Item>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u64,
    }
    let err = invoicing_runtime::decode_response::<Page, ()>(response)
        .await
        .unwrap_err();
    // What a user of one generated crate sees, untouched.
    let shown = format!("{err} {err:?}");
    assert!(shown.len() < 6000, "{}", shown.len());
    assert!(
        shown.contains("at `data[0].id`: invalid type: string"),
        "{shown}"
    );
    let err = Error::from_progenitor(Origin::new(KITCHEN, Some("list_invoices")), err).await;
    let text = err.to_string();
    assert!(text.len() < 3000, "{}", text.len());
    assert!(
        text.starts_with("kitchen list_invoices: invalid response: at `data[0].id`: "),
        "{text}"
    );
}

#[tokio::test]
async fn a_retry_after_a_reset_reuses_the_oauth2_token() {
    let token = br#"{"access_token": "fault-test-access-token", "expires_in": 3600}"#;
    let server = FaultServer::start(move |_, head| {
        if head.starts_with("POST /token") {
            vec![Step::Send(response(200, &[], token))]
        } else {
            vec![Step::Send(page_cut_at(15)), Step::Reset]
        }
    })
    .await;
    let auth = Auth::oauth2_client_credentials(
        &format!("{}/token", server.uri()),
        "fault-client-id",
        "fault-client-secret",
        None,
    )
    .unwrap();
    let context = ClientContext::new(KITCHEN, auth).with_retry(quick_retries(3));
    let client = invoicing_runtime::http_client();
    let started = Instant::now();
    // Three attempts, every one cut: one token serves them all.
    let request = client
        .get(format!("{}/invoices", server.uri()))
        .build()
        .unwrap();
    let err = context
        .send(&client, request, "list_invoices")
        .await
        .unwrap_err();
    assert_within(started, Duration::from_secs(2));
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    let heads = server.heads();
    let fetches = heads
        .iter()
        .filter(|h| h.starts_with("POST /token"))
        .count();
    assert_eq!((fetches, heads.len() - fetches), (1, 3));
    assert!(heads.iter().filter(|h| h.starts_with("GET")).all(|h| {
        h.to_ascii_lowercase()
            .contains("authorization: bearer fault-test-access-token")
    }));
    let text = format!("{err} {err:?}");
    assert!(!text.contains("fault-test-access-token") && !text.contains("fault-client-secret"));
}
