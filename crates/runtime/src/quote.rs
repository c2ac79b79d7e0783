//! Vendor text quoted in errors (messages, body excerpts), bounded to
//! about 1 KiB so no error grows with what a server sends.

use std::borrow::Cow;

/// How many bytes of vendor text an error quotes, cut at a character
/// boundary.
pub(crate) const QUOTE_LIMIT: usize = 1024;

/// `text` cut to at most about 1 KiB at a character boundary, with `…` when
/// something was cut.
pub(crate) fn bounded(text: &str) -> Cow<'_, str> {
    if text.len() <= QUOTE_LIMIT {
        return Cow::Borrowed(text);
    }
    let mut end = QUOTE_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &text[..end]))
}

/// The start of a body as text, for errors about bodies that could not be
/// read as expected: enough to recognise an HTML error page or a changed
/// shape. Only the first ~1 KiB is decoded, however large the body.
///
/// Every error that quotes a body uses this, the facade's included, so
/// excerpts are bounded the same way everywhere.
pub fn excerpt(body: &[u8]) -> String {
    // A few bytes past the limit, so a character cut by the slice is
    // dropped by `bounded` rather than shown as a replacement character.
    let head = &body[..body.len().min(QUOTE_LIMIT + 4)];
    let text = String::from_utf8_lossy(head);
    if head.len() < body.len() {
        let cut = bounded(&text);
        match cut {
            Cow::Owned(cut) => cut,
            Cow::Borrowed(all) => format!("{all}…"),
        }
    } else {
        bounded(&text).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_stop_at_a_character_boundary() {
        assert_eq!(bounded("short"), "short");
        let long = "é".repeat(1000);
        let cut = bounded(&long);
        assert!(cut.len() <= QUOTE_LIMIT + '…'.len_utf8(), "{}", cut.len());
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
        let cut = excerpt(long.as_bytes());
        assert!(cut.ends_with('…') && !cut.contains('\u{FFFD}'), "{cut}");
        assert!(cut.len() <= QUOTE_LIMIT + '…'.len_utf8());
        let huge = vec![b'x'; 10 << 20];
        assert_eq!(excerpt(&huge).len(), QUOTE_LIMIT + '…'.len_utf8());
    }
}
