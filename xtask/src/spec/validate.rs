//! Pass 5, validate: check what progenitor assumes, then read the document
//! into `openapiv3` types.
//!
//! progenitor reports a missing `operationId` or a dangling `$ref` without
//! saying where (or panics), and rustc rejects a client whose operation has
//! two parameters of one name. These are checked here, on the JSON value,
//! where every problem can be named by its JSON pointer, and every problem
//! in the document is reported at once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec::document::{self, operations};
use crate::spec::error::{Located, push_token};
use crate::spec::refs;

/// Checks `doc` and converts it into an [`openapiv3::OpenAPI`]; on failure,
/// every problem found.
pub fn validate(doc: &Value) -> Result<openapiv3::OpenAPI, Vec<Located>> {
    let mut errors = check_refs(doc);
    errors.extend(check_operations(doc));
    errors.extend(check_parameters(doc));
    if !errors.is_empty() {
        return Err(errors);
    }
    // openapiv3 reads `paths` through a flattened map, which hides where
    // inside a path item an error is; reading each item alone keeps it.
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Err(e) = typed::<openapiv3::PathItem>(item, &push_token("/paths", path)) {
                errors.push(e);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    typed(doc, "").map_err(|e| vec![e])
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
fn check_refs(doc: &Value) -> Vec<Located> {
    let mut errors = Vec::new();
    for (at, reference) in document::reference_objects(doc, "") {
        let at = push_token(&at, "$ref");
        match refs::local_pointer(&reference) {
            None => errors.push(Located::new(
                at,
                format!("external reference {reference} is not supported; inline it"),
            )),
            Some(target) if doc.pointer(&target).is_none() => errors.push(Located::new(
                at,
                format!("unresolved reference {reference}"),
            )),
            Some(_) => {}
        }
    }
    errors
}

/// Every operation needs a unique `operationId`: it names the method users
/// call. Path items must be inline (progenitor cannot follow a `$ref` there).
fn check_operations(doc: &Value) -> Vec<Located> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return vec![Located::new("/paths", "the document has no `paths`")];
    };
    let mut errors = Vec::new();
    for (path, item) in paths {
        if item.get("$ref").is_some() {
            errors.push(Located::new(
                push_token(&push_token("/paths", path), "$ref"),
                "path item references are not supported",
            ));
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(doc) {
        let Some(id) = op.id else {
            errors.push(Located::new(
                &op.pointer,
                "operation has no `operationId`; add one in the overlay",
            ));
            continue;
        };
        if let Some(first) = seen.insert(id.clone(), op.pointer.clone()) {
            errors.push(Located::new(
                push_token(&op.pointer, "operationId"),
                format!("operationId {id} is also used at {first}"),
            ));
        }
    }
    errors
}

/// Within one operation a parameter is named once per location, and path
/// parameters and the `{names}` in the path template match one to one.
fn check_parameters(doc: &Value) -> Vec<Located> {
    let mut errors = Vec::new();
    for op in operations(doc) {
        let item_at = push_token("/paths", &op.path);
        // Operation parameters override path-level ones of the same name
        // and location; a duplicate within one list is an error.
        let mut by_key: BTreeMap<(String, String), (String, &Value)> = BTreeMap::new();
        for list_at in [
            push_token(&item_at, "parameters"),
            push_token(&op.pointer, "parameters"),
        ] {
            let mut in_list = BTreeSet::new();
            let list = doc.pointer(&list_at).and_then(Value::as_array);
            for (i, p) in list.into_iter().flatten().enumerate() {
                let at = push_token(&list_at, &i.to_string());
                let Some(param) = document::resolve(doc, p) else {
                    continue;
                };
                let (Some(name), Some(location)) = (
                    param.get("name").and_then(Value::as_str),
                    param.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let key = (name.to_owned(), location.to_owned());
                if !in_list.insert(key.clone()) {
                    errors.push(Located::new(
                        at,
                        format!("parameter `{name}` in {location} is listed twice"),
                    ));
                    continue;
                }
                by_key.insert(key, (at, param));
            }
        }
        let template = template_names(&op.path);
        for ((name, location), (at, _)) in &by_key {
            if location == "path" && !template.contains(name.as_str()) {
                errors.push(Located::new(
                    at,
                    format!(
                        "path parameter `{name}` does not appear in the path {}",
                        op.path
                    ),
                ));
            }
        }
        for name in template {
            if !by_key.contains_key(&(name.to_owned(), "path".to_owned())) {
                errors.push(Located::new(
                    &op.pointer,
                    format!("the path {} has `{{{name}}}` but the operation defines no path parameter `{name}`", op.path),
                ));
            }
        }
    }
    errors
}

/// The `{names}` in a path template.
fn template_names(path: &str) -> BTreeSet<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
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

    fn errors(doc: &Value) -> Vec<Located> {
        validate(doc).unwrap_err()
    }

    fn path_param(name: &str) -> Value {
        json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}})
    }

    #[test]
    fn a_valid_document_converts() {
        let mut get = op("get_a");
        get["parameters"] = json!([path_param("id")]);
        let spec = validate(&doc(
            json!({"/a/{id}": {"get": get}}),
            json!({"A": {"type": "string"}}),
        ))
        .unwrap();
        assert_eq!(spec.paths.paths.len(), 1);
    }

    #[test]
    fn missing_operation_id_names_the_operation() {
        let e = &errors(&doc(
            json!({"/user/invoices": {"get": {"responses": {}}}}),
            json!({}),
        ))[0];
        assert_eq!(e.pointer, "/paths/~1user~1invoices/get");
        assert!(e.message.contains("operationId"), "{}", e.message);
    }

    #[test]
    fn duplicate_operation_ids_name_both_places() {
        let e = &errors(&doc(
            json!({"/a": {"get": op("x")}, "/b": {"get": op("x")}}),
            json!({}),
        ))[0];
        assert_eq!(e.pointer, "/paths/~1b/get/operationId");
        assert!(e.message.contains("/paths/~1a/get"), "{}", e.message);
    }

    #[test]
    fn unresolved_and_external_refs_are_errors_all_of_them() {
        let all = errors(&doc(
            json!({}),
            json!({"A": {"$ref": "#/components/schemas/Missing"}, "B": {"$ref": "other.yaml#/B"},
                   "C": {"example": {"$ref": "data, not a reference"}}}),
        ));
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0].pointer, "/components/schemas/A/$ref");
        assert!(
            all[0]
                .message
                .contains("unresolved reference #/components/schemas/Missing")
        );
        assert!(
            all[1].message.contains("external reference"),
            "{}",
            all[1].message
        );
        validate(&doc(
            json!({}),
            json!({"A": {"$ref": "#/components/schemas/B%20C"}, "B C": {}}),
        ))
        .unwrap();
    }

    #[test]
    fn parameters_are_unique_and_match_the_path_template() {
        let mut get = op("get_a");
        get["parameters"] = json!([path_param("id"), {"name": "q", "in": "query"},
            {"name": "q", "in": "query"}, {"name": "q", "in": "header"}, path_param("other")]);
        let all = errors(&doc(
            json!({"/a/{id}/{missing}": {"parameters": [path_param("id")], "get": get}}),
            json!({}),
        ));
        let found: Vec<_> = all
            .iter()
            .map(|e| (e.pointer.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/paths/~1a~1{id}~1{missing}/get/parameters/2",
                    "parameter `q` in query is listed twice"
                ),
                (
                    "/paths/~1a~1{id}~1{missing}/get/parameters/4",
                    "path parameter `other` does not appear in the path /a/{id}/{missing}"
                ),
                (
                    "/paths/~1a~1{id}~1{missing}/get",
                    "the path /a/{id}/{missing} has `{missing}` but the operation defines no path parameter `missing`"
                ),
            ]
        );
    }

    #[test]
    fn shape_errors_name_the_pointer() {
        let mut d = doc(json!({"/a": {"get": op("x")}}), json!({}));
        d["paths"]["/a"]["get"]["parameters"] = json!([{"name": "p", "in": "nowhere"}]);
        let e = &errors(&d)[0];
        assert!(
            e.pointer.starts_with("/paths/~1a/get/parameters/0"),
            "{}",
            e.pointer
        );
    }
}
