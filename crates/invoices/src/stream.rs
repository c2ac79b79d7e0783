//! The stream type every listing returns, and how pages become one.

use std::future::{Future, ready};
use std::pin::Pin;

use futures::{Stream, StreamExt, TryStreamExt};
use invoicing_runtime::paging;

use crate::error::{Error, Result};
use crate::model::{Invoice, Status};

/// A stream of invoices: each item an invoice or the error that stopped
/// one invoice (or, ending the stream, a whole listing) from being read.
pub type InvoiceStream = Pin<Box<dyn Stream<Item = Result<Invoice>> + Send>>;

/// What a caller can do with an [`InvoiceStream`] beyond [`Stream`].
pub trait InvoiceStreamExt {
    /// The same stream with every invoice that has
    /// [field problems](crate::FieldProblem) turned into an
    /// [`Error::Incomplete`] item (carrying the invoice), for callers that
    /// accept only fully mapped invoices. See [`Invoice::require_complete`].
    fn require_complete(self) -> InvoiceStream;
}

impl InvoiceStreamExt for InvoiceStream {
    fn require_complete(self) -> InvoiceStream {
        Box::pin(self.map(|item| item.and_then(Invoice::require_complete)))
    }
}

/// One fetched page: every invoice on it, each read or failed on its own,
/// and the state to fetch the next page from (`None` after the last page).
pub(crate) type Page<S> = (Vec<Result<Invoice>>, Option<S>);

/// The invoices of the pages `fetch` returns, starting from `first`,
/// fetched lazily one page at a time, keeping only those with `status`
/// when one is given.
pub(crate) fn paged<S, F, Fut>(first: S, status: Option<Status>, fetch: F) -> InvoiceStream
where
    S: Send + 'static,
    F: FnMut(S) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<S>>> + Send + 'static,
{
    let invoices = paging::items(first, fetch)
        // A page's own failure and one invoice's failure are both items.
        .map(|item: Result<Result<Invoice>, Error>| item.and_then(|invoice| invoice))
        .try_filter(move |invoice| ready(status.as_ref().is_none_or(|s| *s == invoice.status)));
    Box::pin(invoices)
}
