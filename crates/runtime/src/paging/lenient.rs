//! Paging fields read leniently: a page whose count or cursor has another
//! type than declared (a negative page number, a token sent as a number)
//! still lists its items; the field is unknown, and the listing follows
//! the rule for a missing one, instead of failing the whole page.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A count of pages or items: a non-negative integer (or its text), else
/// `None`. For `#[serde(default, deserialize_with = "...")]`.
pub fn lenient_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A cursor, token or URL: a string, or a number's text, else `None`. For
/// `#[serde(default, deserialize_with = "...")]`.
pub fn lenient_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Meta {
        #[serde(default, deserialize_with = "lenient_count")]
        total: Option<u64>,
        #[serde(default, deserialize_with = "lenient_text")]
        next: Option<String>,
    }

    #[test]
    fn odd_values_are_unknown_not_errors() {
        let read = |json: &str| {
            let meta: Meta = serde_json::from_str(json).unwrap();
            (meta.total, meta.next)
        };
        assert_eq!(
            read(r#"{"total": 40, "next": "c"}"#),
            (Some(40), Some("c".into()))
        );
        assert_eq!(
            read(r#"{"total": "41", "next": 7}"#),
            (Some(41), Some("7".into()))
        );
        assert_eq!(read(r#"{"total": -3, "next": null}"#), (None, None));
        assert_eq!(read(r#"{"total": 1.5, "next": {"a": 1}}"#), (None, None));
        assert_eq!(read("{}"), (None, None));
    }
}
