//! One [`Adapter`] for every provider: it lists through the generated
//! crate's paging (`fetch_page`, the runtime's guarded paging loop) and maps
//! each vendor invoice to [`Invoice`](crate::Invoice). Each vendor supplies
//! only what is its own: how a page is asked for, its provider-only options
//! (e.g. [`Kitchen::state`]), the mapping, and how one invoice is fetched.
//!
//! Every adapter is built from a generated client, so the generated crate's
//! auth, timeouts, retries and required headers apply:
//!
//! | adapter | from a client | default server | from the environment |
//! |---|---|---|---|
//! | [`SendcloudV2`] | `new(invoicing_sendcloud_v2::Client)` | `with_auth(auth)`: [`invoicing_sendcloud_v2::SERVER_URL`] | `from_env()`: [`invoicing_sendcloud_v2::auth_from_env`] |
//! | [`SendcloudV3`] | `new(invoicing_sendcloud_v3::Client)` | `with_auth(auth)`: [`invoicing_sendcloud_v3::SERVER_URL`] | `from_env()`: [`invoicing_sendcloud_v3::auth_from_env`] |
//! | [`Kitchen`] | `new(invoicing_kitchen::Client)` | `with_auth(workspace, auth)`: [`invoicing_kitchen::server_url`] | `from_env(workspace)`: [`invoicing_kitchen::auth_from_env`] |
//! | [`CoinbaseBusiness`] | `new(invoicing_coinbase_business::Client)` | `with_auth(auth)`: [`invoicing_coinbase_business::SERVER_URL`] | `from_env()`: [`invoicing_coinbase_business::auth_from_env`] |
//!
//! Each adapter, and its generated crate, is there when the crate feature
//! of the provider's name is on (`sendcloud-v2`, `sendcloud-v3`, `kitchen`,
//! `coinbase-business`; all by default).
//!
//! `with_base_url(base_url, auth)` points any of them at another server
//! (a sandbox, a proxy, a test server). Each generated crate's docs list
//! the environment variables its `auth_from_env` reads.

mod adapter;
#[cfg(feature = "coinbase-business")]
mod coinbase_business;
#[cfg(feature = "kitchen")]
mod kitchen;
#[cfg(feature = "mollie")]
mod mollie;
#[cfg(feature = "sendcloud-v2")]
mod sendcloud_v2;
#[cfg(feature = "sendcloud-v3")]
mod sendcloud_v3;
mod shared;
mod vendor;
#[cfg(feature = "xero-accounting")]
mod xero_accounting;

pub use adapter::Adapter;
#[cfg(feature = "coinbase-business")]
pub use coinbase_business::{CoinbaseBusiness, CoinbaseBusinessApi};
#[cfg(feature = "kitchen")]
pub use kitchen::{Kitchen, KitchenApi, KitchenState};
#[cfg(feature = "mollie")]
pub use mollie::{Mollie, MollieApi};
#[cfg(feature = "sendcloud-v2")]
pub use sendcloud_v2::{SendcloudV2, SendcloudV2Api};
#[cfg(feature = "sendcloud-v3")]
pub use sendcloud_v3::{SendcloudV3, SendcloudV3Api};
pub use vendor::Vendor;
#[cfg(feature = "xero-accounting")]
pub use xero_accounting::{XeroAccounting, XeroAccountingApi};

/// An adapter of `provider` built from variables
/// ([`Adapter::from_vars`]), as a [`Source`](crate::Source): for callers
/// that choose providers at run time (a config file, the demo). `base_url`
/// `None` reads from the vendor's server.
///
/// # Errors
/// As [`Adapter::from_vars`]: a configuration error naming the missing
/// variable.
pub fn source_from_vars(
    provider: crate::Provider,
    base_url: Option<&str>,
    var: impl Fn(&str) -> Option<String>,
) -> crate::Result<std::sync::Arc<dyn crate::Source>> {
    use std::sync::Arc;

    use crate::Provider;
    Ok(match provider {
        #[cfg(feature = "sendcloud-v2")]
        Provider::SendcloudV2 => Arc::new(SendcloudV2::from_vars(base_url, var)?),
        #[cfg(feature = "sendcloud-v3")]
        Provider::SendcloudV3 => Arc::new(SendcloudV3::from_vars(base_url, var)?),
        #[cfg(feature = "kitchen")]
        Provider::Kitchen => Arc::new(Kitchen::from_vars(base_url, var)?),
        #[cfg(feature = "coinbase-business")]
        Provider::CoinbaseBusiness => Arc::new(CoinbaseBusiness::from_vars(base_url, var)?),
        #[cfg(feature = "mollie")]
        Provider::Mollie => Arc::new(Mollie::from_vars(base_url, var)?),
        #[cfg(feature = "xero-accounting")]
        Provider::XeroAccounting => Arc::new(XeroAccounting::from_vars(base_url, var)?),
    })
}
