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

/// The conversions and serde of a generated open enum, all through its
/// `FromStr` and `Display`: `TryFrom<&str>` and `TryFrom<String>` (what the
/// request builders' setters take, as for any typify enum), `Deserialize`
/// ([`deserialize`]) and `Serialize` (`Display`'s text).
///
/// Generated code writes `invoicing_runtime::open_enum_impls!(Status);`, one
/// line for what is otherwise some thirty per enum, for each of a vendor's
/// hundreds of enums; `open_enum_impls!(Status, serde)` writes only the
/// serde, for an enum whose conversions typify wrote otherwise. The calling
/// crate depends on `serde`.
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident) => {
        $crate::open_enum_impls!($name, serde);
        impl ::std::convert::TryFrom<&str> for $name {
            type Error = <$name as ::std::str::FromStr>::Err;
            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }
        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = <$name as ::std::str::FromStr>::Err;
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                value.parse()
            }
        }
    };
    ($name:ident, serde) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::open_enum::deserialize(deserializer)
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
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

    /// An enum as generated code has it, with the macro's impls.
    mod generated {
        #[derive(Debug, PartialEq)]
        pub(super) enum Kind {
            Invoice,
            Unknown(String),
        }
        impl std::fmt::Display for Kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::Invoice => f.write_str("invoice"),
                    Self::Unknown(value) => f.write_str(value),
                }
            }
        }
        impl std::str::FromStr for Kind {
            type Err = String;
            fn from_str(value: &str) -> Result<Self, String> {
                Ok(match value {
                    "invoice" => Self::Invoice,
                    other => Self::Unknown(other.to_owned()),
                })
            }
        }
        crate::open_enum_impls!(Kind);
    }

    #[test]
    fn the_macro_converts_and_serialises_through_the_text() {
        use generated::Kind;
        assert_eq!(Kind::try_from("invoice"), Ok(Kind::Invoice));
        assert_eq!(
            Kind::try_from("memo".to_owned()),
            Ok(Kind::Unknown("memo".into()))
        );
        let kinds: Vec<Kind> = serde_json::from_str(r#"["invoice", "memo"]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&kinds).unwrap(),
            r#"["invoice","memo"]"#
        );
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
