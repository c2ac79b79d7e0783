//! The facade's listings: every invoice exactly once while the vendor's
//! list changes, the vendor's paging faults as error items, and listings
//! that resume from a checkpoint (one provider and several merged), at
//! every kind of point, through JSON.

use crate::facade_support::{coinbase, collect, kitchen, sendcloud_v3};
use crate::paging_support::{CursorPages, KitchenList, coinbase_page, sendcloud_v3_page};
use futures::StreamExt;
use invoicing::{Checkpoint, Error, Invoice, InvoiceStream, Invoices, ListQuery, Source};
use invoicing_runtime::Auth;
use invoicing_runtime::paging::Problem;
use wiremock::MockServer;

/// The problem of a paging error item.
fn problem(err: &Error) -> &Problem {
    match err {
        Error::Api(invoicing_runtime::Error::Paging { problem, .. }) => problem,
        other => panic!("expected a paging error, got {other}"),
    }
}

/// Takes `count` items (all invoices), then the checkpoint, through JSON.
async fn take(stream: &mut InvoiceStream, count: usize) -> (Vec<String>, Checkpoint) {
    let mut ids = Vec::new();
    for _ in 0..count {
        ids.push(stream.next().await.unwrap().unwrap().id);
    }
    let saved = serde_json::to_string(&stream.checkpoint()).unwrap();
    (ids, serde_json::from_str(&saved).unwrap())
}

fn ids(items: Vec<Result<Invoice, Error>>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| {
            item.unwrap_or_else(|err| panic!("unexpected error item: {err}"))
                .id
        })
        .collect()
}

fn kitchen_query() -> ListQuery {
    ListQuery::new().page_size(10)
}

#[tokio::test]
async fn kitchen_an_invoice_created_between_page_reads_comes_once_and_none_repeats() {
    let server = MockServer::start().await;
    let list = KitchenList::new(35, 10);
    let before = list.ids();
    // After pages 1 and 2: a new invoice at the head shifts every page.
    list.before_request(2, |ids| ids.insert(0, "in_new".to_owned()));
    list.mount(&server).await;
    let listed = ids(collect(kitchen(&server, Auth::none()).list(&kitchen_query())).await);
    assert_eq!(listed, before, "each invoice once, in order");
}

#[tokio::test]
async fn kitchen_an_invoice_deleted_between_page_reads_hides_none() {
    let server = MockServer::start().await;
    let list = KitchenList::new(35, 10);
    let before = list.ids();
    // After pages 1 and 2: in_33 (page 1) is deleted; in_24 moves up to
    // page 2, which was already read.
    list.before_request(2, |ids| {
        ids.remove(1);
    });
    list.mount(&server).await;
    let listed = ids(collect(kitchen(&server, Auth::none()).list(&kitchen_query())).await);
    assert_eq!(listed, before, "in_24 is listed, and each invoice once");
}

#[tokio::test]
async fn kitchen_without_a_total_an_invoice_deleted_at_the_head_hides_none() {
    // Kitchen may leave out `meta.total`. Between pages 1 and 2, in_34 (the
    // head, already listed) is deleted: in_24 moves up onto page 1, already
    // read. It used to be skipped without a word; now each page is read
    // again after the next one (one request more per page) and in_24 is
    // listed from there.
    let server = MockServer::start().await;
    let list = KitchenList::new(35, 10);
    list.without_total();
    let before = list.ids();
    list.before_request(1, |ids| {
        ids.remove(0);
    });
    list.mount(&server).await;
    let listed = ids(collect(kitchen(&server, Auth::none()).list(&kitchen_query())).await);
    let mut sorted = listed.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "each invoice once: {listed:?}");
    for id in &before {
        assert!(listed.contains(id), "{id} is missing from {listed:?}");
    }
    // Pages 1, 2, 1 again, 3, 2 again, 4 (the last), 3 again.
    assert_eq!(list.requests(), 7);
}

#[tokio::test]
async fn kitchen_a_change_it_cannot_follow_is_an_error_item_saying_which_page() {
    let server = MockServer::start().await;
    let list = KitchenList::new(35, 10);
    list.before_request(2, |ids| {
        ids.drain(0..22);
    });
    list.mount(&server).await;
    let items = collect(kitchen(&server, Auth::none()).list(&kitchen_query())).await;
    assert_eq!(items.len(), 21);
    let err = items[20].as_ref().unwrap_err();
    assert!(matches!(problem(err), Problem::ListChanged { .. }), "{err}");
    assert!(
        err.to_string().starts_with(
            "kitchen list_invoices (page 3): cannot follow pages: the vendor's list changed"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn kitchen_a_server_that_ignores_the_page_parameter_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let list = KitchenList::new(35, 10);
    list.ignore_page();
    list.mount(&server).await;
    let items = collect(kitchen(&server, Auth::none()).list(&kitchen_query())).await;
    assert_eq!(items.len(), 11, "page 1 once, then the error");
    assert_eq!(
        problem(items[10].as_ref().unwrap_err()),
        &Problem::IgnoresPage { asked: 2, sent: 1 }
    );
}

#[tokio::test]
async fn kitchen_a_listing_failing_at_page_57_resumes_after_the_last_invoice_taken() {
    let server = MockServer::start().await;
    let list = KitchenList::new(1000, 10);
    list.fail_page(57);
    list.mount(&server).await;
    let source = kitchen(&server, Auth::none());
    let mut stream = source.list(&kitchen_query());
    let mut listed = Vec::new();
    let err = loop {
        match stream.next().await.expect("an error item before the end") {
            Ok(invoice) => listed.push(invoice.id),
            Err(err) => break err,
        }
    };
    assert!(
        err.to_string()
            .starts_with("kitchen list_invoices (page 57): server error (500"),
        "{err}"
    );
    assert_eq!(listed.len(), 560);
    let checkpoint = stream.checkpoint();
    drop(stream);
    list.heal();
    let requests = list.requests();
    listed.extend(ids(collect(
        source.list_from(&kitchen_query(), &checkpoint),
    )
    .await));
    assert_eq!(listed, list.ids(), "every invoice exactly once");
    assert_eq!(
        list.requests() - requests,
        44,
        "from page 57 on, not from page 1"
    );
}

#[tokio::test]
async fn every_provider_resumes_at_every_kind_of_point_exactly_once() {
    // Kitchen: 3 pages of 10 and one of 5.
    for cut in [0, 1, 9, 10, 11, 25, 34, 35] {
        let server = MockServer::start().await;
        let list = KitchenList::new(35, 10);
        list.mount(&server).await;
        let source = kitchen(&server, Auth::none());
        let mut stream = source.list(&kitchen_query());
        let (mut listed, checkpoint) = take(&mut stream, cut).await;
        drop(stream);
        listed.extend(ids(collect(
            source.list_from(&kitchen_query(), &checkpoint),
        )
        .await));
        assert_eq!(listed, list.ids(), "kitchen, cut after {cut}: {checkpoint}");
    }
    // Sendcloud v3 (Link cursors) and Coinbase (page tokens): 3 + 3 + 1.
    let sendcloud_pages = || {
        CursorPages::new(
            "cursor",
            vec![
                sendcloud_v3_page(None, &[1, 2, 3], Some("A")),
                sendcloud_v3_page(Some("A"), &[4, 5, 6], Some("B")),
                sendcloud_v3_page(Some("B"), &[7], None),
            ],
        )
    };
    let coinbase_pages = || {
        CursorPages::new(
            "pageToken",
            vec![
                coinbase_page(None, &[1, 2, 3], Some("t2")),
                coinbase_page(Some("t2"), &[4, 5, 6], Some("t3")),
                coinbase_page(Some("t3"), &[7], None),
            ],
        )
    };
    for cut in 0..=7 {
        let server = MockServer::start().await;
        sendcloud_pages().mount(&server, "/invoices").await;
        let source = sendcloud_v3(&server, Auth::none());
        let mut stream = source.list(&ListQuery::new());
        let (mut listed, checkpoint) = take(&mut stream, cut).await;
        drop(stream);
        listed.extend(ids(collect(
            source.list_from(&ListQuery::new(), &checkpoint),
        )
        .await));
        assert_eq!(
            listed,
            ["1", "2", "3", "4", "5", "6", "7"],
            "sendcloud-v3, cut {cut}"
        );

        let server = MockServer::start().await;
        coinbase_pages().mount(&server, "/api/v1/invoices").await;
        let source = coinbase(&server, Auth::none());
        let mut stream = source.list(&ListQuery::new());
        let (mut listed, checkpoint) = take(&mut stream, cut).await;
        drop(stream);
        listed.extend(ids(collect(
            source.list_from(&ListQuery::new(), &checkpoint),
        )
        .await));
        assert_eq!(listed.len(), 7, "coinbase, cut {cut}");
        let unique: std::collections::BTreeSet<_> = listed.iter().collect();
        assert_eq!(unique.len(), 7, "coinbase, cut {cut}: {listed:?}");
    }
}

#[tokio::test]
async fn a_merged_listing_resumes_every_provider_where_it_was() {
    for cut in [0, 3, 12, 20, 30, 41, 42] {
        let kitchen_server = MockServer::start().await;
        let list = KitchenList::new(35, 10);
        list.mount(&kitchen_server).await;
        let sendcloud_server = MockServer::start().await;
        CursorPages::new(
            "cursor",
            vec![
                sendcloud_v3_page(None, &[1, 2, 3], Some("A")),
                sendcloud_v3_page(Some("A"), &[4, 5, 6], Some("B")),
                sendcloud_v3_page(Some("B"), &[7], None),
            ],
        )
        .mount(&sendcloud_server, "/invoices")
        .await;
        let all = Invoices::builder()
            .kitchen(kitchen(&kitchen_server, Auth::none()))
            .sendcloud_v3(sendcloud_v3(&sendcloud_server, Auth::none()))
            .build();
        let mut stream = all.list(&kitchen_query());
        let (mut listed, checkpoint) = take(&mut stream, cut).await;
        drop(stream);
        let rest = collect(all.list_from(&kitchen_query(), &checkpoint)).await;
        listed.extend(ids(rest));
        listed.sort();
        let mut expected = list.ids();
        expected.extend((1..=7).map(|n| n.to_string()));
        expected.sort();
        assert_eq!(listed, expected, "cut after {cut}: {checkpoint}");
    }
}

#[tokio::test]
async fn a_checkpoint_of_other_sources_is_refused_with_an_error_item() {
    let server = MockServer::start().await;
    KitchenList::new(5, 10).mount(&server).await;
    let source = kitchen(&server, Auth::none());
    let mut stream = source.list(&kitchen_query());
    let (_, checkpoint) = take(&mut stream, 2).await;
    let other = MockServer::start().await;
    let sendcloud = sendcloud_v3(&other, Auth::none());
    let items = collect(sendcloud.list_from(&ListQuery::new(), &checkpoint)).await;
    assert_eq!(items.len(), 1);
    let err = items[0].as_ref().unwrap_err();
    assert!(matches!(err, Error::CheckpointMismatch { .. }), "{err}");
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn vendor_paging_faults_are_error_items_after_the_pages_before_them() {
    // Sendcloud v3: A -> B -> A.
    let server = MockServer::start().await;
    CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1], Some("A")),
            sendcloud_v3_page(Some("A"), &[2], Some("B")),
            sendcloud_v3_page(Some("B"), &[3], Some("A")),
        ],
    )
    .mount(&server, "/invoices")
    .await;
    let items = collect(sendcloud_v3(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 4);
    assert_eq!(
        problem(items[3].as_ref().unwrap_err()),
        &Problem::CursorRepeated
    );

    // Sendcloud v3: an empty page with a next link.
    let server = MockServer::start().await;
    CursorPages::new(
        "cursor",
        vec![
            sendcloud_v3_page(None, &[1], Some("A")),
            sendcloud_v3_page(Some("A"), &[], Some("B")),
        ],
    )
    .mount(&server, "/invoices")
    .await;
    let items = collect(sendcloud_v3(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(problem(items[1].as_ref().unwrap_err()), &Problem::EmptyPage);

    // Coinbase: the same page under a new token, again and again.
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
    let items = collect(coinbase(&server, Auth::none()).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 3, "never a duplicate: {items:?}");
    assert_eq!(
        problem(items[2].as_ref().unwrap_err()),
        &Problem::PagesRepeat
    );
}

#[tokio::test]
async fn a_page_budget_ends_a_listing_where_it_resumes() {
    let server = MockServer::start().await;
    let list = KitchenList::new(35, 10);
    list.mount(&server).await;
    let source = kitchen(&server, Auth::none());
    let query = kitchen_query().max_pages(2);
    let mut stream = source.list(&query);
    let mut listed = Vec::new();
    let err = loop {
        match stream.next().await.unwrap() {
            Ok(invoice) => listed.push(invoice.id),
            Err(err) => break err,
        }
    };
    assert_eq!(problem(&err), &Problem::PageBudget { pages: 2 });
    listed.extend(ids(collect(
        source.list_from(&kitchen_query(), &stream.checkpoint()),
    )
    .await));
    assert_eq!(listed, list.ids());
}
