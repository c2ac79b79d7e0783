//! The facade's one error type.

use serde_json::value::RawValue;

use crate::model::{FieldProblem, Invoice, Provider};

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
        /// The vendor's whole JSON for the invoice that failed, byte for
        /// byte, so nothing the vendor sent is lost; `None` when the
        /// response body itself could not be read.
        raw: Option<Box<RawValue>>,
    },

    /// A `200` list response without its list of invoices: the list is
    /// missing or `null`, or the body is the vendor's error object. Never
    /// read as an empty page (an empty page is an empty list); the listing
    /// ends with this error.
    #[error("{provider} {operation}{}: {detail}; JSON starts {excerpt:?}", page.as_ref().map(|page| format!(" ({page})")).unwrap_or_default())]
    MissingList {
        /// The provider.
        provider: Provider,
        /// The operation id, e.g. `list_invoices`.
        operation: &'static str,
        /// Which page, e.g. `page 3` or `page after cursor "cD0xMjM="`;
        /// `None` for a body decoded with `decode_page`.
        page: Option<String>,
        /// What was wrong, quoting the vendor's error when it sent one.
        detail: String,
        /// The first ~300 characters of the body.
        excerpt: String,
    },

    /// An invoice with [field problems](crate::FieldProblem), from
    /// [`Invoice::require_complete`](crate::Invoice::require_complete): the
    /// whole invoice, with what was mapped, its problems and its raw JSON.
    #[error("{} invoice {:?}: {}", .0.provider, .0.id, problems(&.0.problems))]
    Incomplete(Box<Invoice>),

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
            Error::Incomplete(invoice) => Some(invoice.provider),
            Error::Decode { provider, .. }
            | Error::MissingList { provider, .. }
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

/// `2 field problems: `a` = 1: why; `b`: why`.
fn problems(problems: &[FieldProblem]) -> String {
    let list: Vec<_> = problems.iter().map(ToString::to_string).collect();
    let noun = if list.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    format!("{} field {noun}: {}", list.len(), list.join("; "))
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
