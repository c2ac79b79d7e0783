//! What one vendor's mock is: its invoices, varied from its document's
//! example, and its list pages, served the vendor's way. One
//! implementation per provider, in `vendors/`.

/// One provider's mock.
pub trait Shape: Send + Sync + 'static {
    /// The provider's name, as in `specs/providers.toml` (`kitchen`).
    fn name(&self) -> &'static str;

    /// The list operation's path under the base URL (`/invoices`).
    fn list_path(&self) -> &'static str;

    /// Whether the vendor sends its whole list in one response, unpaged
    /// (Sendcloud v2).
    fn unpaged(&self) -> bool {
        false
    }

    /// Invoice number `i` as JSON text: the document's example with values
    /// that vary with `i` (amounts, dates, statuses), and an id of its own.
    fn invoice(&self, i: usize) -> String;

    /// Which page (from 1) a list request with query string `query` asks
    /// for, when the mock serves `per_page` invoices a page.
    fn page_asked(&self, query: &str, per_page: usize) -> usize;

    /// One list response.
    fn page(&self, page: &Page<'_>) -> Served;

    /// The variables the facade's adapter is built from against this mock
    /// (`invoicing::adapters::source_from_vars`): credentials of the
    /// provider's kind, and the vendor's own settings. Not secrets (the
    /// mock checks none), but handled as if they were.
    fn offline_vars(&self) -> Vec<(&'static str, String)>;
}

/// The page a [`Shape`] is to serve.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    /// The invoices of the page, as JSON objects joined with commas.
    pub items: &'a str,
    /// The page's number, from 1.
    pub number: usize,
    /// The number of the last page (1 for an empty list).
    pub last: usize,
    /// Invoices per page.
    pub per_page: usize,
    /// Invoices in the whole list.
    pub total: usize,
    /// The server's base URL, for links to other pages.
    pub base_url: &'a str,
}

impl Page<'_> {
    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        self.number < self.last
    }

    /// The index of the page's first invoice in the whole list.
    pub fn first_index(&self) -> usize {
        (self.number - 1) * self.per_page
    }
}

/// A response: its JSON body and any headers besides `content-type`.
#[derive(Debug, Clone, Default)]
pub struct Served {
    /// The JSON body.
    pub body: String,
    /// Headers to add (a `Link` header, ...).
    pub headers: Vec<(&'static str, String)>,
}

impl Served {
    /// A body and no headers.
    pub fn json(body: String) -> Self {
        Self {
            body,
            headers: Vec::new(),
        }
    }
}

/// The value of query parameter `name` in `query`, as sent (not decoded).
pub fn param<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query.split('&').find_map(|pair| {
        pair.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('='))
    })
}

/// `i` as an amount with cents, e.g. `1234.56`, varying with `i`.
pub fn amount(i: usize) -> String {
    format!("{}.{:02}", (i * 7919) % 100_000, (i * 31) % 100)
}

/// `i` as an amount in minor units (cents), varying with `i`.
pub fn minor_units(i: usize) -> u64 {
    ((i * 7919) % 100_000 * 100 + (i * 31) % 100) as u64
}

/// `i` as a day of 2026, `2026-MM-DD`, varying with `i`.
pub fn day(i: usize) -> String {
    format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28)
}
