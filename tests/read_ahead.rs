//! Read ahead against local servers: the next page is requested while the
//! current one is taken, the request in flight is cancelled with the
//! stream, a consumer slower than the time limits loses nothing, and the
//! facade's `ListQuery::read_ahead` turns it off.

use std::time::Duration;

use crate::paging_support::{KitchenList, kitchen_invoice};
use futures::{StreamExt, TryStreamExt};
use invoicing::adapters::Kitchen;
use invoicing::{ListQuery, Source};
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

fn kitchen_client(base_url: &str, limits: Limits) -> invoicing_kitchen::Client {
    let context = invoicing_kitchen::context(Auth::bearer("key"))
        .with_retry(quick_retries(2))
        .with_limits(limits);
    invoicing_kitchen::Client::new_with_client(base_url, invoicing_runtime::http_client(), context)
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
            let body = kitchen_page(&["in_5", "in_4", "in_3", "in_2", "in_1"], 1, 3);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(response.as_bytes()).await.unwrap();
        }
    });

    let client = kitchen_client(&base_url, Limits::default());
    let mut stream = client.list_invoices().per_page(5u64).stream();
    // The request for page 2 goes out while page 1 is taken, as the
    // stream is polled for its invoices.
    let mut taken = 0;
    while seen.try_recv().ok().as_deref() != Some("page 2 asked") {
        assert!(taken < 5, "page 2 was not asked for while page 1 was taken");
        stream.next().await.unwrap().unwrap();
        taken += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
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
    // Page 2 is asked for while page 1 is taken; then the consumer stops.
    let mut ids = vec![stream.next().await.unwrap().unwrap().id];
    tokio::time::sleep(Duration::from_millis(20)).await;
    ids.push(stream.next().await.unwrap().unwrap().id);
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
        let list = KitchenList::new(15, 5);
        list.mount(&server).await;
        let kitchen = Kitchen::with_base_url(&server.uri(), Auth::bearer("key"));
        let query = ListQuery::new().page_size(5).read_ahead(read_ahead);
        let mut stream = kitchen.list(&query);
        let mut ids = Vec::new();
        // Requests the server had answered when the last invoice of each
        // page was taken.
        let mut asked = Vec::new();
        while let Some(invoice) = stream.try_next().await.unwrap() {
            ids.push(invoice.id);
            // The consumer's own work, during which a request sent is
            // answered.
            tokio::time::sleep(Duration::from_millis(20)).await;
            if ids.len() % 5 == 0 {
                asked.push(list.requests());
            }
        }
        assert_eq!(ids, list.ids(), "read ahead {read_ahead}");
        let expected = match read_ahead {
            true => [2, 3, 3],
            false => [1, 2, 3],
        };
        assert_eq!(asked, expected, "read ahead {read_ahead}");
    }
}
