//! OpenAPI 3.1 into the 3.0 form that `openapiv3` and progenitor read.
//!
//! What has an exact 3.0 form is translated (`type: [T, "null"]`, `const`,
//! numeric exclusive bounds, `$ref` with siblings, several types). What
//! says nothing a client needs (`webhooks`, `info.summary`, annotations,
//! keywords that only narrow which values are valid) is dropped with a
//! note naming its pointer. Only what would change the generated types or
//! requests if dropped is an error.

use serde_json::{Map, Value, json};

use crate::spec::error::{Findings, push_token};

/// Keywords a 3.0 Schema Object understands (besides `x-` extensions).
const SCHEMA_30: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// JSON Schema keywords that only annotate or identify a schema: nothing a
/// client reads, dropped without a note.
const ANNOTATIONS: &[&str] = &[
    "$comment",
    "$schema",
    "$id",
    "$anchor",
    "$defs",
    "definitions",
    "contentMediaType",
    "contentSchema",
];

/// JSON Schema keywords that only narrow which values are valid. Dropping
/// one makes decoding accept more, never less, and leaves the types as they
/// are; the note says what was dropped.
const VALIDATION_ONLY: &[&str] = &[
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "if",
    "then",
    "else",
    "prefixItems",
];

/// Beside a `$ref`, keywords that only annotate: 3.0 ignores siblings of
/// `$ref`, so dropping these loses nothing.
const REF_ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "externalDocs",
    "xml",
    "$comment",
];

/// The keywords of numbers and integers alike.
const NUMERIC_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "format",
];

/// Which types each type-specific keyword applies to, for splitting a
/// schema of several types into one alternative per type.
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    ("string", &["minLength", "maxLength", "pattern", "format"]),
    ("number", NUMERIC_KEYWORDS),
    ("integer", NUMERIC_KEYWORDS),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// Whether `doc` says it is OpenAPI 3.1.
pub(super) fn is_31(doc: &Value) -> bool {
    doc.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."))
}

/// The document-level part: the version, and the 3.1 additions a client
/// does not use.
pub(super) fn document(doc: &mut Value, found: &mut Findings) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), json!("3.0.3"));
    for (key, why) in [
        (
            "webhooks",
            "requests the vendor sends, not ones a client makes",
        ),
        ("jsonSchemaDialect", "3.0 has one dialect"),
    ] {
        if root.shift_remove(key).is_some() {
            found.note(push_token("", key), format!("dropped `{key}`: {why}"));
        }
    }
    if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
        if info.shift_remove("summary").is_some() {
            found.note("/info/summary", "dropped `info.summary` (3.1 only)");
        }
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut)
            && license.shift_remove("identifier").is_some()
        {
            found.note(
                "/info/license/identifier",
                "dropped `license.identifier` (3.1 only)",
            );
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut)
        && components.shift_remove("pathItems").is_some()
    {
        // References to them were inlined by the refs step.
        found.note(
            "/components/pathItems",
            "dropped `components.pathItems` (3.1 only) after inlining every use",
        );
    }
}

/// Translates one Schema Object (not the schemas inside it: the walk
/// visits those after this returns).
pub(super) fn schema(s: &mut Value, at: &str, found: &mut Findings) {
    let Some(obj) = s.as_object_mut() else {
        match s {
            // `true` allows anything: `{}` in 3.0.
            Value::Bool(true) => *s = json!({}),
            _ => found.error(at, "a schema that allows no value has no OpenAPI 3.0 form"),
        }
        return;
    };
    if obj.contains_key("$ref") && !ref_siblings(obj, at, found) {
        return;
    }
    for key in ANNOTATIONS {
        obj.shift_remove(*key);
    }
    if let Some(encoding) = obj.shift_remove("contentEncoding")
        && encoding == "base64"
        && !obj.contains_key("format")
    {
        obj.insert("format".into(), json!("byte"));
    }
    for key in VALIDATION_ONLY {
        if obj.shift_remove(*key).is_some() {
            found.note(
                push_token(at, key),
                format!("dropped `{key}`: it only narrows which values are valid, which a client need not check"),
            );
        }
    }
    if let Some(value) = obj.shift_remove("const") {
        if obj.contains_key("enum") {
            found.error(
                push_token(at, "const"),
                "`const` beside `enum` is not supported",
            );
        } else {
            obj.insert("enum".into(), json!([value]));
        }
    }
    if let Some(examples) = obj.shift_remove("examples") {
        // 3.0 has a single `example`; the first of the list is the vendor's
        // primary one.
        if let Value::Array(mut list) = examples
            && !obj.contains_key("example")
            && !list.is_empty()
        {
            obj.insert("example".into(), list.swap_remove(0));
        }
    }
    exclusive_bounds(obj, at, found);
    translate_type(obj, at, found);
    translate_null_alternative(obj, at, found);
    for key in obj.keys() {
        if !SCHEMA_30.contains(&key.as_str()) && !key.starts_with("x-") {
            found.error(
                push_token(at, key),
                format!("JSON Schema keyword `{key}` has no OpenAPI 3.0 equivalent"),
            );
        }
    }
}

/// 3.1 numeric `exclusiveMinimum: 0` is 3.0 `minimum: 0, exclusiveMinimum: true`.
fn exclusive_bounds(obj: &mut Map<String, Value>, at: &str, found: &mut Findings) {
    for (key, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(exclusive) = obj.get(key).and_then(Value::as_f64) else {
            continue;
        };
        let value = obj.shift_remove(key).expect("checked above");
        match obj.get(bound).and_then(Value::as_f64) {
            // Both bounds: the tighter one wins, exactly as JSON Schema
            // checks both.
            Some(inclusive) if (key == "exclusiveMinimum") == (inclusive > exclusive) => {
                found.note(
                    push_token(at, key),
                    format!("dropped `{key}`: `{bound}` is tighter"),
                );
            }
            _ => {
                obj.insert(bound.into(), value);
                obj.insert(key.into(), json!(true));
            }
        }
    }
}

/// Siblings of a `$ref`: annotations are dropped (3.0 ignores them); a
/// `type` beside it can only repeat the referenced type, except that
/// `null` in it makes the reference nullable; any other keyword narrows
/// the referenced schema, which 3.0 writes beside `allOf: [{$ref}]`.
/// Returns whether the schema is no longer a plain reference (and so
/// needs translating like any other).
fn ref_siblings(obj: &mut Map<String, Value>, at: &str, found: &mut Findings) -> bool {
    obj.retain(|k, _| !REF_ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"));
    let nullable = match obj.shift_remove("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        Some(t) => t == "null",
        None => false,
    };
    if obj.len() == 1 && !nullable {
        return false;
    }
    let reference = obj.shift_remove("$ref").expect("checked by the caller");
    let rest = std::mem::take(obj);
    obj.insert("allOf".into(), json!([{"$ref": reference}]));
    obj.extend(rest);
    if nullable {
        obj.insert("nullable".into(), json!(true));
    }
    found.note(
        at,
        "keywords beside `$ref` moved beside `allOf: [{$ref}]`, their 3.0 form",
    );
    true
}

/// `type: [T, "null"]` -> `type: T, nullable: true`; several types ->
/// `oneOf` with one alternative per type; `type: "null"` -> only `null`.
fn translate_type(obj: &mut Map<String, Value>, at: &str, found: &mut Findings) {
    let here = push_token(at, "type");
    let types: Vec<String> = match obj.get("type") {
        None => return,
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => list
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(_) => {
            return found.error(here, "`type` must be a string or a list of strings");
        }
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut rest: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "null")
        .collect();
    // An integer is a number: `[integer, number]` is `number`.
    if rest.contains(&"number") {
        rest.retain(|t| *t != "integer");
    }
    rest.dedup();
    match rest.as_slice() {
        [] => {
            // Only `null`: 3.0 has no null type; a nullable schema whose
            // only value is `null` says the same.
            obj.shift_remove("type");
            obj.insert("enum".into(), json!([null]));
        }
        [single] => {
            obj.insert("type".into(), json!(single));
        }
        several => {
            let alternatives: Vec<Value> = several
                .iter()
                .map(|t| {
                    let mut alternative = Map::new();
                    alternative.insert("type".into(), json!(t));
                    let keywords = TYPE_KEYWORDS
                        .iter()
                        .find(|(name, _)| name == t)
                        .map_or(&[][..], |(_, k)| k);
                    for key in keywords.iter() {
                        if let Some(v) = obj.get(*key) {
                            alternative.insert((*key).into(), v.clone());
                        }
                    }
                    Value::Object(alternative)
                })
                .collect();
            for (_, keywords) in TYPE_KEYWORDS {
                for key in keywords.iter() {
                    obj.shift_remove(*key);
                }
            }
            obj.shift_remove("type");
            if obj.contains_key("oneOf") {
                return found.error(
                    here,
                    "several types beside `oneOf` have no single OpenAPI 3.0 form",
                );
            }
            obj.insert("oneOf".into(), Value::Array(alternatives));
        }
    }
    if nullable {
        obj.insert("nullable".into(), json!(true));
    }
}

/// Whether `v` is the `null` alternative of an `anyOf`/`oneOf`: `type:
/// "null"` with nothing but annotations beside it.
fn is_null_alternative(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    obj.get("type").and_then(Value::as_str) == Some("null")
        && obj
            .keys()
            .all(|k| k == "type" || k.starts_with("x-") || REF_ANNOTATIONS.contains(&k.as_str()))
}

/// `anyOf`/`oneOf: [X, {type: "null"}]` -> `allOf: [X], nullable: true`.
fn translate_null_alternative(obj: &mut Map<String, Value>, at: &str, found: &mut Findings) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(list)) = obj.get_mut(key) else {
            continue;
        };
        if !list.iter().any(is_null_alternative) {
            continue;
        }
        list.retain(|v| !is_null_alternative(v));
        let remaining = list.len();
        obj.insert("nullable".into(), json!(true));
        if remaining == 1 {
            if obj.contains_key("allOf") {
                return found.error(
                    push_token(at, key),
                    format!("nullable `{key}` beside `allOf` has no single OpenAPI 3.0 form"),
                );
            }
            let only = obj.shift_remove(key).expect("present");
            obj.insert("allOf".into(), only);
        } else if remaining == 0 {
            obj.shift_remove(key);
            obj.insert("enum".into(), json!([null]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translated(mut schema: Value) -> (Value, Findings) {
        let mut found = Findings::default();
        super::schema(&mut schema, "/s", &mut found);
        (schema, found)
    }

    fn ok(schema: Value) -> Value {
        let (s, found) = translated(schema);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        s
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        assert_eq!(
            ok(json!({"type": ["string", "null"], "format": "date-time"})),
            json!({"type": "string", "format": "date-time", "nullable": true})
        );
        assert_eq!(ok(json!({"type": ["integer"]})), json!({"type": "integer"}));
        assert_eq!(
            ok(json!({"type": "null", "description": "always null"})),
            json!({"description": "always null", "enum": [null], "nullable": true})
        );
    }

    #[test]
    fn several_types_become_one_alternative_per_type() {
        assert_eq!(
            ok(
                json!({"type": ["array", "string", "null"], "items": {"type": "string"}, "maxLength": 5, "description": "d"})
            ),
            json!({"description": "d", "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "string", "maxLength": 5}], "nullable": true})
        );
        assert_eq!(
            ok(json!({"type": ["integer", "number"], "minimum": 0})),
            json!({"type": "number", "minimum": 0})
        );
    }

    #[test]
    fn null_alternatives_become_nullable_all_of() {
        assert_eq!(
            ok(
                json!({"anyOf": [{"$ref": "#/components/schemas/P"}, {"type": "null", "x-nullable-reason": "gone"}], "description": "d"})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/P"}]})
        );
        assert_eq!(
            ok(json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds_translate() {
        assert_eq!(
            ok(
                json!({"type": "number", "const": 3, "examples": [3, 4], "exclusiveMinimum": 0, "exclusiveMaximum": 10})
            ),
            json!({"type": "number", "enum": [3], "example": 3, "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        let (s, found) = translated(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 0}));
        assert_eq!(s, json!({"type": "number", "minimum": 5}));
        assert_eq!(found.notes[0].pointer, "/s/exclusiveMinimum");
    }

    #[test]
    fn ref_siblings_are_dropped_or_moved_beside_all_of() {
        assert_eq!(
            ok(json!({"$ref": "#/x", "description": "d", "x-internal": true})),
            json!({"$ref": "#/x"})
        );
        let (s, found) = translated(json!({"$ref": "#/x", "readOnly": true, "maxLength": 3}));
        assert_eq!(s, json!({"allOf": [{"$ref": "#/x"}], "maxLength": 3}));
        assert_eq!(found.notes[0].pointer, "/s");
        assert_eq!(
            ok(json!({"$ref": "#/x", "type": ["object", "null"], "description": "d"})),
            json!({"allOf": [{"$ref": "#/x"}], "nullable": true})
        );
        assert_eq!(
            ok(json!({"$ref": "#/x", "type": "object"})),
            json!({"$ref": "#/x"})
        );
    }

    #[test]
    fn validation_only_keywords_are_dropped_with_a_note() {
        let (s, found) = translated(
            json!({"type": "object", "propertyNames": {"pattern": "^a"}, "$comment": "c", "unevaluatedProperties": false}),
        );
        assert_eq!(s, json!({"type": "object"}));
        let pointers: Vec<_> = found.notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(pointers, ["/s/propertyNames", "/s/unevaluatedProperties"]);
    }

    #[test]
    fn untranslatable_constructs_name_their_pointer() {
        let (_, found) = translated(json!({"type": "object", "$dynamicRef": "#meta"}));
        assert_eq!(found.errors[0].pointer, "/s/$dynamicRef");
        let (_, found) = translated(json!({"type": 3}));
        assert_eq!(found.errors[0].pointer, "/s/type");
        let (_, found) = translated(json!(false));
        assert_eq!(found.errors[0].pointer, "/s");
    }

    #[test]
    fn document_level_additions_are_dropped_with_notes() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1", "summary": "s",
            "license": {"name": "MIT", "identifier": "MIT"}}, "webhooks": {}, "jsonSchemaDialect": "x",
            "components": {"pathItems": {}}});
        let mut found = Findings::default();
        document(&mut doc, &mut found);
        assert_eq!(
            doc,
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1", "license": {"name": "MIT"}}, "components": {}})
        );
        let pointers: Vec<_> = found.notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/webhooks",
                "/jsonSchemaDialect",
                "/info/summary",
                "/info/license/identifier",
                "/components/pathItems"
            ]
        );
    }
}
