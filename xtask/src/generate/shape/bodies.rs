//! Request bodies progenitor can take: one media type, JSON, a form, raw
//! bytes or plain text.
//!
//! When a body may be sent in several media types, JSON is preferred (it
//! carries everything the others do), then a form, then bytes, then text.
//! A `+json` type is sent as JSON with its own `Content-Type`, and a
//! range (`*/*`, `application/*`) as `application/json` unless its schema
//! is a binary string (then the bytes); a form's
//! `encoding` styles go to [`Wire::form_bodies`] for the runtime's form
//! encoder, which writes nested objects (progenitor's cannot). A body only
//! `multipart/form-data` or some other type can carry leaves the operation
//! out.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{Op, ParamStyle, Skip};
use crate::spec::document::media::{essence, is_json};
use crate::spec::document::{self, OperationAt};
use crate::spec::error::push_token;

/// What progenitor sends, in order of preference.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Json,
    Form,
    Bytes,
    Text,
}

fn kind(doc: &Value, media: &str, m: &Value) -> Option<Kind> {
    let essence = essence(media);
    match essence.as_str() {
        _ if is_json(&essence) => Some(Kind::Json),
        // A range (`*/*`, `application/*`) lets the client choose: JSON
        // for a schema of data, the bytes for a binary string.
        _ if essence.ends_with("/*") => {
            let binary = m
                .get("schema")
                .and_then(|s| document::resolve(doc, s))
                .is_some_and(|s| s.get("format").and_then(Value::as_str) == Some("binary"));
            Some(if binary { Kind::Bytes } else { Kind::Json })
        }
        "application/x-www-form-urlencoded" => Some(Kind::Form),
        "application/octet-stream" => Some(Kind::Bytes),
        "text/plain" | "text/x-markdown" => Some(Kind::Text),
        _ => None,
    }
}

pub(super) fn shape(
    doc: &mut Value,
    at: &OperationAt,
    op: &mut Op<'_>,
    request: &str,
) -> Result<(), Skip> {
    let body_at = push_token(&at.pointer, "requestBody");
    let Some(body) = doc
        .pointer(&body_at)
        .and_then(|b| document::resolve(doc, b))
        .cloned()
    else {
        return Ok(());
    };
    let content = body.get("content").and_then(Value::as_object);
    let Some(content) = content.filter(|c| !c.is_empty()) else {
        set(doc, &at.pointer, None);
        return Ok(());
    };
    let chosen = content
        .iter()
        .filter_map(|(media, m)| kind(doc, media, m).map(|k| (k, media, m)))
        .min_by_key(|(k, media, _)| (*k, essence(media) != "application/json"));
    let Some((kind, media, m)) = chosen else {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        return Err(op.skip(
            &push_token(&body_at, "content"),
            request.to_owned(),
            format!(
                "its request body is sent as {}, which the generator cannot write",
                types.join(" or ")
            ),
        ));
    };
    if content.len() > 1 {
        op.shaped.found.note(
            push_token(&body_at, "content"),
            format!(
                "request body sent as {media}, the first the generator writes of the types offered"
            ),
        );
    }
    let media_at = push_token(&push_token(&body_at, "content"), media);
    let mut m = m.as_object().cloned().unwrap_or_default();
    let encoding = m.shift_remove("encoding");
    let (key, schema) = match kind {
        Kind::Json => {
            if is_json(media) && essence(media) != "application/json" {
                op.shaped
                    .wire
                    .content_types
                    .insert(op.method.clone(), essence(media));
            }
            let schema = m.get("schema").cloned().unwrap_or_else(|| json!({}));
            ("application/json".to_owned(), schema)
        }
        Kind::Form => {
            let schema = m.get("schema").cloned().unwrap_or_else(|| json!({}));
            let styles = form_styles(doc, &schema, encoding.as_ref());
            op.shaped.wire.form_bodies.insert(op.method.clone(), styles);
            ("application/x-www-form-urlencoded".to_owned(), schema)
        }
        Kind::Bytes => {
            let wanted = json!({"type": "string", "format": "binary"});
            if m.get("schema").and_then(|s| document::resolve(doc, s)) != Some(&wanted) {
                op.shaped.found.note(
                    push_token(&media_at, "schema"),
                    "an octet-stream body is the bytes as given, whatever its schema says",
                );
            }
            ("application/octet-stream".to_owned(), wanted)
        }
        Kind::Text => (essence(media), json!({"type": "string"})),
    };
    m.insert("schema".into(), schema);
    let mut new_content = Map::new();
    new_content.insert(key, Value::Object(m));
    let mut new_body = body.as_object().cloned().unwrap_or_default();
    new_body.insert("content".into(), Value::Object(new_content));
    set(doc, &at.pointer, Some(Value::Object(new_body)));
    Ok(())
}

fn set(doc: &mut Value, op_at: &str, body: Option<Value>) {
    if let Some(op) = doc.pointer_mut(op_at).and_then(Value::as_object_mut) {
        match body {
            Some(body) => {
                op.insert("requestBody".into(), body);
            }
            None => {
                op.shift_remove("requestBody");
            }
        }
    }
}

/// The style of each form field that is not a plain one: what `encoding`
/// says, and brackets (deepObject) for objects it says nothing about, as
/// form bodies with nested data are written in practice.
fn form_styles(
    doc: &Value,
    schema: &Value,
    encoding: Option<&Value>,
) -> BTreeMap<String, ParamStyle> {
    let mut styles = BTreeMap::new();
    let schema = document::resolve(doc, schema).unwrap_or(&Value::Null);
    let mut properties: Vec<(&String, &Value)> = Vec::new();
    for part in std::iter::once(schema).chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| document::resolve(doc, p)),
    ) {
        properties.extend(
            part.get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten(),
        );
    }
    for (name, property) in properties {
        let said = encoding.and_then(|e| e.get(name));
        let style = said.and_then(|e| e.get("style")).and_then(Value::as_str);
        let explode = said.and_then(|e| e.get("explode")).and_then(Value::as_bool);
        let property = document::resolve(doc, property).unwrap_or(&Value::Null);
        let is_object = property.get("type").and_then(Value::as_str) == Some("object")
            || property.get("properties").is_some()
            || property.get("additionalProperties").is_some()
            || property.get("anyOf").is_some()
            || property.get("oneOf").is_some();
        let chosen = match (style, explode) {
            (Some("deepObject"), _) => Some(ParamStyle::DeepObject),
            (Some("spaceDelimited"), _) => Some(ParamStyle::SpaceDelimited),
            (Some("pipeDelimited"), _) => Some(ParamStyle::PipeDelimited),
            (_, Some(false)) => Some(ParamStyle::FormNotExploded),
            (None, None) if is_object => Some(ParamStyle::DeepObject),
            _ => None,
        };
        if let Some(style) = chosen {
            styles.insert(name.clone(), style);
        }
    }
    styles
}

#[cfg(test)]
mod tests {
    use super::super::shape as shape_doc;
    use super::*;

    fn doc(content: Value) -> Value {
        json!({"paths": {"/a": {"post": {"operationId": "postA",
            "requestBody": {"content": content}, "responses": {}}}}})
    }

    #[test]
    fn json_is_preferred_and_json_like_types_keep_their_name() {
        let mut d = doc(json!({
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
            "application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/P"}}}));
        let s = shape_doc(&mut d);
        assert_eq!(
            d["paths"]["/a"]["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/P"}}})
        );
        assert_eq!(
            s.wire.content_types["post_a"],
            "application/merge-patch+json"
        );
    }

    #[test]
    fn forms_keep_their_encoding_for_the_runtime() {
        let mut d = doc(json!({"application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {
                "expand": {"type": "array", "items": {"type": "string"}},
                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                "name": {"type": "string"},
                "ids": {"type": "array", "items": {"type": "string"}}}},
            "encoding": {"expand": {"style": "deepObject", "explode": true},
                         "ids": {"style": "form", "explode": false}}}}));
        let s = shape_doc(&mut d);
        let media = &d["paths"]["/a"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
        assert!(
            media.get("encoding").is_none(),
            "progenitor panics on `encoding`"
        );
        let styles = &s.wire.form_bodies["post_a"];
        assert_eq!(styles["expand"], ParamStyle::DeepObject);
        assert_eq!(
            styles["metadata"],
            ParamStyle::DeepObject,
            "objects use brackets"
        );
        assert_eq!(styles["ids"], ParamStyle::FormNotExploded);
        assert!(!styles.contains_key("name"));
    }

    #[test]
    fn bytes_are_bytes_and_unwritable_bodies_skip_the_operation() {
        let mut d = doc(
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "byte"}}}),
        );
        let s = shape_doc(&mut d);
        assert_eq!(
            d["paths"]["/a"]["post"]["requestBody"]["content"]["application/octet-stream"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(s.found.notes.len(), 1);
        let mut d = doc(json!({"multipart/form-data": {"schema": {"type": "object"}}}));
        let s = shape_doc(&mut d);
        assert_eq!(s.skipped.len(), 1);
        assert_eq!(s.skipped[0].pointer, "/paths/~1a/post/requestBody/content");
        assert!(
            s.skipped[0].reason.contains("multipart/form-data"),
            "{}",
            s.skipped[0].reason
        );
        assert!(d["paths"].get("/a").is_none());
    }
}
