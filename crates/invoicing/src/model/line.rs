//! One line of an invoice.

use rust_decimal::Decimal;

use super::Amount;

/// An invoice line, with what the vendor sends about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Line {
    /// The vendor's id of the line.
    pub id: Option<String>,
    /// Short name or title of the item.
    pub name: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Quantity, exact.
    pub quantity: Option<Decimal>,
    /// Price of one unit.
    pub unit_price: Option<Amount>,
    /// Line total; `derived` when computed as quantity × unit price.
    pub amount: Option<Amount>,
}
