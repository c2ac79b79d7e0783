//! What the facade tests share: adapters on a local mock server with a
//! fast retry policy, and small readers for results.

#![allow(dead_code)] // Each test binary uses a different part.

use std::time::Duration;

use futures::StreamExt;
use invoices::adapters::{CoinbaseBusiness, Kitchen, SendcloudV2, SendcloudV3};
use invoices::{Error, Invoice, InvoiceStream};
use invoicing_runtime::{Auth, Context, RetryPolicy};
use rust_decimal::Decimal;
use wiremock::MockServer;

/// Three attempts with millisecond waits, so retry tests do not sleep.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    }
}

/// Where a test's adapters send requests: a wiremock server, or any URL.
pub trait BaseUrl {
    /// The base URL, e.g. `http://127.0.0.1:4010`.
    fn base_url(&self) -> String;
}

impl BaseUrl for MockServer {
    fn base_url(&self) -> String {
        self.uri()
    }
}

impl BaseUrl for str {
    fn base_url(&self) -> String {
        self.to_owned()
    }
}

fn context(provider: &'static str, auth: Auth) -> Context {
    Context::new(provider, auth).with_retry(quick_retries())
}

pub fn sendcloud_v2(server: &(impl BaseUrl + ?Sized), auth: Auth) -> SendcloudV2 {
    SendcloudV2::new(sendcloud_v2::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        context(sendcloud_v2::PROVIDER, auth),
    ))
}

pub fn sendcloud_v3(server: &(impl BaseUrl + ?Sized), auth: Auth) -> SendcloudV3 {
    SendcloudV3::new(sendcloud_v3::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        context(sendcloud_v3::PROVIDER, auth),
    ))
}

pub fn kitchen(server: &(impl BaseUrl + ?Sized), auth: Auth) -> Kitchen {
    Kitchen::new(kitchen::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        // Kitchen requires this header; `kitchen::Client::with_auth` adds it.
        context(kitchen::PROVIDER, auth).with_header("X-Requested-With", "XMLHttpRequest"),
    ))
}

pub fn coinbase(server: &(impl BaseUrl + ?Sized), auth: Auth) -> CoinbaseBusiness {
    CoinbaseBusiness::new(coinbase_business::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        context(coinbase_business::PROVIDER, auth),
    ))
}

/// Every item of a listing.
pub async fn collect(stream: InvoiceStream) -> Vec<Result<Invoice, Error>> {
    stream.collect().await
}

/// Every item of a listing, which must all be invoices.
pub async fn invoices(stream: InvoiceStream) -> Vec<Invoice> {
    collect(stream)
        .await
        .into_iter()
        .map(|item| item.unwrap_or_else(|err| panic!("unexpected error item: {err}")))
        .collect()
}

/// The single item of a listing that must fail, as text.
pub async fn only_error(stream: InvoiceStream) -> Error {
    let mut items = collect(stream).await;
    assert_eq!(items.len(), 1, "expected exactly one item: {items:?}");
    items.remove(0).expect_err("expected an error")
}

/// `text` as an exact decimal.
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

/// A value of query parameter `name` of a request the server received.
pub fn query(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The value of header `name` of a request the server received.
pub fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}
