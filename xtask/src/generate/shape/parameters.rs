//! Parameters progenitor can take: it reads only exploded form-style query
//! parameters, simple path and header parameters, and no cookies.
//!
//! Path-level parameters are first copied into each operation (the
//! operation's own win, as OpenAPI says), so each operation is shaped on
//! its own. A query parameter of another style becomes a plain one for
//! progenitor and its real style goes into [`Wire::query_styles`], for the
//! postprocess pass that serialises it.

use std::collections::BTreeSet;

use heck::ToPascalCase;
use serde_json::{Value, json};

use super::{Names, Op, ParamStyle, Skip, add_schema};
use crate::naming::{snake_ident, type_ident};
use crate::spec::document::{self, OperationAt};
use crate::spec::error::push_token;
use crate::spec::refs;

pub(super) fn shape(
    doc: &mut Value,
    at: &OperationAt,
    op: &mut Op<'_>,
    request: &str,
    names: &mut Names,
) -> Result<(), Skip> {
    let params = combined(doc, at);
    let list_at = push_token(&at.pointer, "parameters");
    let mut kept = Vec::new();
    let mut rust_names = BTreeSet::new();
    for (i, param) in params.into_iter().enumerate() {
        let here = push_token(&list_at, &i.to_string());
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let location = param
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let required = param.get("required") == Some(&json!(true));
        if !rust_names.insert(snake_ident(&name)) {
            return Err(op.skip(
                &here,
                request.to_owned(),
                format!(
                    "two parameters are both named `{}` in Rust",
                    snake_ident(&name)
                ),
            ));
        }
        if param.get("schema").is_none() {
            return Err(op.skip(
                &here,
                request.to_owned(),
                format!("parameter `{name}` is described by `content`, not a schema; the generator sends only schema-described parameters"),
            ));
        }
        let param = match plain_alternatives(doc, &param) {
            Some(text) => {
                op.shaped.found.note(
                    push_token(&here, "schema"),
                    format!(
                        "parameter `{name}`: alternatives of plain values, sent as text (`String`)"
                    ),
                );
                text
            }
            None => param,
        };
        let style = param.get("style").and_then(Value::as_str);
        match location.as_str() {
            "cookie" if required => {
                return Err(op.skip(
                    &here,
                    request.to_owned(),
                    format!("it needs cookie parameter `{name}`; the generator sends no cookies"),
                ));
            }
            "cookie" => {
                op.shaped.found.note(
                    &here,
                    format!("optional cookie parameter `{name}` left out: the generator sends no cookies"),
                );
                continue;
            }
            "path" if style.is_some_and(|s| s != "simple") => {
                return Err(op.skip(
                    &here,
                    request.to_owned(),
                    format!(
                        "path parameter `{name}` has style `{}`; only `simple` is generated",
                        style.unwrap_or("")
                    ),
                ));
            }
            "path" | "header" => {
                kept.push(never_null(doc, param));
                continue;
            }
            "query" => {
                let shape = shape_of(doc, &param);
                if let Some(real) = query_style(&param, shape) {
                    op.shaped
                        .wire
                        .query_styles
                        .entry(op.method.clone())
                        .or_default()
                        .insert(name.clone(), real);
                }
                let mut plain = param;
                if let Some(obj) = plain.as_object_mut() {
                    obj.insert("style".into(), json!("form"));
                    obj.insert("explode".into(), json!(true));
                    if shape == Shape::Object {
                        let schema = obj.get("schema").cloned().unwrap_or(Value::Null);
                        let pascal = format!("{}-{name}", op.id).to_pascal_case();
                        let ty = local_type(doc, &schema, names, &pascal);
                        obj.insert("schema".into(), ty);
                    }
                }
                kept.push(plain);
                continue;
            }
            _ => {}
        }
        kept.push(param);
    }
    if let Some(op_obj) = doc.pointer_mut(&at.pointer).and_then(Value::as_object_mut) {
        if kept.is_empty() {
            op_obj.shift_remove("parameters");
        } else {
            op_obj.insert("parameters".into(), Value::Array(kept));
        }
    }
    Ok(())
}

/// An object parameter: progenitor cannot generate one (it panics on any
/// parameter but the body whose type has a builder), so it is given
/// the object's generated type as an outside type (`x-rust-type`), which
/// the `local_types` postprocess pass points back at `types`. An inline
/// object is first made a component, so that it has a type of its own.
fn local_type(doc: &mut Value, schema: &Value, names: &mut Names, wanted: &str) -> Value {
    let component =
        match document::reference(schema).and_then(|r| refs::component_name(r, "schemas")) {
            Some(name) => name,
            None => {
                let name = names.fresh(wanted);
                add_schema(doc, &name, schema.clone());
                name
            }
        };
    let path = format!("{}::{}", super::LOCAL_TYPES, type_ident(&component));
    json!({"x-rust-type": {"crate": super::LOCAL_TYPES, "version": "*", "path": path}})
}

/// A parameter whose schema is `anyOf` or `oneOf` plain values (Openmeter's
/// "ULID or external key": two strings): typify gives it a struct with a
/// builder, which progenitor cannot take as a parameter (it asserts the
/// parameter is the body). On the wire it is one value written as text
/// whichever alternative it is, so it is given as a string; `None` for
/// any other schema.
fn plain_alternatives(doc: &Value, param: &Value) -> Option<Value> {
    let schema = document::resolve(doc, param.get("schema")?)?;
    let alternatives = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))?
        .as_array()?;
    let plain = |alternative: &Value| {
        document::resolve(doc, alternative).is_some_and(|a| {
            matches!(
                a.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            ) && a.get("properties").is_none()
        })
    };
    if alternatives.is_empty() || !alternatives.iter().all(plain) {
        return None;
    }
    let mut text = param.clone();
    text["schema"] = json!({"type": "string"});
    Some(text)
}

/// A path or header parameter is never null, but progenitor writes it with
/// `to_string()`, which the type of a nullable schema (`struct
/// X(Option<XInner>)`) lacks: such a schema is given to the parameter
/// inline, without its null.
fn never_null(doc: &Value, mut param: Value) -> Value {
    let Some(schema) = param.get("schema").and_then(|s| document::resolve(doc, s)) else {
        return param;
    };
    let enum_has_null = |s: &Value| {
        s.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null))
    };
    if schema.get("nullable") != Some(&json!(true)) && !enum_has_null(schema) {
        return param;
    }
    let mut copy = schema.clone();
    if let Some(obj) = copy.as_object_mut() {
        obj.shift_remove("nullable");
        // The component's title would name the copy like the component.
        obj.shift_remove("title");
        if let Some(Value::Array(values)) = obj.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
    }
    param["schema"] = copy;
    param
}

/// The operation's parameters resolved, path-level ones first unless the
/// operation overrides them.
fn combined(doc: &Value, at: &OperationAt) -> Vec<Value> {
    let list = |pointer: String| -> Vec<Value> {
        doc.pointer(&pointer)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| document::resolve(doc, p).cloned())
            .collect()
    };
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let own = list(push_token(&at.pointer, "parameters"));
    let mut all: Vec<Value> = list(push_token(&push_token("/paths", &at.path), "parameters"))
        .into_iter()
        .filter(|p| !own.iter().any(|o| key(o) == key(p)))
        .collect();
    all.extend(own);
    all
}

/// What kind of value a parameter holds, as far as its style cares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    Array,
    Object,
}

fn shape_of(doc: &Value, param: &Value) -> Shape {
    let schema = param
        .get("schema")
        .and_then(|s| document::resolve(doc, s))
        .unwrap_or(&Value::Null);
    let ty = schema.get("type").and_then(Value::as_str);
    if ty == Some("array") || schema.get("items").is_some() {
        Shape::Array
    } else if ty == Some("object")
        || schema.get("properties").is_some()
        || schema.get("additionalProperties").is_some()
        || schema.get("allOf").is_some()
    {
        Shape::Object
    } else {
        Shape::Scalar
    }
}

/// The style a query parameter needs beyond progenitor's plain one.
fn query_style(param: &Value, shape: Shape) -> Option<ParamStyle> {
    let style = param.get("style").and_then(Value::as_str).unwrap_or("form");
    let explode = param
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    match (style, shape) {
        (_, Shape::Scalar) => None,
        ("deepObject", _) => Some(ParamStyle::DeepObject),
        ("spaceDelimited", _) => Some(ParamStyle::SpaceDelimited),
        ("pipeDelimited", _) => Some(ParamStyle::PipeDelimited),
        (_, _) if !explode => Some(ParamStyle::FormNotExploded),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Shaped, shape as shape_doc};
    use super::*;

    fn doc(parameters: Value) -> Value {
        json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "get": {"operationId": "getA", "parameters": parameters, "responses": {}}}},
            "components": {"parameters": {"Created": {"name": "created", "in": "query", "style": "deepObject",
                "schema": {"type": "object", "properties": {"gte": {"type": "integer"}}}}}}})
    }

    fn shaped(parameters: Value) -> (Value, Shaped) {
        let mut d = doc(parameters);
        let s = shape_doc(&mut d);
        (d, s)
    }

    #[test]
    fn query_styles_are_kept_for_the_postprocess_pass() {
        let (d, s) = shaped(json!([
            {"$ref": "#/components/parameters/Created"},
            {"name": "ids", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "tags", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "q", "in": "query", "explode": false, "schema": {"type": "string"}}]));
        let styles = &s.wire.query_styles["get_a"];
        assert_eq!(styles["created"], ParamStyle::DeepObject);
        assert_eq!(styles["ids"], ParamStyle::FormNotExploded);
        assert_eq!(styles["tags"], ParamStyle::PipeDelimited);
        assert!(!styles.contains_key("q"), "a scalar has one form");
        let params = d["paths"]["/a/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: Vec<_> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["id", "limit", "created", "ids", "tags", "q"]);
        assert!(
            params
                .iter()
                .filter(|p| p["in"] == "query")
                .all(|p| p["style"] == "form")
        );
        assert_eq!(
            d["components"]["parameters"]["Created"]["style"], "deepObject",
            "the shared component is not changed"
        );
    }

    #[test]
    fn path_and_header_parameters_are_never_null() {
        let mut d = doc(json!([
            {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Method"}},
            {"name": "X-Mode", "in": "header", "schema": {"type": "string", "nullable": true}},
            {"name": "method", "in": "query", "schema": {"$ref": "#/components/schemas/Method"}}]));
        // Mollie's form: an enum that lists null, whose type has no
        // `to_string()`.
        d["components"]["schemas"] = json!({"Method": {"title": "Method", "type": "string",
            "nullable": true, "enum": ["ideal", "paypal", null]}});
        shape_doc(&mut d);
        let params = d["paths"]["/a/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let schema = |name: &str| &params.iter().find(|p| p["name"] == name).unwrap()["schema"];
        assert_eq!(
            schema("id"),
            &json!({"type": "string", "enum": ["ideal", "paypal"]})
        );
        assert_eq!(schema("X-Mode"), &json!({"type": "string"}));
        assert_eq!(
            schema("method"),
            &json!({"$ref": "#/components/schemas/Method"}),
            "a query parameter is serialised, not written with to_string()"
        );
    }

    #[test]
    fn alternatives_of_plain_values_are_sent_as_text() {
        let mut d = doc(json!([
            {"name": "customer", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/IdOrKey"}},
            {"name": "either", "in": "query", "schema": {"oneOf": [{"type": "integer"}, {"type": "object"}]}}]));
        d["components"]["schemas"] = json!({"IdOrKey": {"anyOf": [
            {"type": "string", "pattern": "^[0-9A-Z]{26}$"}, {"type": "string", "minLength": 1}]}});
        let s = shape_doc(&mut d);
        let params = d["paths"]["/a/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let schema = |name: &str| &params.iter().find(|p| p["name"] == name).unwrap()["schema"];
        assert_eq!(schema("customer"), &json!({"type": "string"}));
        assert_eq!(
            schema("either")["oneOf"][1],
            json!({"type": "object"}),
            "an object is not text"
        );
        assert_eq!(
            s.found.notes[0].pointer,
            "/paths/~1a~1{id}/get/parameters/2/schema"
        );
    }

    #[test]
    fn operation_parameters_override_path_ones() {
        let (d, _) =
            shaped(json!([{"name": "limit", "in": "query", "schema": {"type": "string"}}]));
        let params = d["paths"]["/a/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        assert_eq!(params.len(), 2);
        assert_eq!(params[1]["schema"]["type"], "string");
    }

    #[test]
    fn what_cannot_be_sent_is_skipped_or_dropped() {
        let (d, s) =
            shaped(json!([{"name": "session", "in": "cookie", "schema": {"type": "string"}}]));
        assert!(s.skipped.is_empty());
        assert_eq!(
            d["paths"]["/a/{id}"]["get"]["parameters"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(s.found.notes.len(), 1);
        let (d, s) = shaped(
            json!([{"name": "session", "in": "cookie", "required": true, "schema": {"type": "string"}}]),
        );
        assert_eq!(s.skipped[0].operation, "getA");
        assert_eq!(s.skipped[0].pointer, "/paths/~1a~1{id}/get/parameters/2");
        assert!(
            d["paths"].get("/a/{id}").is_none(),
            "the operation is left out"
        );
        let (_, s) = shaped(
            json!([{"name": "page[size]", "in": "query", "schema": {"type": "integer"}},
            {"name": "page_size", "in": "query", "schema": {"type": "integer"}}]),
        );
        assert!(s.skipped[0].reason.contains("page_size"), "{:?}", s.skipped);
    }
}
