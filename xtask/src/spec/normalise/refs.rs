//! References the generator can follow.
//!
//! progenitor looks a reference up by its last segment in `components`, and
//! typify reads only whole component schemas. So a schema reference into
//! the middle of something (an `allOf` member, a property, a response's
//! schema) makes that schema a component of its own; a reference to a
//! parameter, response or path item that is not a component is replaced by
//! a copy of what it points at; percent-escapes are decoded.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec::document::{self, walk};
use crate::spec::error::{Findings, push_token};
use crate::spec::refs;

/// Rewrites the references in `doc` as the module docs say.
pub(super) fn resolve(doc: &mut Value, found: &mut Findings) {
    dangling_schemas(doc, found);
    inline_non_components(doc, found);
    hoist_sub_schemas(doc, found);
}

/// A schema reference to something the document does not have (Square's
/// `CatalogModifierToggleOverrideType`) says nothing about the value: it
/// becomes any JSON value (`{}`), which decodes whatever comes, with a
/// note. Other dangling references are the validate pass's to report.
fn dangling_schemas(doc: &mut Value, found: &mut Findings) {
    let mut dangling = Vec::new();
    walk::schemas_mut(doc, &mut |s, pointer| {
        if let Some(r) = document::reference(s)
            && let Some(target) = refs::local_pointer(r)
        {
            dangling.push((pointer.to_owned(), r.to_owned(), target));
        }
    });
    for (at, reference, target) in dangling {
        if doc.pointer(&target).is_some() {
            continue;
        }
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = serde_json::json!({});
            found.note(
                push_token(&at, "$ref"),
                format!("unresolved reference {reference}: the document does not say what it is, so it is any JSON value"),
            );
        }
    }
}

/// Pointers of every Reference Object that stands where a schema does.
fn schema_references(doc: &mut Value) -> BTreeSet<String> {
    let mut at = BTreeSet::new();
    walk::schemas_mut(doc, &mut |s, pointer| {
        if document::reference(s).is_some() {
            at.insert(pointer.to_owned());
        }
    });
    at
}

/// Pointers of every schema in `doc`.
fn schema_places(doc: &mut Value) -> BTreeSet<String> {
    let mut at = BTreeSet::new();
    walk::schemas_mut(doc, &mut |_, pointer| {
        at.insert(pointer.to_owned());
    });
    at
}

/// Whether the value at `outer` contains (or is) the one at `inner`.
fn contains(outer: &str, inner: &str) -> bool {
    inner == outer || inner.starts_with(&format!("{outer}/"))
}

/// Whether `target` names a whole component (`/components/<kind>/<name>`).
fn is_component(target: &str) -> bool {
    target
        .strip_prefix("/components/")
        .is_some_and(|rest| rest.split('/').count() == 2)
}

/// Whether `pointer` is a Path Item Object (`/paths/<path>`).
fn is_path_item(pointer: &str) -> bool {
    pointer
        .strip_prefix("/paths/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// Replaces references that are not to components by copies of their
/// targets, innermost first: a copy holds no reference still to be
/// replaced. References that only lead to each other (or to something
/// containing themselves) would never end; they are errors.
fn inline_non_components(doc: &mut Value, found: &mut Findings) {
    loop {
        let schemas = schema_references(doc);
        let pending: Vec<(String, String)> = document::reference_objects(doc, "")
            .into_iter()
            .filter(|(at, _)| !schemas.contains(at))
            .filter_map(|(at, reference)| {
                let target = refs::local_pointer(&reference)?;
                // Dangling references are the validate pass's to report.
                doc.pointer(&target)?;
                (!is_component(&target) || is_path_item(&at)).then_some((at, target))
            })
            .collect();
        if pending.is_empty() {
            return;
        }
        let ready: Vec<(String, Value)> = pending
            .iter()
            .filter(|(_, target)| !pending.iter().any(|(other, _)| contains(target, other)))
            .filter_map(|(at, target)| Some((at.clone(), doc.pointer(target)?.clone())))
            .collect();
        if ready.is_empty() {
            for (at, target) in pending {
                found.error(
                    format!("{at}/$ref"),
                    format!("reference to #{target} leads back to itself (a copy would never end)"),
                );
            }
            return;
        }
        for (at, value) in ready {
            found.note(
                &at,
                "reference replaced by a copy of its target, which the generator cannot look up",
            );
            if let Some(slot) = doc.pointer_mut(&at) {
                *slot = value;
            }
        }
    }
}

fn hoist_sub_schemas(doc: &mut Value, found: &mut Findings) {
    let schemas = schema_references(doc);
    let places = schema_places(doc);
    let mut targets = BTreeSet::new();
    let mut rewrite = BTreeMap::new();
    for (at, reference) in document::reference_objects(doc, "") {
        let Some(target) = refs::local_pointer(&reference) else {
            continue;
        };
        if document::component_name(&target, "schemas").is_some() {
            if reference.contains('%') {
                rewrite.insert(reference.clone(), format!("#{target}"));
            }
        } else if schemas.contains(&at) && doc.pointer(&target).is_some() {
            if places.contains(&target) {
                targets.insert(target);
            } else {
                found.error(
                    format!("{at}/$ref"),
                    format!("reference to #{target}, which is not a schema"),
                );
            }
        }
    }
    // Deepest first, so a reference into a schema that is itself moved
    // finds its target still in place.
    let mut targets: Vec<String> = targets.into_iter().collect();
    targets.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut taken = component_keys(doc);
    let mut moved = BTreeMap::new();
    for target in targets {
        let name = unique_name(&taken, &name_for(&target));
        taken.insert(type_key(&name));
        let Some(slot) = doc.pointer_mut(&target) else {
            continue;
        };
        let new_ref = document::component_ref("schemas", &name);
        let schema = std::mem::replace(slot, serde_json::json!({ "$ref": new_ref }));
        let Some(components) = doc
            .as_object_mut()
            .map(|root| {
                root.entry("components")
                    .or_insert_with(|| serde_json::json!({}))
            })
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let Some(map) = components
            .entry("schemas")
            .or_insert_with(|| serde_json::json!({}))
            .as_object_mut()
        else {
            continue;
        };
        map.insert(name.clone(), schema);
        found.note(
            &target,
            format!("referenced from elsewhere, so made into component schema `{name}`"),
        );
        moved.insert(target, new_ref);
    }
    rewrite_references(doc, &|reference| {
        if let Some(new) = rewrite.get(reference) {
            return Some(new.clone());
        }
        let target = refs::local_pointer(reference)?;
        moved.get(&target).cloned()
    });
}

/// Replaces every `$ref` string `r` in `value` for which `new(r)` is some.
fn rewrite_references(value: &mut Value, new: &dyn Fn(&str) -> Option<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(replacement) = new(r)
            {
                *r = replacement;
            }
            for child in map.values_mut() {
                rewrite_references(child, new);
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_references(child, new);
            }
        }
        _ => {}
    }
}

/// What a name becomes for collision purposes: typify turns names into
/// Rust identifiers by case and separators, so `Foo_bar` and `FooBar` are
/// one name.
pub fn type_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The keys of every component schema's name.
pub fn component_keys(doc: &Value) -> BTreeSet<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| type_key(k)).collect())
        .unwrap_or_default()
}

/// `wanted`, or `wanted2`, `wanted3`... whichever no taken name has.
pub fn unique_name(taken: &BTreeSet<String>, wanted: &str) -> String {
    if !taken.contains(&type_key(wanted)) {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted}{n}"))
        .find(|name| !taken.contains(&type_key(name)))
        .expect("some suffix is free")
}

/// A component name for the schema at `pointer`, from its meaningful
/// tokens: `/components/schemas/Invoice/allOf/0` -> `Invoice_allOf_0`.
fn name_for(pointer: &str) -> String {
    const STRUCTURE: &[&str] = &[
        "paths",
        "components",
        "schemas",
        "content",
        "schema",
        "properties",
        "responses",
        "requestBodies",
        "parameters",
    ];
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(document::unescape)
        .filter(|t| !STRUCTURE.contains(&t.as_str()) && !t.contains('/'))
        .map(|t| {
            t.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        "Schema".to_owned()
    } else {
        tokens.join("_")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_into_schemas_make_components() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Base/allOf/0"}}}}}}}},
            "components": {"schemas": {
                "Base": {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}}]},
                "Other": {"properties": {"id": {"$ref": "#/components/schemas/Base/allOf/0/properties/id"}}},
                "Base_allOf_0": {"type": "string"}}}});
        let mut found = Findings::default();
        resolve(&mut doc, &mut found);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Base"],
            json!({"allOf": [{"$ref": "#/components/schemas/Base_allOf_02"}]})
        );
        assert_eq!(
            schemas["Base_allOf_02"],
            json!({"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Base_allOf_0_id"}}})
        );
        assert_eq!(schemas["Base_allOf_0_id"], json!({"type": "string"}));
        assert_eq!(
            schemas["Other"]["properties"]["id"],
            json!({"$ref": "#/components/schemas/Base_allOf_0_id"})
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema"),
            Some(&json!({"$ref": "#/components/schemas/Base_allOf_02"}))
        );
        assert_eq!(found.notes.len(), 2);
    }

    #[test]
    fn non_component_references_are_inlined_and_escapes_decoded() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/A%20B"}}],
                "responses": {"200": {"$ref": "#/components/responses/Ok"}}}},
            "/b": {"$ref": "#/paths/~1a"},
            "/c": {"get": {"parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}], "responses": {}}}},
            "components": {"schemas": {"A B": {"type": "string"}},
                "responses": {"Ok": {"description": "ok"}}}});
        let mut found = Findings::default();
        resolve(&mut doc, &mut found);
        assert_eq!(doc["paths"]["/b"], doc["paths"]["/a"]);
        assert_eq!(
            doc["paths"]["/c"]["get"]["parameters"][0],
            json!({"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/A B"}})
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"],
            json!({"$ref": "#/components/responses/Ok"}),
            "component references stay"
        );
    }

    #[test]
    fn unique_names_ignore_case_and_separators() {
        let taken: BTreeSet<String> = ["FooBar", "FooBar2"].iter().map(|n| type_key(n)).collect();
        assert_eq!(unique_name(&taken, "foo_bar"), "foo_bar3");
        assert_eq!(unique_name(&taken, "Baz"), "Baz");
    }
}
