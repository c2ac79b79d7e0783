//! Cursors that are the last item itself: the next page is asked for
//! "after" the id of the page's last item, while a body flag says more
//! items follow (e.g. `starting_after` and `has_more`).
//!
//! The list's items are generic in the generated `read_page` (the facade
//! keeps each one as raw JSON), so the last item's member is read from the
//! body on its own: only that item's JSON is parsed, the rest of the list
//! is skipped as raw text.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::problem::Problem;

/// A flag such as `has_more`: a boolean (or its text), else `None`. For
/// `#[serde(default, deserialize_with = "...")]`.
pub fn lenient_flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(flag) => Some(flag),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// The member `member` of the last item of the list at body path `items`:
/// `None` when the list is empty or missing, `Some(None)` when the last
/// item has no such member as a string or number.
pub fn last_item_member(body: &[u8], items: &[&str], member: &str) -> Option<Option<String>> {
    let text = std::str::from_utf8(body).ok()?;
    let mut here: &RawValue = serde_json::from_str(text).ok()?;
    for name in items {
        here = object_member(here, name)?;
    }
    let list: Vec<&RawValue> = serde_json::from_str(here.get()).ok()?;
    let last = list.last()?;
    let value = object_member(last, member).and_then(|raw| serde_json::from_str(raw.get()).ok());
    Some(match value {
        Some(Value::String(text)) if !text.is_empty() => Some(text),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    })
}

/// Member `name` of the JSON object `raw`, left unparsed.
fn object_member<'a>(raw: &'a RawValue, name: &str) -> Option<&'a RawValue> {
    let object: HashMap<Cow<'a, str>, &'a RawValue> = serde_json::from_str(raw.get()).ok()?;
    object.get(name).copied()
}

/// The next cursor of a page whose cursor is its last item's id (`last`,
/// as [`last_item_member`] reads it) and whose flag `more` says whether
/// more items follow, for [`Fetched::next`](super::Fetched::next).
///
/// - `more` false: the last page, whatever it holds.
/// - `more` true: the last item's id; an empty page is
///   [`Problem::EmptyPage`], a last item without an id
///   [`Problem::NoIdToFollow`]: never a silent end.
/// - `more` unknown (missing, or not a boolean): the listing goes on after
///   the last item, so a page with items never ends it; the first empty
///   page does (one request more than the flag would have taken).
///
/// # Errors
/// The [`Problem`] that stops the listing, as above.
pub fn next_after_last(
    more: Option<bool>,
    last: Option<Option<String>>,
) -> Result<Option<String>, Problem> {
    match (more, last) {
        (Some(false), _) | (None, None) => Ok(None),
        (Some(true), None) => Err(Problem::EmptyPage),
        (_, Some(Some(id))) => Ok(Some(id)),
        (_, Some(None)) => Err(Problem::NoIdToFollow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_items_member_is_read_alone() {
        let body = br#"{"object":"list","data":[{"id":"in_1"},{"id":"in_2","x":[1,{"id":"no"}]}],"has_more":true}"#;
        assert_eq!(
            last_item_member(body, &["data"], "id"),
            Some(Some("in_2".into()))
        );
        let nested = br#"{"page":{"items":[{"id":7}]}}"#;
        assert_eq!(
            last_item_member(nested, &["page", "items"], "id"),
            Some(Some("7".into()))
        );
        assert_eq!(last_item_member(br#"{"data":[]}"#, &["data"], "id"), None);
        assert_eq!(last_item_member(br#"{"other":[]}"#, &["data"], "id"), None);
        for no_id in [
            r#"{"data":[{"id":null}]}"#,
            r#"{"data":[{"id":""}]}"#,
            r#"{"data":[{}]}"#,
            r#"{"data":[3]}"#,
        ] {
            assert_eq!(
                last_item_member(no_id.as_bytes(), &["data"], "id"),
                Some(None),
                "{no_id}"
            );
        }
    }

    #[test]
    fn the_flag_says_whether_to_follow_the_last_id() {
        let id = || Some(Some("in_2".to_owned()));
        assert_eq!(next_after_last(Some(true), id()), Ok(Some("in_2".into())));
        assert_eq!(next_after_last(Some(false), id()), Ok(None));
        assert_eq!(next_after_last(Some(false), None), Ok(None));
        assert_eq!(next_after_last(Some(true), None), Err(Problem::EmptyPage));
        assert_eq!(
            next_after_last(Some(true), Some(None)),
            Err(Problem::NoIdToFollow)
        );
        // No flag: on after a page with items, the end at an empty one.
        assert_eq!(next_after_last(None, id()), Ok(Some("in_2".into())));
        assert_eq!(next_after_last(None, None), Ok(None));
        assert_eq!(
            next_after_last(None, Some(None)),
            Err(Problem::NoIdToFollow)
        );
    }

    #[test]
    fn odd_flags_are_unknown() {
        #[derive(Deserialize)]
        struct Page {
            #[serde(default, deserialize_with = "lenient_flag")]
            more: Option<bool>,
        }
        let read = |json: &str| serde_json::from_str::<Page>(json).unwrap().more;
        assert_eq!(read(r#"{"more": true}"#), Some(true));
        assert_eq!(read(r#"{"more": "false"}"#), Some(false));
        assert_eq!(read(r#"{"more": 1}"#), None);
        assert_eq!(read(r#"{"more": null}"#), None);
        assert_eq!(read("{}"), None);
    }
}
