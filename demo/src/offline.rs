//! `--offline`: one local vendor-shaped server per provider (127.0.0.1,
//! ephemeral ports), and an [`Invoices`] pointed at them with credentials
//! of each provider's kind.

use std::time::Duration;

use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use invoicing::adapters::{CoinbaseBusiness, Kitchen, SendcloudV2, SendcloudV3};
use invoicing::{Currency, Invoices};
use invoicing_mock_vendors::fixtures::Style;
use invoicing_mock_vendors::server::{self, MockVendor};
use invoicing_runtime::Auth;

/// What each local server holds: `(style, invoices, invoices per page)`.
/// Every paged vendor gets several pages; Sendcloud v2 sends its whole
/// list in one response, as the vendor does.
pub const CATALOGUE: [(Style, usize, usize); 4] = [
    (Style::SendcloudV2, 40, 40),
    (Style::SendcloudV3, 230, 25),
    (Style::Kitchen, 180, 25),
    (Style::Coinbase, 150, 25),
];

/// The mock Sendcloud v2 account's billing currency: the API sends none,
/// and a real account's owner knows theirs (`SENDCLOUD_V2_CURRENCY` live).
pub const SENDCLOUD_V2_CURRENCY: &str = "EUR";

/// The offline credentials. Not secrets (the servers do not check them),
/// but the demo handles them as it would real ones, and its test checks
/// that none is ever printed.
pub mod credentials {
    /// Sendcloud public key (HTTP Basic user).
    pub const SENDCLOUD_PUBLIC_KEY: &str = "offline-sendcloud-public-key";
    /// Sendcloud secret key (HTTP Basic password).
    pub const SENDCLOUD_SECRET_KEY: &str = "offline-sendcloud-secret-key";
    /// Kitchen API key (bearer token).
    pub const KITCHEN_API_KEY: &str = "offline-kitchen-api-key";
    /// Coinbase Developer Platform key id.
    pub const COINBASE_CDP_KEY_ID: &str = "organizations/offline/apiKeys/demo";
    /// The seed of the Coinbase Developer Platform Ed25519 key.
    pub const COINBASE_CDP_SEED: [u8; 32] = [0x5e; 32];

    /// The Coinbase key secret as CDP hands it out: base64 of the seed
    /// and the public key, so every request signs a real JWT.
    pub fn coinbase_cdp_key_secret() -> String {
        super::ed25519_secret(&COINBASE_CDP_SEED)
    }
}

fn ed25519_secret(seed: &[u8; 32]) -> String {
    let pair = Ed25519KeyPair::from_seed_unchecked(seed).expect("any 32 bytes are a seed");
    BASE64.encode([seed.as_slice(), pair.public_key().as_ref()].concat())
}

/// The running servers and the [`Invoices`] that reads them; the servers
/// stop when this is dropped.
pub struct Offline {
    /// Every provider, each pointed at its local server.
    pub invoices: Invoices,
    _servers: Vec<MockVendor>,
}

/// Starts one server per provider of [`CATALOGUE`], each adding `latency`
/// before every response (as a network would).
///
/// # Errors
/// When the offline Coinbase key is refused (it never is; the error is
/// passed on rather than hidden).
pub async fn start(latency: Duration) -> invoicing::Result<Offline> {
    use credentials::*;
    let mut builder = Invoices::builder();
    let mut servers = Vec::new();
    for (style, total, per_page) in CATALOGUE {
        let options = server::Options {
            latency,
            distinct: true,
        };
        let vendor = server::start_with(style, total, per_page, options).await;
        let url = vendor.base_url.as_str();
        let sendcloud = || Auth::basic(SENDCLOUD_PUBLIC_KEY, SENDCLOUD_SECRET_KEY);
        builder = match style {
            Style::SendcloudV2 => builder.sendcloud_v2(
                SendcloudV2::with_base_url(url, sendcloud())
                    .currency(Currency::new(SENDCLOUD_V2_CURRENCY).expect("a currency code")),
            ),
            Style::SendcloudV3 => {
                builder.sendcloud_v3(SendcloudV3::with_base_url(url, sendcloud()))
            }
            Style::Kitchen => {
                builder.kitchen(Kitchen::with_base_url(url, Auth::bearer(KITCHEN_API_KEY)))
            }
            Style::Coinbase => {
                let auth = Auth::coinbase_cdp(COINBASE_CDP_KEY_ID, coinbase_cdp_key_secret())?;
                builder.coinbase_business(CoinbaseBusiness::with_base_url(url, auth))
            }
        };
        servers.push(vendor);
    }
    Ok(Offline {
        invoices: builder.build(),
        _servers: servers,
    })
}

/// How many invoices the servers of [`CATALOGUE`] hold in all.
pub fn total_invoices() -> usize {
    CATALOGUE.iter().map(|(_, total, _)| total).sum()
}
