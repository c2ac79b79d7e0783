//! Schemas only responses use lose their value constraints (lengths,
//! patterns, bounds, item counts, uniqueness) on the generator's copy, so a
//! response value is its plain type whatever bounds the vendor states.
//!
//! typify makes a constrained string a newtype (`InvoiceRef`), an integer
//! with `minimum: 0` unsigned and with `minimum: 1` `NonZero`, an array with
//! `minItems == maxItems` a fixed-size array and one with `uniqueItems` a
//! set. Each is a public type that appears, disappears or changes when the
//! vendor adjusts a bound, which breaks every user who named it, for no
//! gain: the crate decodes responses leniently and never checks what the
//! vendor sends against these bounds. So response-only schemas are
//! generated as `String`, the number type of their `type` and `format`, and
//! `Vec<T>`.
//!
//! A schema reachable from a request (a parameter or a request body, at any
//! depth of references) keeps its constraints: the crate checks them on
//! what it sends. The prepared document keeps every constraint too, so
//! `cargo xtask diff` still lists a changed bound in its spec summary.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::spec::document::{self, METHODS};
use crate::spec::error::push_token;
use crate::spec::refs::local_pointer;

/// The keywords that only bound a value, never change its JSON type.
const CONSTRAINTS: &[&str] = &[
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Removes the constraints of every schema in `doc` that only responses
/// use.
pub(super) fn relax(doc: &mut Value) {
    let requests = request_side(doc);
    document::walk::schemas_mut(doc, &mut |schema, at| {
        if !is_response_side(at) || requests.iter().any(|root| within(at, root)) {
            return;
        }
        if let Some(schema) = schema.as_object_mut() {
            for keyword in CONSTRAINTS {
                schema.shift_remove(*keyword);
            }
        }
    });
}

/// The places requests use: every operation's and path item's parameters
/// and request body, and every component they reference, directly or
/// through other components (as whole components).
fn request_side(doc: &Value) -> BTreeSet<String> {
    let mut queue = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for path in paths.keys() {
            let at = push_token("/paths", path);
            queue.push(push_token(&at, "parameters"));
            for method in METHODS {
                let op = push_token(&at, method);
                queue.push(push_token(&op, "parameters"));
                queue.push(push_token(&op, "requestBody"));
            }
        }
    }
    let mut roots = BTreeSet::new();
    while let Some(root) = queue.pop() {
        let Some(value) = doc.pointer(&root) else {
            continue;
        };
        if !roots.insert(root.clone()) {
            continue;
        }
        for (_, reference) in document::reference_objects(value, &root) {
            if let Some(pointer) = local_pointer(&reference) {
                queue.push(component_root(&pointer));
            }
        }
    }
    roots
}

/// The component a pointer is in (`/components/schemas/A` for
/// `/components/schemas/A/properties/b`), or the pointer itself outside
/// `components`.
fn component_root(pointer: &str) -> String {
    match pointer.strip_prefix("/components/") {
        Some(rest) => {
            let end = rest
                .match_indices('/')
                .nth(1)
                .map_or(rest.len(), |(i, _)| i);
            format!("/components/{}", &rest[..end])
        }
        None => pointer.to_owned(),
    }
}

/// Whether the schema at `at` is in a response, or in a component that a
/// response may use (schemas, responses, headers); parameters and request
/// bodies never are.
fn is_response_side(at: &str) -> bool {
    let tokens: Vec<&str> = at.split('/').skip(1).collect();
    match tokens.as_slice() {
        ["paths", _, method, "responses", ..] => METHODS.contains(method),
        ["components", kind, ..] => ["schemas", "responses", "headers"].contains(kind),
        _ => false,
    }
}

/// Whether `at` is `root` or inside it.
fn within(at: &str, root: &str) -> bool {
    at.strip_prefix(root)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bounded_string() -> Value {
        json!({"type": "string", "minLength": 1, "maxLength": 9, "pattern": "^[a-z]+$"})
    }

    #[test]
    fn response_only_schemas_lose_their_bounds_request_ones_keep_them() {
        let mut doc = json!({
            "paths": {"/a": {"post": {
                "parameters": [{"name": "q", "in": "query",
                                "schema": {"$ref": "#/components/schemas/Query"}}],
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Sent"}}}},
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "pair": {"type": "array", "minItems": 2, "maxItems": 2,
                                 "uniqueItems": true, "items": {"type": "string"}},
                        "got": {"$ref": "#/components/schemas/Got"},
                        "sent": {"$ref": "#/components/schemas/Sent"},
                    }}}}}}}}},
            "components": {"schemas": {
                "Query": bounded_string(),
                "Sent": {"type": "object", "properties": {
                    "name": {"$ref": "#/components/schemas/Name"}}},
                "Name": bounded_string(),
                "Got": {"type": "object", "properties": {"code": bounded_string()}},
            }}
        });
        relax(&mut doc);
        let at = |pointer: &str| doc.pointer(pointer).unwrap().clone();
        let response = "/paths/~1a/post/responses/200/content/application~1json/schema";
        assert_eq!(
            at(&format!("{response}/properties/count")),
            json!({"type": "integer"})
        );
        assert_eq!(
            at(&format!("{response}/properties/pair")),
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            at("/components/schemas/Got/properties/code"),
            json!({"type": "string"})
        );
        // Sent is a request body, and Name through it; Query a parameter.
        assert_eq!(at("/components/schemas/Name"), bounded_string());
        assert_eq!(at("/components/schemas/Query"), bounded_string());
    }

    #[test]
    fn components_and_places_are_told_apart() {
        assert_eq!(
            component_root("/components/schemas/A/properties/b"),
            "/components/schemas/A"
        );
        assert_eq!(
            component_root("/components/schemas/A"),
            "/components/schemas/A"
        );
        assert!(is_response_side("/paths/~1a/get/responses/200"));
        assert!(!is_response_side("/paths/~1a/get/parameters/0/schema"));
        assert!(!is_response_side("/components/parameters/P/schema"));
        assert!(within(
            "/components/schemas/A/items",
            "/components/schemas/A"
        ));
        assert!(!within("/components/schemas/AB", "/components/schemas/A"));
    }
}
