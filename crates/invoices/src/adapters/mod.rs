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
//! | [`SendcloudV2`] | `new(sendcloud_v2::Client)` | `with_auth(auth)`: [`sendcloud_v2::SERVER_URL`](::sendcloud_v2::SERVER_URL) | `from_env()`: `SENDCLOUD_PUBLIC_KEY` + `SENDCLOUD_SECRET_KEY`, or `SENDCLOUD_CLIENT_ID` + `SENDCLOUD_CLIENT_SECRET` (OAuth2) |
//! | [`SendcloudV3`] | `new(sendcloud_v3::Client)` | `with_auth(auth)`: [`sendcloud_v3::SERVER_URL`](::sendcloud_v3::SERVER_URL) | `from_env()`: as Sendcloud v2 |
//! | [`Kitchen`] | `new(kitchen::Client)` | `with_auth(workspace, auth)`: [`kitchen::server_url`](::kitchen::server_url) | `from_env(workspace)`: `KITCHEN_API_KEY` |
//! | [`CoinbaseBusiness`] | `new(coinbase_business::Client)` | `with_auth(auth)`: [`coinbase_business::SERVER_URL`](::coinbase_business::SERVER_URL) | `from_env()`: `COINBASE_CDP_KEY_ID` + `COINBASE_CDP_KEY_SECRET` |
//!
//! `with_base_url(base_url, auth)` points any of them at another server
//! (a sandbox, a proxy, a test server). The variables are read by
//! [`invoicing_runtime::Auth::from_env`].

mod adapter;
mod coinbase_business;
mod kitchen;
mod sendcloud_v2;
mod sendcloud_v3;
mod shared;
mod vendor;

pub use adapter::Adapter;
pub use coinbase_business::{CoinbaseBusiness, CoinbaseBusinessApi};
pub use kitchen::{Kitchen, KitchenApi, KitchenState};
pub use sendcloud_v2::{SendcloudV2, SendcloudV2Api};
pub use sendcloud_v3::{SendcloudV3, SendcloudV3Api};
pub use vendor::Vendor;
