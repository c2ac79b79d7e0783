//! The generated `.stream()` of each vendor's list against local servers:
//! every vendor's paging style to the end, each fault the runtime guards
//! against, lists that change between page reads, and resuming.

use crate::paging_support::{CursorPages, KitchenList, coinbase_page, sendcloud_v3_page};
use futures::{StreamExt, TryStreamExt};
use invoicing_runtime::paging::{ListingCheckpoint, Position, Problem};
use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{Auth, ClientContext, Error};
use wiremock::MockServer;

fn problem(err: &Error) -> &Problem {
    match err {
        Error::Paging { problem, .. } => problem,
        other => panic!("expected a paging error, got {other}"),
    }
}

/// Every item until the first error, and that error.
async fn until_error<T, S>(mut stream: S) -> (Vec<T>, Option<Error>)
where
    S: futures::Stream<Item = Result<T, Error>> + Unpin,
{
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => items.push(item),
            Err(err) => {
                assert!(stream.next().await.is_none(), "an error ends the stream");
                return (items, Some(err));
            }
        }
    }
    (items, None)
}

/// A generated crate's context retrying with millisecond waits.
fn quick(context: ClientContext) -> ClientContext {
    context.with_retry(quick_retries(2))
}

fn sendcloud(server: &MockServer) -> invoicing_sendcloud_v3::Client {
    let context = quick(invoicing_sendcloud_v3::context(Auth::basic(
        "public", "secret",
    )));
    invoicing_sendcloud_v3::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        context,
    )
}

fn kitchen(server: &MockServer) -> invoicing_kitchen::Client {
    let context = quick(invoicing_kitchen::context(Auth::bearer("key")));
    invoicing_kitchen::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        context,
    )
}

fn coinbase(server: &MockServer) -> invoicing_coinbase_business::Client {
    let context = quick(invoicing_coinbase_business::context(Auth::bearer("token")));
    invoicing_coinbase_business::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        context,
    )
}

// Sendcloud v3: cursors in the `Link` header.

#[tokio::test]
async fn sendcloud_v3_streams_every_invoice_through_link_cursors() {
    let server = MockServer::start().await;
    let pages = CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1, 2], Some("cD0y")),
            sendcloud_v3_page(Some("cD0y"), &[3, 4], Some("cD00%3D")),
            sendcloud_v3_page(Some("cD00="), &[5], None),
        ],
    );
    pages.mount(&server, "/invoices").await;
    let client = sendcloud(&server);
    let ids: Vec<i64> = client
        .list_invoices()
        .page_size(2u64)
        .stream()
        .map_ok(|invoice| invoice.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pages.requests(), 3);

    let positions: Vec<Position> = client
        .list_invoices()
        .stream()
        .pages()
        .map_ok(|page| page.position)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        positions,
        [
            Position::Start,
            Position::Cursor("cD0y".into()),
            Position::Cursor("cD00=".into())
        ],
        "cursors come back as received (percent-decoded once)"
    );
}

#[tokio::test]
async fn sendcloud_v3_a_cursor_cycle_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let pages = CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1], Some("A")),
            sendcloud_v3_page(Some("A"), &[2], Some("B")),
            sendcloud_v3_page(Some("B"), &[3], Some("A")),
        ],
    );
    pages.mount(&server, "/invoices").await;
    let (items, err) = until_error(sendcloud(&server).list_invoices().stream()).await;
    assert_eq!(items.len(), 3, "the pages before the cycle are listed");
    let err = err.expect("an error");
    assert_eq!(problem(&err), &Problem::CursorRepeated);
    assert!(
        err.to_string()
            .starts_with(r#"sendcloud-v3 list_invoices (cursor "B"): cannot follow pages"#),
        "{err}"
    );
    assert_eq!(pages.requests(), 3);
}

#[tokio::test]
async fn sendcloud_v3_a_next_link_that_cannot_be_read_is_an_error() {
    for link in [
        // No angle brackets.
        r#"{base}/invoices?cursor=x; rel="next""#,
        // A next link without the cursor parameter.
        r#"<{base}/invoices?after=x>; rel="next""#,
    ] {
        let server = MockServer::start().await;
        let mut page = sendcloud_v3_page(None, &[1, 2], None);
        page.link = Some(link.to_owned());
        CursorPages::new("cursor", vec![page])
            .mount(&server, "/invoices")
            .await;
        let (items, err) = until_error(sendcloud(&server).list_invoices().stream()).await;
        assert_eq!(items.len(), 2, "{link}: the page that carried it is listed");
        let err = err.expect("an error, not a silent end");
        assert!(
            matches!(problem(&err), Problem::UnreadableLink { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("(first page)"), "{err}");
    }
}

#[tokio::test]
async fn sendcloud_v3_an_empty_page_that_is_not_the_last_is_an_error() {
    let server = MockServer::start().await;
    CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1], Some("A")),
            sendcloud_v3_page(Some("A"), &[], Some("B")),
            sendcloud_v3_page(Some("B"), &[2], None),
        ],
    )
    .mount(&server, "/invoices")
    .await;
    let (items, err) = until_error(sendcloud(&server).list_invoices().stream()).await;
    assert_eq!(items.len(), 1);
    assert_eq!(problem(&err.unwrap()), &Problem::EmptyPage);
}

#[tokio::test]
async fn a_page_budget_ends_the_listing_where_it_resumes() {
    let server = MockServer::start().await;
    let pages = CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1, 2], Some("A")),
            sendcloud_v3_page(Some("A"), &[3, 4], Some("B")),
            sendcloud_v3_page(Some("B"), &[5], None),
        ],
    );
    pages.mount(&server, "/invoices").await;
    let client = sendcloud(&server);
    let mut listing = client.list_invoices().stream().max_pages(2);
    let mut ids = Vec::new();
    let err = loop {
        match listing.next().await.expect("an error before the end") {
            Ok(invoice) => ids.push(invoice.id),
            Err(err) => break err,
        }
    };
    assert_eq!(problem(&err), &Problem::PageBudget { pages: 2 });
    let rest: Vec<i64> = client
        .list_invoices()
        .stream_from(listing.checkpoint())
        .map_ok(|invoice| invoice.id)
        .try_collect()
        .await
        .unwrap();
    ids.extend(rest);
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn sendcloud_v3_resumes_in_the_middle_of_a_page_without_repeats() {
    let server = MockServer::start().await;
    CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1, 2, 3], Some("A")),
            sendcloud_v3_page(Some("A"), &[4, 5, 6], Some("B")),
            sendcloud_v3_page(Some("B"), &[7], None),
        ],
    )
    .mount(&server, "/invoices")
    .await;
    let client = sendcloud(&server);
    for cut in 0..=7 {
        let mut listing = client.list_invoices().stream();
        let mut ids = Vec::new();
        for _ in 0..cut {
            ids.push(listing.next().await.unwrap().unwrap().id);
        }
        let saved = serde_json::to_string(&listing.checkpoint()).unwrap();
        drop(listing);
        let checkpoint: ListingCheckpoint = serde_json::from_str(&saved).unwrap();
        let rest: Vec<i64> = client
            .list_invoices()
            .stream_from(checkpoint)
            .map_ok(|invoice| invoice.id)
            .try_collect()
            .await
            .unwrap();
        ids.extend(rest);
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7], "cut after {cut}: {saved}");
    }
}

// Kitchen: page numbers up to `meta.last_page`, newest first.

async fn kitchen_ids(
    client: &invoicing_kitchen::Client,
    from: ListingCheckpoint,
) -> Result<Vec<String>, Error> {
    client
        .list_invoices()
        .per_page(10u64)
        .stream_from(from)
        .map_ok(|invoice| invoice.id)
        .try_collect()
        .await
}

#[tokio::test]
async fn kitchen_streams_every_page_to_the_last() {
    let server = MockServer::start().await;
    let list = KitchenList::new(45, 10);
    list.mount(&server).await;
    let client = kitchen(&server);
    let ids = kitchen_ids(&client, ListingCheckpoint::start())
        .await
        .unwrap();
    assert_eq!(ids, list.ids());
    assert_eq!(list.requests(), 5);
}

#[tokio::test]
async fn kitchen_an_invoice_created_between_page_reads_does_not_repeat_one() {
    let server = MockServer::start().await;
    let list = KitchenList::new(45, 10);
    let before = list.ids();
    list.before_request(2, |ids| ids.insert(0, "in_new".to_owned()));
    list.mount(&server).await;
    let ids = kitchen_ids(&kitchen(&server), ListingCheckpoint::start())
        .await
        .unwrap();
    assert_eq!(
        ids, before,
        "each invoice once, in order (the new one is on page 1)"
    );
}

#[tokio::test]
async fn kitchen_an_invoice_deleted_between_page_reads_does_not_hide_another() {
    let server = MockServer::start().await;
    let list = KitchenList::new(45, 10);
    // in_41 (page 1) is deleted after pages 1 and 2 were read: in_24, the
    // first of page 3, moves onto page 2 and would be skipped.
    let before = list.ids();
    list.before_request(2, |ids| {
        ids.remove(3);
    });
    list.mount(&server).await;
    let ids = kitchen_ids(&kitchen(&server), ListingCheckpoint::start())
        .await
        .unwrap();
    assert_eq!(ids, before, "every invoice once, in_24 included");
    assert_eq!(list.requests(), 7, "pages 2 and 3 read again, once each");
}

#[tokio::test]
async fn kitchen_a_change_it_cannot_follow_is_an_error_at_its_page() {
    let server = MockServer::start().await;
    let list = KitchenList::new(45, 10);
    list.before_request(2, |ids| {
        ids.drain(0..25);
    });
    list.mount(&server).await;
    let client = kitchen(&server);
    let (items, err) = until_error(client.list_invoices().per_page(10u64).stream()).await;
    assert_eq!(items.len(), 20);
    let err = err.expect("an error, not silence");
    assert!(
        matches!(problem(&err), Problem::ListChanged { .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("kitchen list_invoices (page 3): cannot follow pages: "),
        "{err}"
    );
}

#[tokio::test]
async fn kitchen_a_server_that_ignores_the_page_parameter_is_an_error() {
    let server = MockServer::start().await;
    let list = KitchenList::new(45, 10);
    list.ignore_page();
    list.mount(&server).await;
    let client = kitchen(&server);
    let (items, err) = until_error(client.list_invoices().per_page(10u64).stream()).await;
    assert_eq!(items.len(), 10);
    assert_eq!(
        problem(&err.unwrap()),
        &Problem::IgnoresPage { asked: 2, sent: 1 }
    );
    assert_eq!(list.requests(), 2);
}

#[tokio::test]
async fn kitchen_a_listing_that_fails_at_a_page_resumes_after_the_last_item_taken() {
    let server = MockServer::start().await;
    let list = KitchenList::new(45, 10);
    list.fail_page(4);
    list.mount(&server).await;
    let client = kitchen(&server);
    let mut listing = client.list_invoices().per_page(10u64).stream();
    let mut ids = Vec::new();
    let err = loop {
        match listing.next().await.expect("an error before the end") {
            Ok(invoice) => ids.push(invoice.id),
            Err(err) => break err,
        }
    };
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err}");
    assert!(
        err.to_string()
            .starts_with("kitchen list_invoices (page 4): "),
        "{err}"
    );
    assert_eq!(ids.len(), 30);
    list.heal();
    ids.extend(kitchen_ids(&client, listing.checkpoint()).await.unwrap());
    assert_eq!(ids, list.ids());
}

#[tokio::test]
async fn kitchen_resumes_at_several_points_while_the_list_changes() {
    for cut in [0, 4, 10, 17, 30, 44, 45] {
        let server = MockServer::start().await;
        let list = KitchenList::new(45, 10);
        list.mount(&server).await;
        let client = kitchen(&server);
        let before = list.ids();
        let mut listing = client.list_invoices().per_page(10u64).stream();
        let mut ids = Vec::new();
        for _ in 0..cut {
            ids.push(listing.next().await.unwrap().unwrap().id);
        }
        let checkpoint = listing.checkpoint();
        drop(listing);
        // While the consumer is down, two invoices are created.
        let mut now = list.ids();
        now.insert(0, "in_new_0".into());
        now.insert(0, "in_new_1".into());
        list.set_ids(now);
        ids.extend(kitchen_ids(&client, checkpoint).await.unwrap());
        let old: Vec<&String> = ids.iter().filter(|id| !id.starts_with("in_new")).collect();
        assert_eq!(old, before.iter().collect::<Vec<_>>(), "cut after {cut}");
    }
}

#[tokio::test]
async fn a_page_without_its_list_or_with_the_vendors_error_is_an_error() {
    for (body, problem_text) in [
        (
            r#"{"meta": {"current_page": 1, "last_page": 1}}"#,
            "the response has no `data` list (missing or null)",
        ),
        (
            r#"{"data": null}"#,
            "the response has no `data` list (missing or null)",
        ),
        (
            r#"{"data": [], "message": "Server Error"}"#,
            r#"the vendor sent an error in a successful response: "Server Error""#,
        ),
    ] {
        let server = MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .respond_with(
                wiremock::ResponseTemplate::new(200).set_body_raw(body, "application/json"),
            )
            .mount(&server)
            .await;
        let client = kitchen(&server);
        let (items, err) = until_error(client.list_invoices().stream()).await;
        assert!(items.is_empty());
        let err = err.unwrap();
        assert!(
            matches!(
                problem(&err),
                Problem::NoList { .. } | Problem::VendorError { .. }
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            format!("kitchen list_invoices (page 1): cannot follow pages: {problem_text}")
        );
    }
}

// Coinbase Business: `pageToken` from the body's `nextPageToken`.

#[tokio::test]
async fn coinbase_streams_every_invoice_through_page_tokens() {
    let server = MockServer::start().await;
    let pages = CursorPages::new(
        "pageToken",
        vec![
            coinbase_page(None, &[1, 2], Some("t2")),
            coinbase_page(Some("t2"), &[3], Some("")),
        ],
    );
    pages.mount(&server, "/api/v1/invoices").await;
    let numbers: Vec<String> = coinbase(&server)
        .list_invoices()
        .stream()
        .map_ok(|invoice| invoice.invoice_number)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        numbers,
        ["CB-1", "CB-2", "CB-3"],
        "an empty token ends the listing"
    );
}

#[tokio::test]
async fn coinbase_a_token_sent_back_again_is_an_error() {
    let server = MockServer::start().await;
    CursorPages::new(
        "pageToken",
        vec![
            coinbase_page(None, &[1], Some("t2")),
            coinbase_page(Some("t2"), &[2], Some("t2")),
        ],
    )
    .mount(&server, "/api/v1/invoices")
    .await;
    let (items, err) = until_error(coinbase(&server).list_invoices().stream()).await;
    assert_eq!(items.len(), 2);
    assert_eq!(problem(&err.unwrap()), &Problem::CursorRepeated);
}

#[tokio::test]
async fn coinbase_a_repeated_page_under_a_new_token_is_an_error() {
    let server = MockServer::start().await;
    CursorPages::new(
        "pageToken",
        vec![
            coinbase_page(None, &[1, 2], Some("t2")),
            coinbase_page(Some("t2"), &[1, 2], Some("t3")),
            coinbase_page(Some("t3"), &[1, 2], Some("t4")),
        ],
    )
    .mount(&server, "/api/v1/invoices")
    .await;
    let (items, err) = until_error(coinbase(&server).list_invoices().stream()).await;
    assert_eq!(items.len(), 2, "never a duplicate");
    assert_eq!(problem(&err.unwrap()), &Problem::PagesRepeat);
}

/// A Stripe customer list page of ids `ids`, `has_more` as given.
fn stripe_customers(ids: &[&str], has_more: bool) -> String {
    let data: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id": "{id}", "object": "customer", "created": 1680644467, "livemode": false}}"#))
        .collect();
    format!(
        r#"{{"object": "list", "data": [{}], "has_more": {has_more}, "url": "/v1/customers"}}"#,
        data.join(",")
    )
}

#[tokio::test]
async fn stripe_lists_follow_the_last_id_while_has_more_and_refuse_an_empty_page_that_is_not_the_last()
 {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, Request, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .respond_with(|request: &Request| {
            let after = request
                .url
                .query_pairs()
                .find(|(key, _)| key == "starting_after")
                .map(|(_, value)| value.into_owned());
            let body = match after.as_deref() {
                None => stripe_customers(&["cus_1", "cus_2"], true),
                Some("cus_2") => stripe_customers(&["cus_3"], true),
                // has_more, but nothing more: a fault, not the end.
                Some("cus_3") => stripe_customers(&[], true),
                other => panic!("unexpected cursor {other:?}"),
            };
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        })
        .expect(3)
        .mount(&server)
        .await;
    let client = invoicing_stripe::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        quick(invoicing_stripe::context(Auth::bearer("sk_test"))),
    );
    let (customers, err) = until_error(client.get_customers().stream()).await;
    let ids: Vec<_> = customers.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3"]);
    assert_eq!(problem(&err.unwrap()), &Problem::EmptyPage);

    // The last page says so: the stream ends after it.
    let server = MockServer::start().await;
    invoicing_runtime::test_util::serve(&server, 200, &stripe_customers(&["cus_9"], false)).await;
    let client = invoicing_stripe::Client::new_with_client(
        &server.uri(),
        invoicing_runtime::http_client(),
        quick(invoicing_stripe::context(Auth::bearer("sk_test"))),
    );
    let all: Vec<_> = client.get_customers().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
}
