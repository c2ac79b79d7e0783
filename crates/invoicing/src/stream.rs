//! The stream every listing returns: one source's listing, or several
//! merged, with what the consumer has taken so far.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};
use invoicing_runtime::paging::Listing;

use crate::checkpoint::Checkpoint;
use crate::error::{Error, Result};
use crate::model::{Invoice, Provider, Status};

/// A stream of invoices: each item an invoice or the error that stopped
/// one invoice (or, ending that source's part, a whole listing) from being
/// read.
///
/// Lazy: nothing is requested before the stream is polled; then each
/// source's next page is fetched while its current one is taken
/// ([`ListQuery::read_ahead`](crate::ListQuery::read_ahead)), so memory
/// holds at most two pages per source. With several sources, each one's
/// pages are requested while the others' are in flight, and invoices come
/// as they arrive (within one source, in the vendor's order). Dropping the
/// stream cancels the requests in flight.
/// [`InvoiceStream::checkpoint`] says at any moment what has been taken, to
/// resume from.
pub struct InvoiceStream {
    parts: Vec<Part>,
    /// The part polled first next time, so that no source starves.
    next: usize,
    complete_only: bool,
    /// A listing that could not start: its error (until yielded), and the
    /// checkpoint it was asked to resume, which stays its checkpoint.
    refused: Option<(Option<Error>, Checkpoint)>,
}

/// One source's listing within a stream.
struct Part {
    provider: Provider,
    status: Option<Status>,
    listing: Listing<'static, Result<Invoice>>,
}

impl InvoiceStream {
    /// The stream of one source's listing, keeping only invoices with
    /// `status` when one is given.
    pub(crate) fn listing(
        provider: Provider,
        listing: Listing<'static, Result<Invoice>>,
        status: Option<Status>,
    ) -> Self {
        Self::of(vec![Part {
            provider,
            status,
            listing,
        }])
    }

    /// A listing that cannot resume from `from`: it yields `err`, then
    /// ends, and its checkpoint stays `from`.
    pub(crate) fn refused(from: &Checkpoint, err: Error) -> Self {
        let mut stream = Self::of(Vec::new());
        stream.refused = Some((Some(err), from.clone()));
        stream
    }

    /// Several streams as one, polled in turn. When one of them refused its
    /// checkpoint, so does the whole.
    pub(crate) fn merge(streams: impl IntoIterator<Item = InvoiceStream>) -> Self {
        let mut merged = Self::of(Vec::new());
        for stream in streams {
            if stream.refused.is_some() {
                return stream;
            }
            merged.complete_only |= stream.complete_only;
            merged.parts.extend(stream.parts);
        }
        merged
    }

    fn of(parts: Vec<Part>) -> Self {
        Self {
            parts,
            next: 0,
            complete_only: false,
            refused: None,
        }
    }

    /// What the consumer has taken so far, per source: resuming from it
    /// ([`Source::list_from`](crate::Source::list_from),
    /// [`Invoices::list_from`](crate::Invoices::list_from)) delivers every
    /// invoice not taken yet, exactly once. Invoices left out by a status
    /// filter, and error items, count as taken.
    pub fn checkpoint(&self) -> Checkpoint {
        match &self.refused {
            Some((_, from)) => from.clone(),
            None => Checkpoint::of(
                self.parts
                    .iter()
                    .map(|part| (part.provider, part.listing.checkpoint())),
            ),
        }
    }

    /// The same stream with every invoice that has
    /// [field problems](crate::FieldProblem) turned into an
    /// [`Error::Incomplete`] item (carrying the invoice), for callers that
    /// accept only fully mapped invoices. See [`Invoice::require_complete`].
    pub fn require_complete(mut self) -> Self {
        self.complete_only = true;
        self
    }
}

impl Part {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Invoice>>> {
        loop {
            let item = match futures::ready!(self.listing.poll_next_unpin(cx)) {
                None => return Poll::Ready(None),
                // A page's failure and one invoice's failure are both items.
                Some(Err(err)) => Err(Error::from(err)),
                Some(Ok(item)) => item,
            };
            let wanted = match (&item, &self.status) {
                (Ok(invoice), Some(status)) => invoice.status == *status,
                _ => true,
            };
            if wanted {
                return Poll::Ready(Some(item));
            }
        }
    }
}

impl Stream for InvoiceStream {
    type Item = Result<Invoice>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some((err, _)) = &mut this.refused {
            return Poll::Ready(err.take().map(Err));
        }
        let count = this.parts.len();
        let mut pending = false;
        for offset in 0..count {
            let index = (this.next + offset) % count;
            match this.parts[index].poll_next(cx) {
                Poll::Ready(Some(item)) => {
                    this.next = (index + 1) % count;
                    let item = match this.complete_only {
                        true => item.and_then(Invoice::require_complete),
                        false => item,
                    };
                    return Poll::Ready(Some(item));
                }
                Poll::Ready(None) => {}
                Poll::Pending => pending = true,
            }
        }
        match pending {
            true => Poll::Pending,
            false => Poll::Ready(None),
        }
    }
}

impl fmt::Debug for InvoiceStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvoiceStream")
            .field("checkpoint", &self.checkpoint())
            .finish_non_exhaustive()
    }
}
