//! The facade's one error type.

use invoicing_runtime::Origin;
use serde_json::value::RawValue;

use crate::model::{FieldProblem, Invoice, Provider};

/// Everything that can go wrong listing or fetching invoices.
///
/// API failures (HTTP statuses, transport, timeouts, credentials) are the
/// runtime's [`invoicing_runtime::Error`], which names provider and
/// operation and quotes the vendor's message. The other variants are the
/// facade's own: a response or invoice it cannot read, or an operation a
/// vendor lacks. Errors of a call carry the runtime's [`Origin`] either way,
/// so [`Error::origin`] and [`Error::provider`] work alike for all of them.
/// No variant ever contains credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API call failed, or the vendor's paging cannot be followed
    /// (see [`invoicing_runtime::Error::Paging`]: a cursor seen before, an
    /// empty page that is not the last, a list changed beyond recovery, the
    /// page budget, ...), naming the page.
    #[error(transparent)]
    Api(invoicing_runtime::Error),

    /// A response body, or one invoice in it, is not the JSON the
    /// vendor's spec describes. An invoice that fails is reported alone;
    /// the rest of its page is still listed.
    #[error(
        "{origin}: cannot decode {}: {detail}; JSON starts {excerpt:?}",
        item.as_deref().unwrap_or("the response body")
    )]
    Decode {
        /// The provider and operation (e.g. `list_invoices`).
        origin: Origin,
        /// Which invoice, e.g. `invoice at index 2 (id "in_1")`; `None`
        /// when the page itself could not be read.
        item: Option<Box<str>>,
        /// What did not match: the JSON path of the failing value, serde's
        /// message, line and column.
        detail: String,
        /// The start of the JSON that failed (about 1 KiB at most).
        excerpt: Box<str>,
        /// The vendor's whole JSON for the invoice that failed, byte for
        /// byte, so nothing the vendor sent is lost; `None` when the
        /// response body itself could not be read.
        raw: Option<Box<RawValue>>,
    },

    /// A `200` list response without its list of invoices: the list is
    /// missing or `null`, or the body is the vendor's error object. Never
    /// read as an empty page (an empty page is an empty list); the listing
    /// ends with this error.
    #[error("{origin}: {detail}; JSON starts {excerpt:?}")]
    MissingList {
        /// The provider, operation and page (e.g. `page 3`; no page for a
        /// body decoded with `decode_page`).
        origin: Origin,
        /// What was wrong, quoting the vendor's error when it sent one.
        detail: String,
        /// The start of the body (about 1 KiB at most).
        excerpt: Box<str>,
    },

    /// An invoice with [field problems](crate::FieldProblem), from
    /// [`Invoice::require_complete`](crate::Invoice::require_complete): the
    /// whole invoice, with what was mapped, its problems and its raw JSON.
    #[error("{} invoice {:?}: {}", .0.provider, .0.id, problems(&.0.problems))]
    Incomplete(Box<Invoice>),

    /// A [`Checkpoint`](crate::Checkpoint) resumed against other sources
    /// than the ones it was taken from.
    #[error("cannot resume: {detail}")]
    CheckpointMismatch {
        /// Which sources it is of, and which were asked.
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
    /// Where a call failed (provider, operation, page), for the errors that
    /// belong to one call.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            Error::Api(err) => Some(err.origin()),
            Error::Decode { origin, .. } | Error::MissingList { origin, .. } => Some(origin),
            Error::Incomplete(_)
            | Error::CheckpointMismatch { .. }
            | Error::Unsupported { .. }
            | Error::NotConfigured { .. } => None,
        }
    }

    /// The provider the error belongs to, when it belongs to one of this
    /// crate's providers.
    pub fn provider(&self) -> Option<Provider> {
        match self {
            Error::Incomplete(invoice) => Some(invoice.provider),
            Error::Unsupported { provider, .. } | Error::NotConfigured { provider } => {
                Some(*provider)
            }
            _ => self
                .origin()
                .and_then(|origin| Provider::from_id(origin.provider)),
        }
    }

    /// Whether trying the same call later may succeed (rate limits, server
    /// and transport errors).
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Api(err) if err.is_transient())
    }
}

impl From<invoicing_runtime::Error> for Error {
    /// The runtime's error, except a page without its list (or with the
    /// vendor's error object), which is [`Error::MissingList`].
    fn from(err: invoicing_runtime::Error) -> Self {
        use invoicing_runtime::paging::Problem;
        match err {
            invoicing_runtime::Error::Paging {
                origin,
                problem: problem @ (Problem::NoList { .. } | Problem::VendorError { .. }),
            } => {
                let excerpt = match &problem {
                    Problem::NoList { excerpt, .. } | Problem::VendorError { excerpt, .. } => {
                        excerpt.as_str().into()
                    }
                    _ => Box::default(),
                };
                Error::MissingList {
                    origin,
                    detail: problem.to_string(),
                    excerpt,
                }
            }
            other => Error::Api(other),
        }
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
