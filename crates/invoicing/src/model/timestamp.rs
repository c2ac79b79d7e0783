//! A point in time as the vendor wrote it.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// A vendor's timestamp, kept in the vendor's own offset.
///
/// Almost every vendor sends RFC 3339 with an offset ([`Timestamp::WithOffset`]).
/// Sendcloud v2 also sends `dd-mm-yyyy hh:mm:ss` with no zone at all; that
/// form is kept as [`Timestamp::Naive`] rather than assumed to be UTC or
/// the account's zone, which the API does not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Timestamp {
    /// A date-time with the offset the vendor sent.
    WithOffset(DateTime<FixedOffset>),
    /// A date-time the vendor sent without any zone or offset.
    Naive(NaiveDateTime),
}

impl Timestamp {
    /// The calendar date in the vendor's own offset: `2024-07-12T00:00:00+02:00`
    /// is 12 July, never the 11th as it would be in UTC.
    pub fn date(&self) -> NaiveDate {
        match self {
            Timestamp::WithOffset(at) => at.date_naive(),
            Timestamp::Naive(at) => at.date(),
        }
    }

    /// The date-time with its offset, when the vendor sent one.
    pub fn with_offset(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            Timestamp::WithOffset(at) => Some(*at),
            Timestamp::Naive(_) => None,
        }
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(at: DateTime<FixedOffset>) -> Self {
        Timestamp::WithOffset(at)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 for [`Timestamp::WithOffset`], `YYYY-MM-DDTHH:MM:SS` (no
    /// offset) for [`Timestamp::Naive`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timestamp::WithOffset(at) => f.write_str(&at.to_rfc3339()),
            Timestamp::Naive(at) => write!(f, "{}", at.format("%Y-%m-%dT%H:%M:%S%.f")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_stay_in_the_vendor_offset() {
        for (text, date) in [
            ("2024-07-12T00:00:00+00:00", "2024-07-12"),
            ("2024-07-12T00:00:00+02:00", "2024-07-12"),
            ("2024-07-12T23:30:00-05:00", "2024-07-12"),
        ] {
            let at = Timestamp::from(DateTime::parse_from_rfc3339(text).unwrap());
            assert_eq!(at.date().to_string(), date, "{text}");
        }
    }
}
