//! What every provider adapter offers.

use std::fmt;

use futures::future::BoxFuture;

use crate::checkpoint::Checkpoint;
use crate::error::Result;
use crate::model::{Invoice, Provider};
use crate::query::ListQuery;
use crate::stream::InvoiceStream;

/// One provider account's invoices.
///
/// Implemented by each adapter in [`adapters`](crate::adapters); object
/// safe, so [`Invoices`](crate::Invoices) can hold sources of different
/// providers. Invoices are built only by this crate's adapters, so a
/// caller's own `Source` wraps one (to add logging, caching, a rate limit).
pub trait Source: Send + Sync + fmt::Debug {
    /// The provider this source reads from.
    fn provider(&self) -> Provider;

    /// Every invoice matching `query`, page after page, each once.
    ///
    /// Lazy: nothing is requested until the stream is polled; then the
    /// next page is requested while the current one is taken
    /// ([`ListQuery::read_ahead`]), so memory holds at most two pages.
    /// An invoice with fields that cannot be mapped comes with
    /// [`Invoice::problems`]; one that cannot be read at all is an
    /// `Err` item and listing goes on; a failed request, a response
    /// without its list, or a paging fault of the vendor is an `Err` item
    /// that ends the stream, and [`InvoiceStream::checkpoint`] says where
    /// to resume.
    fn list(&self, query: &ListQuery) -> InvoiceStream {
        self.list_from(query, &Checkpoint::start())
    }

    /// The listing of [`Source::list`] resumed from `from` (a checkpoint of
    /// a stream of this source): every invoice not taken before it, exactly
    /// once. A checkpoint of other sources is an
    /// [`Error::CheckpointMismatch`](crate::Error::CheckpointMismatch) item.
    fn list_from(&self, query: &ListQuery, from: &Checkpoint) -> InvoiceStream;

    /// One invoice by the vendor's id ([`Invoice::id`]).
    ///
    /// # Errors
    /// [`Error::Unsupported`](crate::Error::Unsupported) where the vendor has
    /// no such endpoint (Coinbase Business); the API's errors otherwise, e.g.
    /// [`invoicing_runtime::Error::NotFound`] inside [`Error::Api`](crate::Error::Api).
    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Invoice>>;
}
