//! Every Schema Object in a document, wherever OpenAPI allows one: under
//! `components`, in parameters, headers, request bodies and responses, and
//! nested inside other schemas.

use serde_json::Value;

use super::METHODS;
use crate::spec::error::push_token;

/// Keywords whose value is one schema.
const ONE: &[&str] = &["items", "not", "additionalProperties", "contains"];
/// Keywords whose value is a list of schemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas (`definitions` and `$defs`
/// hold schemas other schemas refer to, JSON Schema's own components).
const MAP: &[&str] = &["properties", "patternProperties", "definitions", "$defs"];

/// Calls `visit` on every schema in `doc` with its JSON pointer, parents
/// before children. Children are found after `visit` returns, so a visit
/// may rewrite what lies below it. A Reference Object in a schema position
/// is visited but not followed.
pub fn schemas_mut(doc: &mut Value, visit: &mut dyn FnMut(&mut Value, &str)) {
    let mut walk = Walk { visit };
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        let sites: [(&str, Site<'_>); 5] = [
            ("schemas", Walk::schema),
            ("parameters", Walk::parameter),
            ("headers", Walk::parameter),
            ("responses", Walk::response),
            ("requestBodies", Walk::content_holder),
        ];
        for (kind, f) in sites {
            if let Some(map) = components.get_mut(kind).and_then(Value::as_object_mut) {
                let at = push_token("/components", kind);
                for (name, value) in map.iter_mut() {
                    f(&mut walk, value, &push_token(&at, name));
                }
            }
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            walk.path_item(item, &push_token("/paths", path));
        }
    }
}

type Site<'v> = fn(&mut Walk<'v>, &mut Value, &str);

struct Walk<'v> {
    visit: &'v mut dyn FnMut(&mut Value, &str),
}

impl<'v> Walk<'v> {
    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        for (key, value) in item.iter_mut() {
            let here = push_token(at, key);
            if key == "parameters" {
                self.each(value, &here, Walk::parameter);
            } else if METHODS.contains(&key.as_str()) {
                self.operation(value, &here);
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Some(op) = op.as_object_mut() else {
            return;
        };
        if let Some(params) = op.get_mut("parameters") {
            self.each(params, &push_token(at, "parameters"), Walk::parameter);
        }
        if let Some(body) = op.get_mut("requestBody") {
            self.content_holder(body, &push_token(at, "requestBody"));
        }
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            let here = push_token(at, "responses");
            for (status, r) in responses.iter_mut() {
                self.response(r, &push_token(&here, status));
            }
        }
    }

    fn each(&mut self, list: &mut Value, at: &str, f: Site<'v>) {
        if let Some(items) = list.as_array_mut() {
            for (i, item) in items.iter_mut().enumerate() {
                f(self, item, &push_token(at, &i.to_string()));
            }
        }
    }

    /// Parameters and headers: a `schema` or a `content` map.
    fn parameter(&mut self, p: &mut Value, at: &str) {
        if let Some(s) = p.get_mut("schema") {
            self.schema(s, &push_token(at, "schema"));
        }
        self.content_holder(p, at);
    }

    fn response(&mut self, r: &mut Value, at: &str) {
        if let Some(headers) = r.get_mut("headers").and_then(Value::as_object_mut) {
            let here = push_token(at, "headers");
            for (name, h) in headers.iter_mut() {
                self.parameter(h, &push_token(&here, name));
            }
        }
        self.content_holder(r, at);
    }

    /// Anything with a `content` map of media types.
    fn content_holder(&mut self, holder: &mut Value, at: &str) {
        if let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) {
            let here = push_token(at, "content");
            for (media, m) in content.iter_mut() {
                if let Some(s) = m.get_mut("schema") {
                    self.schema(s, &push_token(&push_token(&here, media), "schema"));
                }
            }
        }
    }

    fn schema(&mut self, s: &mut Value, at: &str) {
        (self.visit)(s, at);
        let Some(obj) = s.as_object_mut() else {
            return;
        };
        if obj.contains_key("$ref") {
            return;
        }
        for key in ONE {
            if let Some(sub) = obj.get_mut(*key).filter(|v| v.is_object()) {
                self.schema(sub, &push_token(at, key));
            }
        }
        for key in LIST {
            if let Some(list) = obj.get_mut(*key) {
                self.each(list, &push_token(at, key), Walk::schema);
            }
        }
        for key in MAP {
            if let Some(map) = obj.get_mut(*key).and_then(Value::as_object_mut) {
                let here = push_token(at, key);
                for (name, sub) in map.iter_mut() {
                    self.schema(sub, &push_token(&here, name));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_schema_is_visited_parents_first() {
        let mut doc = json!({
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                "get": {"responses": {"200": {"description": "ok",
                    "headers": {"X": {"schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {"type": "array",
                        "items": {"$ref": "#/components/schemas/S"}}}}}}}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {
                "a": {"allOf": [{"type": "string"}]},
                "m": {"additionalProperties": {"type": "number"}}}}}}});
        let mut seen = Vec::new();
        schemas_mut(&mut doc, &mut |_, at| seen.push(at.to_owned()));
        assert_eq!(
            seen,
            [
                "/components/schemas/S",
                "/components/schemas/S/properties/a",
                "/components/schemas/S/properties/a/allOf/0",
                "/components/schemas/S/properties/m",
                "/components/schemas/S/properties/m/additionalProperties",
                "/paths/~1a/parameters/0/schema",
                "/paths/~1a/get/responses/200/headers/X/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema/items",
            ]
        );
    }

    #[test]
    fn a_visit_may_rewrite_what_lies_below_it() {
        let mut doc = json!({"components": {"schemas": {"S": {"items": {"type": "string"}}}}});
        let mut seen = Vec::new();
        schemas_mut(&mut doc, &mut |s, at| {
            if let Some(items) = s.get_mut("items") {
                *items = json!({"type": "integer"});
            }
            seen.push((at.to_owned(), s.clone()));
        });
        assert_eq!(seen[1].1, json!({"type": "integer"}));
    }
}
