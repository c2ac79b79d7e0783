//! The seller or the buyer of an invoice.

/// A seller (issuer) or buyer (customer), with what the vendor sends about
/// them. Every field is optional: Kitchen sends only ids, Sendcloud v3 only
/// the issuer's business details.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Party {
    /// The vendor's id of the party (Kitchen client `u_...`).
    pub id: Option<String>,
    /// The vendor's billing or accounting reference of the party (Kitchen
    /// billing profile `bp_...`; EN 16931 BT-19).
    pub account_ref: Option<String>,
    /// Business or person name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// VAT identifier.
    pub vat_id: Option<String>,
    /// Company registration id, e.g. a chamber-of-commerce number.
    pub registration_id: Option<String>,
    /// Street address lines, in order.
    pub address_lines: Vec<String>,
    /// Postal or ZIP code.
    pub postal_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State, province or region.
    pub region: Option<String>,
    /// Country as an ISO 3166-1 alpha-2 code, where the vendor sends codes.
    pub country_code: Option<String>,
    /// Country as a name, where the vendor sends names (Sendcloud v3).
    pub country_name: Option<String>,
}

impl Party {
    /// Whether the vendor sent nothing about this party.
    pub fn is_empty(&self) -> bool {
        *self == Party::default()
    }
}
