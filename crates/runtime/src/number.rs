//! An exact JSON number.
//!
//! Generated clients use [`Number`] wherever a spec says `type: number`, so
//! `675.65` or `123456789012345678901.25` reach the caller as the vendor wrote
//! them. `f64` would round; serde_json's `arbitrary_precision` feature would
//! keep the digits but breaks untagged and flattened serde types for every
//! crate in the build, so the text is captured with `RawValue` instead.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON number kept as the exact text it was received or built with.
///
/// Equality compares the text, so `1.0` and `1.00` differ: convert to a
/// decimal type (e.g. `rust_decimal::Decimal::from_str`) to compare values.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number(Box<str>);

/// The text given to [`Number::from_str`] is not a JSON number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a JSON number: {0:?}")]
pub struct NotANumber(String);

impl Number {
    /// The number as JSON text, exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest `f64`, for display or arithmetic where rounding is fine.
    pub fn to_f64(&self) -> f64 {
        // The text passed JSON number validation, which Rust's float parser
        // accepts in full (exponents included).
        self.0.parse().unwrap_or(f64::NAN)
    }
}

fn is_json_number(text: &str) -> bool {
    // RawValue validates JSON syntax; the first byte tells a number from a
    // string, literal, array or object.
    RawValue::from_string(text.to_owned()).is_ok()
        && matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9'))
}

impl FromStr for Number {
    type Err = NotANumber;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if is_json_number(text) {
            Ok(Self(text.into()))
        } else {
            Err(NotANumber(text.to_owned()))
        }
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Self {
        Self(value.to_string().into())
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Self(value.to_string().into())
    }
}

impl TryFrom<f64> for Number {
    type Error = NotANumber;

    /// Uses the shortest text that reads back as the same `f64`.
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        if value.is_finite() {
            // `{:?}` prints `1.0` for whole floats, which stays a JSON number.
            Ok(Self(format!("{value:?}").into()))
        } else {
            Err(NotANumber(value.to_string()))
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get().trim();
        if matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
            Ok(Self(text.into()))
        } else {
            Err(D::Error::custom(format_args!(
                "invalid type: expected a JSON number, found {text}"
            )))
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = RawValue::from_string(self.0.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    struct Priced {
        amount: Number,
    }

    #[test]
    fn keeps_the_exact_text_of_decimals_and_big_values() {
        for text in [
            "675.65",
            "0.1",
            "1240.5000",
            "-0.01",
            "123456789012345678901234567890.123456789",
            "1e-7",
        ] {
            let json = format!(r#"{{"amount":{text}}}"#);
            let priced: Priced = serde_json::from_str(&json).unwrap();
            assert_eq!(priced.amount.as_str(), text);
            assert_eq!(serde_json::to_string(&priced).unwrap(), json);
        }
    }

    #[test]
    fn rejects_non_numbers_with_a_clear_message() {
        let err = serde_json::from_str::<Priced>(r#"{"amount":"12.50"}"#).unwrap_err();
        assert!(err.to_string().contains("expected a JSON number"), "{err}");
        assert!("12,50".parse::<Number>().is_err());
        assert!("\"1\"".parse::<Number>().is_err());
        assert_eq!("12.50".parse::<Number>().unwrap().as_str(), "12.50");
    }

    #[test]
    fn converts_from_rust_numbers() {
        assert_eq!(Number::from(-42i64).as_str(), "-42");
        assert_eq!(Number::try_from(0.1f64).unwrap().as_str(), "0.1");
        assert_eq!(Number::try_from(2.0f64).unwrap().as_str(), "2.0");
        assert!(Number::try_from(f64::NAN).is_err());
        assert_eq!("675.65".parse::<Number>().unwrap().to_f64(), 675.65);
    }
}
