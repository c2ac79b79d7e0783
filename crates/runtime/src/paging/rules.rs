//! How one operation pages, as its declaration says (generated crates
//! write one [`Rules`] per paged operation), and the small steps of a page
//! fetch that depend on it.

use std::str::FromStr;

use serde::de::DeserializeOwned;

use super::position::{Position, shortened};
use super::problem::Problem;
use crate::error::Error;
use crate::json;
use crate::origin::{Origin, ProviderId};
use crate::quote::excerpt;

/// The paging style of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingStyle {
    /// An opaque cursor or page token from the response (a body field or
    /// the `Link` header), passed back as received.
    Cursor,
    /// The next page's URL from the response, followed as received.
    Url,
    /// Page numbers, counting from `first`.
    Page {
        /// The number of the first page (usually 1).
        first: u64,
    },
    /// Offsets: how many items come before the page.
    Offset,
}

impl PagingStyle {
    /// The position of the first page.
    pub fn first(self) -> Position {
        match self {
            PagingStyle::Cursor | PagingStyle::Url => Position::Start,
            PagingStyle::Page { first } => Position::Page(first),
            PagingStyle::Offset => Position::Offset(0),
        }
    }

    /// Whether positions count items (page numbers, offsets), so that a
    /// list that changes between two reads shifts items across pages. A
    /// cursor or URL is a pivot the vendor keeps its place with.
    pub(crate) fn is_numbered(self) -> bool {
        matches!(self, PagingStyle::Page { .. } | PagingStyle::Offset)
    }
}

/// The default page budget: enough for millions of items at any page
/// size, and still a bound on a vendor that never stops.
pub const DEFAULT_MAX_PAGES: u64 = 100_000;

/// The default budget of ids one listing remembers to prove that no item
/// comes twice (an 8-byte hash each in a hash set: 1.2 MiB for 100,000
/// invoices, 18 MiB for 1,000,000, 36 MiB at this budget, half as much
/// again while the set grows; see [the invariant](super#the-invariant)); past
/// it the listing stops with [`Problem::IdBudget`](super::Problem::IdBudget)
/// ([`Listing::max_ids`](super::Listing::max_ids) changes it).
pub const DEFAULT_MAX_IDS: u64 = 2_000_000;

/// Everything the paging loop needs to know about one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The provider, for errors (e.g. `kitchen`).
    pub provider: ProviderId,
    /// The operation, for errors (e.g. `list_invoices`).
    pub operation: &'static str,
    /// How it pages.
    pub style: PagingStyle,
    /// The most pages one listing fetches (re-reads included) before it
    /// stops with [`Problem::PageBudget`](super::Problem::PageBudget).
    pub max_pages: u64,
}

impl Rules {
    /// The rules for `operation` of `provider`, paging in `style`, with the
    /// default page budget ([`DEFAULT_MAX_PAGES`]).
    pub const fn new(provider: ProviderId, operation: &'static str, style: PagingStyle) -> Self {
        Self {
            provider,
            operation,
            style,
            max_pages: DEFAULT_MAX_PAGES,
        }
    }
}

impl Rules {
    /// Where an error of this operation at page `at` happened.
    pub fn origin(&self, at: &Position) -> Origin {
        Origin::new(self.provider, Some(self.operation)).on_page(&at.to_string())
    }

    /// The error for `problem` at page `at` of this operation.
    pub fn error(&self, at: &Position, problem: Problem) -> Error {
        Error::Paging {
            origin: self.origin(at),
            problem,
        }
    }

    /// The value of the paging parameter for the page at `at`, as the
    /// builder holds it (`T`): `None` for the first page of a cursor or URL
    /// listing, which is asked for without one.
    ///
    /// # Errors
    /// [`Problem::WrongCheckpoint`] for a position of another style;
    /// [`Error::InvalidRequest`] when the parameter's type cannot hold it.
    pub fn param<T: FromStr>(&self, at: &Position) -> Result<Option<T>, Error> {
        let text = match (self.style, at) {
            (PagingStyle::Cursor | PagingStyle::Url, Position::Start)
            | (PagingStyle::Url, Position::Url(_)) => {
                return Ok(None);
            }
            (PagingStyle::Cursor, Position::Cursor(cursor)) => cursor.clone(),
            (PagingStyle::Page { .. }, Position::Page(number)) => number.to_string(),
            (PagingStyle::Offset, Position::Offset(offset)) => offset.to_string(),
            _ => return Err(self.error(at, Problem::WrongCheckpoint)),
        };
        text.parse().map(Some).map_err(|_| Error::InvalidRequest {
            origin: self.origin(at),
            message: format!("the paging parameter cannot take {:?}", shortened(&text)),
        })
    }

    /// The page envelope `P` of the page at `at`, read from its `body`.
    ///
    /// # Errors
    /// [`Error::InvalidResponse`] naming the JSON path of what did not
    /// match, e.g. a page without its list: never an empty page.
    pub fn decode<P: DeserializeOwned>(&self, at: &Position, body: &[u8]) -> Result<P, Error> {
        json::from_slice(body).map_err(|err| Error::InvalidResponse {
            origin: self.origin(at),
            status: None,
            detail: err.to_string(),
            excerpt: excerpt(body),
        })
    }

    /// The URL to fetch for the page at `at` of a URL listing: the vendor's
    /// next-page URL resolved against `here` (the operation's URL), `None`
    /// for the first page.
    ///
    /// # Errors
    /// [`Problem::ForeignUrl`] when the URL is not on `here`'s server (scheme,
    /// host and port): credentials go to the vendor's server only.
    pub fn follow(&self, at: &Position, here: &str) -> Result<Option<reqwest::Url>, Error> {
        let Position::Url(next) = at else {
            return Ok(None);
        };
        let foreign = || {
            self.error(
                at,
                Problem::ForeignUrl {
                    url: shortened(next),
                },
            )
        };
        let here = reqwest::Url::parse(here).map_err(|_| foreign())?;
        let url = here.join(next).map_err(|_| foreign())?;
        if url.origin() != here.origin() {
            return Err(foreign());
        }
        Ok(Some(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paging_parameter_takes_the_position_or_says_why_not() {
        let pages = Rules::new(ProviderId::new("p"), "op", PagingStyle::Page { first: 1 });
        assert_eq!(pages.param::<u64>(&Position::Page(3)).unwrap(), Some(3));
        let err = pages
            .param::<std::num::NonZeroU64>(&Position::Page(0))
            .unwrap_err();
        assert!(err.to_string().contains("cannot take \"0\""), "{err}");
        let err = pages
            .param::<u64>(&Position::Cursor("c".into()))
            .unwrap_err();
        assert!(matches!(
            err,
            Error::Paging {
                problem: Problem::WrongCheckpoint,
                ..
            }
        ));
        let cursors = Rules::new(ProviderId::new("p"), "op", PagingStyle::Cursor);
        assert_eq!(cursors.param::<String>(&Position::Start).unwrap(), None);
    }

    #[test]
    fn next_urls_are_followed_on_the_same_server_only() {
        let urls = Rules::new(ProviderId::new("p"), "op", PagingStyle::Url);
        let here = "https://api.test/v1/invoices";
        let follow = |next: &str| urls.follow(&Position::Url(next.into()), here);
        assert_eq!(
            follow("?page=2").unwrap().unwrap().as_str(),
            "https://api.test/v1/invoices?page=2"
        );
        assert_eq!(
            follow("/v1/invoices?after=x").unwrap().unwrap().as_str(),
            "https://api.test/v1/invoices?after=x"
        );
        for foreign in [
            "https://evil.test/v1/invoices",
            "http://api.test/v1/invoices",
            "//evil.test/x",
        ] {
            let err = follow(foreign).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Paging {
                        problem: Problem::ForeignUrl { .. },
                        ..
                    }
                ),
                "{foreign}: {err}"
            );
        }
        assert_eq!(urls.follow(&Position::Start, here).unwrap(), None);
    }
}
