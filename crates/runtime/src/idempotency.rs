//! Idempotency keys: where an operation takes one, and putting one on a
//! request once per call, so every attempt of the call carries the same key
//! and the vendor applies the write at most once.

use std::collections::BTreeMap;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::IgnoredAny;

/// Where an operation's requests carry their idempotency key, as its
/// OpenAPI document (or our overlay) declares: a generated crate's
/// `context()` registers each such operation with
/// [`ClientContext::with_idempotency_key`](crate::ClientContext::with_idempotency_key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdempotencyKey {
    /// A request header, e.g. Stripe's `Idempotency-Key` or PayPal's
    /// `PayPal-Request-Id`.
    Header(&'static str),
    /// A top-level member of the JSON request body, e.g. Square's
    /// `idempotency_key`.
    BodyField(&'static str),
}

/// Puts a key where `declared` says, unless the caller put one there;
/// whether the request then carries a key (so it may be sent again).
///
/// A header is set when absent. A body field is filled when the JSON
/// object lacks it, by adding the member to the bytes as they are (the body
/// is not parsed into values and written again, which could change its
/// numbers). A body that is not a JSON object in memory, or that holds the
/// member as `null`, carries no key.
pub(crate) fn put_key(request: &mut reqwest::Request, declared: IdempotencyKey) -> bool {
    match declared {
        IdempotencyKey::Header(name) => {
            let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
                return false;
            };
            request.headers_mut().entry(name).or_insert_with(|| {
                HeaderValue::from_str(&new_key()).expect("a UUID is a header value")
            });
            true
        }
        IdempotencyKey::BodyField(field) => {
            let Some(body) = request.body().and_then(reqwest::Body::as_bytes) else {
                return false;
            };
            match with_body_field(body, field, &new_key()) {
                Filled::Already => true,
                Filled::Now(body) => {
                    *request.body_mut() = Some(Bytes::from(body).into());
                    true
                }
                Filled::Cannot => false,
            }
        }
    }
}

/// A new key: a random (version 4) UUID. Keys need to be unique, not
/// secret, so `fastrand` draws them.
fn new_key() -> String {
    let bytes = fastrand::u128(..).to_le_bytes();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// What [`with_body_field`] did.
#[derive(Debug, PartialEq, Eq)]
enum Filled {
    /// The object has the member (the caller's key).
    Already,
    /// The body with the member added.
    Now(Vec<u8>),
    /// Not a JSON object, or the member is `null`.
    Cannot,
}

/// `body` with `"field":"key"` added as the object's first member when it
/// has no such member.
fn with_body_field(body: &[u8], field: &str, key: &str) -> Filled {
    // Members are only looked at, never kept: numbers stay as written.
    let Ok(members) = serde_json::from_slice::<BTreeMap<String, Option<IgnoredAny>>>(body) else {
        return Filled::Cannot;
    };
    match members.get(field) {
        Some(Some(_)) => return Filled::Already,
        Some(None) => return Filled::Cannot,
        None => {}
    }
    let Some(open) = body.iter().position(|b| *b == b'{') else {
        return Filled::Cannot;
    };
    let member = serde_json::json!({ field: key }).to_string();
    // `{"field":"key"}` less its braces, then a comma if members follow.
    let mut added = member.as_bytes()[1..member.len() - 1].to_vec();
    if !members.is_empty() {
        added.push(b',');
    }
    let mut filled = Vec::with_capacity(body.len() + added.len());
    filled.extend_from_slice(&body[..=open]);
    filled.extend_from_slice(&added);
    filled.extend_from_slice(&body[open + 1..]);
    Filled::Now(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(body: &str) -> Filled {
        with_body_field(body.as_bytes(), "idempotency_key", "k-1")
    }

    fn now(body: &str) -> Filled {
        Filled::Now(body.as_bytes().to_vec())
    }

    #[test]
    fn a_missing_member_is_added_and_the_rest_kept_byte_for_byte() {
        assert_eq!(
            filled(r#"{"amount":12345678901234567890.123}"#),
            now(r#"{"idempotency_key":"k-1","amount":12345678901234567890.123}"#)
        );
        assert_eq!(filled("{}"), now(r#"{"idempotency_key":"k-1"}"#));
        assert_eq!(filled(" { } "), now(r#" {"idempotency_key":"k-1" } "#));
    }

    #[test]
    fn the_callers_key_is_kept_and_what_cannot_carry_one_is_said() {
        assert_eq!(filled(r#"{"idempotency_key":"mine"}"#), Filled::Already);
        assert_eq!(filled(r#"{"idempotency_key":null}"#), Filled::Cannot);
        assert_eq!(filled(r#"[{"idempotency_key":"x"}]"#), Filled::Cannot);
        assert_eq!(filled("not json"), Filled::Cannot);
    }

    #[test]
    fn a_field_name_is_escaped() {
        let Filled::Now(body) = with_body_field(b"{}", "a\"b", "k") else {
            panic!("filled");
        };
        assert_eq!(body, br#"{"a\"b":"k"}"#);
    }

    #[test]
    fn keys_are_uuids_and_differ() {
        let (a, b) = (new_key(), new_key());
        assert!(uuid::Uuid::parse_str(&a).is_ok(), "{a}");
        assert_ne!(a, b);
    }
}
