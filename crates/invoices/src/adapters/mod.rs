//! One adapter per provider: each only pages through its vendor's API and
//! maps the vendor's invoice to [`Invoice`](crate::Invoice); what they share
//! (decoding, field conversion, cursor checks) is in one private module.
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

mod coinbase_business;
mod kitchen;
mod sendcloud_v2;
mod sendcloud_v3;
mod shared;

pub use coinbase_business::CoinbaseBusiness;
pub use kitchen::Kitchen;
pub use sendcloud_v2::SendcloudV2;
pub use sendcloud_v3::SendcloudV3;
