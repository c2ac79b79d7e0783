//! Writes and retries: a write with an idempotency key is retried like a
//! read, with the same key on every attempt; one without is retried only
//! when it certainly was not sent.

use invoicing_runtime::test_util::{FaultServer, Step, quick_retries, response};
use invoicing_runtime::{Auth, ClientContext, Error, ProviderId};

fn context() -> ClientContext {
    ClientContext::new(
        ProviderId::new("acme"),
        Auth::bearer("idempotency-test-key"),
    )
    .with_retry(quick_retries(3))
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

async fn create(context: &ClientContext, uri: &str, key: Option<&str>) -> Result<u16, Error> {
    let client = reqwest::Client::new();
    let mut request = client
        .post(format!("{uri}/invoices"))
        .body(r#"{"amount":"1.00"}"#);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = context
        .send(&client, request.build().unwrap(), "create_invoice")
        .await?;
    Ok(response.status().as_u16())
}

fn keys(server: &FaultServer) -> Vec<String> {
    server
        .heads()
        .iter()
        .map(|head| {
            head.lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("idempotency-key: ")
                        .map(str::to_owned)
                })
                .expect("a key on every attempt")
        })
        .collect()
}

#[tokio::test]
async fn a_write_with_a_key_is_retried_with_the_same_key() {
    let server = reset_after_reading().await;
    let context = context().with_idempotency_key_header("Idempotency-Key");
    assert_eq!(create(&context, &server.uri(), None).await.unwrap(), 201);
    assert_eq!(server.requests(), 2);
    let keys = keys(&server);
    assert_eq!(keys[0], keys[1]);
    assert!(uuid::Uuid::parse_str(&keys[0]).is_ok(), "{keys:?}");

    // A second call has a key of its own.
    let again = reset_after_reading().await;
    create(&context, &again.uri(), None).await.unwrap();
    assert_ne!(self::keys(&again)[0], keys[0]);
}

#[tokio::test]
async fn the_callers_own_key_is_kept() {
    let server = reset_after_reading().await;
    let context = context().with_idempotency_key_header("Idempotency-Key");
    create(&context, &server.uri(), Some("caller-key-1"))
        .await
        .unwrap();
    assert_eq!(keys(&server), ["caller-key-1", "caller-key-1"]);
}

#[tokio::test]
async fn a_write_without_a_key_that_reached_the_server_is_not_retried() {
    let server = reset_after_reading().await;
    let err = create(&context(), &server.uri(), None).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
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
}
