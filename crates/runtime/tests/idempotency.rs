//! Writes and retries: a write whose operation takes an idempotency key is
//! retried like a read, with the same key on every attempt (in a header or
//! in the JSON body); any other write is retried only when it certainly was
//! not sent, and its error says why it was not retried otherwise.

use invoicing_runtime::test_util::{FaultServer, Step, quick_retries, response};
use invoicing_runtime::{Auth, ClientContext, Error, IdempotencyKey, NotRetried, ProviderId};

const CREATE: &str = "create_invoice";

fn context() -> ClientContext {
    ClientContext::new(
        ProviderId::new("acme"),
        Auth::bearer("idempotency-test-key"),
    )
    .with_retry(quick_retries(3))
}

fn keyed_header() -> ClientContext {
    context().with_idempotency_key(CREATE, IdempotencyKey::Header("Idempotency-Key"))
}

fn keyed_body() -> ClientContext {
    context().with_idempotency_key(CREATE, IdempotencyKey::BodyField("idempotency_key"))
}

/// A server that resets the first connection after reading its request
/// whole, and creates the invoice on the next.
async fn reset_after_reading() -> FaultServer {
    FaultServer::start(|n, _| match n {
        0 => vec![Step::Reset],
        _ => vec![Step::Send(response(201, &[], br#"{"id":"in_1"}"#))],
    })
    .await
}

/// One call of `operation`: a POST of `body`, with `key` in the
/// `Idempotency-Key` header when given.
async fn post(
    context: &ClientContext,
    uri: &str,
    operation: &'static str,
    body: &str,
    key: Option<&str>,
) -> Result<u16, Error> {
    let client = reqwest::Client::new();
    let mut request = client
        .post(format!("{uri}/invoices"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = context
        .send(&client, request.build().unwrap(), operation)
        .await?;
    Ok(response.status().as_u16())
}

async fn create(context: &ClientContext, uri: &str, key: Option<&str>) -> Result<u16, Error> {
    post(context, uri, CREATE, r#"{"amount":"1.00"}"#, key).await
}

/// The `Idempotency-Key` header of every request the server read.
fn keys(server: &FaultServer) -> Vec<Option<String>> {
    server
        .heads()
        .iter()
        .map(|head| {
            head.lines().find_map(|line| {
                line.to_ascii_lowercase()
                    .strip_prefix("idempotency-key: ")
                    .map(str::to_owned)
            })
        })
        .collect()
}

/// The body member `idempotency_key` of every request the server read.
fn body_keys(server: &FaultServer) -> Vec<String> {
    server
        .bodies()
        .iter()
        .map(|body| {
            let body: serde_json::Value = serde_json::from_slice(body).expect("a JSON body");
            assert_eq!(body["amount"], "1.00", "the rest of the body is kept");
            body["idempotency_key"]
                .as_str()
                .expect("a key in every body")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_write_with_a_header_key_is_retried_with_the_same_key() {
    let server = reset_after_reading().await;
    let context = keyed_header();
    assert_eq!(create(&context, &server.uri(), None).await.unwrap(), 201);
    assert_eq!(server.requests(), 2);
    let keys = keys(&server);
    let first = keys[0].clone().expect("a key on the first attempt");
    assert_eq!(keys[1].as_ref(), Some(&first));
    assert!(uuid::Uuid::parse_str(&first).is_ok(), "{keys:?}");

    // A second call has a key of its own.
    let again = reset_after_reading().await;
    create(&context, &again.uri(), None).await.unwrap();
    assert_ne!(self::keys(&again)[0].as_ref(), Some(&first));
}

#[tokio::test]
async fn the_callers_header_key_is_kept() {
    let server = reset_after_reading().await;
    create(&keyed_header(), &server.uri(), Some("caller-key-1"))
        .await
        .unwrap();
    let caller = Some("caller-key-1".to_owned());
    assert_eq!(keys(&server), [caller.clone(), caller]);
}

#[tokio::test]
async fn a_write_without_a_key_that_reached_the_server_is_not_retried() {
    let server = reset_after_reading().await;
    let err = create(&context(), &server.uri(), None).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(err.not_retried_because(), Some(NotRetried::WriteWithoutKey));
    let text = err.to_string();
    assert!(
        text.contains(
            "not retried: the write has no idempotency key and may have reached the server"
        ),
        "{text}"
    );
    assert_eq!(server.requests(), 1);
    assert_eq!(keys(&server), [None]);
}

#[tokio::test]
async fn only_the_declared_operation_gets_a_key() {
    // The context declares `create_invoice`; `send_invoice` takes no key.
    let server = reset_after_reading().await;
    let err = post(&keyed_header(), &server.uri(), "send_invoice", "{}", None)
        .await
        .unwrap_err();
    assert_eq!(err.not_retried_because(), Some(NotRetried::WriteWithoutKey));
    assert_eq!(keys(&server), [None]);
}

#[tokio::test]
async fn a_write_without_a_key_whose_connection_failed_is_retried() {
    // A port nothing listens on: every connection is refused, so nothing
    // was sent and sending again is safe.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = create(&context(), &format!("http://127.0.0.1:{port}"), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(err.not_retried_because(), None);
}

#[tokio::test]
async fn a_body_field_key_is_the_same_on_every_attempt() {
    let server = reset_after_reading().await;
    let context = keyed_body();
    assert_eq!(create(&context, &server.uri(), None).await.unwrap(), 201);
    let keys = body_keys(&server);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
    assert!(uuid::Uuid::parse_str(&keys[0]).is_ok(), "{keys:?}");
    // No header key: the operation takes it in the body.
    assert_eq!(self::keys(&server), [None, None]);

    let again = reset_after_reading().await;
    create(&context, &again.uri(), None).await.unwrap();
    assert_ne!(body_keys(&again)[0], keys[0]);
}

#[tokio::test]
async fn the_callers_body_field_key_is_kept() {
    let server = reset_after_reading().await;
    let body = r#"{"idempotency_key":"caller-key-2","amount":"1.00"}"#;
    assert_eq!(
        post(&keyed_body(), &server.uri(), CREATE, body, None)
            .await
            .unwrap(),
        201
    );
    assert_eq!(body_keys(&server), ["caller-key-2", "caller-key-2"]);
}

#[tokio::test]
async fn a_body_that_cannot_carry_the_key_is_sent_once() {
    // The member is there but `null`: the vendor would get no key, so the
    // write is not safe to repeat.
    let server = reset_after_reading().await;
    let body = r#"{"idempotency_key":null,"amount":"1.00"}"#;
    let err = post(&keyed_body(), &server.uri(), CREATE, body, None)
        .await
        .unwrap_err();
    assert_eq!(err.not_retried_because(), Some(NotRetried::WriteWithoutKey));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_write_without_a_key_is_retried_when_no_token_could_be_had() {
    use invoicing_runtime::TokenPolicy;
    use std::time::Duration;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    // The token endpoint fails once, then gives a token: the first attempt
    // never reached the API, so sending the write again is safe.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "write-test-token",
            "token_type": "Bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/invoices"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let auth = Auth::oauth2_client_credentials(
        &format!("{}/token", server.uri()),
        "write-client",
        "write-secret",
        None,
    )
    .unwrap()
    .with_token_policy(TokenPolicy {
        failure_pause: Duration::ZERO,
        ..TokenPolicy::default()
    });
    let context = ClientContext::new(ProviderId::new("acme"), auth).with_retry(quick_retries(3));
    assert_eq!(create(&context, &server.uri(), None).await.unwrap(), 201);
    let requests = server.received_requests().await.unwrap();
    let writes = requests
        .iter()
        .filter(|r| r.url.path() == "/invoices")
        .count();
    assert_eq!(writes, 1);
}
