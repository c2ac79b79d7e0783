//! Vendor faults that stop a listing, instead of a loop, a duplicate or a
//! silent early end.

use std::fmt;

use serde_json::value::RawValue;

use crate::quote::excerpt;

/// The list of a page body: `list` as decoded from its member `member`
/// (`None` when missing or `null`), unless the body carries the vendor's
/// error object `vendor_error`.
///
/// # Errors
/// [`Problem::VendorError`] when there is an error object (even beside a
/// list), [`Problem::NoList`] when there is no list: a body that says
/// something went wrong, or says nothing, is never an empty page.
pub fn list_of<T>(
    member: &str,
    list: Option<Vec<T>>,
    vendor_error: Option<&RawValue>,
    body: &[u8],
) -> Result<Vec<T>, Problem> {
    match (list, vendor_error) {
        (Some(list), None) => Ok(list),
        (_, Some(error)) => Err(Problem::VendorError {
            error: excerpt(error.get().as_bytes()),
            excerpt: excerpt(body),
        }),
        (None, None) => Err(Problem::NoList {
            member: member.to_owned(),
            excerpt: excerpt(body),
        }),
    }
}

/// Why a listing could not go on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The vendor sent a cursor, token or URL this listing already followed:
    /// following it would read the same pages again (a cycle such as
    /// A -> B -> A, or a cursor sent back unchanged).
    CursorRepeated,
    /// A `Link` header has a `next` relation this client cannot read, or its
    /// URL lacks the cursor parameter; ending there would drop every later
    /// page without a word.
    UnreadableLink {
        /// The header value (or link) as received, cut to a few hundred
        /// characters.
        link: String,
    },
    /// The next page's URL is on another server than the client's: it is
    /// not followed, so no credentials go anywhere else.
    ForeignUrl {
        /// The URL, cut to a few hundred characters.
        url: String,
    },
    /// A page without its list (the member is missing or `null`): a body
    /// that says nothing is never read as an empty page.
    NoList {
        /// The list's member, e.g. `data`.
        member: String,
        /// The start of the body (about 1 KiB).
        excerpt: String,
    },
    /// A `200` page that carries the vendor's error object instead of (or
    /// beside) its list.
    VendorError {
        /// The vendor's error, as sent (cut to about 1 KiB).
        error: String,
        /// The start of the body (about 1 KiB).
        excerpt: String,
    },
    /// A page with no items that the vendor says is not the last.
    EmptyPage,
    /// The vendor says more items follow, but the page's last item, whose
    /// id the next page is asked for after, has no id.
    NoIdToFollow,
    /// The vendor answered another page than the one asked for: it ignores
    /// the page parameter.
    IgnoresPage {
        /// The page asked for.
        asked: u64,
        /// The page the vendor says it sent.
        sent: u64,
    },
    /// A page brought nothing that was not on the page before, while the
    /// list did not grow: the vendor repeats pages (or ignores the paging
    /// parameter).
    PagesRepeat,
    /// The vendor's list changed while it was read (its count of items
    /// changed) and the items taken last cannot be found again, so this
    /// listing can no longer tell which items it would skip or repeat.
    /// Resuming from the last checkpoint, or listing again, reads it anew.
    ListChanged {
        /// The vendor's count when the previous page was read.
        before: u64,
        /// Its count now.
        now: u64,
    },
    /// The list changed while it was read, the page where the vendor's
    /// count puts the item taken last was read to find it, and it is not
    /// there: going on could skip or repeat items. Resuming from the last
    /// checkpoint, or listing again, reads it anew.
    AnchorLost {
        /// The page read to find it.
        looked_at: String,
    },
    /// Items the vendor served on a page read forward, before the listing
    /// read another page to follow a change of the list, were not served
    /// again before the listing's end: they were deleted meanwhile, or the
    /// vendor's paging lost them. Listing again reads the list anew.
    ItemsVanished {
        /// How many.
        count: u64,
    },
    /// The listing delivered as many items as it may remember to prove
    /// that none comes twice (an 8-byte hash each; see
    /// [`DEFAULT_MAX_IDS`](super::DEFAULT_MAX_IDS)); resume from the
    /// checkpoint to go on, or raise the budget.
    IdBudget {
        /// The budget, in ids.
        ids: u64,
    },
    /// A page has items never listed before items this listing already
    /// took, in a way the list's growth does not explain (the list was
    /// reordered, or changed beyond what its count shows): going on could
    /// skip them. Resuming from the last checkpoint, or listing again,
    /// reads it anew.
    ItemsOutOfPlace,
    /// The listing reached its page budget
    /// ([`Rules::max_pages`](super::Rules::max_pages)); resume from the
    /// checkpoint to go on.
    PageBudget {
        /// The budget, in pages fetched.
        pages: u64,
    },
    /// A checkpoint whose position does not belong to this operation's
    /// paging style (e.g. a page number for a cursor listing).
    WrongCheckpoint,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::CursorRepeated => f.write_str(
                "the vendor sent a next-page cursor this listing already followed (a cycle)",
            ),
            Problem::UnreadableLink { link } => {
                write!(f, "cannot read the `next` link of the Link header {link:?}")
            }
            Problem::ForeignUrl { url } => write!(
                f,
                "the next page {url:?} is on another server; it is not followed"
            ),
            Problem::NoList { member, .. } => {
                write!(f, "the response has no `{member}` list (missing or null)")
            }
            Problem::VendorError { error, .. } => {
                write!(
                    f,
                    "the vendor sent an error in a successful response: {error}"
                )
            }
            Problem::EmptyPage => {
                f.write_str("the page is empty, but the vendor says it is not the last")
            }
            Problem::NoIdToFollow => f.write_str(
                "the vendor says more items follow, but the page's last item has no id to ask \
                 for the items after",
            ),
            Problem::IgnoresPage { asked, sent } => write!(
                f,
                "asked for page {asked}, the vendor sent page {sent}: it ignores the page parameter"
            ),
            Problem::PagesRepeat => f.write_str(
                "the page repeats items already listed and the list did not grow: \
                 the vendor repeats pages",
            ),
            Problem::ListChanged { before, now } => write!(
                f,
                "the vendor's list changed while it was read ({before} items, now {now}) \
                 and the items listed last cannot be found again; resume from the last \
                 checkpoint or list again"
            ),
            Problem::AnchorLost { looked_at } => write!(
                f,
                "the vendor's list changed while it was read and the item listed last is not on \
                 {looked_at}, where the vendor's count puts it; resume from the last checkpoint \
                 or list again"
            ),
            Problem::ItemsVanished { count } => write!(
                f,
                "{count} item(s) served before the vendor's list changed were not served again \
                 before its end (deleted meanwhile, or lost by the vendor's paging); list again"
            ),
            Problem::IdBudget { ids } => write!(
                f,
                "the listing delivered {ids} items, as many as it remembers to prove none comes \
                 twice; resume from the checkpoint to go on"
            ),
            Problem::ItemsOutOfPlace => f.write_str(
                "the page has items not delivered before ahead of items already delivered (the \
                 list was reordered or changed while it was read); resume from the last \
                 checkpoint or list again",
            ),
            Problem::PageBudget { pages } => write!(
                f,
                "the page budget of {pages} pages is used up; resume from the checkpoint to go on"
            ),
            Problem::WrongCheckpoint => {
                f.write_str("the checkpoint does not belong to this operation's paging")
            }
        }
    }
}
