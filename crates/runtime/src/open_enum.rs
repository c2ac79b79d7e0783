//! Decoding and encoding a generated open string enum through its `FromStr`
//! and `Display`, which know every listed value and keep any other in the
//! enum's `Unknown` variant.
//!
//! serde's derive for such an enum (listed variants plus an untagged
//! catch-all) buffers each value and tries the variants in turn: a large
//! deserializer per enum, and a vendor's document has hundreds of enums.
//! One generic visitor here does the same job, so a generated crate
//! compiles that code once.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer};

/// Deserializes `T` from a JSON string with `T::from_str` (for an open
/// enum, which accepts every string); anything but a string is an error.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    deserializer.deserialize_str(Visitor(PhantomData))
}

struct Visitor<T>(PhantomData<T>);

impl<T> de::Visitor<'_> for Visitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Status {
        Paid,
        Unknown(String),
    }

    impl FromStr for Status {
        type Err = std::convert::Infallible;
        fn from_str(value: &str) -> Result<Self, Self::Err> {
            Ok(match value {
                "paid" => Status::Paid,
                other => Status::Unknown(other.to_owned()),
            })
        }
    }

    fn decode(json: &str) -> Result<Status, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        deserialize(&mut de)
    }

    #[test]
    fn listed_and_unlisted_values_decode_and_other_types_do_not() {
        assert_eq!(decode(r#""paid""#).unwrap(), Status::Paid);
        assert_eq!(
            decode(r#""refunded""#).unwrap(),
            Status::Unknown("refunded".into())
        );
        assert_eq!(decode(r#""a\"b""#).unwrap(), Status::Unknown("a\"b".into()));
        let err = decode("5").unwrap_err().to_string();
        assert!(err.contains("expected a string"), "{err}");
    }
}
