//! An invoice's status, normalised across vendors.

use std::fmt;

/// Where an invoice stands, in one vocabulary for every vendor.
///
/// The vendor's own word is kept beside it in
/// [`Invoice::vendor_status`](crate::Invoice::vendor_status). A value a
/// vendor sends that this crate does not know becomes [`Status::Other`] with
/// the value as received, so a new vendor status is visible rather than
/// guessed at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Being prepared; not sent to the customer yet.
    Draft,
    /// Sent or finalised and awaiting payment.
    Open,
    /// Set to be sent at a later date (Coinbase `SCHEDULED`).
    Scheduled,
    /// Paid in full.
    Paid,
    /// Past its due date and unpaid, as the vendor reports it (this crate
    /// never compares due dates with the clock itself).
    Overdue,
    /// Cancelled; nothing is owed.
    Void,
    /// Given up on as uncollectible (Kitchen `uncollectible`).
    Uncollectible,
    /// The vendor sends no status for its invoices (Sendcloud v3), or left
    /// it out of this one (an optional field absent).
    Unknown,
    /// A status this crate does not know, exactly as the vendor sent it.
    Other(String),
}

impl Status {
    /// The status as a lower-case word (`paid`, `open`, ...); for
    /// [`Status::Other`] the vendor's value.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Scheduled => "scheduled",
            Status::Paid => "paid",
            Status::Overdue => "overdue",
            Status::Void => "void",
            Status::Uncollectible => "uncollectible",
            Status::Unknown => "unknown",
            Status::Other(value) => value,
        }
    }

    /// Whether nothing more is expected to happen to the invoice: paid,
    /// void or uncollectible.
    pub fn is_closed(&self) -> bool {
        matches!(self, Status::Paid | Status::Void | Status::Uncollectible)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
