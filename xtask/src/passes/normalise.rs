//! Pass 3, normalise: rewrite an OpenAPI 3.1 document into the 3.0 form that
//! `openapiv3` and progenitor accept.
//!
//! Only what has an exact 3.0 equivalent is translated; anything else is an
//! error naming the JSON pointer, so nothing in a vendor's document is
//! silently dropped. 3.0 documents pass through unchanged.

use serde_json::{Map, Value, json};

use crate::spec_error::{Located, push_token};

/// Keywords a 3.0 Schema Object understands (plus `x-` extensions).
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

/// Annotations 3.1 allows beside `$ref`; 3.0 ignores siblings of `$ref`, so
/// dropping these loses no meaning.
const REF_ANNOTATIONS: &[&str] = &["description", "summary"];

/// Rewrites `doc` in place when it is OpenAPI 3.1; leaves 3.0 alone.
pub fn normalise(doc: &mut Value) -> Result<(), Located> {
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .ok_or_else(|| Located::new("/openapi", "missing `openapi` version string"))?
        .to_owned();
    if version.starts_with("3.0.") {
        return Ok(());
    }
    if !version.starts_with("3.1.") {
        return Err(Located::new(
            "/openapi",
            format!("unsupported OpenAPI version {version}"),
        ));
    }
    let root = doc
        .as_object_mut()
        .expect("a document with a version string is an object");
    root.insert("openapi".into(), json!("3.0.3"));
    for key in ["webhooks", "jsonSchemaDialect"] {
        if root.contains_key(key) {
            return Err(Located::new(
                push_token("", key),
                format!("`{key}` (OpenAPI 3.1) has no 3.0 form"),
            ));
        }
    }
    if let Some(info) = root.get("info") {
        for key in ["summary"] {
            if info.get(key).is_some() {
                return Err(Located::new(
                    format!("/info/{key}"),
                    format!("`info.{key}` (OpenAPI 3.1) has no 3.0 form"),
                ));
            }
        }
        if info.pointer("/license/identifier").is_some() {
            return Err(Located::new(
                "/info/license/identifier",
                "`license.identifier` (OpenAPI 3.1) has no 3.0 form; use `url`",
            ));
        }
    }
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            path_item(item, &push_token("/paths", path))?;
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if components.contains_key("pathItems") {
            return Err(Located::new(
                "/components/pathItems",
                "`pathItems` (OpenAPI 3.1) has no 3.0 form",
            ));
        }
        let each = |components: &mut Map<String, Value>,
                    key: &str,
                    f: fn(&mut Value, &str) -> Result<(), Located>| {
            if let Some(map) = components.get_mut(key).and_then(Value::as_object_mut) {
                let at = push_token("/components", key);
                for (name, value) in map.iter_mut() {
                    f(value, &push_token(&at, name))?;
                }
            }
            Ok(())
        };
        each(components, "schemas", schema)?;
        each(components, "parameters", parameter)?;
        each(components, "headers", parameter)?;
        each(components, "responses", response)?;
        each(components, "requestBodies", content_holder)?;
    }
    Ok(())
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

fn path_item(item: &mut Value, at: &str) -> Result<(), Located> {
    let Some(item) = item.as_object_mut() else {
        return Ok(());
    };
    for (key, value) in item.iter_mut() {
        let here = push_token(at, key);
        match key.as_str() {
            "parameters" => each_in_array(value, &here, parameter)?,
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                operation(value, &here)?
            }
            _ => {}
        }
    }
    Ok(())
}

fn operation(op: &mut Value, at: &str) -> Result<(), Located> {
    let Some(op) = op.as_object_mut() else {
        return Ok(());
    };
    if op.contains_key("callbacks") {
        return Err(Located::new(
            push_token(at, "callbacks"),
            "callbacks are not supported",
        ));
    }
    if let Some(params) = op.get_mut("parameters") {
        each_in_array(params, &push_token(at, "parameters"), parameter)?;
    }
    if let Some(body) = op.get_mut("requestBody") {
        content_holder(body, &push_token(at, "requestBody"))?;
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        let here = push_token(at, "responses");
        for (status, r) in responses.iter_mut() {
            response(r, &push_token(&here, status))?;
        }
    }
    Ok(())
}

fn each_in_array(
    list: &mut Value,
    at: &str,
    f: fn(&mut Value, &str) -> Result<(), Located>,
) -> Result<(), Located> {
    if let Some(items) = list.as_array_mut() {
        for (i, item) in items.iter_mut().enumerate() {
            f(item, &push_token(at, &i.to_string()))?;
        }
    }
    Ok(())
}

/// Parameters and headers: a `schema` or a `content` map.
fn parameter(p: &mut Value, at: &str) -> Result<(), Located> {
    if is_ref(p) {
        return Ok(());
    }
    if let Some(s) = p.get_mut("schema") {
        schema(s, &push_token(at, "schema"))?;
    }
    content_holder(p, at)
}

fn response(r: &mut Value, at: &str) -> Result<(), Located> {
    if is_ref(r) {
        return Ok(());
    }
    if let Some(headers) = r.get_mut("headers").and_then(Value::as_object_mut) {
        let here = push_token(at, "headers");
        for (name, h) in headers.iter_mut() {
            parameter(h, &push_token(&here, name))?;
        }
    }
    content_holder(r, at)
}

/// Anything with a `content` map of media types (request bodies, responses).
fn content_holder(holder: &mut Value, at: &str) -> Result<(), Located> {
    if is_ref(holder) {
        return Ok(());
    }
    if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
        let here = push_token(at, "content");
        for (media, m) in content.iter_mut() {
            if let Some(s) = m.get_mut("schema") {
                schema(s, &push_token(&push_token(&here, media), "schema"))?;
            }
        }
    }
    Ok(())
}

/// Translates one Schema Object and everything nested in it.
pub fn schema(s: &mut Value, at: &str) -> Result<(), Located> {
    let Some(obj) = s.as_object_mut() else {
        // `true`/`false` schemas: `{}` is the 3.0 form of `true`.
        return match s {
            Value::Bool(true) => {
                *s = json!({});
                Ok(())
            }
            _ => Err(Located::new(
                at,
                "this schema form has no OpenAPI 3.0 equivalent",
            )),
        };
    };
    if obj.contains_key("$ref") {
        return ref_siblings(obj, at);
    }
    obj.remove("$comment");
    translate_type(obj, at)?;
    translate_null_alternative(obj, at)?;
    if let Some(value) = obj.remove("const") {
        if obj.contains_key("enum") {
            return Err(Located::new(
                push_token(at, "const"),
                "`const` beside `enum` is not supported",
            ));
        }
        obj.insert("enum".into(), json!([value]));
    }
    if let Some(examples) = obj.remove("examples") {
        let Value::Array(mut list) = examples else {
            return Err(Located::new(
                push_token(at, "examples"),
                "schema `examples` must be a list",
            ));
        };
        // 3.0 has a single `example`; the first of the list is the vendor's
        // primary one.
        if !obj.contains_key("example") && !list.is_empty() {
            obj.insert("example".into(), list.swap_remove(0));
        }
    }
    for (key, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if obj.get(key).is_some_and(Value::is_number) {
            if obj.contains_key(bound) {
                return Err(Located::new(
                    push_token(at, key),
                    format!("numeric `{key}` beside `{bound}` has no single 3.0 form"),
                ));
            }
            let value = obj.remove(key).expect("checked above");
            obj.insert(bound.into(), value);
            obj.insert(key.into(), json!(true));
        }
    }
    for key in obj.keys() {
        if !SCHEMA_30.contains(&key.as_str()) && !key.starts_with("x-") {
            return Err(Located::new(
                push_token(at, key),
                format!("JSON Schema keyword `{key}` has no OpenAPI 3.0 equivalent"),
            ));
        }
    }
    // Recurse into sub-schemas.
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        let here = push_token(at, "properties");
        for (name, p) in props.iter_mut() {
            schema(p, &push_token(&here, name))?;
        }
    }
    for key in ["items", "not"] {
        if let Some(sub) = obj.get_mut(key) {
            schema(sub, &push_token(at, key))?;
        }
    }
    if let Some(sub) = obj
        .get_mut("additionalProperties")
        .filter(|v| v.is_object())
    {
        schema(sub, &push_token(at, "additionalProperties"))?;
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = obj.get_mut(key) {
            each_in_array(list, &push_token(at, key), schema)?;
        }
    }
    Ok(())
}

fn ref_siblings(obj: &mut Map<String, Value>, at: &str) -> Result<(), Located> {
    obj.retain(|k, _| !REF_ANNOTATIONS.contains(&k.as_str()));
    match obj.keys().find(|k| *k != "$ref") {
        None => Ok(()),
        Some(k) => Err(Located::new(
            push_token(at, k),
            format!("`{k}` beside `$ref` has no OpenAPI 3.0 form; wrap the reference in `allOf`"),
        )),
    }
}

/// `type: [T, "null"]` -> `type: T, nullable: true`.
fn translate_type(obj: &mut Map<String, Value>, at: &str) -> Result<(), Located> {
    let here = push_token(at, "type");
    let types: Vec<String> = match obj.get("type") {
        None => return Ok(()),
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(list)) => list
            .iter()
            .map(|t| {
                t.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Located::new(&here, "`type` entries must be strings"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(Located::new(
                here,
                "`type` must be a string or a list of strings",
            ));
        }
    };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    match rest.as_slice() {
        [single] => {
            obj.insert("type".into(), json!(single));
        }
        [] => {
            return Err(Located::new(
                here,
                "a schema that only allows `null` has no OpenAPI 3.0 form",
            ));
        }
        _ => {
            return Err(Located::new(
                here,
                format!("a schema of several types {rest:?} has no OpenAPI 3.0 form; use `oneOf`"),
            ));
        }
    }
    if nullable {
        obj.insert("nullable".into(), json!(true));
    }
    Ok(())
}

/// `anyOf`/`oneOf: [X, {type: "null"}]` -> `allOf: [X], nullable: true`.
fn translate_null_alternative(obj: &mut Map<String, Value>, at: &str) -> Result<(), Located> {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(list)) = obj.get_mut(key) else {
            continue;
        };
        let is_null = |v: &Value| {
            v.get("type").and_then(Value::as_str) == Some("null")
                && v.as_object().is_some_and(|o| o.len() == 1)
        };
        if !list.iter().any(is_null) {
            continue;
        }
        list.retain(|v| !is_null(v));
        let remaining = list.len();
        obj.insert("nullable".into(), json!(true));
        if remaining == 1 {
            if obj.contains_key("allOf") {
                return Err(Located::new(
                    push_token(at, key),
                    format!("nullable `{key}` beside `allOf` is not supported"),
                ));
            }
            let only = obj.remove(key).expect("present");
            obj.insert("allOf".into(), only);
        } else if remaining == 0 {
            return Err(Located::new(
                push_token(at, key),
                "a schema that only allows `null` has no OpenAPI 3.0 form",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(schema: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
               "components": {"schemas": {"S": schema}}})
    }

    fn normalised(schema: Value) -> Value {
        let mut d = doc(schema);
        normalise(&mut d).unwrap();
        assert_eq!(d["openapi"], "3.0.3");
        d["components"]["schemas"]["S"].clone()
    }

    fn error(schema: Value) -> Located {
        normalise(&mut doc(schema)).unwrap_err()
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        assert_eq!(
            normalised(json!({"type": ["string", "null"], "format": "date-time"})),
            json!({"type": "string", "format": "date-time", "nullable": true})
        );
        assert_eq!(
            normalised(json!({"type": ["integer"]})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn null_alternatives_become_nullable_all_of() {
        assert_eq!(
            normalised(
                json!({"anyOf": [{"$ref": "#/components/schemas/P"}, {"type": "null"}], "description": "d"})
            ),
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/P"}]})
        );
        assert_eq!(
            normalised(
                json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]})
            ),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds_translate() {
        assert_eq!(
            normalised(
                json!({"type": "number", "const": 3, "examples": [3, 4], "exclusiveMinimum": 0, "exclusiveMaximum": 10})
            ),
            json!({"type": "number", "enum": [3], "example": 3, "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
    }

    #[test]
    fn nested_schemas_are_translated_too() {
        let s = normalised(json!({"type": "object", "properties": {
            "a": {"type": "array", "items": {"type": ["string", "null"]}},
            "b": {"allOf": [{"type": "object", "additionalProperties": {"const": "x"}}]}}}));
        assert_eq!(
            s["properties"]["a"]["items"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            s["properties"]["b"]["allOf"][0]["additionalProperties"],
            json!({"enum": ["x"]})
        );
    }

    #[test]
    fn schemas_in_operations_are_translated() {
        let mut d = json!({"openapi": "3.1.1", "info": {"title": "t", "version": "1"}, "paths": {"/a": {
            "parameters": [{"name": "p", "in": "query", "schema": {"type": ["integer", "null"]}}],
            "get": {"responses": {"200": {"description": "ok",
                "headers": {"Link": {"schema": {"type": ["string", "null"]}}},
                "content": {"application/json": {"schema": {"const": 1},
                    "examples": {"x": {"value": 1}}}}}}}}}});
        normalise(&mut d).unwrap();
        let get = &d["paths"]["/a"];
        assert_eq!(get["parameters"][0]["schema"]["nullable"], true);
        let ok = &get["get"]["responses"]["200"];
        assert_eq!(ok["headers"]["Link"]["schema"]["nullable"], true);
        assert_eq!(
            ok["content"]["application/json"]["schema"],
            json!({"enum": [1]})
        );
        // Media-type `examples` is a 3.0 map and stays.
        assert_eq!(
            ok["content"]["application/json"]["examples"]["x"]["value"],
            1
        );
    }

    #[test]
    fn untranslatable_constructs_name_their_pointer() {
        let e = error(json!({"type": "object", "properties": {"a": {"prefixItems": [{}]}}}));
        assert_eq!(e.pointer, "/components/schemas/S/properties/a/prefixItems");
        let e = error(json!({"type": ["string", "integer"]}));
        assert_eq!(e.pointer, "/components/schemas/S/type");
        let e = error(json!({"$ref": "#/x", "readOnly": true}));
        assert_eq!(e.pointer, "/components/schemas/S/readOnly");
        let e = error(json!({"type": "null"}));
        assert!(e.message.contains("only allows `null`"), "{}", e.message);
        let mut d = doc(json!({}));
        d["webhooks"] = json!({});
        assert_eq!(normalise(&mut d).unwrap_err().pointer, "/webhooks");
        let mut d = doc(json!({}));
        d["openapi"] = json!("2.0");
        assert_eq!(normalise(&mut d).unwrap_err().pointer, "/openapi");
    }

    #[test]
    fn openapi_30_documents_pass_through() {
        let mut d = json!({"openapi": "3.0.3", "components": {"schemas": {"S": {"type": "string", "nullable": true}}}});
        let before = d.clone();
        normalise(&mut d).unwrap();
        assert_eq!(d, before);
    }
}
