//! The facade's one error type.

use crate::model::Provider;

/// Everything that can go wrong listing or fetching invoices.
///
/// API failures (HTTP statuses, transport, credentials) are the runtime's
/// [`invoicing_runtime::Error`], which names provider and operation and
/// quotes the vendor's message. The other variants are the facade's own:
/// a response or field it cannot read, or an operation a vendor lacks.
/// No variant ever contains credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API call failed: see [`invoicing_runtime::Error`].
    #[error(transparent)]
    Api(#[from] invoicing_runtime::Error),

    /// A response body, or one invoice in it, is not the JSON the
    /// vendor's spec describes. An invoice that fails is reported alone;
    /// the rest of its page is still listed.
    #[error(
        "{provider} {operation}: cannot decode {}: {detail}; JSON starts {excerpt:?}",
        item.as_deref().unwrap_or("the response body")
    )]
    Decode {
        /// The provider.
        provider: Provider,
        /// The operation id, e.g. `list_invoices`.
        operation: &'static str,
        /// Which invoice, e.g. `invoice at index 2 (id "in_1")`; `None`
        /// when the page itself could not be read.
        item: Option<String>,
        /// What did not match (serde's message, with line and column).
        detail: String,
        /// The first ~300 characters of the JSON that failed.
        excerpt: String,
    },

    /// An invoice decoded, but one of its fields cannot be turned into the
    /// model without guessing: an amount with more digits than an exact
    /// decimal holds, an unreadable date, an invalid currency code,
    /// amounts in different currencies that would have to be added.
    #[error("{provider} invoice {invoice_id:?}: field `{field}`: {detail}")]
    Field {
        /// The provider.
        provider: Provider,
        /// The vendor's id of the invoice.
        invoice_id: String,
        /// The vendor's field, e.g. `price_taxable.value` or `items[2].quantity`.
        field: String,
        /// What is wrong with it.
        detail: String,
    },

    /// The vendor's pagination does not lead to a next page (a `next` link
    /// without a cursor, a cursor or token sent twice in a row). The page
    /// that carried it is still listed; then this error ends the listing,
    /// instead of a loop or a silent early end.
    #[error("{provider} {operation}: cannot follow pages: {detail}")]
    Paging {
        /// The provider.
        provider: Provider,
        /// The operation id.
        operation: &'static str,
        /// What was wrong.
        detail: String,
    },

    /// The vendor's API has no such operation (e.g. Coinbase Business has
    /// no endpoint for one invoice).
    #[error("{provider}: {operation} is not supported: {reason}")]
    Unsupported {
        /// The provider.
        provider: Provider,
        /// What was asked, e.g. `get`.
        operation: &'static str,
        /// Why, and what to do instead.
        reason: &'static str,
    },

    /// [`Invoices::get`](crate::Invoices::get) was asked for a provider no
    /// source was configured for.
    #[error("{provider}: no source is configured for this provider")]
    NotConfigured {
        /// The provider asked for.
        provider: Provider,
    },
}

impl Error {
    /// The provider the error belongs to, when it belongs to one of this
    /// crate's providers.
    pub fn provider(&self) -> Option<Provider> {
        match self {
            Error::Api(err) => err.origin().provider.parse().ok(),
            Error::Decode { provider, .. }
            | Error::Field { provider, .. }
            | Error::Paging { provider, .. }
            | Error::Unsupported { provider, .. }
            | Error::NotConfigured { provider } => Some(*provider),
        }
    }

    /// Whether trying the same call later may succeed (rate limits, server
    /// and transport errors).
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Api(err) if err.is_transient())
    }
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
