//! Following pages: one paging loop for every paged operation, guarded
//! against vendor faults, delivering every item exactly once, resumable
//! from a checkpoint.
//!
//! Each vendor pages its own way (Sendcloud v3 by a cursor in the `Link`
//! header, Kitchen by page number, Coinbase by a `nextPageToken` in the
//! body); a generated crate declares which way per operation ([`Rules`],
//! [`Style`]) and reads each page into a [`Fetched`]. [`Listing`] does the
//! rest, the same for every vendor:
//!
//! - **Lazy, at most two pages in memory.** The first page is fetched
//!   when the stream is first polled; while the consumer takes the items
//!   of a page, the next one is fetched (read ahead, never further;
//!   [`Listing::read_ahead`] turns it off, leaving one page).
//! - **Guarded.** A cursor, token or URL followed before in the same
//!   listing (A -> B -> A, not only the previous one), an empty page the
//!   vendor says is not the last, a `Link` header with a `next` relation
//!   that cannot be read, a page other than the one asked for, pages that
//!   repeat, and the page budget each end the listing with an
//!   [`Error::Paging`](crate::Error::Paging) naming provider, operation and
//!   page ([`Problem`] says which). An empty page ends a listing only where
//!   the vendor gives no other sign of the last page (page numbers without
//!   a last page, offsets without a total).
//! - **Exactly once**, when items have ids ([`Listing::with_ids`]): an item
//!   is never delivered twice in a listing, even when the list grows at its
//!   head between two page reads (the page is read from after the last item
//!   taken) or, with page numbers or offsets and a vendor count of items,
//!   when items before the position are deleted (the page where the last
//!   item taken now is, is read again, once). When neither finds it, the
//!   listing stops with [`Problem::ListChanged`] rather than skip or repeat
//!   items silently. Limits: items inserted or deleted in numbers that keep
//!   the count unchanged are not seen as a change; items that move within
//!   the order are not followed; without ids only repeated pages are caught.
//! - **Resumable.** [`Listing::checkpoint`] is a small serialisable
//!   [`Checkpoint`] of what the consumer has taken (down to the item, in
//!   the middle of a page); a listing started from it delivers every item
//!   after it exactly once, under the same rules.
//!
//! Memory stays flat in the length of a listing: two pages of items (the
//! one being taken and the one read ahead), the ids of at most two pages,
//! and an 8-byte hash per cursor followed.

mod core;
mod fetched;
mod flight;
mod lenient;
mod link;
mod listing;
mod position;
mod problem;
mod rules;

pub use core::IdOf;
pub use fetched::Fetched;
pub use lenient::{lenient_count, lenient_text};
pub use link::{cursor_from_link, next_in_link, next_link};
pub use listing::{Listing, Page, Pages};
pub use position::{Checkpoint, Position};
pub use problem::{Problem, list_of};
pub use rules::{DEFAULT_MAX_PAGES, Rules, Style};
