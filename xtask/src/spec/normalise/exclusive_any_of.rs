//! An `anyOf` whose branches cannot match the same value is a `oneOf`.
//!
//! JSON Schema's `anyOf` lets a value match several branches, so typify
//! reads it as a struct with every branch flattened in as an optional
//! part, which only objects can fill: Stripe's expandable fields
//! (`anyOf: [{type: string}, {$ref: customer}]`, an id or the object) then
//! fail to decode the id Stripe sends by default. When each branch admits
//! values of JSON types no other branch admits (a string and an object, an
//! array and `null`), no value can match two of them, and the schema means
//! exactly what `oneOf` means: typify then writes an untagged enum, one
//! variant per branch. Branches whose types are not stated (or overlap,
//! as `integer` and `number` do) are left as they are.
//!
//! One branch may admit anything (`{}`, as a component the selection's
//! `depth` made any JSON value is): a value of another branch's type then
//! matches both, and the enum, which tries its variants in order, gives it
//! to the typed branch, whose type holds the whole value; so that branch
//! goes last, and catches only what no typed branch takes.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::spec::document::ANY_OF_AS_ONE_OF;
use crate::spec::error::{Findings, push_token};

/// What values a schema admits, as far as this pass needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Admits {
    /// Values of these JSON types (`integer` counted as `number`).
    Types(BTreeSet<&'static str>),
    /// Any value: the schema states nothing but annotations.
    Anything,
}

/// What each component schema admits, by reference
/// (`#/components/schemas/customer`), where this pass can tell.
pub(super) type ComponentTypes = BTreeMap<String, Admits>;

/// The stated JSON types of every component schema of `doc`.
pub(super) fn component_types(doc: &Value) -> ComponentTypes {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return ComponentTypes::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let admits = admits(schema.as_object()?)?;
            Some((format!("#/components/schemas/{name}"), admits))
        })
        .collect()
}

/// Rewrites `schema`'s `anyOf` as `oneOf` when its branches are exclusive.
pub(super) fn rewrite(
    schema: &mut Value,
    at: &str,
    components: &ComponentTypes,
    found: &mut Findings,
) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj.contains_key("oneOf") {
        return;
    }
    let Some(branches) = obj.get("anyOf").and_then(Value::as_array) else {
        return;
    };
    if branches.len() < 2 {
        return;
    }
    let mut seen: BTreeSet<&'static str> = BTreeSet::new();
    let mut described = Vec::new();
    let mut catch_all = None;
    for (index, branch) in branches.iter().enumerate() {
        match branch_admits(branch, components) {
            Some(Admits::Types(types)) if seen.is_disjoint(&types) => {
                described.push(types.iter().copied().collect::<Vec<_>>().join(" or "));
                seen.extend(types);
            }
            Some(Admits::Anything) if catch_all.is_none() => catch_all = Some(index),
            _ => return,
        }
    }
    let Some(Value::Array(mut branches)) = obj.shift_remove("anyOf") else {
        unreachable!("an array, read above")
    };
    if let Some(index) = catch_all {
        let anything = branches.remove(index);
        branches.push(anything);
        described.push("anything else, tried last".to_owned());
    }
    obj.insert("oneOf".to_owned(), Value::Array(branches));
    obj.insert(ANY_OF_AS_ONE_OF.to_owned(), Value::Bool(true));
    found.note(
        push_token(at, "anyOf"),
        format!(
            "`anyOf` read as `oneOf`: its branches admit values of different JSON types ({}), \
             so a value matches one of them only",
            described.join("; ")
        ),
    );
}

/// What a branch admits: its own schema's, or that of the component it
/// references.
fn branch_admits(branch: &Value, components: &ComponentTypes) -> Option<Admits> {
    let obj = branch.as_object()?;
    match obj.get("$ref").and_then(Value::as_str) {
        // A sibling of `$ref` is ignored by OpenAPI 3.0; a nullable beside
        // it would still widen the branch, so such a branch is not judged.
        Some(target) if obj.len() == 1 => components.get(target).cloned(),
        Some(_) => None,
        None => admits(obj),
    }
}

/// Keys that say nothing about which values a schema admits.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "default",
];

/// What a schema admits, when it states its types or states nothing at
/// all; `None` otherwise.
fn admits(obj: &Map<String, Value>) -> Option<Admits> {
    let says_nothing = obj
        .keys()
        .all(|key| ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-"));
    if says_nothing {
        return Some(Admits::Anything);
    }
    stated_types(obj).map(Admits::Types)
}

/// The JSON types a schema's `type` (and `nullable`) admits; `None` when
/// it states none, or combines schemas, which could narrow or widen it.
fn stated_types(obj: &Map<String, Value>) -> Option<BTreeSet<&'static str>> {
    if ["allOf", "anyOf", "oneOf", "not", "$ref"]
        .iter()
        .any(|key| obj.contains_key(*key))
    {
        return None;
    }
    let mut types = BTreeSet::new();
    match obj.get("type")? {
        Value::String(ty) => types.insert(json_type(ty)?),
        Value::Array(list) => {
            for ty in list {
                types.insert(json_type(ty.as_str()?)?);
            }
            true
        }
        _ => return None,
    };
    if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
        types.insert("null");
    }
    Some(types)
}

/// A type name as the set of values it admits: an `integer` is a `number`.
fn json_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "string" => "string",
        "integer" | "number" => "number",
        "boolean" => "boolean",
        "object" => "object",
        "array" => "array",
        "null" => "null",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(doc: &Value, schema: Value) -> (Value, Findings) {
        let mut schema = schema;
        let mut found = Findings::default();
        rewrite(&mut schema, "/s", &component_types(doc), &mut found);
        (schema, found)
    }

    #[test]
    fn an_id_or_its_object_is_one_of_them() {
        let doc = json!({"components": {"schemas": {
            "customer": {"type": "object", "properties": {"id": {"type": "string"}}},
            "deleted_customer": {"type": "object"}}}});
        let (schema, found) = run(
            &doc,
            json!({"anyOf": [{"type": "string", "maxLength": 5000},
                {"$ref": "#/components/schemas/customer"}], "description": "d"}),
        );
        assert_eq!(schema["oneOf"][0]["type"], "string");
        assert!(schema.get("anyOf").is_none());
        assert_eq!(schema["description"], "d");
        assert_eq!(found.notes.len(), 1);
        assert!(
            found.notes[0].message.contains("string; object"),
            "{found:?}"
        );
    }

    #[test]
    fn overlapping_or_unstated_branches_stay_any_of() {
        let doc = json!({"components": {"schemas": {
            "customer": {"type": "object"},
            "deleted_customer": {"type": "object"},
            "untyped": {"properties": {"a": {}}}}}});
        for schema in [
            // Two objects: a value may match both.
            json!({"anyOf": [{"$ref": "#/components/schemas/customer"},
                {"$ref": "#/components/schemas/deleted_customer"}]}),
            // An integer is a number.
            json!({"anyOf": [{"type": "integer"}, {"type": "number"}]}),
            // A branch whose type is not stated, but that constrains values.
            json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/untyped"}]}),
            // Two branches that admit anything.
            json!({"anyOf": [{}, {"description": "any"}]}),
            json!({"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/missing"}]}),
            // A nullable string and null.
            json!({"anyOf": [{"type": "string", "nullable": true}, {"type": "null"}]}),
            json!({"anyOf": [{"type": "string"}, {"allOf": [{"type": "object"}]}]}),
        ] {
            let (after, found) = run(&doc, schema.clone());
            assert_eq!(after, schema);
            assert!(found.notes.is_empty());
        }
    }

    #[test]
    fn three_kinds_and_a_null_are_exclusive() {
        let (schema, _) = run(
            &json!({}),
            json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {}},
                {"type": "integer", "nullable": true}]}),
        );
        assert_eq!(schema["oneOf"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn a_branch_that_admits_anything_is_tried_last() {
        // As a component the selection's depth made any JSON value.
        let doc = json!({"components": {"schemas": {"invoiceitem": {"description": "An item."}}}});
        let (schema, found) = run(
            &doc,
            json!({"anyOf": [{"$ref": "#/components/schemas/invoiceitem"},
                {"type": "string", "maxLength": 5000}]}),
        );
        assert_eq!(schema["oneOf"][0]["type"], "string");
        assert_eq!(
            schema["oneOf"][1]["$ref"],
            "#/components/schemas/invoiceitem"
        );
        assert!(found.notes[0].message.contains("tried last"), "{found:?}");
    }
}
