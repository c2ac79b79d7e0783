//! Following pages of a local mock server the way each vendor pages.

use futures::{StreamExt, TryStreamExt};
use invoicing_runtime::paging::{cursor_from_link, items, next_link, pages};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Page {
    data: Vec<u32>,
}

/// Sendcloud v3: `{"data": [...]}` with the next page in a `Link` header.
async fn sendcloud_v3(server: &MockServer, fail_second_page: bool) {
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [1, 2]})).insert_header(
            "link",
            format!(
                r#"<{base}/invoices?cursor=cD0xMjM%3D&page_size=2>; rel="next", <{base}/invoices>; rel="first""#
            )
            .as_str(),
        ))
        .mount(server)
        .await;
    let second = if fail_second_page {
        ResponseTemplate::new(500)
    } else {
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": [3, 4]}))
            .insert_header(
                "link",
                format!(r#"<{base}/invoices?cursor=cD0xMjQ=>; rel="next""#).as_str(),
            )
    };
    Mock::given(method("GET"))
        .and(query_param("cursor", "cD0xMjM="))
        .respond_with(second)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("cursor", "cD0xMjQ="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [5]})))
        .mount(server)
        .await;
}

/// One page of Sendcloud v3 invoices from `cursor`, as a user of the
/// generated crate would write it.
async fn fetch(
    http: &reqwest::Client,
    base: &str,
    cursor: Option<String>,
) -> Result<(Vec<u32>, Option<Option<String>>), reqwest::Error> {
    let mut request = http.get(format!("{base}/invoices"));
    if let Some(cursor) = &cursor {
        request = request.query(&[("cursor", cursor)]);
    }
    let response = request.send().await?.error_for_status()?;
    let next = next_link(response.headers()).map(|link| cursor_from_link(&link, "cursor"));
    let page: Page = response.json().await?;
    Ok((page.data, next))
}

#[tokio::test]
async fn follows_link_headers_to_the_last_page() {
    let server = MockServer::start().await;
    sendcloud_v3(&server, false).await;
    let http = reqwest::Client::new();
    let base = server.uri();
    let all: Vec<Vec<u32>> = pages(None, |cursor| fetch(&http, &base, cursor))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [vec![1, 2], vec![3, 4], vec![5]]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_error_page_ends_the_stream() {
    let server = MockServer::start().await;
    sendcloud_v3(&server, true).await;
    let http = reqwest::Client::new();
    let base = server.uri();
    let results: Vec<_> = pages(None, |cursor| fetch(&http, &base, cursor))
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().unwrap(), &vec![1, 2]);
    assert_eq!(results[1].as_ref().unwrap_err().status().unwrap(), 500);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CoinbasePage {
    invoices: Vec<String>,
    next_page_token: Option<String>,
}

#[tokio::test]
async fn items_of_token_paged_lists() {
    // Coinbase: `{"invoices": [...], "nextPageToken": "..."}`.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"invoices": ["a", "b"], "nextPageToken": "t2"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("pageToken", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"invoices": ["c"]})))
        .mount(&server)
        .await;
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/invoices", server.uri());
    let invoices: Vec<String> = items(None::<String>, |token| {
        let mut request = http.get(&url);
        if let Some(token) = token {
            request = request.query(&[("pageToken", token)]);
        }
        async move {
            let page: CoinbasePage = request.send().await?.json().await?;
            Ok::<_, reqwest::Error>((page.invoices, page.next_page_token.map(Some)))
        }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(invoices, ["a", "b", "c"]);
}
