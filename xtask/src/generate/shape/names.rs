//! Type names made unique before typify names them.
//!
//! typify names a component's type after its key, and any other schema
//! after its `title` or else after where it is: `{Parent}_{property}`,
//! `{Parent}Item`, `{Parent}Value`, and progenitor's `{operationId}-body`,
//! `{operationId}-response` and `{operationId}-{parameter}`. Two types of
//! one name either do not compile (an inline type named like a component:
//! Stripe's `subscription.schedule` beside `subscription_schedule`) or,
//! worse, silently become one: typify reuses the first type of a name, so
//! an operation's inline error body would decode as its inline success
//! body. Nullable schemas add two traps: a nullable component names its
//! inner type after its `title` (or `{Name}Inner`), and a nullable `oneOf`,
//! `anyOf` or `allOf` component gives its inner type its own name, so both
//! give `struct X(Option<X>)` beside nothing else called `X`.
//!
//! Here, after the operations are shaped, every schema typify will name is
//! given its name in the order typify converts them (components, then
//! operations): the first schema keeps a name, an identical schema shares
//! it (typify generates it once, rightly), and any other gets a `title` of
//! its own (`{Name}2`, ...). A nullable `oneOf`/`anyOf`/`allOf` ignores its
//! own title (progenitor moves it to the `Option` around it), so it is
//! renamed through a one-member `allOf` carrying the title; at a component
//! the inner schema becomes a component of its own. What this cannot
//! foresee (the names typify makes up for `oneOf` variants) the generate
//! pass still catches as two types of one name. A name longer than
//! [`MAX_TYPE_NAME`] is cut (`...Nested`, made unique), so deep nesting
//! does not give names longer than a file name can be.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Names, add_schema};
use crate::naming::type_ident;
use crate::spec::document;
use crate::spec::error::push_token;
use crate::spec::refs;

/// The longest type name kept as typify would make it: names grow by a
/// part per level of nesting, and rustdoc writes a file named after each
/// type (file names end at 255 bytes).
const MAX_TYPE_NAME: usize = 64;

/// How typify is asked to name a schema that is not a component (typify's
/// own `Name`; a component is named after its key, whatever its title).
#[derive(Debug, Clone)]
enum Name {
    /// A name from the schema's place; its title wins.
    Suggested(String),
    /// No name from the place; only a title names it.
    Unknown,
}

impl Name {
    /// The type name typify gives a schema with `title`.
    fn resolve(&self, title: Option<&str>) -> Option<String> {
        match (self, title) {
            (_, Some(title)) => Some(type_ident(title)),
            (Name::Suggested(name), None) => Some(type_ident(name)),
            (Name::Unknown, None) => None,
        }
    }

    /// The name suggested for a part of a schema named `parent`.
    fn part(parent: Option<&str>, suffix: &str) -> Name {
        parent.map_or(Name::Unknown, |p| Name::Suggested(format!("{p}{suffix}")))
    }
}

/// Who has each type name so far.
struct Claims<'a> {
    names: &'a mut Names,
    /// Type name to the schema that has it (`None` for a component).
    taken: BTreeMap<String, Option<Value>>,
}

impl Claims<'_> {
    /// Whether `schema` may have the type name `name`: it is free (and now
    /// taken), or an identical schema has it.
    fn claim(&mut self, name: &str, schema: &Value) -> bool {
        match self.taken.get(name) {
            None => {
                self.taken.insert(name.to_owned(), Some(schema.clone()));
                self.names.take(name);
                true
            }
            Some(Some(other)) => other == schema,
            Some(None) => false,
        }
    }

    /// A name no type has, like `wanted`, now taken by `schema`.
    fn fresh(&mut self, wanted: &str, schema: &Value) -> String {
        let name = self.names.fresh(wanted);
        self.taken.insert(type_ident(&name), Some(schema.clone()));
        name
    }
}

/// Gives every type typify will name in `doc` a name no other type has.
pub(super) fn make_unique(doc: &mut Value, names: &mut Names) {
    let mut keys: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut claims = Claims {
        taken: keys.iter().map(|k| (type_ident(k), None)).collect(),
        names,
    };
    let mut i = 0;
    while let Some(key) = keys.get(i).cloned() {
        i += 1;
        if let Some(inner) = separate_nullable_composite(doc, &key, &mut claims) {
            keys.push(inner);
        }
        let pointer = push_token("/components/schemas", &key);
        if let Some(schema) = doc.pointer_mut(&pointer) {
            component(schema, &key, &mut claims);
        }
    }
    for (pointer, name) in operation_schemas(doc) {
        if let Some(schema) = doc.pointer_mut(&pointer) {
            walk(schema, Name::Suggested(name), &mut claims);
        }
    }
}

/// A nullable `oneOf`/`anyOf`/`allOf`/`not` component `key` would be
/// `struct Key(Option<Key>)`: its inner schema becomes a component of its
/// own, whose name is returned.
fn separate_nullable_composite(doc: &mut Value, key: &str, claims: &mut Claims) -> Option<String> {
    let pointer = push_token("/components/schemas", key);
    let schema = doc.pointer(&pointer)?.as_object()?;
    if !is_nullable_composite(schema) {
        return None;
    }
    let mut inner = schema.clone();
    inner.shift_remove("nullable");
    let inner = Value::Object(inner);
    let name = claims.fresh(&format!("{}Inner", type_ident(key)), &inner);
    let mut wrapper = Map::new();
    if let Some(description) = schema.get("description") {
        wrapper.insert("description".into(), description.clone());
    }
    wrapper.insert("nullable".into(), json!(true));
    wrapper.insert(
        "allOf".into(),
        json!([{"$ref": document::component_ref("schemas", &name)}]),
    );
    add_schema(doc, &name, inner);
    *doc.pointer_mut(&pointer)? = Value::Object(wrapper);
    Some(name)
}

/// A component: its own name is its key; a nullable one names its inner
/// type after its title, or `{Key}Inner`.
fn component(schema: &mut Value, key: &str, claims: &mut Claims) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    if !is_nullable(obj) || obj.contains_key("$ref") {
        return walk_parts(schema, Some(&type_ident(key)), claims);
    }
    let inner = Name::Suggested(format!("{key}Inner"));
    walk(schema, inner, claims);
}

/// Names `schema` (asked for as `name`) and everything in it.
fn walk(schema: &mut Value, name: Name, claims: &mut Claims) {
    let Some(obj) = schema.as_object() else {
        return;
    };
    if obj.contains_key("$ref") || obj.contains_key("x-rust-type") {
        return;
    }
    if obj.get("allOf").and_then(Value::as_array).map(Vec::len) == Some(1) {
        // typify names a one-member `allOf` as its member, whatever the
        // title around it.
        if let Some(member) = schema.pointer_mut("/allOf/0") {
            walk(member, name, claims);
        }
        return;
    }
    let composite = is_nullable_composite(obj);
    // progenitor moves a nullable composite's title to the Option around it.
    let title = obj
        .get("title")
        .and_then(Value::as_str)
        .filter(|_| !composite);
    let Some(mut type_name) = name.resolve(title) else {
        return walk_parts(schema, None, claims);
    };
    if names_a_type(obj) && type_name.len() > MAX_TYPE_NAME {
        // Named after every parent, a deeply nested type's name outgrows
        // what a file name can hold (rustdoc writes one per type).
        let mut cut = type_name[..MAX_TYPE_NAME - "Nested".len()].to_owned();
        cut.push_str("Nested");
        type_name = claims.fresh(&cut, schema);
        set_title(schema, &type_name, composite);
    } else if names_a_type(obj) && !claims.claim(&type_name, schema) {
        type_name = claims.fresh(&type_name, schema);
        set_title(schema, &type_name, composite);
    }
    walk_parts(schema, Some(&type_name), claims);
}

/// Names the parts of `schema`, whose type is named `parent`.
fn walk_parts(schema: &mut Value, parent: Option<&str>, claims: &mut Claims) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(properties)) = obj.get_mut("properties") {
        for (property, sub) in properties.iter_mut() {
            walk(sub, Name::part(parent, &format!("_{property}")), claims);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        walk(items, Name::part(parent, "Item"), claims);
    }
    if let Some(value @ Value::Object(_)) = obj.get_mut("additionalProperties") {
        walk(value, Name::part(parent, "Value"), claims);
    }
    // typify merges `allOf` members into the type named `parent`; the
    // variants of `oneOf` and `anyOf` get names this walk does not foresee,
    // so only their titles count.
    if let Some(Value::Array(members)) = obj.get_mut("allOf") {
        for member in members {
            walk_parts(member, parent, claims);
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = obj.get_mut(key) {
            for member in members {
                walk(member, Name::Unknown, claims);
            }
        }
    }
}

/// Gives `schema` the type name `name` through its title; a nullable
/// composite carries it on a one-member `allOf`, since its own title
/// names only the `Option` around it.
fn set_title(schema: &mut Value, name: &str, composite: bool) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if !composite {
        obj.insert("title".into(), json!(name));
        return;
    }
    let mut inner = std::mem::take(obj);
    inner.shift_remove("nullable");
    inner.insert("title".into(), json!(name));
    if let Some(description) = inner.get("description") {
        obj.insert("description".into(), description.clone());
    }
    obj.insert("nullable".into(), json!(true));
    obj.insert("allOf".into(), json!([inner]));
}

/// Each operation's inline parameter, body and response schemas, with
/// the name progenitor suggests for each.
fn operation_schemas(doc: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for op in document::operations(doc) {
        let Some(id) = op.id.as_deref() else {
            continue;
        };
        let parameters = doc
            .pointer(&push_token(&op.pointer, "parameters"))
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for i in 0..parameters {
            let at = resolved(doc, &format!("{}/parameters/{i}", op.pointer));
            let name = doc
                .pointer(&format!("{at}/name"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            found.push((format!("{at}/schema"), format!("{id}-{name}")));
        }
        let body = resolved(doc, &push_token(&op.pointer, "requestBody"));
        found.extend(media_schemas(doc, &body).map(|at| (at, format!("{id}-body"))));
        let responses = push_token(&op.pointer, "responses");
        let statuses: Vec<String> = doc
            .pointer(&responses)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for status in statuses {
            let response = resolved(doc, &push_token(&responses, &status));
            found.extend(media_schemas(doc, &response).map(|at| (at, format!("{id}-response"))));
        }
    }
    found
}

/// Pointers to the schemas of a body or response's media types (after
/// shaping, the one progenitor reads).
fn media_schemas<'a>(doc: &'a Value, at: &str) -> impl Iterator<Item = String> + 'a {
    let content = push_token(at, "content");
    doc.pointer(&content)
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(move |m| {
            let content = content.clone();
            m.keys()
                .map(move |media| format!("{}/schema", push_token(&content, media)))
        })
}

/// The pointer `at` leads to after following references.
fn resolved(doc: &Value, at: &str) -> String {
    let mut at = at.to_owned();
    for _ in 0..64 {
        let Some(next) = doc
            .pointer(&at)
            .and_then(document::reference)
            .and_then(refs::local_pointer)
        else {
            break;
        };
        at = next;
    }
    at
}

/// `nullable: true` (after normalising, also what 3.1 wrote as a `null`
/// type).
fn is_nullable(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&json!(true))
}

fn is_nullable_composite(schema: &Map<String, Value>) -> bool {
    is_nullable(schema)
        && ["oneOf", "anyOf", "allOf", "not"]
            .iter()
            .any(|k| schema.contains_key(*k))
}

/// Whether typify makes a named type of the schema: a struct, an enum, or
/// a newtype for a constrained string. Plain scalars, arrays and maps stay
/// unnamed.
fn names_a_type(schema: &Map<String, Value>) -> bool {
    let has = |key: &str| schema.contains_key(key);
    if has("oneOf") || has("anyOf") || has("allOf") || has("enum") || has("properties") {
        return true;
    }
    schema.get("type").and_then(Value::as_str) == Some("string")
        && (has("pattern") || has("minLength") || has("maxLength"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::progenitor::generate_document;
    use crate::generate::progenitor_output::duplicate_types;

    /// `doc` shaped for names and generated: the names of its types, and
    /// every name defined twice.
    fn generate(mut doc: Value) -> (Vec<String>, Vec<String>) {
        let mut names = Names::new(&doc);
        make_unique(&mut doc, &mut names);
        let generated = generate_document(&doc).unwrap();
        assert!(
            generated.unsupported.is_empty(),
            "{:?}",
            generated.unsupported
        );
        let types = crate::generate::progenitor_output::module(&generated.code.items, "types")
            .unwrap()
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                syn::Item::Enum(e) => Some(e.ident.to_string()),
                _ => None,
            })
            .collect();
        (types, duplicate_types(&generated.code))
    }

    fn api(schemas: Value, paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": paths, "components": {"schemas": schemas}})
    }

    fn get(id: &str, responses: Value) -> Value {
        json!({"/a": {"get": {"operationId": id, "responses": responses}}})
    }

    fn ok(schema: Value) -> Value {
        json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
    }

    #[test]
    fn nullable_components_do_not_name_their_inner_type_like_themselves() {
        let doc = api(
            json!({
                "Titled": {"title": "Titled", "type": "object", "nullable": true,
                    "properties": {"a": {"type": "string"}}},
                "Choice": {"nullable": true, "oneOf": [
                    {"type": "object", "properties": {"b": {"type": "string"}}},
                    {"type": "object", "properties": {"c": {"type": "integer"}}}]},
                "Holder": {"type": "object", "properties": {
                    "one": {"$ref": "#/components/schemas/Titled"},
                    "two": {"$ref": "#/components/schemas/Choice"}}}}),
            get("getA", ok(json!({"$ref": "#/components/schemas/Holder"}))),
        );
        let (types, duplicates) = generate(doc);
        assert_eq!(duplicates, Vec::<String>::new());
        for name in ["Titled", "Titled2", "Choice", "ChoiceInner", "Holder"] {
            assert!(types.contains(&name.to_owned()), "{name} in {types:?}");
        }
    }

    #[test]
    fn inline_types_named_like_a_component_or_each_other_get_names_of_their_own() {
        let doc = api(
            json!({
                // Stripe's shape: `subscription.schedule` is a nullable
                // string-or-object beside the component it would be named as.
                "subscription": {"type": "object", "properties": {
                    "schedule": {"nullable": true, "anyOf": [
                        {"type": "string", "maxLength": 5000},
                        {"$ref": "#/components/schemas/subscription_schedule"}]},
                    "status": {"title": "subscription_schedule", "type": "object",
                        "properties": {"x": {"type": "string"}}},
                    "plan": {"type": "object", "properties": {"id": {"type": "string"}}}}},
                "subscription_schedule": {"type": "object", "properties": {"id": {"type": "string"}}},
                "subscription_plan": {"type": "integer"}}),
            json!({"/a": {"get": {"operationId": "getA",
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema":
                        {"type": "object", "properties": {"sub": {"$ref": "#/components/schemas/subscription"}}}}}},
                    "404": {"description": "no", "content": {"application/json": {"schema":
                        {"type": "object", "properties": {"message": {"type": "string"}}}}}}}}}}),
        );
        let (types, duplicates) = generate(doc);
        assert_eq!(duplicates, Vec::<String>::new());
        for name in [
            "SubscriptionSchedule",
            "SubscriptionSchedule2",
            "SubscriptionSchedule3",
            "SubscriptionPlan",
            "SubscriptionPlan2",
            "GetAResponse",
            "GetAResponse2",
        ] {
            assert!(types.contains(&name.to_owned()), "{name} in {types:?}");
        }
    }

    #[test]
    fn identical_inline_schemas_share_a_name() {
        let line =
            json!({"title": "Line", "type": "object", "properties": {"a": {"type": "string"}}});
        let doc = api(
            json!({"A": {"type": "object", "properties": {"x": line, "y": line}}}),
            get("getA", ok(json!({"$ref": "#/components/schemas/A"}))),
        );
        let (types, duplicates) = generate(doc);
        assert_eq!(duplicates, Vec::<String>::new());
        assert!(types.contains(&"Line".to_owned()), "{types:?}");
        assert!(!types.contains(&"Line2".to_owned()), "{types:?}");
    }
}
