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
//! | [`SendcloudV2`] | `new(sendcloud_v2::Client)` | `with_auth(auth)`: [`sendcloud_v2::SERVER_URL`](::sendcloud_v2::SERVER_URL) | `from_env()`: [`sendcloud_v2::auth_from_env`](::sendcloud_v2::auth_from_env) |
//! | [`SendcloudV3`] | `new(sendcloud_v3::Client)` | `with_auth(auth)`: [`sendcloud_v3::SERVER_URL`](::sendcloud_v3::SERVER_URL) | `from_env()`: [`sendcloud_v3::auth_from_env`](::sendcloud_v3::auth_from_env) |
//! | [`Kitchen`] | `new(kitchen::Client)` | `with_auth(workspace, auth)`: [`kitchen::server_url`](::kitchen::server_url) | `from_env(workspace)`: [`kitchen::auth_from_env`](::kitchen::auth_from_env) |
//! | [`CoinbaseBusiness`] | `new(coinbase_business::Client)` | `with_auth(auth)`: [`coinbase_business::SERVER_URL`](::coinbase_business::SERVER_URL) | `from_env()`: [`coinbase_business::auth_from_env`](::coinbase_business::auth_from_env) |
//!
//! `with_base_url(base_url, auth)` points any of them at another server
//! (a sandbox, a proxy, a test server). Each generated crate's docs list
//! the environment variables its `auth_from_env` reads.

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
