//! Whether a response example fits its own schema, judged by an
//! independent JSON Schema validator (the `jsonschema` crate) rather than
//! by the generated types.
//!
//! An example its schema rejects is the vendor's error: it is reported
//! with its JSON pointer and not held against the generator. An example the
//! schema accepts must decode with the generated crate; if it does not,
//! the generator is wrong.
//!
//! The document is the one the generator reads (normalised to OpenAPI
//! 3.0), whose schemas are JSON Schema draft 4 but for `nullable`, which is
//! written here as JSON Schema says it (`null` allowed) before validating,
//! and for an `anyOf` the generator reads as `oneOf`, judged as written.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use crate::spec::document::ANY_OF_AS_ONE_OF;
use crate::spec::document::examples::Example;
use crate::spec::document::walk;

/// What a JSON pointer keeps as it is in a URI fragment.
const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'~')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// The document's schemas, ready to validate examples against.
pub(super) struct SchemaCheck {
    root: Value,
}

impl SchemaCheck {
    pub(super) fn new(doc: &Value) -> Self {
        let mut root = doc.clone();
        walk::schemas_mut(&mut root, &mut |schema, _| {
            any_of_as_written(schema);
            nullable_as_null(schema);
        });
        Self { root }
    }

    /// `Err` with the first place where `example` breaks its schema.
    pub(super) fn check(&mut self, example: &Example) -> Result<(), String> {
        if self.root.pointer(&example.schema).is_none() {
            return Ok(());
        }
        // The document itself is the schema, pointed at the example's own:
        // its references resolve within it, and OpenAPI's other keys are
        // keywords draft 4 does not know (ignored).
        // A pointer in a URI fragment is percent-encoded (RFC 6901, 6).
        let fragment = utf8_percent_encode(&example.schema, FRAGMENT);
        self.root["$ref"] = json!(format!("#{fragment}"));
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&self.root);
        let outcome = match validator {
            Ok(validator) => match validator.iter_errors(&example.value).next() {
                None => Ok(()),
                Some(e) => Err(format!("at `{}`: {e}", e.instance_path())),
            },
            // What the validator cannot read says nothing against the
            // example: it must decode.
            Err(e) => {
                eprintln!(
                    "note: cannot judge the example at {} against its schema: {e}",
                    example.at
                );
                Ok(())
            }
        };
        if let Some(root) = self.root.as_object_mut() {
            root.shift_remove("$ref");
        }
        outcome
    }
}

/// The vendor's `anyOf` that the generator reads as `oneOf`
/// ([`ANY_OF_AS_ONE_OF`]), as the vendor wrote it: a value matching two of
/// its branches is valid.
fn any_of_as_written(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj.shift_remove(ANY_OF_AS_ONE_OF).is_some()
        && let Some(branches) = obj.shift_remove("oneOf")
    {
        obj.insert("anyOf".into(), branches);
    }
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: `null` added to the
/// type and to the enum, or the schema made one alternative of two.
fn nullable_as_null(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if obj.shift_remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match obj.get("type").cloned() {
        Some(Value::String(ty)) => {
            obj.insert("type".into(), json!([ty, "null"]));
        }
        _ => {
            let inner = std::mem::take(obj);
            *schema = json!({"anyOf": [Value::Object(inner), {"type": "null"}]});
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::document::examples::response_examples;

    #[test]
    fn examples_are_judged_by_their_schema_with_nullable_read_as_openapi_means_it() {
        let doc = json!({"openapi": "3.0.3", "paths": {"/a/{id}": {"get": {"operationId": "getA", "responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Invoice"},
                "examples": {
                    "good": {"value": {"id": "in_1", "due": null, "lines": [{"amount": 1}]}},
                    "bad": {"value": {"id": 7, "due": null, "lines": []}},
                    "deep": {"value": {"id": "in_2", "lines": [{"amount": "1"}]}}}}}}}}}},
            "components": {"schemas": {
                "Invoice": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "due": {"type": "string", "format": "date", "nullable": true},
                    "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}}},
                "Line": {"nullable": true, "allOf": [{"type": "object",
                    "properties": {"amount": {"type": "integer"}}}]}}}});
        let mut check = SchemaCheck::new(&doc);
        let outcomes: Vec<_> = response_examples(&doc)
            .iter()
            .map(|e| check.check(e))
            .collect();
        assert_eq!(outcomes[0], Ok(()));
        assert!(
            outcomes[1].as_ref().unwrap_err().starts_with("at `/id`"),
            "{outcomes:?}"
        );
        assert!(
            outcomes[2]
                .as_ref()
                .unwrap_err()
                .starts_with("at `/lines/0`"),
            "{outcomes:?}"
        );
    }
}
