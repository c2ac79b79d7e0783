//! The response examples a document holds, for checking that each decodes
//! into the type generated for its response.

use serde_json::Value;

use super::media::is_json;
use super::{operations, resolve};
use crate::spec::error::push_token;

/// One JSON response example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The operation's `operationId`.
    pub operation: String,
    /// The response's status key (`200`, `4XX`, `default`).
    pub status: String,
    /// The example's name (`example` for a media type's single example).
    pub name: String,
    /// The example body.
    pub value: Value,
    /// JSON pointer to the schema of its media type (which may not exist).
    pub schema: String,
    /// JSON pointer to the example itself, where the document has it.
    pub at: String,
}

/// Every JSON response example in `doc`: each JSON media type's `example`
/// and `examples` (references followed), in document order.
pub fn response_examples(doc: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    for op in operations(doc) {
        let Some(id) = op.id else { continue };
        let responses = doc
            .pointer(&format!("{}/responses", op.pointer))
            .and_then(Value::as_object);
        for (status, response) in responses.into_iter().flatten() {
            let content = resolve(doc, response)
                .and_then(|r| r.get("content"))
                .and_then(Value::as_object);
            // A response that is a reference has its media types at the
            // referenced component; the schema pointer must name them there.
            let response_at = match response.get("$ref").and_then(Value::as_str) {
                Some(r) => crate::spec::refs::local_pointer(r).unwrap_or_default(),
                None => push_token(&push_token(&op.pointer, "responses"), status),
            };
            for (media_type, media) in content
                .into_iter()
                .flatten()
                .filter(|(media, _)| is_json(media))
            {
                let media_at = push_token(&push_token(&response_at, "content"), media_type);
                let mut push = |name: &str, value: &Value, at: String| {
                    found.push(Example {
                        operation: id.clone(),
                        status: status.clone(),
                        name: name.to_owned(),
                        value: value.clone(),
                        schema: push_token(&media_at, "schema"),
                        at,
                    })
                };
                if let Some(example) = media.get("example") {
                    push("example", example, push_token(&media_at, "example"));
                }
                let named = media.get("examples").and_then(Value::as_object);
                for (name, example) in named.into_iter().flatten() {
                    if let Some(value) = resolve(doc, example).and_then(|e| e.get("value")) {
                        let at = push_token(&push_token(&media_at, "examples"), name);
                        push(name, value, at);
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn examples_of_json_media_types_are_found() {
        let doc = json!({"paths": {"/a": {"get": {"operationId": "getA", "responses": {
            "200": {"description": "ok", "content": {"application/hal+json": {
                "example": {"id": 1},
                "examples": {"named": {"$ref": "#/components/examples/E"}}}}},
            "404": {"$ref": "#/components/responses/NotFound"}}}}},
            "components": {"examples": {"E": {"value": {"id": 2}}},
                "responses": {"NotFound": {"description": "no", "content": {
                    "application/json": {"example": {"error": "no"}},
                    "text/html": {"example": "<p>no</p>"}}}}}});
        let examples = response_examples(&doc);
        assert_eq!(
            examples[2].schema,
            "/components/responses/NotFound/content/application~1json/schema"
        );
        assert_eq!(
            examples[1].at,
            "/paths/~1a/get/responses/200/content/application~1hal+json/examples/named"
        );
        let found: Vec<_> = examples
            .into_iter()
            .map(|e| (e.status, e.name, e.value))
            .collect();
        assert_eq!(
            found,
            [
                ("200".into(), "example".into(), json!({"id": 1})),
                ("200".into(), "named".into(), json!({"id": 2})),
                ("404".into(), "example".into(), json!({"error": "no"})),
            ]
        );
    }
}
