//! One fetched page as the paging loop sees it: its items and what the
//! vendor said about the pages around it.

use super::problem::Problem;

/// One page as a fetch returns it to [`Listing`](super::Listing): the items
/// in the vendor's order and the paging facts the response carried.
///
/// Generated crates build it from the fields their declaration names;
/// which facts matter depends on the [`PagingStyle`](super::PagingStyle): `next` for
/// cursors and URLs, `last_page`/`current_page` for page numbers, `total`
/// for page numbers and offsets.
#[derive(Debug)]
pub struct Fetched<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next: Result<Option<String>, Problem>,
    pub(crate) last_page: Option<u64>,
    pub(crate) current_page: Option<u64>,
    pub(crate) total: Option<u64>,
    pub(crate) fingerprint: Option<u64>,
}

impl<T> Fetched<T> {
    /// A page holding `items`, with no paging facts yet.
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            next: Ok(None),
            last_page: None,
            current_page: None,
            total: None,
            fingerprint: None,
        }
    }

    /// The next page's cursor, token or URL as the vendor sent it (`None`
    /// or an empty string: this is the last page), or why it could not be
    /// read (see [`next_in_link`](super::next_in_link)).
    pub fn next(mut self, next: Result<Option<String>, Problem>) -> Self {
        self.next = next.map(|next| next.filter(|next| !next.is_empty()));
        self
    }

    /// The number of the last page, as the vendor sent it.
    pub fn last_page(mut self, last_page: Option<u64>) -> Self {
        self.last_page = last_page;
        self
    }

    /// The number of this page, as the vendor sent it.
    pub fn current_page(mut self, current_page: Option<u64>) -> Self {
        self.current_page = current_page;
        self
    }

    /// The vendor's count of items in the whole list.
    pub fn total(mut self, total: Option<u64>) -> Self {
        self.total = total;
        self
    }

    /// A hash of the page's body, for operations whose items have no id:
    /// two pages in a row with the same body are a repeat
    /// ([`Problem::PagesRepeat`]).
    pub fn fingerprint(mut self, body: &[u8]) -> Self {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        self.fingerprint = Some(hasher.finish());
        self
    }

    /// The items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items, without the paging facts.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The same page with each item (and its index on the page) mapped by
    /// `map`, e.g. raw JSON to the caller's own type.
    pub fn map_items<U>(self, mut map: impl FnMut(usize, T) -> U) -> Fetched<U> {
        Fetched {
            items: self
                .items
                .into_iter()
                .enumerate()
                .map(|(index, item)| map(index, item))
                .collect(),
            next: self.next,
            last_page: self.last_page,
            current_page: self.current_page,
            total: self.total,
            fingerprint: self.fingerprint,
        }
    }
}
