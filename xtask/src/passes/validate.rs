//! Pass 4, validate: check what progenitor assumes, then read the document
//! into `openapiv3` types.
//!
//! progenitor reports a missing `operationId` or a dangling `$ref` without
//! saying where (or panics), so these are checked here, on the JSON value,
//! where every problem can be named by its JSON pointer.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::refs;
use crate::spec_error::{Located, push_token};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Checks `doc` and converts it into an [`openapiv3::OpenAPI`].
pub fn validate(doc: &Value) -> Result<openapiv3::OpenAPI, Located> {
    check_refs(doc, doc, "")?;
    check_operations(doc)?;
    // openapiv3 reads `paths` through a flattened map, which hides where
    // inside a path item an error is; reading each item alone keeps it.
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            typed::<openapiv3::PathItem>(item, &push_token("/paths", path))?;
        }
    }
    typed(doc, "")
}

fn typed<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Result<T, Located> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = format!("{at}{}", pointer_of(e.path()));
        Located::new(
            pointer,
            format!("not valid OpenAPI 3.0 here: {}", e.inner()),
        )
    })
}

/// Every `$ref` must be local (`#/...`) and point at something.
fn check_refs(root: &Value, value: &Value, at: &str) -> Result<(), Located> {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                let Some(target) = refs::local_pointer(reference) else {
                    return Err(Located::new(
                        push_token(at, "$ref"),
                        format!("external reference {reference} is not supported; inline it"),
                    ));
                };
                if root.pointer(&target).is_none() {
                    return Err(Located::new(
                        push_token(at, "$ref"),
                        format!("unresolved reference {reference}"),
                    ));
                }
            }
            for (key, child) in map {
                check_refs(root, child, &push_token(at, key))?;
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_refs(root, child, &push_token(at, &i.to_string()))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every operation needs a unique `operationId`: it names the method users
/// call. Path items must be inline (progenitor cannot follow a `$ref` there).
fn check_operations(doc: &Value) -> Result<(), Located> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err(Located::new("/paths", "the document has no `paths`"));
    };
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in paths {
        let at = push_token("/paths", path);
        if item.get("$ref").is_some() {
            return Err(Located::new(
                push_token(&at, "$ref"),
                "path item references are not supported",
            ));
        }
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let here = push_token(&at, method);
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty())
                .ok_or_else(|| {
                    Located::new(
                        &here,
                        "operation has no `operationId`; add one in the overlay",
                    )
                })?;
            if let Some(first) = seen.insert(id, here.clone()) {
                return Err(Located::new(
                    push_token(&here, "operationId"),
                    format!("operationId {id} is also used at {first}"),
                ));
            }
        }
    }
    Ok(())
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(String::new(), |at, segment| match segment {
            Segment::Seq { index } => push_token(&at, &index.to_string()),
            Segment::Map { key } => push_token(&at, key),
            Segment::Enum { variant } => push_token(&at, variant),
            Segment::Unknown => at,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    fn op(id: &str) -> Value {
        json!({"operationId": id, "responses": {"200": {"description": "ok"}}})
    }

    #[test]
    fn a_valid_document_converts() {
        let spec = validate(&doc(
            json!({"/a/{id}": {"get": op("get_a")}}),
            json!({"A": {"type": "string"}}),
        ))
        .unwrap();
        assert_eq!(spec.paths.paths.len(), 1);
    }

    #[test]
    fn missing_operation_id_names_the_operation() {
        let e = validate(&doc(
            json!({"/user/invoices": {"get": {"responses": {}}}}),
            json!({}),
        ))
        .unwrap_err();
        assert_eq!(e.pointer, "/paths/~1user~1invoices/get");
        assert!(e.message.contains("operationId"), "{}", e.message);
    }

    #[test]
    fn duplicate_operation_ids_name_both_places() {
        let e = validate(&doc(
            json!({"/a": {"get": op("x")}, "/b": {"get": op("x")}}),
            json!({}),
        ))
        .unwrap_err();
        assert_eq!(e.pointer, "/paths/~1b/get/operationId");
        assert!(e.message.contains("/paths/~1a/get"), "{}", e.message);
    }

    #[test]
    fn unresolved_and_external_refs_are_errors() {
        let e = validate(&doc(
            json!({}),
            json!({"A": {"$ref": "#/components/schemas/Missing"}}),
        ))
        .unwrap_err();
        assert_eq!(e.pointer, "/components/schemas/A/$ref");
        assert!(
            e.message
                .contains("unresolved reference #/components/schemas/Missing")
        );
        let e = validate(&doc(json!({}), json!({"A": {"$ref": "other.yaml#/B"}}))).unwrap_err();
        assert!(e.message.contains("external reference"), "{}", e.message);
        validate(&doc(
            json!({}),
            json!({"A": {"$ref": "#/components/schemas/B%20C"}, "B C": {}}),
        ))
        .unwrap();
    }

    #[test]
    fn shape_errors_name_the_pointer() {
        let mut d = doc(json!({"/a": {"get": op("x")}}), json!({}));
        d["paths"]["/a"]["get"]["parameters"] = json!([{"name": "p", "in": "nowhere"}]);
        let e = validate(&d).unwrap_err();
        assert!(
            e.pointer.starts_with("/paths/~1a/get/parameters/0"),
            "{}",
            e.pointer
        );
    }
}
