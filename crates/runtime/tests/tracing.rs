//! The runtime's spans and events, captured by a subscriber, for a listing
//! against a hostile server that echoes the credential everywhere it can:
//! what they say, and that no secret is in any name, field or message.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt as _;
use invoicing_runtime::paging::{
    Fetched, Listing, ListingCheckpoint, PagingStyle, Position, Rules,
};
use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{Auth, ClientContext, Error, ProviderId, TokenPolicy};
use serde::Deserialize;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "tracing-test-api-key-5f1c9e";

/// A subscriber that writes every span (name and fields), every field
/// recorded later and every event (level, target, fields) as a line of
/// text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<String>>,
    next_id: Arc<AtomicU64>,
}

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    fn text(&self) -> String {
        self.lines.lock().unwrap().clone()
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Line(&mut line));
        let mut lines = self.lines.lock().unwrap();
        lines.push_str(&line);
        lines.push('\n');
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = "record".to_owned();
        values.record(&mut Line(&mut line));
        let mut lines = self.lines.lock().unwrap();
        lines.push_str(&line);
        lines.push('\n');
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        let mut line = format!("event {} {}", meta.level(), meta.target());
        event.record(&mut Line(&mut line));
        let mut lines = self.lines.lock().unwrap();
        lines.push_str(&line);
        lines.push('\n');
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[derive(Deserialize)]
struct Page {
    items: Vec<serde_json::Value>,
    next: Option<String>,
}

/// A server that fails the first request with a 503 quoting the request's
/// `Authorization`, then serves two pages whose cursor, items and headers
/// all echo it.
async fn hostile_server() -> MockServer {
    let server = MockServer::start().await;
    let sent = AtomicUsize::new(0);
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let authorization = request.headers["authorization"].to_str().unwrap().to_owned();
            let n = sent.fetch_add(1, Ordering::SeqCst);
            let last = request.url.query().is_some();
            let body = match n {
                0 => serde_json::json!({"message": format!("overloaded for {authorization}")}),
                _ if last => serde_json::json!({"items": [{"id": 2}], "next": null}),
                _ => serde_json::json!({"items": [{"id": 1, "note": authorization}], "next": format!("{authorization}-c2")}),
            };
            ResponseTemplate::new(if n == 0 { 503 } else { 200 })
                .insert_header("x-echo", authorization.as_str())
                .insert_header("x-request-id", authorization.as_str())
                .set_body_json(body)
        })
        .mount(&server)
        .await;
    server
}

fn listing(context: ClientContext, base: String) -> Listing<'static, serde_json::Value> {
    let rules = Rules::new(context.provider(), "list_invoices", PagingStyle::Cursor);
    let client = reqwest::Client::new();
    Listing::new(rules, ListingCheckpoint::start(), move |at: Position| {
        let (context, client, base) = (context.clone(), client.clone(), base.clone());
        async move {
            let mut request = client.get(&base);
            if let Position::Cursor(cursor) = &at {
                request = request.query(&[("cursor", cursor)]);
            }
            let response = context
                .send(&client, request.build().unwrap(), "list_invoices")
                .await?;
            let body = response
                .bytes()
                .await
                .map_err(|err| err_of(&rules, &at, &err.to_string()))?;
            let page: Page = rules.decode(&at, &body)?;
            Ok(Fetched::new(page.items).next(Ok(page.next)))
        }
    })
}

fn err_of(rules: &Rules, at: &Position, message: &str) -> Error {
    Error::InvalidResponse {
        origin: rules.origin(at),
        status: None,
        detail: message.to_owned(),
        excerpt: String::new(),
    }
}

#[tokio::test]
async fn a_hostile_listing_is_traced_without_a_secret() {
    let server = hostile_server().await;
    let context = ClientContext::new(ProviderId::new("acme"), Auth::bearer(KEY))
        .with_request_id_header("X-Request-Id")
        .with_retry(quick_retries(3));
    let capture = Capture::default();
    let items: Vec<_> = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        listing(context, server.uri()).collect().await
    };
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items.iter().all(Result::is_ok), "{items:?}");

    let text = capture.text();
    for expected in [
        "span invoicing.page provider=\"acme\" operation=\"list_invoices\" page=first page",
        "span invoicing.operation provider=\"acme\" operation=\"list_invoices\" method=\"GET\"",
        "status=503",
        "message=retrying",
        "reason=status 503",
        "message=attempt answered",
        "status=200",
        "page=cursor \"Bearer [redacted]-c2\"",
        "message=page taken in",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    assert!(!text.contains(KEY), "a secret in the trace:\n{text}");
}

#[tokio::test]
async fn token_fetches_are_traced_without_a_secret() {
    const CLIENT_SECRET: &str = "tracing-client-secret-77aa01";
    const TOKEN: &str = "tracing-access-token-93bd42";
    let token_server = MockServer::start().await;
    let fetches = AtomicUsize::new(0);
    Mock::given(any())
        .respond_with(move |request: &Request| {
            // Echoes what the client sent: its Basic credentials and form.
            let echo = format!(
                "{:?} {}",
                request.headers.get("authorization"),
                String::from_utf8_lossy(&request.body)
            );
            if fetches.fetch_add(1, Ordering::SeqCst) == 0 {
                ResponseTemplate::new(500)
                    .set_body_json(serde_json::json!({"error": "server_error", "error_description": echo}))
            } else {
                ResponseTemplate::new(200).set_body_json(
                    serde_json::json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}),
                )
            }
        })
        .mount(&token_server)
        .await;
    let server = hostile_server().await;
    let auth = Auth::oauth2_client_credentials(
        &format!("{}/token", token_server.uri()),
        "tracing-client-id",
        CLIENT_SECRET,
        None,
    )
    .unwrap()
    .with_token_policy(TokenPolicy {
        failure_pause: Duration::ZERO,
        ..TokenPolicy::default()
    });
    let context = ClientContext::new(ProviderId::new("acme"), auth).with_retry(quick_retries(4));
    let capture = Capture::default();
    let items: Vec<_> = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        listing(context, server.uri()).collect().await
    };
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    let text = capture.text();
    for expected in [
        "message=fetching an OAuth2 access token",
        "message=no OAuth2 access token",
        "reason=no access token",
        "message=OAuth2 access token fetched renew_in_s=",
        // The token endpoint's echo of the client's credentials, scrubbed.
        "[redacted]",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    for secret in [CLIENT_SECRET, TOKEN] {
        assert!(!text.contains(secret), "{secret} in the trace:\n{text}");
    }
}
