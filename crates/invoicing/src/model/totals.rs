//! The document-level amounts of an invoice.

use super::Amount;

/// The totals of an invoice, named after the EN 16931 document totals
/// (business terms in brackets). Each is `None` where the vendor sends
/// nothing it can be read or exactly computed from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Totals {
    /// Sum of the lines before invoice-level discounts, charges and tax
    /// (BT-106).
    pub subtotal: Option<Amount>,
    /// Invoice-level discounts (BT-107), as a positive amount.
    pub discount: Option<Amount>,
    /// Shipping charged on the invoice (part of BT-108).
    pub shipping: Option<Amount>,
    /// Total without tax (BT-109).
    pub net: Option<Amount>,
    /// Total tax (BT-110).
    pub tax: Option<Amount>,
    /// Total with tax (BT-112).
    pub gross: Option<Amount>,
    /// Amount the vendor says is due for payment (BT-115).
    pub amount_due: Option<Amount>,
    /// Amount already paid, as the vendor reports it (BT-113).
    pub amount_paid: Option<Amount>,
    /// Amount still to be paid after payments and credits, as the vendor
    /// reports it (Stripe `amount_remaining`, Xero `AmountDue`); never
    /// computed here from the others, whose meaning differs per vendor.
    pub amount_remaining: Option<Amount>,
}

impl Totals {
    /// The invoice's total as a person would read it: [`Totals::gross`],
    /// or where the vendor sends only what is due (Coinbase),
    /// [`Totals::amount_due`].
    pub fn total(&self) -> Option<&Amount> {
        self.gross.as_ref().or(self.amount_due.as_ref())
    }
}
