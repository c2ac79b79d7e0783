//! Values typify checks against their schema, fixed or dropped where they
//! do not fit: a `default` of the wrong type, `enum` values of the wrong
//! type or whose Rust names collide, a `format` on a type it does not
//! apply to. None of these says anything about the wire format that a
//! decoder needs: a default is the server's business, a format on an
//! object means nothing, and an enum whose values cannot all be named
//! still decodes as the string it is.

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

use crate::spec::document::kind;
use crate::spec::error::{Findings, push_token};

/// Types that a `format` can refine.
const FORMATTED: &[&str] = &["string", "integer", "number"];

/// Fixes or drops what in one schema typify would refuse.
pub(super) fn fit(schema: &mut Value, at: &str, found: &mut Findings) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj.contains_key("$ref") {
        return;
    }
    let ty = obj.get("type").and_then(Value::as_str).map(str::to_owned);
    format(obj, ty.as_deref(), at, found);
    enumeration(obj, ty.as_deref(), at, found);
    default(obj, ty.as_deref(), at, found);
    vacuous_bounds(obj);
}

/// A lower bound of zero on a length or count says nothing, but typify
/// writes a check for it (`len < 0`), which fails clippy on an unsigned
/// length; it goes, with no note (the schema means the same).
fn vacuous_bounds(obj: &mut Map<String, Value>) {
    for key in ["minLength", "minItems", "minProperties"] {
        if obj.get(key).and_then(Value::as_u64) == Some(0) {
            obj.shift_remove(key);
        }
    }
}

fn format(obj: &mut Map<String, Value>, ty: Option<&str>, at: &str, found: &mut Findings) {
    let applies = match ty {
        Some(t) => FORMATTED.contains(&t),
        None => !obj.contains_key("properties") && !obj.contains_key("items"),
    };
    if !applies && let Some(format) = obj.shift_remove("format") {
        found.note(
            push_token(at, "format"),
            format!(
                "dropped `format: {format}`: a format does not apply to {}",
                ty.unwrap_or("this schema")
            ),
        );
    }
}

fn enumeration(obj: &mut Map<String, Value>, ty: Option<&str>, at: &str, found: &mut Findings) {
    let here = push_token(at, "enum");
    let Some(values) = obj.get_mut("enum") else {
        return;
    };
    let Some(list) = values.as_array_mut() else {
        obj.shift_remove("enum");
        return found.note(here, "dropped `enum`: it is not a list");
    };
    if ty == Some("string") {
        // `null` among a string enum's values is 3.0's way of saying
        // nullable; typify reads it better as `nullable`.
        if list.iter().any(Value::is_null) && list.iter().any(|v| !v.is_null()) {
            list.retain(|v| !v.is_null());
            obj.insert("nullable".into(), json!(true));
            return enumeration(obj, ty, at, found);
        }
        let mut changed = false;
        for v in list.iter_mut() {
            if let Some(text) = scalar_text(v) {
                *v = Value::String(text);
                changed = true;
            }
        }
        if changed {
            found.note(
                &here,
                "enum values that are not strings written as strings, as `type: string` says",
            );
        }
        let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
        if names.len() == list.len() && !variant_names_unique(&names) {
            obj.shift_remove("enum");
            return found.note(
                here,
                "dropped `enum`: some values have the same Rust name (they differ only in case or punctuation); the field decodes as the string it is",
            );
        }
    }
    if obj
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        obj.shift_remove("enum");
        found.note(here, "dropped an empty `enum`");
    }
}

/// A boolean or number in place of a string.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether typify can name every value: it tries the values in
/// PascalCase, then with separators spelled `X`.
fn variant_names_unique(values: &[&str]) -> bool {
    let unique = |names: Vec<String>| {
        let mut seen = std::collections::BTreeSet::new();
        names.into_iter().all(|n| seen.insert(n))
    };
    let plain = values
        .iter()
        .map(|v| pascal(&v.replace('\'', "").replace(|c| !is_ident_char(c), "-")));
    let spelled = values
        .iter()
        .map(|v| pascal(&v.replace(|c| c == '_' || !is_ident_char(c), "X")));
    unique(plain.collect()) || unique(spelled.collect())
}

fn is_ident_char(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

fn pascal(text: &str) -> String {
    let name = text.to_pascal_case();
    if name.is_empty() {
        "X".to_owned()
    } else {
        name
    }
}

fn default(obj: &mut Map<String, Value>, ty: Option<&str>, at: &str, found: &mut Findings) {
    let here = push_token(at, "default");
    let Some(value) = obj.get("default") else {
        return;
    };
    let nullable = obj.get("nullable") == Some(&json!(true));
    let fixed = match (ty, value) {
        (_, Value::Null) if nullable => return,
        (Some("boolean"), Value::String(s)) => s.parse::<bool>().ok().map(Value::Bool),
        (Some("integer"), Value::String(s)) => s.parse::<i64>().ok().map(Value::from),
        (Some("number"), Value::String(s)) => {
            s.parse::<serde_json::Number>().ok().map(Value::Number)
        }
        (Some("string"), v) => scalar_text(v).map(Value::String),
        _ => None,
    };
    if let Some(fixed) = fixed {
        found.note(
            &here,
            format!(
                "default {value} written as {fixed}, as `type: {}` says",
                ty.unwrap_or("")
            ),
        );
        obj.insert("default".into(), fixed);
    }
    let value = &obj["default"];
    let fits_type = match ty {
        None => true,
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some(_) => true,
    };
    let in_enum = obj
        .get("enum")
        .and_then(Value::as_array)
        .is_none_or(|values| values.contains(value));
    if !fits_type || !in_enum {
        let why = if fits_type {
            "is not one of the `enum` values".to_owned()
        } else {
            format!("is a {}, not a {}", kind(value), ty.unwrap_or(""))
        };
        found.note(
            here,
            format!("dropped `default: {value}`: it {why} (a default is the server's, not the wire format)"),
        );
        obj.shift_remove("default");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitted(mut schema: Value) -> (Value, Vec<String>) {
        let mut found = Findings::default();
        fit(&mut schema, "/s", &mut found);
        assert!(found.errors.is_empty());
        (schema, found.notes.into_iter().map(|n| n.pointer).collect())
    }

    #[test]
    fn formats_that_do_not_apply_are_dropped() {
        let (s, notes) = fitted(json!({"type": "object", "format": "object"}));
        assert_eq!(s, json!({"type": "object"}));
        assert_eq!(notes, ["/s/format"]);
        let (s, notes) = fitted(json!({"type": "string", "format": "uuid"}));
        assert_eq!(s, json!({"type": "string", "format": "uuid"}));
        assert!(notes.is_empty());
    }

    #[test]
    fn defaults_are_fixed_or_dropped() {
        assert_eq!(
            fitted(json!({"type": "boolean", "default": "false"})).0,
            json!({"type": "boolean", "default": false})
        );
        assert_eq!(
            fitted(json!({"type": "integer", "default": "10"})).0,
            json!({"type": "integer", "default": 10})
        );
        assert_eq!(
            fitted(json!({"type": "string", "default": 3})).0,
            json!({"type": "string", "default": "3"})
        );
        let (s, notes) = fitted(json!({"type": "boolean", "default": "maybe"}));
        assert_eq!(s, json!({"type": "boolean"}));
        assert_eq!(notes, ["/s/default"]);
        let (s, _) = fitted(json!({"type": "string", "enum": ["a"], "default": "b"}));
        assert_eq!(s, json!({"type": "string", "enum": ["a"]}));
        let kept = json!({"type": "integer", "nullable": true, "default": null});
        assert_eq!(fitted(kept.clone()).0, kept);
    }

    #[test]
    fn enum_values_are_made_to_fit_or_the_enum_dropped() {
        let (s, _) = fitted(json!({"type": "string", "enum": [true, "false"]}));
        assert_eq!(s, json!({"type": "string", "enum": ["true", "false"]}));
        let (s, _) = fitted(json!({"type": "string", "enum": ["a", null]}));
        assert_eq!(
            s,
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
        let (s, notes) = fitted(json!({"type": "string", "enum": ["ELIGIBLE", "Eligible"]}));
        assert_eq!(s, json!({"type": "string"}));
        assert_eq!(notes, ["/s/enum"]);
        // typify's second try spells separators: these stay.
        let (s, _) = fitted(json!({"type": "string", "enum": ["aB", "a_b"]}));
        assert_eq!(s["enum"], json!(["aB", "a_b"]));
    }
}
