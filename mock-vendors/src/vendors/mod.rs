//! Every provider's mock, one module each.

mod coinbase_business;
mod kitchen;
mod mollie;
mod sendcloud_v2;
mod sendcloud_v3;
mod xero_accounting;

pub use coinbase_business::CoinbaseBusiness;
pub use kitchen::Kitchen;
pub use mollie::Mollie;
pub use sendcloud_v2::SendcloudV2;
pub use sendcloud_v3::SendcloudV3;
pub use xero_accounting::XeroAccounting;

use crate::shape::Shape;

/// Every provider's mock, in the manifest's order.
pub const ALL: &[&dyn Shape] = &[
    &SendcloudV2,
    &SendcloudV3,
    &Kitchen,
    &CoinbaseBusiness,
    &Mollie,
    &XeroAccounting,
];

/// The mock of the provider named `name` (as in `specs/providers.toml`).
pub fn by_name(name: &str) -> Option<&'static dyn Shape> {
    ALL.iter().copied().find(|shape| shape.name() == name)
}
