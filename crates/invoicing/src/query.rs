//! What to list.

use crate::model::Status;

/// Options for [`Source::list`](crate::Source::list) and
/// [`Invoices::list`](crate::Invoices::list).
///
/// The default lists every invoice each vendor lists by default, in pages
/// of each vendor's default size.
///
/// ```
/// use invoicing::{ListQuery, Status};
/// let query = ListQuery::new().page_size(100).status(Status::Open);
/// assert_eq!(query.page_size, Some(100));
/// ```
///
/// Options only one vendor has are set on its adapter, e.g.
/// [`Kitchen::state`](crate::adapters::Kitchen::state).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListQuery {
    /// Invoices per request. `None` uses each vendor's default (Sendcloud
    /// v3: 100, Kitchen: 20, Coinbase: 20). A size outside a vendor's range
    /// is brought into it (Sendcloud v3: 1..=500, Kitchen and Coinbase:
    /// 1..=100); Sendcloud v2 does not page and ignores it. It only changes
    /// how many requests are made and how much memory one page takes, never
    /// which invoices are listed.
    pub page_size: Option<u32>,
    /// Only invoices with this normalised status. Coinbase filters on its
    /// server for the statuses its spec lists (`Draft`, `Open`, `Scheduled`,
    /// `Paid`, `Void`, `Overdue`; an `Other` value is not sent, as the
    /// generated client checks the parameter's enum); every provider's
    /// invoices are also filtered after mapping, so the result is the same
    /// everywhere. Sendcloud v3 invoices have [`Status::Unknown`].
    pub status: Option<Status>,
    /// The most pages one provider's listing fetches, re-reads included;
    /// past it the listing ends with an error item (resume from its
    /// checkpoint to go on). `None` keeps the runtime's default budget
    /// ([`DEFAULT_MAX_PAGES`](invoicing_runtime::paging::DEFAULT_MAX_PAGES)).
    pub max_pages: Option<u64>,
    /// Whether each provider's next page is fetched while its current one
    /// is taken (default `true`): the vendor's response time then overlaps
    /// with the caller's own work, and memory holds at most two pages per
    /// provider instead of one. Which invoices come, in which order, and
    /// every checkpoint are the same either way (see
    /// [`Listing`](invoicing_runtime::paging::Listing), which does it).
    pub read_ahead: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            page_size: None,
            status: None,
            max_pages: None,
            read_ahead: true,
        }
    }
}

impl ListQuery {
    /// The default query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`ListQuery::page_size`].
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Sets [`ListQuery::status`].
    pub fn status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets [`ListQuery::max_pages`].
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Sets [`ListQuery::read_ahead`].
    pub fn read_ahead(mut self, on: bool) -> Self {
        self.read_ahead = on;
        self
    }

    /// The page size to send to a vendor that accepts `1..=max`.
    pub(crate) fn page_size_up_to(&self, max: u32) -> Option<u64> {
        self.page_size.map(|size| u64::from(size.clamp(1, max)))
    }
}
