//! What the facade tests share: adapters on a local mock server with a
//! fast retry policy, and small readers for results. Helpers every test
//! crate needs (`header`, `serve`, `quick_retries`) are the runtime's
//! `test_util`.

use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair as _};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures::StreamExt;
use invoicing::adapters::{
    CoinbaseBusiness, Kitchen, Lago, Mollie, PaypalInvoicingV2, SendcloudV2, SendcloudV3, Stripe,
    XeroAccounting,
};
use invoicing::{Error, Invoice, InvoiceStream};
use invoicing_runtime::test_util::quick_retries;
use invoicing_runtime::{Auth, ClientContext};
use jsonwebtoken::DecodingKey;
use rust_decimal::Decimal;
use wiremock::MockServer;

/// Where a test's adapters send requests: a wiremock server, or any URL.
pub(crate) trait BaseUrl {
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

/// A generated crate's context (with its vendor's headers) retrying three
/// times with millisecond waits, so retry tests do not sleep.
fn quick(context: ClientContext) -> ClientContext {
    context.with_retry(quick_retries(3))
}

pub(crate) fn sendcloud_v2(server: &(impl BaseUrl + ?Sized), auth: Auth) -> SendcloudV2 {
    SendcloudV2::new(invoicing_sendcloud_v2::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_sendcloud_v2::context(auth)),
    ))
}

pub(crate) fn sendcloud_v3(server: &(impl BaseUrl + ?Sized), auth: Auth) -> SendcloudV3 {
    SendcloudV3::new(invoicing_sendcloud_v3::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_sendcloud_v3::context(auth)),
    ))
}

pub(crate) fn kitchen(server: &(impl BaseUrl + ?Sized), auth: Auth) -> Kitchen {
    Kitchen::new(invoicing_kitchen::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_kitchen::context(auth)),
    ))
}

pub(crate) fn coinbase(server: &(impl BaseUrl + ?Sized), auth: Auth) -> CoinbaseBusiness {
    CoinbaseBusiness::new(invoicing_coinbase_business::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_coinbase_business::context(auth)),
    ))
}

pub(crate) fn stripe(server: &(impl BaseUrl + ?Sized), auth: Auth) -> Stripe {
    Stripe::new(invoicing_stripe::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_stripe::context(auth)),
    ))
}

pub(crate) fn lago(server: &(impl BaseUrl + ?Sized), auth: Auth) -> Lago {
    Lago::new(invoicing_lago::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_lago::context(auth)),
    ))
}

pub(crate) fn paypal(server: &(impl BaseUrl + ?Sized), auth: Auth) -> PaypalInvoicingV2 {
    PaypalInvoicingV2::new(invoicing_paypal_invoicing_v2::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_paypal_invoicing_v2::context(auth)),
    ))
}

pub(crate) fn mollie(server: &(impl BaseUrl + ?Sized), auth: Auth) -> Mollie {
    Mollie::new(invoicing_mollie::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_mollie::context(auth)),
    ))
}

/// A Xero adapter reading organisation `tenant`.
pub(crate) fn xero(server: &(impl BaseUrl + ?Sized), auth: Auth, tenant: &str) -> XeroAccounting {
    XeroAccounting::new(invoicing_xero_accounting::Client::new_with_client(
        &server.base_url(),
        invoicing_runtime::http_client(),
        quick(invoicing_xero_accounting::context(auth)),
    ))
    .tenant(tenant)
}

/// Every item of a listing.
pub(crate) async fn collect(stream: InvoiceStream) -> Vec<Result<Invoice, Error>> {
    stream.collect().await
}

/// Every item of a listing, which must all be invoices.
pub(crate) async fn invoices(stream: InvoiceStream) -> Vec<Invoice> {
    collect(stream)
        .await
        .into_iter()
        .map(|item| item.unwrap_or_else(|err| panic!("unexpected error item: {err}")))
        .collect()
}

/// The single item of a listing that must fail, as text.
pub(crate) async fn only_error(stream: InvoiceStream) -> Error {
    let mut items = collect(stream).await;
    assert_eq!(items.len(), 1, "expected exactly one item: {items:?}");
    items.remove(0).expect_err("expected an error")
}

/// `text` as an exact decimal.
pub(crate) fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

/// A value of query parameter `name` of a request the server received.
pub(crate) fn query(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The key name of the Coinbase CDP keys made here.
pub(crate) const KEY_ID: &str = "organizations/org-1/apiKeys/key-1";

/// A fresh CDP Ed25519 key: its secret as Coinbase issues it (base64 of
/// seed and public key) and the public key that verifies its JWTs.
pub(crate) fn cdp_secret() -> (String, DecodingKey) {
    let mut seed = [0u8; 32];
    aws_lc_rs::rand::fill(&mut seed).unwrap();
    let pair = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let public = pair.public_key().as_ref().to_vec();
    let secret = BASE64.encode([seed.as_slice(), &public].concat());
    (secret, DecodingKey::from_ed_der(&public))
}

/// A fresh CDP key: the `Auth` that signs with it and the public key that
/// verifies its JWTs.
pub(crate) fn cdp_key() -> (Auth, DecodingKey) {
    let (secret, public) = cdp_secret();
    (Auth::coinbase_cdp(KEY_ID, secret).unwrap(), public)
}

/// Any CDP key, for tests that do not verify the JWT.
pub(crate) fn any_key() -> Auth {
    cdp_key().0
}
