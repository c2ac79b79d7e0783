//! Pass 6, constant_headers: between validate and shape, headers the
//! vendor requires on every request with one fixed value become the
//! client's, not each call's.
//!
//! A vendor document declares such a header as a required header parameter
//! whose schema allows exactly one string (Kitchen's
//! `X-Requested-With: XMLHttpRequest`). Left in, progenitor would make it a
//! builder method every caller has to remember; taken out here, the
//! generated `Client::with_auth` sends it on every request (see
//! `postprocess::client_hooks`). The spec stays the one place the fact is
//! written.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::spec::document::{self, METHODS};
use crate::spec::error::push_token;

/// Removes every constant required header parameter from `doc`'s path
/// items and operations and returns them, header name to value.
///
/// # Errors
/// When one header is required with different fixed values in different
/// places, naming the header and both values.
pub fn take(doc: &mut Value) -> Result<BTreeMap<String, String>, String> {
    // Found first on the unchanged document (references resolve against
    // it), removed after.
    let mut found: Vec<(String, Vec<usize>)> = Vec::new();
    let mut headers = BTreeMap::new();
    for list in parameter_lists(doc) {
        let Some(parameters) = doc.pointer(&list).and_then(Value::as_array) else {
            continue;
        };
        let mut indices = Vec::new();
        for (i, parameter) in parameters.iter().enumerate() {
            let Some((name, value)) = constant(doc, parameter) else {
                continue;
            };
            if let Some(other) = headers.insert(name.clone(), value.clone())
                && other != value
            {
                return Err(format!(
                    "header `{name}` is required with the value {other:?} in one place and {value:?} in another"
                ));
            }
            indices.push(i);
        }
        found.push((list, indices));
    }
    for (list, indices) in found {
        if let Some(parameters) = doc.pointer_mut(&list).and_then(Value::as_array_mut) {
            // Highest index first, so the others stay where they were.
            for i in indices.into_iter().rev() {
                parameters.remove(i);
            }
        }
    }
    Ok(headers)
}

/// Pointers to every `parameters` list of a path item or operation.
fn parameter_lists(doc: &Value) -> Vec<String> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut lists = Vec::new();
    for (path, item) in paths {
        let at = push_token("/paths", path);
        lists.push(format!("{at}/parameters"));
        lists.extend(
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| format!("{at}/{m}/parameters")),
        );
    }
    lists
}

/// The header's name and value, when `parameter` is a required header
/// whose schema allows exactly one string.
fn constant(doc: &Value, parameter: &Value) -> Option<(String, String)> {
    let parameter = document::resolve(doc, parameter)?;
    if parameter.get("in")?.as_str()? != "header"
        || parameter.get("required") != Some(&Value::Bool(true))
    {
        return None;
    }
    let schema = document::resolve(doc, parameter.get("schema")?)?;
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    match schema.get("enum")?.as_array()?.as_slice() {
        [Value::String(value)] => {
            Some((parameter.get("name")?.as_str()?.to_owned(), value.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> Value {
        serde_norway::from_str(yaml).unwrap()
    }

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a
      parameters:
        - $ref: '#/components/parameters/Client'
        - {name: X-Trace, in: header, required: false, schema: {type: string, enum: [on]}}
        - {name: page, in: query, schema: {type: integer}}
      responses: {'200': {description: ok}}
  /b:
    parameters:
      - {name: X-Client, in: header, required: true, schema: {type: string, enum: [VALUE]}}
    get:
      operationId: b
      responses: {'200': {description: ok}}
components:
  parameters:
    Client: {name: X-Client, in: header, required: true, schema: {type: string, enum: [VALUE]}}
"#;

    #[test]
    fn constant_required_headers_move_to_the_client() {
        let mut doc = spec(DOC);
        let headers = take(&mut doc).unwrap();
        assert_eq!(
            headers,
            BTreeMap::from([("X-Client".to_owned(), "VALUE".to_owned())])
        );
        // The optional header and the query parameter stay on the operation.
        let a = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(a.as_array().unwrap().len(), 2);
        assert_eq!(a[0]["name"], "X-Trace");
        assert_eq!(doc["paths"]["/b"]["parameters"], serde_json::json!([]));
    }

    #[test]
    fn one_header_with_two_values_is_an_error() {
        let mut doc = spec(&DOC.replace("enum: [VALUE]}}\n    get:", "enum: [OTHER]}}\n    get:"));
        let err = take(&mut doc).unwrap_err();
        assert!(err.contains("`X-Client`"), "{err}");
    }
}
