//! Where a listing is: a page's position in the vendor's terms, and the
//! checkpoint a listing resumes from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a page is, in the vendor's own terms.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Position {
    /// The first page of a cursor, token or URL listing (it is asked for
    /// without a cursor).
    Start,
    /// A cursor or page token, exactly as the vendor sent it.
    Cursor(String),
    /// A page number.
    Page(u64),
    /// An offset: how many items come before the page.
    Offset(u64),
    /// The page's URL, exactly as the vendor sent it.
    Url(String),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Start => f.write_str("first page"),
            Position::Cursor(cursor) => write!(f, "cursor {:?}", shortened(cursor)),
            Position::Page(number) => write!(f, "page {number}"),
            Position::Offset(offset) => write!(f, "offset {offset}"),
            Position::Url(url) => write!(f, "page {:?}", shortened(url)),
        }
    }
}

/// Vendor cursors are opaque and may be long; messages quote at most this
/// many characters of one.
const QUOTED_CHARS: usize = 200;

/// `text` cut to [`QUOTED_CHARS`] characters.
pub(crate) fn shortened(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// What the consumer of a listing has taken so far: enough to resume it
/// after a crash or an error, delivering every item not yet taken exactly
/// once.
///
/// Small and serialisable (`serde`): the position of the page being read
/// (or of the next page, after a complete one), how many of its items were
/// taken, the ids of the items taken last (the previous page's and this
/// page's, never more than two pages'), and the vendor's item count when
/// last read. It describes what was *taken* from the stream, not what was
/// fetched, so a page read ahead and not yet consumed is read again on
/// resume.
///
/// [`ListingCheckpoint::default`] is the start of a listing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingCheckpoint {
    /// The page to read: partly taken when `taken > 0`; `None` before the
    /// first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) at: Option<Position>,
    /// Items of the page at `at` already taken (and skipped on resume when
    /// items have no ids).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) taken: u64,
    /// Ids of the items of the last complete page, then of the items taken
    /// from the page at `at`, in the vendor's order: the anchors a changed
    /// list is re-read against. The last one is the item taken last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) recent: Vec<String>,
    /// How many items the last complete page held.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) page_len: u64,
    /// The vendor's count of items in the whole list, when last read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) total: Option<u64>,
    /// The listing has ended: resuming it yields nothing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) done: bool,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl ListingCheckpoint {
    /// The start of a listing (the same as `ListingCheckpoint::default()`).
    pub fn start() -> Self {
        Self::default()
    }

    /// The page a resumed listing reads first; `None` at the start.
    pub fn position(&self) -> Option<&Position> {
        self.at.as_ref()
    }

    /// Whether the listing was read to its end.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// How many items of the page at [`ListingCheckpoint::position`] were taken.
    pub fn taken_on_page(&self) -> u64 {
        self.taken
    }
}

impl fmt::Display for ListingCheckpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.at, self.done) {
            (_, true) => f.write_str("the end of the listing"),
            (None, false) => f.write_str("the start of the listing"),
            (Some(at), false) if self.taken > 0 => {
                write!(f, "{at}, after {} item(s) taken", self.taken)
            }
            (Some(at), false) => write!(f, "{at}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_in_the_vendors_terms() {
        assert_eq!(Position::Page(3).to_string(), "page 3");
        assert_eq!(
            Position::Cursor("cD0x".into()).to_string(),
            r#"cursor "cD0x""#
        );
        assert_eq!(Position::Start.to_string(), "first page");
        let long = Position::Cursor("c".repeat(10_000)).to_string();
        assert!(long.len() < 220, "{long}");
    }

    #[test]
    fn checkpoints_round_trip_through_json_and_start_empty() {
        assert_eq!(
            serde_json::to_string(&ListingCheckpoint::start()).unwrap(),
            "{}"
        );
        let checkpoint = ListingCheckpoint {
            at: Some(Position::Cursor("cD0x".into())),
            taken: 2,
            recent: vec!["a".into(), "b".into()],
            page_len: 2,
            total: Some(40),
            done: false,
        };
        let json = serde_json::to_string(&checkpoint).unwrap();
        assert_eq!(
            json,
            r#"{"at":{"cursor":"cD0x"},"taken":2,"recent":["a","b"],"page_len":2,"total":40}"#
        );
        assert_eq!(
            serde_json::from_str::<ListingCheckpoint>(&json).unwrap(),
            checkpoint
        );
        assert_eq!(
            checkpoint.to_string(),
            r#"cursor "cD0x", after 2 item(s) taken"#
        );
    }
}
