//! Read ahead against local servers: the next page is requested while the
//! current one is taken, the request in flight is cancelled with the
//! stream, a consumer slower than the time limits loses nothing, and the
//! facade's `ListQuery::read_ahead` turns it off.

use std::time::Duration;

use crate::paging_support::{KitchenList, kitchen_invoice};
use futures::{StreamExt, TryStreamExt};
use invoices::adapters::Kitchen;
use invoices::{ListQuery, Source};
use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{Auth, Limits};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::time::timeout;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The longest any step of these tests waits for the other side.
const PATIENCE: Duration = Duration::from_secs(10);

fn kitchen_client(base_url: &str, limits: Limits) -> kitchen::Client {
    let context = kitchen::context(Auth::bearer("key"))
        .with_retry(quick_retries(2))
        .with_limits(limits);
    kitchen::Client::new_with_client(base_url, invoicing_runtime::http_client(), context)
}

/// A Kitchen page body: invoices `ids`, page `page` of `last`.
fn kitchen_page(ids: &[&str], page: usize, last: usize) -> String {
    let data: Vec<_> = ids.iter().map(|id| kitchen_invoice(id)).collect();
    json!({"data": data, "meta": {"current_page": page, "last_page": last}}).to_string()
}

/// Waits, bounded, for `what` from the server.
async fn expect(events: &mut mpsc::UnboundedReceiver<String>, what: &str) {
    let event = timeout(PATIENCE, events.recv())
        .await
        .unwrap_or_else(|_| panic!("no {what:?} within {PATIENCE:?}"));
    assert_eq!(event.as_deref(), Some(what));
}

#[tokio::test]
async fn dropping_the_stream_cancels_the_request_read_ahead() {
    // Page 1 is answered on a connection kept alive (as vendors do), so
    // the request for page 2 goes out on it at once; that request is held
    // open, and the server reports when the client closes the connection.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let (events, mut seen) = mpsc::unbounded_channel();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = [0u8; 4096];
        let mut head = Vec::new();
        loop {
            let read = timeout(PATIENCE, socket.read(&mut buffer)).await;
            let n = match read {
                Ok(Ok(n)) if n > 0 => n,
                Ok(_) => return events.send("closed".to_owned()).unwrap(),
                Err(_) => return events.send("still open".to_owned()).unwrap(),
            };
            head.extend_from_slice(&buffer[..n]);
            if !head.windows(4).any(|w| w == b"\r\n\r\n") {
                continue;
            }
            let text = String::from_utf8_lossy(&head).into_owned();
            head.clear();
            if text.contains("&page=2") || text.contains("?page=2") {
                // Held: nothing is sent until the client goes away.
                events.send("page 2 asked".to_owned()).unwrap();
                continue;
            }
            let body = kitchen_page(&["in_2", "in_1"], 1, 3);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(response.as_bytes()).await.unwrap();
        }
    });

    let client = kitchen_client(&base_url, Limits::default());
    let mut stream = client.list_invoices().per_page(2u64).stream();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id, "in_2");
    expect(&mut seen, "page 2 asked").await;
    drop(stream);
    expect(&mut seen, "closed").await;
    server.await.unwrap();
}

#[tokio::test]
async fn a_consumer_slower_than_the_time_limits_loses_nothing() {
    // Page 2 is large, so its body waits for the stream to be polled; the
    // consumer holds page 1 longer than a whole operation may take. The
    // page read ahead runs out of time meanwhile, and is fetched again.
    let server = MockServer::start().await;
    let memo = "x".repeat(4 << 20);
    let mut big = kitchen_invoice("in_1");
    big["memo"] = json!(memo);
    let page_2 = json!({"data": [big], "meta": {"current_page": 2, "last_page": 2}});
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_2))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(kitchen_page(&["in_3", "in_2"], 1, 2), "application/json"),
        )
        .mount(&server)
        .await;
    let limits = Limits {
        attempt_timeout: Duration::from_millis(300),
        deadline: Duration::from_millis(600),
        ..Limits::default()
    };
    let client = kitchen_client(&server.uri(), limits);
    let mut stream = client.list_invoices().per_page(2u64).stream();
    let mut ids = vec![stream.next().await.unwrap().unwrap().id];
    tokio::time::sleep(Duration::from_millis(1500)).await;
    while let Some(invoice) = stream.try_next().await.unwrap() {
        ids.push(invoice.id);
    }
    assert_eq!(ids, ["in_3", "in_2", "in_1"]);
}

#[tokio::test]
async fn the_facade_reads_ahead_unless_the_query_says_not_to() {
    for read_ahead in [true, false] {
        let server = MockServer::start().await;
        let list = KitchenList::new(6, 2);
        list.mount(&server).await;
        let kitchen = Kitchen::with_base_url(&server.uri(), Auth::bearer("key"));
        let query = ListQuery::new().page_size(2).read_ahead(read_ahead);
        let mut stream = kitchen.list(&query);
        let mut ids = Vec::new();
        let mut asked = Vec::new();
        while let Some(invoice) = stream.try_next().await.unwrap() {
            ids.push(invoice.id);
            // Requests the server has answered by the time each invoice
            // comes: with read ahead, the next page is asked for with the
            // first invoice of a page (answered soon after: wait for it,
            // bounded); without, no request may come early (give it time).
            if read_ahead {
                let next = (ids.len().div_ceil(2) + 1).min(3);
                let waited = timeout(PATIENCE, async {
                    while list.requests() < next {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                })
                .await;
                assert!(waited.is_ok(), "page {next} was not read ahead");
            } else {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            asked.push(list.requests());
        }
        assert_eq!(ids, list.ids(), "read ahead {read_ahead}");
        let expected: Vec<usize> = match read_ahead {
            true => vec![2, 2, 3, 3, 3, 3],
            false => vec![1, 1, 2, 2, 3, 3],
        };
        assert_eq!(asked, expected, "read ahead {read_ahead}");
    }
}
