//! The paging loop: a lazy stream of a listing's items (or whole pages),
//! fetching the next page while the current one is taken (read ahead) and
//! saying at any moment what was taken.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures::{FutureExt, Stream};
use tracing::Instrument as _;

use super::core::{Core, IdOf};
use super::fetched::Fetched;
use super::flight::{Fetching, Flight};
use super::position::{ListingCheckpoint, Position};
use super::rules::Rules;
use crate::error::Error;

type Fetch<'a, T> = Box<dyn FnMut(Position) -> Fetching<'a, T> + Send + 'a>;

/// Every item of a listing, page after page: a [`Stream`] of
/// `Result<T, Error>` that holds at most two pages, the one being taken
/// and the next one, fetched meanwhile ([`Listing::read_ahead`]).
///
/// Generated crates return one from `.stream()` on every paged operation;
/// [`Listing::new`] builds one around any fetch. The loop guards against
/// vendor faults ([`Problem`](super::Problem)): a cursor seen before in the
/// listing, an empty page that is not the last, a `Link` header it cannot
/// read, a vendor that ignores the page parameter or repeats pages, a list
/// that changed beyond recovery (the item taken last lost, items served and
/// never served again), the page budget ([`Listing::max_pages`]) and the
/// budget of ids remembered ([`Listing::max_ids`]). Each is an `Err` item
/// naming provider, operation and page, after which the stream ends; so
/// does a failed fetch. With ids, the listing keeps the invariant stated in
/// the [module docs](super#the-invariant).
///
/// [`Listing::checkpoint`] says what was taken so far; a listing built
/// from it (`.stream_from(checkpoint)` on a generated builder) delivers
/// every item not yet taken, exactly once. [`Listing::pages`] hands out
/// whole pages, each with the checkpoint after it.
///
/// # Read ahead
///
/// While the consumer takes the items of page k, page k+1 is already being
/// fetched (never more than one page ahead), so the vendor's response time
/// overlaps with the consumer's own work. The fetch ahead progresses as
/// the stream is polled (the connection itself is driven by the async
/// runtime, so a request sent goes on being answered between polls), and
/// its page is taken in only once page k is used up: the
/// checkpoint, the exactly-once checks and errors are exactly as without
/// it. An error fetching page k+1 comes after every item of page k and
/// names page k+1. A page fetched ahead that failed for a reason that may
/// pass (a timeout, a dropped connection, a rate limit or server error
/// after the retries) is fetched once more when it is needed: its time may
/// have run out while the consumer held on to page k. Dropping the stream
/// cancels the fetch in flight; a consumer that stops after page k has
/// made one request more than it used. [`Listing::read_ahead`] turns it
/// off.
pub struct Listing<'a, T> {
    core: Core<T>,
    fetch: Fetch<'a, T>,
    /// The page being fetched: the one the consumer waits for, or the one
    /// after the page it is taking.
    flight: Option<Flight<'a, T>>,
    read_ahead: bool,
}

impl<'a, T: Send + 'a> Listing<'a, T> {
    /// A listing that pages by `rules`, from `from` (the start, or a
    /// checkpoint), fetching each page with `fetch`.
    ///
    /// ```
    /// # async fn demo() -> Result<(), invoicing_runtime::Error> {
    /// use futures::TryStreamExt;
    /// use invoicing_runtime::ProviderId;
    /// use invoicing_runtime::paging::{ListingCheckpoint, Fetched, Listing, Position, Rules, PagingStyle};
    ///
    /// // Three pages of two numbers, by page number; the last page says so.
    /// let rules = Rules::new(ProviderId::new("example"), "list_numbers", PagingStyle::Page { first: 1 });
    /// let listing = Listing::new(rules, ListingCheckpoint::start(), |at| async move {
    ///     let Position::Page(page) = at else { unreachable!() };
    ///     let items = vec![page * 10, page * 10 + 1];
    ///     Ok(Fetched::new(items).last_page(Some(3)))
    /// });
    /// let all: Vec<u64> = listing.try_collect().await?;
    /// assert_eq!(all, [10, 11, 20, 21, 30, 31]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new<F, Fut>(rules: Rules, from: ListingCheckpoint, mut fetch: F) -> Self
    where
        F: FnMut(Position) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Fetched<T>, Error>> + Send + 'a,
    {
        Self {
            core: Core::new(rules, from),
            fetch: Box::new(move |at| fetch(at).boxed()),
            flight: None,
            read_ahead: true,
        }
    }

    /// Whether to fetch the next page while the current one is taken (on
    /// by default): memory then holds two pages instead of one, and the
    /// vendor's response time overlaps with the consumer's work. Off, a
    /// page is fetched only once the one before it is used up.
    pub fn read_ahead(mut self, on: bool) -> Self {
        self.read_ahead = on;
        self
    }

    /// Recognises items by `id_of` (e.g. the `id` field), which turns on
    /// the exactly-once checks: items already taken are never delivered
    /// again, and a list that changes while it is read is followed (see
    /// the [module docs](super)).
    pub fn with_ids(mut self, id_of: IdOf<T>) -> Self {
        self.core.set_id_of(id_of);
        self
    }

    /// Fetches at most `pages` pages (re-reads included), then stops with
    /// [`Problem::PageBudget`](super::Problem::PageBudget); the default is
    /// [`DEFAULT_MAX_PAGES`](super::DEFAULT_MAX_PAGES).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.core.set_max_pages(pages);
        self
    }

    /// Remembers at most `ids` delivered ids (an 8-byte hash each) to prove
    /// that none comes twice, then stops with
    /// [`Problem::IdBudget`](super::Problem::IdBudget); the default is
    /// [`DEFAULT_MAX_IDS`](super::DEFAULT_MAX_IDS).
    pub fn max_ids(mut self, ids: u64) -> Self {
        self.core.set_max_ids(ids);
        self
    }

    /// How many items were skipped so far because an item with the same
    /// id was delivered before in this listing (the vendor served it
    /// twice, on one page or pages apart).
    pub fn duplicates(&self) -> u64 {
        self.core.duplicates()
    }

    /// What the consumer has taken so far: resuming from it delivers every
    /// item not yet taken, exactly once. Cheap (a few ids); call it after
    /// handling each item or page.
    pub fn checkpoint(&self) -> ListingCheckpoint {
        self.core.checkpoint().clone()
    }

    /// The operation's paging rules.
    pub fn rules(&self) -> &Rules {
        self.core.rules()
    }

    /// The same listing as a stream of whole pages, each with its position
    /// and the checkpoint after it.
    pub fn pages(self) -> Pages<'a, T> {
        Pages { listing: self }
    }

    /// Fetches and takes in the next page: `None` when the listing is over.
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(), Error>>> {
        loop {
            // The page the listing reads next; the same on every poll until
            // its fetch is taken in.
            let at = match self.core.next_fetch() {
                Ok(Some(at)) => at,
                Ok(None) => return Poll::Ready(None),
                Err(err) => return Poll::Ready(Some(Err(err))),
            };
            let flight = match &mut self.flight {
                Some(flight) if flight.at == at => flight,
                _ => {
                    let fetch = self.fetch_at(&at);
                    self.flight.insert(Flight::new(at, fetch, false))
                }
            };
            let fetched = ready!(flight.poll_result(cx));
            let ahead = flight.ahead;
            self.flight = None;
            let taken_in = match fetched {
                Ok(fetched) => {
                    let accepted = self.core.accept(fetched);
                    if accepted.is_ok() {
                        self.fetch_ahead(cx);
                    }
                    accepted
                }
                // Fetched again, now that it is needed (see the type's docs).
                Err(err) if ahead && err.is_transient() => continue,
                Err(err) => Err(self.core.fetch_failed(err)),
            };
            return Poll::Ready(Some(taken_in));
        }
    }

    /// The fetch of the page at `at`, in a span naming provider, operation
    /// and page (a vendor's cursor as the listing quotes it in errors).
    fn fetch_at(&mut self, at: &Position) -> Fetching<'a, T> {
        let rules = self.core.rules();
        let span = tracing::info_span!(
            "invoicing.page",
            provider = rules.provider.as_str(),
            operation = rules.operation,
            page = %at,
        );
        (self.fetch)(at.clone()).instrument(span).boxed()
    }

    /// Starts fetching the page after the one just taken in, when the
    /// listing goes on and read ahead is on.
    fn fetch_ahead(&mut self, cx: &mut Context<'_>) {
        if !self.read_ahead || self.flight.is_some() {
            return;
        }
        if let Some(at) = self.core.ahead() {
            let fetch = self.fetch_at(&at);
            let mut flight = Flight::new(at, fetch, true);
            // Starts the request now, not when the page is needed: on a
            // connection kept alive it goes out at once.
            flight.advance(cx);
            self.flight = Some(flight);
        }
    }

    /// Drives the fetch ahead, if any, while the consumer takes items.
    fn advance_ahead(&mut self, cx: &mut Context<'_>) {
        if let Some(flight) = &mut self.flight {
            flight.advance(cx);
        }
    }
}

// Items are only ever moved, never pinned, so a listing may move whatever
// they are.
impl<T> Unpin for Listing<'_, T> {}

impl<'a, T: Send + 'a> Stream for Listing<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.core.pop() {
                this.advance_ahead(cx);
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(this.poll_page(cx)) {
                Some(Ok(())) => {}
                Some(Err(err)) => return Poll::Ready(Some(Err(err))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T> fmt::Debug for Listing<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("rules", self.core.rules())
            .field("checkpoint", self.core.checkpoint())
            .field("read_ahead", &self.read_ahead)
            .finish_non_exhaustive()
    }
}

/// One page of a listing, as [`Pages`] hands it out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// Where the page is, in the vendor's terms.
    pub position: Position,
    /// Its items not delivered before (a page that repeats items of the
    /// previous one, because the list grew, holds only the new ones).
    pub items: Vec<T>,
    /// What has been taken once this page is: resume from it to go on
    /// after this page.
    pub checkpoint: ListingCheckpoint,
}

/// A listing's whole pages: a [`Stream`] of `Result<Page<T>, Error>`, from
/// [`Listing::pages`].
pub struct Pages<'a, T> {
    listing: Listing<'a, T>,
}

impl<T> Pages<'_, T> {
    /// What has been taken so far (the checkpoint of the last page handed
    /// out).
    pub fn checkpoint(&self) -> ListingCheckpoint {
        self.listing.core.checkpoint().clone()
    }
}

impl<'a, T: Send + 'a> Stream for Pages<'a, T> {
    type Item = Result<Page<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let listing = &mut self.get_mut().listing;
        loop {
            match ready!(listing.poll_page(cx)) {
                Some(Ok(())) => {
                    if let Some((position, items)) = listing.core.take_page() {
                        let checkpoint = listing.core.checkpoint().clone();
                        return Poll::Ready(Some(Ok(Page {
                            position,
                            items,
                            checkpoint,
                        })));
                    }
                }
                Some(Err(err)) => return Poll::Ready(Some(Err(err))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("listing", &self.listing)
            .finish()
    }
}
