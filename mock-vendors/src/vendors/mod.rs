//! Every provider's mock vendor, one module each. Written by `cargo xtask
//! regen` from `specs/providers.toml` (its `facade = true` entries): do
//! not edit.

mod coinbase_business;
mod kitchen;
mod lago;
mod mollie;
mod paypal_invoicing_v2;
mod sendcloud_v2;
mod sendcloud_v3;
mod square;
mod stripe;
mod xero_accounting;

pub use coinbase_business::CoinbaseBusiness;
pub use kitchen::Kitchen;
pub use lago::Lago;
pub use mollie::Mollie;
pub use paypal_invoicing_v2::PaypalInvoicingV2;
pub use sendcloud_v2::SendcloudV2;
pub use sendcloud_v3::SendcloudV3;
pub use square::Square;
pub use stripe::Stripe;
pub use xero_accounting::XeroAccounting;

use crate::shape::Shape;

/// Every provider's mock vendor, in the manifest's order.
pub const ALL: &[&dyn Shape] = &[
    &SendcloudV2,
    &SendcloudV3,
    &Kitchen,
    &CoinbaseBusiness,
    &Stripe,
    &Lago,
    &PaypalInvoicingV2,
    &Square,
    &Mollie,
    &XeroAccounting,
];

/// The mock vendor of the provider named `name` (as in
/// `specs/providers.toml`).
pub fn by_name(name: &str) -> Option<&'static dyn Shape> {
    ALL.iter().copied().find(|shape| shape.name() == name)
}
