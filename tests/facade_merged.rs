//! Several providers listed into one stream, concurrently, and `get`
//! dispatched by provider.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::facade_support::{coinbase, collect, invoices, kitchen, query, sendcloud_v3};
use invoicing::adapters::Kitchen;
use invoicing::{Error, Invoices, ListQuery, Provider};
use invoicing_runtime::Auth;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn json(body: String, delay: Duration) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_raw(body, "application/json")
        .set_delay(delay)
}

/// Sendcloud v3: pages of ids `v3-page-*`, chained by `Link` cursors.
async fn sendcloud_server(pages: u32, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(move |request: &Request| {
            let n: u32 = query(request, "cursor").map_or(1, |c| c.parse().unwrap());
            let body = format!(
                r#"{{"data": [{{"id": {id}, "reference": "SC-{n}", "created_at": "2026-05-31T00:00:00Z",
                    "price_taxable": {{"value": "1.0000", "currency": "EUR"}}, "tax": {{"value": "0.2100", "currency": "EUR"}}}}]}}"#,
                id = 100 + n
            );
            let mut response = json(body, delay);
            if n < pages {
                response = response.insert_header("link", format!("</invoices?cursor={}>; rel=\"next\"", n + 1).as_str());
            }
            response
        })
        .mount(&server)
        .await;
    server
}

/// Kitchen: `pages` pages of one invoice `in_<page>` each.
async fn kitchen_server(pages: u32, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(move |request: &Request| {
            let n: u32 = query(request, "page").unwrap().parse().unwrap();
            let body = format!(
                r#"{{"data": [{{"id": "in_{n}", "currency": "USD", "status": "paid", "total_amount": 508.9}}],
                    "links": {{}}, "meta": {{"current_page": {n}, "last_page": {pages}}}}}"#
            );
            json(body, delay)
        })
        .mount(&server)
        .await;
    server
}

/// Coinbase: `pages` pages of one invoice `CB-<page>` each.
async fn coinbase_server(pages: u32) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/invoices"))
        .respond_with(move |request: &Request| {
            let n: u32 = query(request, "pageToken").map_or(1, |t| t.parse().unwrap());
            let next = if n < pages { format!(r#", "nextPageToken": "{}""#, n + 1) } else { String::new() };
            let body = format!(
                r#"{{"invoices": [{{"uuid": "00000000-0000-4000-8000-{n:012}", "invoiceNumber": "CB-{n}", "status": "PAID",
                    "contactName": "Ada", "contactEmail": "ada@example.com", "entityName": "Acme",
                    "createdAt": "2026-05-01T10:00:00Z", "updatedAt": "2026-05-01T10:00:00Z", "createdBy": "u1",
                    "lastUpdatedBy": "u1", "lineItems": [], "totalAmountDue": {{"value": "100.50", "currency": "USDC"}}}}]{next}}}"#
            );
            json(body, Duration::ZERO)
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn three_providers_merge_into_one_stream_and_each_invoice_knows_its_provider() {
    let (sc, kc, cb) = (
        sendcloud_server(2, Duration::ZERO).await,
        kitchen_server(3, Duration::ZERO).await,
        coinbase_server(2).await,
    );
    let all = Invoices::builder()
        .sendcloud_v3(sendcloud_v3(&sc, Auth::basic("p", "s")))
        .kitchen(kitchen(&kc, Auth::bearer("k")))
        .coinbase_business(coinbase(&cb, Auth::none()))
        .build();
    let listed = invoices(all.list(&ListQuery::new())).await;
    let seen: BTreeSet<_> = listed
        .iter()
        .map(|i| (i.provider, i.number.clone().unwrap_or_else(|| i.id.clone())))
        .collect();
    let expected: BTreeSet<_> = [
        (Provider::SendcloudV3, "SC-1"),
        (Provider::SendcloudV3, "SC-2"),
        (Provider::Kitchen, "in_1"),
        (Provider::Kitchen, "in_2"),
        (Provider::Kitchen, "in_3"),
        (Provider::CoinbaseBusiness, "CB-1"),
        (Provider::CoinbaseBusiness, "CB-2"),
    ]
    .into_iter()
    .map(|(p, n)| (p, n.to_owned()))
    .collect();
    assert_eq!(seen, expected);
    assert_eq!(listed.len(), 7);
    // Within one provider the vendor's order is kept.
    let kitchen_ids: Vec<_> = listed
        .iter()
        .filter(|i| i.provider == Provider::Kitchen)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(kitchen_ids, ["in_1", "in_2", "in_3"]);
    let totals: Vec<_> = listed
        .iter()
        .map(|i| i.totals.total().unwrap().to_string())
        .collect();
    assert!(totals.contains(&"508.9 USD".to_owned()) && totals.contains(&"100.50 USDC".to_owned()));
}

#[tokio::test]
async fn providers_are_fetched_concurrently_and_interleaved() {
    // Every page takes a while, so both providers have a page in flight at
    // once; listed one after the other, every Kitchen invoice would come
    // before any Sendcloud one. (How much faster fan-out is, is measured by
    // the fan-out benchmark, not asserted here.)
    let delay = Duration::from_millis(50);
    let (sc, kc) = (
        sendcloud_server(3, delay).await,
        kitchen_server(3, delay).await,
    );
    let all = Invoices::builder()
        .kitchen(kitchen(&kc, Auth::bearer("k")))
        .sendcloud_v3(sendcloud_v3(&sc, Auth::basic("p", "s")))
        .build();
    let listed = invoices(all.list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 6);
    let providers: Vec<_> = listed.iter().map(|i| i.provider).collect();
    let first_sendcloud = providers
        .iter()
        .position(|p| *p == Provider::SendcloudV3)
        .unwrap();
    let last_kitchen = providers
        .iter()
        .rposition(|p| *p == Provider::Kitchen)
        .unwrap();
    assert!(
        first_sendcloud < last_kitchen,
        "not interleaved: {providers:?}"
    );
}

#[tokio::test]
async fn one_failing_provider_ends_only_its_own_part() {
    let kc = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(r#"{"message": "Unauthenticated."}"#, "application/json"),
        )
        .mount(&kc)
        .await;
    let cb = coinbase_server(3).await;
    let all = Invoices::builder()
        .kitchen(kitchen(&kc, Auth::bearer("k")))
        .coinbase_business(coinbase(&cb, Auth::none()))
        .build();
    let items = collect(all.list(&ListQuery::new())).await;
    assert_eq!(items.len(), 4);
    let errors: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].provider(), Some(Provider::Kitchen));
    let ok = items.iter().filter_map(|i| i.as_ref().ok());
    assert!(
        ok.map(|i| i.provider)
            .all(|p| p == Provider::CoinbaseBusiness)
    );
}

#[tokio::test]
async fn get_is_sent_to_the_accounts_of_the_provider_asked_for() {
    let missing = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"message": "No query results."}"#, "application/json"),
        )
        .mount(&missing)
        .await;
    let has_it = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices/in_7"))
        .respond_with(json(
            r#"{"data": {"id": "in_7", "currency": "EUR", "status": "void"}}"#.to_owned(),
            Duration::ZERO,
        ))
        .mount(&has_it)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"message": "No query results."}"#, "application/json"),
        )
        .with_priority(10)
        .mount(&has_it)
        .await;
    let cb = coinbase_server(1).await;
    let all = Invoices::builder()
        .kitchen(kitchen(&missing, Auth::bearer("k1")))
        // Built through the generated `with_auth`, which adds Kitchen's header.
        .kitchen(Kitchen::with_base_url(&has_it.uri(), Auth::bearer("k2")))
        .coinbase_business(coinbase(&cb, Auth::none()))
        .build();
    assert_eq!(all.sources().count(), 3);

    let invoice = all.get(Provider::Kitchen, "in_7").await.unwrap();
    assert_eq!(
        (invoice.provider, invoice.id.as_str()),
        (Provider::Kitchen, "in_7")
    );
    let request = &has_it.received_requests().await.unwrap()[0];
    assert_eq!(
        invoicing_runtime::test_util::header(request, "x-requested-with").as_deref(),
        Some("XMLHttpRequest")
    );

    let err = all.get(Provider::Kitchen, "in_nowhere").await.unwrap_err();
    assert!(
        matches!(err, Error::Api(invoicing_runtime::Error::NotFound { .. })),
        "{err:?}"
    );
    assert_eq!(missing.received_requests().await.unwrap().len(), 2);

    let err = all.get(Provider::CoinbaseBusiness, "x").await.unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err:?}");
    let err = all.get(Provider::SendcloudV2, "1").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "sendcloud-v2: no source is configured for this provider"
    );
}

#[tokio::test]
async fn no_sources_is_an_empty_stream() {
    let none = Invoices::builder().build();
    assert!(collect(none.list(&ListQuery::new())).await.is_empty());
}
