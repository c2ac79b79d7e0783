//! Pass 4, normalise: rewrite a document into the form progenitor and
//! typify read, without changing what it says about the wire.
//!
//! - `refs`: references the generator can follow (a schema reference to
//!   nothing becomes any JSON value);
//! - `operations`: a missing `operationId` derived, path parameters and
//!   the path template made to agree;
//! - `openapi31`: OpenAPI 3.1 translated into 3.0;
//! - `values`: defaults, enum values and formats that do not fit their
//!   schema, which typify refuses, fixed or dropped;
//! - `exclusive_any_of`: an `anyOf` whose branches admit different JSON
//!   types read as the `oneOf` it means.
//!
//! Every change worth checking is a note naming its JSON pointer; what
//! cannot be translated without changing the generated types or requests
//! is an error, and every error in the document is reported, not only the
//! first.

mod exclusive_any_of;
mod openapi31;
mod operations;
mod refs;
mod values;

use serde_json::Value;

pub use refs::{component_keys, type_key, unique_name};

use crate::spec::document::walk;
use crate::spec::error::Findings;

/// Rewrites `doc` in place; returns what it noted and what it could not
/// translate.
pub fn normalise(doc: &mut Value) -> Findings {
    let mut found = Findings::default();
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") && !version.starts_with("3.1.") {
        let message = if version.is_empty() {
            "missing `openapi` version string".to_owned()
        } else {
            format!("unsupported OpenAPI version {version}; 3.0 and 3.1 are supported")
        };
        found.error("/openapi", message);
        return found;
    }
    let is_31 = openapi31::is_31(doc);
    refs::resolve(doc, &mut found);
    operations::complete(doc, &mut found);
    if is_31 {
        openapi31::document(doc, &mut found);
    }
    let components = exclusive_any_of::component_types(doc);
    walk::schemas_mut(doc, &mut |schema, at| {
        if is_31 {
            openapi31::schema(schema, at, &mut found);
        }
        values::fit(schema, at, &mut found);
        exclusive_any_of::rewrite(schema, at, &components, &mut found);
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_everywhere_are_translated() {
        let mut d = json!({"openapi": "3.1.1", "info": {"title": "t", "version": "1"}, "paths": {"/a": {
            "parameters": [{"name": "p", "in": "query", "schema": {"type": ["integer", "null"]}}],
            "get": {"operationId": "a", "responses": {"200": {"description": "ok",
                "headers": {"Link": {"schema": {"type": ["string", "null"]}}},
                "content": {"application/json": {"schema": {"const": 1},
                    "examples": {"x": {"value": 1}}}}}}}}},
            "components": {"schemas": {"S": {"type": "object", "properties": {
                "a": {"type": "array", "items": {"type": ["string", "null"]}}}}}}});
        let found = normalise(&mut d);
        assert_eq!(found, Findings::default());
        assert_eq!(d["openapi"], "3.0.3");
        let a = &d["paths"]["/a"];
        assert_eq!(a["parameters"][0]["schema"]["nullable"], true);
        let ok = &a["get"]["responses"]["200"];
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
        assert_eq!(
            d["components"]["schemas"]["S"]["properties"]["a"]["items"],
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn every_error_is_reported() {
        let mut d = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "A": {"type": 1}, "B": {"$dynamicRef": "#x"}}}});
        let found = normalise(&mut d);
        let pointers: Vec<_> = found.errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/A/type",
                "/components/schemas/B/$dynamicRef"
            ]
        );
    }

    #[test]
    fn versions_other_than_30_and_31_are_refused() {
        for doc in [json!({"openapi": "2.0"}), json!({"swagger": "2.0"})] {
            let found = normalise(&mut doc.clone());
            assert_eq!(found.errors[0].pointer, "/openapi");
        }
    }

    #[test]
    fn openapi_30_documents_pass_through() {
        let mut d = json!({"openapi": "3.0.3", "components": {"schemas": {"S": {"type": "string", "nullable": true}}}});
        let before = d.clone();
        assert_eq!(normalise(&mut d), Findings::default());
        assert_eq!(d, before);
    }
}
