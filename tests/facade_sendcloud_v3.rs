//! The Sendcloud v3 adapter against a local mock server: `Link` cursors,
//! OAuth2 and derived totals.

use crate::facade_support::{dec, invoices, query, sendcloud_v3};
use chrono::NaiveDate;
use invoicing::{Error, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{header, serve};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn invoice(id: u64) -> String {
    format!(
        r#"{{"id": {id}, "reference": "INV-{id}", "created_at": "2026-05-31T00:00:00Z",
            "price_taxable": {{"value": "100.0000", "currency": "EUR"}}, "tax": {{"value": "21.0000", "currency": "EUR"}}}}"#
    )
}

fn list(invoices: &[String]) -> String {
    format!(r#"{{"data": [{}]}}"#, invoices.join(","))
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

fn basic() -> Auth {
    Auth::basic("public-key-abc", "secret-key-xyz")
}

/// Three pages chained by `Link` headers. The second cursor ends in `=`,
/// written `%3D` in the link: it must come back decoded once, as received.
fn link_pages(request: &Request) -> ResponseTemplate {
    let (ids, next): (&[u64], Option<&str>) = match query(request, "cursor").as_deref() {
        None => (&[1, 2], Some("cD0y")),
        Some("cD0y") => (&[3, 4], Some("cD00%3D")),
        Some("cD00=") => (&[5], None),
        Some(other) => panic!("unexpected cursor {other:?}"),
    };
    let body = list(&ids.iter().map(|id| invoice(*id)).collect::<Vec<_>>());
    let mut response = json(body);
    if let Some(next) = next {
        let link = format!(
            r#"<{}://{}/invoices?page_size=2&cursor={next}>; rel="next", </invoices>; rel="first""#,
            request.url.scheme(),
            request.url.authority()
        );
        response = response.insert_header("link", link.as_str());
    }
    response
}

#[tokio::test]
async fn link_cursors_are_followed_to_the_end_as_received() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(link_pages)
        .expect(3)
        .mount(&server)
        .await;
    let source = sendcloud_v3(&server, basic());
    let listed = invoices(source.list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let requests = server.received_requests().await.unwrap();
    let cursors: Vec<_> = requests.iter().map(|r| query(r, "cursor")).collect();
    assert_eq!(
        cursors,
        [None, Some("cD0y".to_owned()), Some("cD00=".to_owned())]
    );
    assert!(
        requests
            .iter()
            .all(|r| query(r, "page_size").as_deref() == Some("2"))
    );
}

#[tokio::test]
async fn an_empty_list_is_an_empty_stream() {
    let server = MockServer::start().await;
    serve(&server, 200, r#"{"data": []}"#).await;
    let source = sendcloud_v3(&server, basic());
    assert!(
        invoices(source.list(&ListQuery::new().page_size(9999)))
            .await
            .is_empty()
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(query(&requests[0], "page_size").as_deref(), Some("500"));
}

const FULL: &str = r#"{"id": 4021, "reference": "NL-2026-0042", "created_at": "2026-05-31T00:00:00Z",
  "due_date": null, "price_taxable": {"value": "1240.5000", "currency": "EUR"}, "price_non_taxable": null,
  "tax": {"value": "260.5050", "currency": "EUR"}, "description": "Shipments May 2026", "category": "transactional",
  "issuer": {"business_name": "Sendcloud B.V.", "address": "Stationsplein 10", "postal_code": "5611 AB",
  "city": "Eindhoven", "country_name": "Netherlands", "vat_id": "NL855000000B01", "coc_id": "12345678"}}"#;

#[tokio::test]
async fn an_invoice_maps_field_by_field_with_derived_totals() {
    let server = MockServer::start().await;
    serve(&server, 200, &format!(r#"{{"data": [{FULL}]}}"#)).await;
    let listed = invoices(sendcloud_v3(&server, basic()).list(&ListQuery::new())).await;
    let invoice = &listed[0];
    assert_eq!(invoice.raw.get(), FULL);
    assert_eq!(invoice.provider, Provider::SendcloudV3);
    assert_eq!(invoice.id, "4021");
    assert_eq!(invoice.number.as_deref(), Some("NL-2026-0042"));
    assert_eq!(invoice.kind.as_deref(), Some("transactional"));
    assert_eq!(
        invoice.status,
        Status::Unknown,
        "v3 has no status; not guessed"
    );
    assert_eq!(invoice.vendor_status, None);
    assert_eq!(
        invoice.issue_date,
        NaiveDate::from_ymd_opt(2026, 5, 31),
        "UTC midnight stays the 31st"
    );
    assert_eq!(
        (invoice.due_date, invoice.due_at),
        (None, None),
        "null where nullable"
    );
    assert_eq!(invoice.description.as_deref(), Some("Shipments May 2026"));
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "EUR");

    let totals = &invoice.totals;
    let net = totals.net.as_ref().unwrap();
    assert_eq!(
        (net.value.to_string(), net.derived),
        ("1240.5000".to_owned(), true)
    );
    let tax = totals.tax.as_ref().unwrap();
    assert_eq!(
        (tax.value.to_string(), tax.derived),
        ("260.5050".to_owned(), false)
    );
    let gross = totals.gross.as_ref().unwrap();
    assert_eq!(
        (gross.value.to_string(), gross.derived),
        ("1501.0050".to_owned(), true)
    );
    assert_eq!(gross.to_string(), "1501.0050 EUR");

    let seller = invoice.seller.as_ref().unwrap();
    assert_eq!(seller.name.as_deref(), Some("Sendcloud B.V."));
    assert_eq!(seller.address_lines, ["Stationsplein 10"]);
    assert_eq!(seller.postal_code.as_deref(), Some("5611 AB"));
    assert_eq!(seller.city.as_deref(), Some("Eindhoven"));
    assert_eq!(seller.country_name.as_deref(), Some("Netherlands"));
    assert_eq!(seller.vat_id.as_deref(), Some("NL855000000B01"));
    assert_eq!(seller.registration_id.as_deref(), Some("12345678"));
    assert!(invoice.buyer.is_none() && invoice.lines.is_empty());
}

#[tokio::test]
async fn amounts_are_exact_and_currencies_are_never_mixed() {
    let server = MockServer::start().await;
    let body = r#"{"data": [
      {"id": 1, "reference": "A", "created_at": "2026-05-31T00:00:00+02:00", "due_date": "2026-06-30T00:00:00+02:00",
       "price_taxable": {"value": "123456789012345678901234.5678", "currency": "EUR"},
       "price_non_taxable": {"value": "0.1000", "currency": "EUR"}, "tax": {"value": "-0.0100", "currency": "EUR"},
       "category": "marketplace"},
      {"id": 2, "reference": "B", "created_at": "2026-05-31T00:00:00Z",
       "price_taxable": {"value": "10.0000", "currency": "EUR"}, "tax": {"value": "2.1000", "currency": "USD"}}]}"#;
    serve(&server, 200, body).await;
    let items =
        crate::facade_support::collect(sendcloud_v3(&server, basic()).list(&ListQuery::new()))
            .await;
    let invoice = items[0].as_ref().unwrap();
    assert_eq!(
        invoice.totals.net.as_ref().unwrap().value.to_string(),
        "123456789012345678901234.6678"
    );
    assert_eq!(invoice.totals.tax.as_ref().unwrap().value, dec("-0.01"));
    assert_eq!(
        invoice.totals.gross.as_ref().unwrap().value.to_string(),
        "123456789012345678901234.6578"
    );
    assert_eq!(
        invoice.kind.as_deref(),
        Some("marketplace"),
        "a category outside the spec"
    );
    // Midnight at +02:00 is 22:00 the day before in UTC; the vendor's day counts.
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2026, 5, 31));
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2026, 6, 30));

    // Mixed currencies: no gross, a problem, everything else mapped.
    let mixed = items[1].as_ref().unwrap();
    assert_eq!(mixed.totals.gross, None);
    assert_eq!(mixed.totals.tax.as_ref().unwrap().to_string(), "2.1000 USD");
    assert_eq!(
        mixed.problems[0].to_string(),
        "`price_taxable + price_non_taxable + tax` = 10.0000 EUR + 2.1000 USD: cannot add amounts in different currencies (`price_taxable + price_non_taxable` in EUR, `tax` in USD)"
    );
    let err = mixed.clone().require_complete().unwrap_err();
    assert!(
        matches!(&err, Error::Incomplete(invoice) if invoice.id == "2"),
        "{err:?}"
    );
}

#[tokio::test]
async fn get_fetches_one_invoice_and_maps_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices/4021"))
        .respond_with(json(format!(r#"{{"data": {FULL}}}"#)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices/9"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"errors": [{"status": "404", "code": "not_found", "detail": "No Invoice matches the given query."}]}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let source = sendcloud_v3(&server, basic());
    let invoice = source.get("4021").await.unwrap();
    assert_eq!(invoice.raw.get(), FULL);
    assert_eq!(invoice.totals.gross.unwrap().value, dec("1501.005"));

    let err = source.get("9").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "sendcloud-v3 retrieve_invoice: not found (404): No Invoice matches the given query. [not_found]"
    );
    let err = source.get("in_abc").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api(invoicing_runtime::Error::InvalidRequest { .. })
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains(r#"invoice id "in_abc" is not a positive integer"#),
        "{err}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "no request for a bad id"
    );
}

#[tokio::test]
async fn a_next_link_that_does_not_advance_ends_the_listing_with_an_error() {
    // (Link header, pages requested, message): the page that carried the
    // link is listed, then the error ends the listing; a page that repeats
    // the last one is not listed again.
    for (link, pages, expected) in [
        (
            "</invoices?page_size=2>; rel=\"next\"",
            1,
            "cannot read the `next` link",
        ),
        (
            "</invoices?cursor=same>; rel=\"next\"",
            2,
            "the page repeats items already listed",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(json(list(&[invoice(1)])).insert_header("link", link))
            .mount(&server)
            .await;
        let source = sendcloud_v3(&server, basic());
        let items = crate::facade_support::collect(source.list(&ListQuery::new())).await;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].as_ref().unwrap().id, "1");
        let err = items[1].as_ref().unwrap_err();
        assert!(
            matches!(err, Error::Api(invoicing_runtime::Error::Paging { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains(expected), "{err}");
        assert_eq!(server.received_requests().await.unwrap().len(), pages);
    }
}

#[tokio::test]
async fn an_oauth2_token_is_cached_across_pages_and_renewed_after_a_401() {
    let server = MockServer::start().await;
    let issued = std::sync::atomic::AtomicU32::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth2/token/"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("token-{n}"), "token_type": "Bearer", "expires_in": 3600,
            }))
        })
        .mount(&server)
        .await;
    // The token is revoked while the second page is requested.
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("cursor", "cD0y"))
        .and(wiremock::matchers::header(
            "authorization",
            "Bearer token-1",
        ))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(link_pages)
        .mount(&server)
        .await;
    let auth = Auth::oauth2_client_credentials(
        &format!("{}/oauth2/token/", server.uri()),
        "client-id",
        "oauth-client-secret",
        Some("api"),
    )
    .unwrap();
    let listed = invoices(sendcloud_v3(&server, auth).list(&ListQuery::new())).await;
    assert_eq!(listed.len(), 5);

    let requests = server.received_requests().await.unwrap();
    let token_fetches = requests
        .iter()
        .filter(|r| r.url.path() == "/oauth2/token/")
        .count();
    let used: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path() == "/invoices")
        .map(|r| header(r, "authorization").unwrap())
        .collect();
    assert_eq!(token_fetches, 2);
    assert_eq!(
        used,
        [
            "Bearer token-1",
            "Bearer token-1",
            "Bearer token-2",
            "Bearer token-2"
        ]
    );
}

/// Two pages, the first linking to the second with `link` (`{next}` stands
/// for the second page's URL), each value a `Link` header of its own.
async fn two_pages_linked_by(links: &[&str]) -> (Vec<Result<invoicing::Invoice, Error>>, usize) {
    let server = MockServer::start().await;
    let next = format!("{}/invoices?cursor=cD0y", server.uri());
    let mut first = json(list(&[invoice(1)]));
    for link in links {
        first = first.append_header("link", link.replace("{next}", &next).as_str());
    }
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("cursor", "cD0y"))
        .respond_with(json(list(&[invoice(2)])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .respond_with(first)
        .mount(&server)
        .await;
    let source = sendcloud_v3(&server, basic());
    let items = crate::facade_support::collect(source.list(&ListQuery::new())).await;
    (items, server.received_requests().await.unwrap().len())
}

#[tokio::test]
async fn link_headers_are_read_as_servers_send_them() {
    // Before: `rel='next'` (single quotes) ended the listing after page 1
    // with no error.
    for links in [
        &["<{next}>; rel='next'"][..],
        &["<{next}>; rel=next"],
        &["<{next}>; REL=\"NEXT\""],
        &["<{next}>; rel=\"prev next\""],
        &["</invoices>; rel='first', <{next}>; rel='next'"],
        &["</invoices>; rel=\"first\"", "<{next}>; rel=\"next\""],
    ] {
        let (items, requests) = two_pages_linked_by(links).await;
        let ids: Vec<_> = items
            .iter()
            .map(|item| item.as_ref().map(|i| i.id.as_str()).unwrap())
            .collect();
        assert_eq!(ids, ["1", "2"], "{links:?}");
        assert_eq!(requests, 2, "{links:?}");
    }
}

#[tokio::test]
async fn a_link_header_naming_next_without_a_readable_one_is_an_error_not_the_end() {
    for links in [
        &["<{next}>; rel=\"next-page\""][..],
        &["{next}; rel=\"next\""],
        &["</invoices>; rel=\"first\"; rel=\"next\""],
    ] {
        let (items, requests) = two_pages_linked_by(links).await;
        assert_eq!(items.len(), 2, "{links:?}: {items:?}");
        assert_eq!(items[0].as_ref().unwrap().id, "1");
        let err = items[1].as_ref().unwrap_err();
        assert!(
            err.to_string().contains("cannot read the `next` link"),
            "{links:?}: {err}"
        );
        assert_eq!(requests, 1, "{links:?}");
    }
}
