//! Reading an OpenAPI document held as a JSON value: its operations, its
//! references and every schema in it. The passes work on the JSON value
//! rather than on `openapiv3` types so that every problem can be named by
//! its JSON pointer in the file the user wrote.

pub mod examples;
pub mod media;
pub mod walk;

use serde_json::Value;

use crate::spec::error::push_token;

/// The HTTP methods a path item can hold, in the order OpenAPI lists them.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation in `paths`, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationAt {
    /// The path template (`/invoices/{id}`).
    pub path: String,
    /// The lowercase HTTP method.
    pub method: &'static str,
    /// JSON pointer to the Operation Object.
    pub pointer: String,
    /// Its `operationId`, if it has a non-empty one.
    pub id: Option<String>,
}

/// Every operation in `doc`, in document order.
pub fn operations(doc: &Value) -> Vec<OperationAt> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, item) in paths {
        let at = push_token("/paths", path);
        for method in METHODS {
            let Some(op) = item.get(*method).filter(|op| op.is_object()) else {
                continue;
            };
            found.push(OperationAt {
                path: path.clone(),
                method,
                pointer: push_token(&at, method),
                id: op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .filter(|id| !id.trim().is_empty())
                    .map(str::to_owned),
            });
        }
    }
    found
}

/// Removes an operation, and its path item if nothing else is left in it.
pub fn remove_operation(doc: &mut Value, op: &OperationAt) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(item) = paths.get_mut(&op.path).and_then(Value::as_object_mut) {
        item.shift_remove(op.method);
        if !METHODS.iter().any(|m| item.contains_key(*m)) {
            paths.shift_remove(&op.path);
        }
    }
}

/// The `operationId` of the operation that `pointer` lies in, if any.
pub fn operation_of(doc: &Value, pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/paths/")?;
    let mut tokens = rest.splitn(3, '/');
    let path = tokens.next()?;
    let method = tokens.next()?;
    if !METHODS.contains(&method) {
        return None;
    }
    doc.pointer(&format!("/paths/{path}/{method}/operationId"))?
        .as_str()
        .map(str::to_owned)
}

/// The `$ref` string of `value`, if it is a Reference Object.
pub fn reference(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Follows local references from `value` until a value that is not one (at
/// most as many steps as a document could need; a cycle or a dangling
/// reference gives `None`).
pub fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    for _ in 0..64 {
        match reference(value) {
            None => return Some(value),
            Some(r) => value = crate::spec::refs::resolve(doc, r)?,
        }
    }
    None
}

/// Schema extension that carries, on the generator's copy of a document,
/// the constraints of a schema the generated crate does not check, each in
/// words (the shape pass writes it, the parameter checks and crate docs
/// read it).
pub const UNCHECKED: &str = "x-invoicing-unchecked";

/// The extension marking a schema whose `anyOf` the normalise pass reads
/// as `oneOf` (its branches admit different JSON types; one that admits
/// anything is tried last), so that a validator judging examples against
/// the vendor's schema reads it as the vendor wrote it.
pub const ANY_OF_AS_ONE_OF: &str = "x-invoicing-any-of";

/// `#/components/<kind>/<name>` for a name (escaped as a pointer token).
pub fn component_ref(kind: &str, name: &str) -> String {
    format!("#{}", push_token(&format!("/components/{kind}"), name))
}

/// The component name a pointer names directly
/// (`/components/schemas/A~1B` -> `A/B` for kind `schemas`), or `None` when
/// it points elsewhere, including inside a component.
pub fn component_name(pointer: &str, kind: &str) -> Option<String> {
    let token = pointer
        .strip_prefix("/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    (!token.contains('/')).then(|| unescape(token))
}

/// One JSON pointer token unescaped (`~1` is `/`, `~0` is `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Keys whose values are data (an example, a default), where a `$ref` key
/// is part of the data rather than a reference.
const DATA_KEYS: &[&str] = &["example", "default", "enum", "const"];

/// Objects whose keys are names the vendor chose (a property, a header, a
/// component), where a key starting with `x-` is not an extension.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "headers",
    "encoding",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
    "examples",
    "content",
    "variables",
    "mapping",
    "pathItems",
];

/// Every Reference Object inside `value`, as `(pointer, reference)`, in
/// document order; `at` is the pointer of `value`. Example and default
/// values are data and are not searched, nor are `x-` extensions.
pub fn reference_objects(value: &Value, at: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    collect_references(value, at, &mut found);
    found
}

fn collect_references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                found.push((at.to_owned(), r.to_owned()));
            }
            // In a Responses Object `default` is a status, not data.
            let statuses = at.ends_with("/responses");
            let names = NAME_MAPS.iter().any(|m| at.ends_with(&format!("/{m}")));
            for (key, child) in map {
                let here = push_token(at, key);
                match (key.as_str(), child) {
                    (k, _) if DATA_KEYS.contains(&k) && !statuses => {}
                    // Extensions are the vendor's, opaque to the generator:
                    // a `$ref` inside one is neither followed nor checked.
                    // (In a map of names, `x-request-id` is a name.)
                    (k, _) if k.starts_with("x-") && !names => {}
                    // A map of Example Objects: each is data or a reference
                    // to one; a list is a 3.1 schema's data.
                    ("examples", Value::Object(examples)) => {
                        for (name, example) in examples {
                            if let Some(r) = reference(example) {
                                found.push((push_token(&here, name), r.to_owned()));
                            }
                        }
                    }
                    ("examples", _) => {}
                    _ => collect_references(child, &here, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_references(child, &push_token(at, &i.to_string()), found);
            }
        }
        _ => {}
    }
}

/// The JSON type name of `value`, as error messages say it.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_are_listed_with_their_pointers() {
        let doc = json!({"paths": {"/a/{id}": {"parameters": [], "get": {"operationId": "getA"},
            "post": {"operationId": " "}}, "/b": "not an item"}});
        let ops = operations(&doc);
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].pointer, "/paths/~1a~1{id}/get");
        assert_eq!(ops[0].id.as_deref(), Some("getA"));
        assert_eq!(ops[1].id, None, "a blank operationId is none");
        assert_eq!(
            operation_of(&doc, "/paths/~1a~1{id}/get/responses/200").as_deref(),
            Some("getA")
        );
        assert_eq!(operation_of(&doc, "/paths/~1a~1{id}/parameters/0"), None);
        assert_eq!(operation_of(&doc, "/components/schemas/A"), None);
    }

    #[test]
    fn reference_objects_leave_out_data() {
        let doc = json!({"a": {"$ref": "#/x"}, "b": [{"$ref": "#/y"}],
            "example": {"$ref": "data"}, "default": {"$ref": "data"},
            "examples": {"e1": {"$ref": "#/components/examples/E"}, "e2": {"value": {"$ref": "data"}}},
            "s": {"examples": [{"$ref": "data"}]},
            "responses": {"default": {"$ref": "#/r"}}});
        assert_eq!(
            reference_objects(&doc, ""),
            [
                ("/a".to_owned(), "#/x".to_owned()),
                ("/b/0".to_owned(), "#/y".to_owned()),
                (
                    "/examples/e1".to_owned(),
                    "#/components/examples/E".to_owned()
                ),
                ("/responses/default".to_owned(), "#/r".to_owned()),
            ]
        );
    }

    #[test]
    fn references_resolve_through_chains_and_percent_escapes() {
        let doc = json!({"components": {"schemas": {"A B": {"$ref": "#/components/schemas/C"},
            "C": {"type": "string"}, "Loop": {"$ref": "#/components/schemas/Loop"}}}});
        let r = json!({"$ref": "#/components/schemas/A%20B"});
        assert_eq!(resolve(&doc, &r), Some(&json!({"type": "string"})));
        let r = json!({"$ref": "#/components/schemas/Loop"});
        assert_eq!(resolve(&doc, &r), None);
        assert_eq!(
            component_name("/components/schemas/A~1B", "schemas").as_deref(),
            Some("A/B")
        );
        assert_eq!(
            component_name("/components/schemas/A/allOf/0", "schemas"),
            None
        );
        assert_eq!(component_ref("schemas", "A/B"), "#/components/schemas/A~1B");
    }
}
