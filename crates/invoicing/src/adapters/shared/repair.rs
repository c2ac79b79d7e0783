//! Decoding one invoice into its generated type even when a field of it
//! does not fit that type: the field is set aside (and reported), the rest
//! of the invoice decodes.
//!
//! The generated types are strict where the spec is (a `date-time` field is
//! a `DateTime`, a number a number), which is right for a client but would
//! cost a whole invoice for one odd field. So when an invoice does not
//! decode, serde_path_to_error names the field that failed; that field is
//! removed from a copy of the JSON (an optional field then decodes as
//! absent) or, when the type requires it, replaced by a stand-in of some
//! JSON type the field's type accepts (`""`, `0`, an epoch date-time, ...),
//! and decoding is tried again. Each field set aside is a [`FieldProblem`]
//! with the vendor's value; the mapping code reads every required field
//! through [`Fields`](super::Fields), which knows the set-aside paths and
//! leaves those model fields empty, so a stand-in never reaches the model.

use std::fmt;

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::{RawValue, to_raw_value};
use serde_path_to_error::{Path, Segment};

use super::decode::excerpt;
use crate::model::FieldProblem;

/// Decode attempts per invoice, a bound on the work a hostile invoice can
/// cause: each attempt sets aside one field or tries one stand-in.
const MAX_ATTEMPTS: usize = 64;

/// Values tried, in order, for a required field that had to be set aside:
/// one of each JSON type, and the strings the generated types parse
/// (date-times, UUIDs). Objects are filled in the same way, field by field.
const STAND_INS: [&str; 7] = [
    r#""""#,
    "0",
    "false",
    r#""1970-01-01T00:00:00Z""#,
    r#""00000000-0000-0000-0000-000000000000""#,
    "{}",
    "[]",
];

/// An invoice decoded as `T`, and what had to be set aside for that.
pub(crate) struct Decoded<T> {
    /// The decoded invoice; set-aside fields absent or stand-ins.
    pub(crate) value: T,
    /// One problem per vendor field set aside, with the vendor's value.
    pub(crate) problems: Vec<FieldProblem>,
    /// The paths set aside (`items[2].quantity`), including stand-ins.
    pub(crate) set_aside: Vec<String>,
}

/// Decodes `raw` as `T`, setting aside fields that do not fit, except the
/// `identity` field (the invoice's id) and the top level, whose failure
/// fails the whole invoice with serde's first error.
///
/// The copy being repaired stays JSON text (`RawValue`), never a
/// `serde_json::Value`: the generated types read numbers from their exact
/// text, which a `Value` would have turned into `f64`.
pub(crate) fn decode<T: DeserializeOwned>(
    raw: &RawValue,
    identity: &str,
) -> Result<Decoded<T>, serde_json::Error> {
    let first = match serde_json::from_str::<T>(raw.get()) {
        Ok(value) => {
            return Ok(Decoded {
                value,
                problems: Vec::new(),
                set_aside: Vec::new(),
            });
        }
        Err(err) => err,
    };
    let mut doc = raw.to_owned();
    let mut problems = Vec::new();
    // Each set-aside path, with how many stand-ins it has had.
    let mut set_aside: Vec<(Vec<Step>, usize)> = Vec::new();
    for _ in 0..MAX_ATTEMPTS {
        let mut reader = serde_json::Deserializer::from_str(doc.get());
        let err = match serde_path_to_error::deserialize::<_, T>(&mut reader) {
            Ok(value) => {
                return Ok(Decoded {
                    value,
                    problems,
                    set_aside: set_aside.iter().map(|(path, _)| display(path)).collect(),
                });
            }
            Err(err) => err,
        };
        let reason = message(err.inner());
        let Some(mut path) = steps(err.path()) else {
            return Err(first);
        };
        // serde reports a missing field at the object that lacks it.
        let missing = missing_field(&reason).map(str::to_owned);
        if let Some(name) = &missing {
            path.push(Step::Key(name.clone()));
        }
        let at_identity = matches!(path.as_slice(), [Step::Key(key)] if key == identity);
        if path.is_empty() || at_identity {
            return Err(first);
        }
        if let Some((_, tried)) = set_aside.iter_mut().find(|(p, _)| *p == path) {
            // Set aside before and still failing: the type needs a value.
            let Some(stand_in) = STAND_INS.get(*tried) else {
                return Err(first);
            };
            *tried += 1;
            match edit(&doc, &path, Some(stand_in)) {
                Some(edited) => doc = edited,
                None => return Err(first),
            }
            continue;
        }
        let under_stand_in = set_aside
            .iter()
            .any(|(p, _)| path.len() > p.len() && path.starts_with(p));
        if !under_stand_in {
            problems.push(FieldProblem {
                field: display(&path),
                value: value_at(&doc, &path).map(|value| excerpt(value.get().as_bytes()).into()),
                reason: if missing.is_some() {
                    "required by the vendor's spec but absent".to_owned()
                } else {
                    reason
                },
            });
        }
        // Absent first: an optional field then decodes as `None`.
        if missing.is_none() {
            match edit(&doc, &path, None) {
                Some(edited) => doc = edited,
                None => return Err(first),
            }
        }
        set_aside.push((path, 0));
    }
    Err(first)
}

/// serde_json's message without its " at line L column C": a position
/// in the repaired copy, which is not the vendor's text.
fn message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

/// The field name of serde's "missing field `name`" message (the wording
/// of `serde::de::Error::missing_field`, which every derive uses).
fn missing_field(reason: &str) -> Option<&str> {
    reason
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name)
}

/// One step of a path into an invoice's JSON.
#[derive(Clone, PartialEq)]
enum Step {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The path serde_path_to_error reports, as steps; `None` for a path
/// through something other than objects and arrays (an enum variant),
/// which has no place in the JSON to set aside.
fn steps(path: &Path) -> Option<Vec<Step>> {
    path.iter()
        .map(|segment| match segment {
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Seq { index } => Some(Step::Index(*index)),
            _ => None,
        })
        .collect()
}

/// `items[2].quantity`, as serde_path_to_error writes paths.
fn display(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Index(index) => text.push_str(&format!("[{index}]")),
            Step::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
        }
    }
    text
}

/// The vendor's JSON at `path`, byte for byte, if there is a value there.
fn value_at(doc: &RawValue, path: &[Step]) -> Option<Box<RawValue>> {
    let (first, rest) = path.split_first()?;
    let child = match first {
        Step::Key(key) => {
            serde_json::from_str::<Members>(doc.get())
                .ok()?
                .0
                .into_iter()
                .find(|(name, _)| name == key)?
                .1
        }
        Step::Index(index) => serde_json::from_str::<Vec<Box<RawValue>>>(doc.get())
            .ok()?
            .into_iter()
            .nth(*index)?,
    };
    if rest.is_empty() {
        Some(child)
    } else {
        value_at(&child, rest)
    }
}

/// `doc` with the object member at `path` removed (`None`) or set to the
/// JSON `stand_in`; `None` when `path` does not lead to an object member.
fn edit(doc: &RawValue, path: &[Step], stand_in: Option<&str>) -> Option<Box<RawValue>> {
    let (first, rest) = path.split_first()?;
    match first {
        Step::Key(key) => {
            let mut members = serde_json::from_str::<Members>(doc.get()).ok()?;
            let at = members.0.iter().position(|(name, _)| name == key);
            match (rest.is_empty(), stand_in, at) {
                (true, None, Some(at)) => {
                    members.0.remove(at);
                }
                (true, None, None) => return None,
                (true, Some(json), at) => {
                    let value = RawValue::from_string(json.to_owned()).ok()?;
                    match at {
                        Some(at) => members.0[at].1 = value,
                        None => members.0.push((key.clone(), value)),
                    }
                }
                (false, _, at) => {
                    let at = at?;
                    members.0[at].1 = edit(&members.0[at].1, rest, stand_in)?;
                }
            }
            to_raw_value(&members).ok()
        }
        Step::Index(index) if !rest.is_empty() => {
            let mut items = serde_json::from_str::<Vec<Box<RawValue>>>(doc.get()).ok()?;
            let item = items.get_mut(*index)?;
            *item = edit(item, rest, stand_in)?;
            to_raw_value(&items).ok()
        }
        _ => None,
    }
}

/// A JSON object's members in order (duplicates kept), each value as raw
/// JSON, so an edit leaves every other byte of meaning as the vendor sent it.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // Fields are read through Debug only.
    struct Invoice {
        id: u64,
        created_at: chrono::DateTime<chrono::FixedOffset>,
        due: Option<chrono::DateTime<chrono::FixedOffset>>,
        price: Price,
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Price {
        value: String,
        currency: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        quantity: Option<String>,
    }

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_owned()).unwrap()
    }

    #[test]
    fn fields_that_do_not_fit_are_set_aside_with_the_vendor_value() {
        let json = r#"{"id": 7, "created_at": "13/03/2024", "due": "soon",
            "price": {"value": 12.5, "currency": "EUR"}, "items": [{"quantity": "1"}, {"quantity": 2}]}"#;
        let decoded = decode::<Invoice>(&raw(json), "id").unwrap();
        let problems: Vec<_> = decoded
            .problems
            .iter()
            .map(|p| (p.field.as_str(), p.value.as_deref()))
            .collect();
        assert_eq!(
            problems,
            [
                ("created_at", Some(r#""13/03/2024""#)),
                ("due", Some(r#""soon""#)),
                ("price.value", Some("12.5")),
                ("items[1].quantity", Some("2")),
            ]
        );
        assert_eq!(
            decoded.set_aside,
            ["created_at", "due", "price.value", "items[1].quantity"]
        );
        assert_eq!(decoded.value.id, 7);
        assert_eq!(decoded.value.due, None);
        assert_eq!(decoded.value.price.currency, "EUR");
        assert_eq!(decoded.value.items[0].quantity.as_deref(), Some("1"));
        assert!(
            decoded.problems[0]
                .reason
                .contains("input contains invalid")
        );
    }

    #[test]
    fn a_missing_required_field_is_a_problem_and_a_required_object_is_filled() {
        let json = r#"{"id": 7, "created_at": "2024-03-13T09:16:53+00:00", "price": "12.50 EUR", "items": []}"#;
        let decoded = decode::<Invoice>(&raw(json), "id").unwrap();
        let problems: Vec<_> = decoded
            .problems
            .iter()
            .map(|p| (p.field.as_str(), p.value.as_deref()))
            .collect();
        assert_eq!(problems, [("price", Some(r#""12.50 EUR""#))]);
        // The stand-in object's own fields are set aside, not reported.
        assert_eq!(
            decoded.set_aside,
            ["price", "price.value", "price.currency"]
        );

        let json = r#"{"id": 7, "price": {"value": "1", "currency": "EUR"}, "items": []}"#;
        let decoded = decode::<Invoice>(&raw(json), "id").unwrap();
        assert_eq!(decoded.problems[0].field, "created_at");
        assert_eq!(decoded.problems[0].value, None);
        assert_eq!(
            decoded.problems[0].reason,
            "required by the vendor's spec but absent"
        );
    }

    #[test]
    fn the_identity_and_the_top_level_are_never_set_aside() {
        for json in [
            r#"{"id": "seven", "created_at": "2024-03-13T09:16:53+00:00", "price": {"value": "1", "currency": "EUR"}, "items": []}"#,
            r#"{"created_at": "2024-03-13T09:16:53+00:00", "price": {"value": "1", "currency": "EUR"}, "items": []}"#,
            r#"[1, 2]"#,
            r#""an invoice""#,
        ] {
            let err = decode::<Invoice>(&raw(json), "id").err().unwrap();
            assert!(
                err.to_string().contains("id") || err.to_string().contains("invalid type"),
                "{json}: {err}"
            );
        }
    }
}
