//! The one invoice type every provider is mapped to.

use chrono::NaiveDate;
use serde_json::value::RawValue;

use super::{Currency, FieldProblem, Line, Party, Provider, Status, Timestamp, Totals};
use crate::error::{Error, Result};

/// An invoice from any provider.
///
/// Fields the vendor does not send are `None` or empty, never filled with
/// a guess; the crate docs have a table of where each field comes from per
/// provider. The vendor's JSON for the invoice is kept verbatim in
/// [`Invoice::raw`] for anything the model leaves out.
///
/// A vendor field that cannot be mapped (an unreadable date, a currency
/// that is not a code, an amount that does not fit, amounts in different
/// currencies that would have to be added) leaves its model field empty
/// and is listed in [`Invoice::problems`]; the rest of the invoice is
/// mapped as usual. [`Invoice::require_complete`] turns an invoice with
/// problems into an error.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Invoice {
    /// The API the invoice came from.
    pub provider: Provider,
    /// The vendor's id of the invoice, as text (Sendcloud's integer ids in
    /// decimal). With [`Invoice::provider`] it identifies the invoice; pass
    /// it to [`Source::get`](crate::Source::get).
    pub id: String,
    /// The invoice number or reference printed on the invoice.
    pub number: Option<String>,
    /// The vendor's kind or category of invoice, as the vendor writes it
    /// (Sendcloud v2 `type`, Sendcloud v3 `category`, Kitchen `type`).
    pub kind: Option<String>,
    /// The status in one vocabulary for every vendor.
    pub status: Status,
    /// The vendor's own status value, as received; `None` where the vendor
    /// sends no status text (Sendcloud v2's boolean `isPayed`, Sendcloud v3).
    pub vendor_status: Option<String>,
    /// The issue date, in the vendor's own offset.
    pub issue_date: Option<NaiveDate>,
    /// The issue timestamp as the vendor sent it.
    pub issued_at: Option<Timestamp>,
    /// The due date, in the vendor's own offset.
    pub due_date: Option<NaiveDate>,
    /// The due timestamp as the vendor sent it.
    pub due_at: Option<Timestamp>,
    /// When the vendor created the invoice record.
    pub created_at: Option<Timestamp>,
    /// When the invoice was paid, where the vendor says (Kitchen).
    pub paid_at: Option<Timestamp>,
    /// The invoice's currency, where the vendor gives one for the whole
    /// invoice (or the caller configured one, Sendcloud v2).
    pub currency: Option<Currency>,
    /// Document totals.
    pub totals: Totals,
    /// Lines, where the vendor sends them.
    pub lines: Vec<Line>,
    /// The seller or issuer.
    pub seller: Option<Party>,
    /// The buyer or customer.
    pub buyer: Option<Party>,
    /// Free text about the invoice (Sendcloud v3 `description`, Kitchen and
    /// Coinbase `memo`).
    pub description: Option<String>,
    /// The vendor's web page for the invoice (the page a customer pays
    /// on), where the vendor sends one.
    pub hosted_url: Option<String>,
    /// A link to the invoice's PDF, where the vendor sends one.
    pub pdf_url: Option<String>,
    /// Whether the document is a credit note, or an invoice the vendor marks
    /// as crediting the customer; amounts keep the sign the vendor gives
    /// them.
    pub credit_note: bool,
    /// The vendor's JSON for this invoice, byte for byte as received.
    pub raw: Box<RawValue>,
    /// The vendor fields that could not be mapped, each with the vendor's
    /// value and why; empty for an invoice mapped in full.
    pub problems: Vec<FieldProblem>,
}

impl Invoice {
    /// An invoice with only its identity and raw JSON; adapters fill the rest.
    pub(crate) fn new(provider: Provider, id: String, raw: Box<RawValue>) -> Self {
        Self {
            provider,
            id,
            number: None,
            kind: None,
            status: Status::Unknown,
            vendor_status: None,
            issue_date: None,
            issued_at: None,
            due_date: None,
            due_at: None,
            created_at: None,
            paid_at: None,
            currency: None,
            totals: Totals::default(),
            lines: Vec::new(),
            seller: None,
            buyer: None,
            description: None,
            hosted_url: None,
            pdf_url: None,
            credit_note: false,
            raw,
            problems: Vec::new(),
        }
    }

    /// Whether every vendor field was mapped ([`Invoice::problems`] is empty).
    pub fn is_complete(&self) -> bool {
        self.problems.is_empty()
    }

    /// The invoice if every vendor field was mapped, for callers that treat
    /// a partly mapped invoice as an error; see also
    /// [`InvoiceStream::require_complete`](crate::InvoiceStream::require_complete).
    ///
    /// # Errors
    /// [`Error::Incomplete`] with the whole invoice (its problems and raw
    /// JSON) when [`Invoice::problems`] is not empty.
    pub fn require_complete(self) -> Result<Self> {
        if self.is_complete() {
            Ok(self)
        } else {
            Err(Error::Incomplete(Box::new(self)))
        }
    }

    /// Sets the issue timestamp and the issue date taken from it.
    pub(crate) fn set_issued(&mut self, at: Option<Timestamp>) {
        self.issue_date = at.map(|at| at.date());
        self.issued_at = at;
    }

    /// Sets the due timestamp and the due date taken from it.
    pub(crate) fn set_due(&mut self, at: Option<Timestamp>) {
        self.due_date = at.map(|at| at.date());
        self.due_at = at;
    }
}
