//! Requests are checked before they are sent: a parameter value that breaks
//! its schema's constraint makes `send()` fail with an error naming the
//! parameter, the value and the bound, and the server sees no request. Each
//! constraint kind the vendors' specs use is exercised here through the
//! generated client; `invoicing_runtime::constraints` tests every kind.

use invoicing_runtime::Error;
use serde_json::json;
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that fails the test (when dropped) if any request reaches it.
async fn server_that_must_see_nothing() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    server
}

/// The `InvalidRequest` message of `result`, after checking that nothing
/// was sent.
async fn rejected<T: std::fmt::Debug>(server: &MockServer, result: Result<T, Error>) -> String {
    assert!(server.received_requests().await.unwrap().is_empty());
    match result {
        Err(Error::InvalidRequest { message, .. }) => message,
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn sendcloud_v3_page_size_over_the_maximum_is_not_sent() {
    let server = server_that_must_see_nothing().await;
    let client = invoicing_sendcloud_v3::Client::with_auth(
        &server.uri(),
        invoicing_sendcloud_v3::Auth::none(),
    );
    let result = client.list_invoices().page_size(501u64).send().await;
    assert_eq!(
        rejected(&server, result).await,
        "parameter page_size: 501 is greater than the maximum 500"
    );
    let result = client.list_invoices().page_size(0u64).send().await;
    assert_eq!(
        rejected(&server, result).await,
        "parameter page_size: 0 is less than the minimum 1"
    );
}

#[tokio::test]
async fn a_path_parameter_is_checked_too() {
    let server = server_that_must_see_nothing().await;
    let client = invoicing_sendcloud_v3::Client::with_auth(
        &server.uri(),
        invoicing_sendcloud_v3::Auth::none(),
    );
    let result = client.retrieve_invoice().invoice_id(0u64).send().await;
    assert_eq!(
        rejected(&server, result).await,
        "parameter invoice_id: 0 is less than the minimum 1"
    );
}

#[tokio::test]
async fn coinbase_contact_email_must_be_an_email() {
    let server = server_that_must_see_nothing().await;
    let client = invoicing_coinbase_business::Client::with_auth(
        &server.uri(),
        invoicing_coinbase_business::Auth::none(),
    );
    let result = client
        .list_invoices()
        .contact_email("not-an-email")
        .send()
        .await;
    assert_eq!(
        rejected(&server, result).await,
        "parameter contact_email (contactEmail): \"not-an-email\" is not a valid email"
    );
}

#[tokio::test]
async fn an_enum_parameter_takes_only_the_listed_values() {
    let server = server_that_must_see_nothing().await;
    let client = invoicing_coinbase_business::Client::with_auth(
        &server.uri(),
        invoicing_coinbase_business::Auth::none(),
    );
    // The open enum accepts any text; the request still may not carry it.
    let result = client.list_invoices().sort_by("amount").send().await;
    assert_eq!(
        rejected(&server, result).await,
        "parameter sort_by (sortBy): \"amount\" is not one of \"createdAt\", \"updatedAt\", \
         \"dueDate\", \"sendDate\""
    );
}

#[tokio::test]
async fn each_item_of_an_array_parameter_is_checked() {
    let server = server_that_must_see_nothing().await;
    let client =
        invoicing_kitchen::Client::with_auth(&server.uri(), invoicing_kitchen::Auth::none());
    let expand = vec![
        invoicing_kitchen::types::ListInvoicesExpandItem::Client,
        invoicing_kitchen::types::ListInvoicesExpandItem::Unknown("lines".into()),
    ];
    let result = client.list_invoices().expand(expand).send().await;
    let message = rejected(&server, result).await;
    assert!(
        message.starts_with("parameter expand (expand[]): item 1: \"lines\" is not one of "),
        "{message}"
    );
    let result = client.list_invoices().per_page(101u64).send().await;
    assert_eq!(
        rejected(&server, result).await,
        "parameter per_page: 101 is greater than the maximum 100"
    );
}

#[tokio::test]
async fn values_within_the_bounds_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invoices"))
        .and(query_param("page_size", "500"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = invoicing_sendcloud_v3::Client::with_auth(
        &server.uri(),
        invoicing_sendcloud_v3::Auth::none(),
    );
    let page = client
        .list_invoices()
        .page_size(500u64)
        .send()
        .await
        .unwrap();
    assert!(page.data.is_empty());
}

#[tokio::test]
async fn a_later_valid_value_replaces_a_rejected_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/invoices"))
        .and(query_param("contactEmail", "billing@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"invoices": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = invoicing_coinbase_business::Client::with_auth(
        &server.uri(),
        invoicing_coinbase_business::Auth::none(),
    );
    let page = client
        .list_invoices()
        .contact_email("not-an-email")
        .contact_email("billing@example.com")
        .send()
        .await
        .unwrap();
    assert!(page.invoices.is_empty());
}

#[test]
fn the_generator_emits_exactly_the_formats_the_runtime_checks() {
    use invoicing_runtime::constraints::Format;
    let runtime: Vec<(&str, String)> = Format::ALL
        .iter()
        .map(|f| (f.name(), format!("{f:?}")))
        .collect();
    let generator: Vec<(&str, String)> = xtask::spec::parameters::CHECKED_FORMATS
        .iter()
        .map(|name| (*name, xtask::spec::parameters::format_variant(name)))
        .collect();
    assert_eq!(runtime, generator);
}
