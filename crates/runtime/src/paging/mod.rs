//! Following pages: one paging loop for every paged operation, guarded
//! against vendor faults, delivering every item exactly once, resumable
//! from a checkpoint.
//!
//! Each vendor pages its own way (Sendcloud v3 by a cursor in the `Link`
//! header, Kitchen by page number, Coinbase by a `nextPageToken` in the
//! body); a generated crate declares which way per operation ([`Rules`],
//! [`PagingStyle`]) and reads each page into a [`Fetched`] (a cursor that is the
//! page's last item id, while a flag says more follow, is read with
//! [`next_after_last`]). [`Listing`] does the
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
//! - **Exactly once**, when items have ids ([`Listing::with_ids`]): see
//!   [the invariant](#the-invariant) below.
//! - **Resumable.** [`Listing::checkpoint`] is a small serialisable
//!   [`ListingCheckpoint`] of what the consumer has taken (down to the item, in
//!   the middle of a page); a listing started from it delivers every item
//!   after it exactly once, under the same rules.
//!
//! # The invariant
//!
//! For any sequence of responses, with ids: **every item a page read
//! forward serves is delivered, or was delivered earlier in this listing,
//! or the listing ends with an error item naming the page.** And no id is
//! delivered twice in a listing. The vendor is not trusted to make that
//! true; the loop keeps it whatever the vendor sends:
//!
//! - **Delivered earlier is proven, never guessed.** The listing remembers
//!   an 8-byte hash of every id it delivered (SipHash with keys random per
//!   listing). An item is left out only when its id is in that set: a
//!   repeat on the same page, on the previous page after the list grew at
//!   its head, or pages apart (skipped and counted,
//!   [`Listing::duplicates`]). The set's memory grows with the listing and
//!   is bounded: at most [`DEFAULT_MAX_IDS`] ids (2,000,000) per listing,
//!   [`Listing::max_ids`] to change it, then [`Problem::IdBudget`]. Its
//!   cost: a hash table of 8-byte keys, 9 bytes a slot, slots a power of
//!   two at most 7/8 full: **1.2 MiB for 100,000 invoices, 18 MiB for
//!   1,000,000** (36 MiB at the budget), half as much again for a moment
//!   while the table doubles. Measured peak rise of resident memory over a
//!   whole listing, two pages of items included (`tests/memory.rs`): 3.1
//!   MiB for 100,000 invoices, 28 MiB for 1,000,000. Two different ids
//!   share a hash with a probability of
//!   about n²/2⁶⁵ for n ids (3·10⁻⁸ at a million): then one would be
//!   skipped as a repeat.
//! - **A shift is followed or refused, never skipped over.** Under page
//!   numbers or offsets the list can shift between two reads. Items before
//!   the item taken last (the anchor) on the next page are left out only
//!   when delivered; items never delivered there are delivered too when the
//!   vendor's count grew by at least as many (new items at the head), and
//!   otherwise end the listing with [`Problem::ItemsOutOfPlace`] (the list
//!   was reordered: an item may have moved back to a page already read). A
//!   page without the anchor while the count changed (items deleted before
//!   it) sends the listing to the page where the count puts the anchor.
//! - **A relocation page that does not hold the anchor is an error**
//!   ([`Problem::ListChanged`], or [`Problem::AnchorLost`] when the count
//!   is unknown there), never the end of the list, whatever it holds.
//! - **Relocation cannot loop.** A relocation is read at most once per
//!   anchor: a second one before any new item is delivered is
//!   [`Problem::ListChanged`]. Every relocation that succeeds delivers or
//!   passes the anchor, so the listing always moves on (or ends on an
//!   error, or on the page budget).
//! - **Without a vendor count, each page is checked again.** Under page
//!   numbers or offsets, a vendor that sends no count shows no sign of
//!   items deleted before the position (they shift items of the next page
//!   onto the page already read). So once a page read forward is taken,
//!   the page read forward before it is read again: at least one of its
//!   ids must still be on it (else [`Problem::AnchorLost`]), and any item
//!   on it not delivered yet (shifted onto it) is delivered then. Cost: one
//!   request more per page (2n - 1 requests for n pages read forward, an
//!   empty last page included), only for such vendors; a vendor count
//!   replaces it.
//! - **What a page read forward served is owed.** The ids of a page left
//!   for a relocation are owed until delivered; a listing that would end
//!   with some still owed ends with [`Problem::ItemsVanished`] instead.
//! - **Vendor counts are facts to check, never reasons to skip or end.** A
//!   count, page number or last page that is negative or not a number is
//!   unknown ([`lenient_count`]); a last page before a page that has items,
//!   or a count smaller than the items up to the page's end, is unknown
//!   too, so the listing goes on until a page says it is the last in a way
//!   its items agree with (an empty page, the last page number, the count
//!   reached, no next cursor). A page number other than the one asked for
//!   is [`Problem::IgnoresPage`].
//!
//! Limits: items inserted or deleted in numbers that keep the count
//! unchanged, and items that move back past the anchor to a page already
//! read, are not seen (they never appear on a page read forward); without
//! ids only repeated pages are caught; a listing resumed from a
//! [`ListingCheckpoint`] is a new listing that knows only the checkpoint's last
//! ids (and does not check again the page before the checkpoint's). `tests/paging_model.rs` checks the invariant against an
//! adversarial vendor model (proptest) for every paging style.
//!
//! Memory, apart from the set of delivered ids: two pages of items (the
//! one being taken and the one read ahead), the ids of at most two pages,
//! the owed ids (a page per relocation) and an 8-byte hash per cursor
//! followed.

mod after_last;
mod core;
mod fetched;
mod flight;
mod lenient;
mod link;
mod listing;
mod position;
pub(crate) mod problem;
mod rules;

pub use after_last::{last_item_member, lenient_flag, next_after_last};
pub use core::IdOf;
pub use fetched::Fetched;
pub use lenient::{lenient_count, lenient_text};
pub use link::{cursor_from_link, next_in_link, next_link};
pub use listing::{Listing, Page, Pages};
pub use position::{ListingCheckpoint, Position};
pub use problem::{Problem, list_of};
pub use rules::{DEFAULT_MAX_IDS, DEFAULT_MAX_PAGES, PagingStyle, Rules};
