//! Operations made complete where the document leaves a gap the generator
//! can fill without guessing what goes on the wire:
//!
//! - an operation without an `operationId` gets one from its method and
//!   path (`GET /v2/invoices/{invoice_id}/send` ->
//!   `get_v2_invoices_by_invoice_id_send`), unique in the document;
//! - a declared path parameter whose `{name}` is not in the path is never
//!   sent, so it is left out of the request;
//! - a `{name}` in the path that no parameter declares is required by the
//!   URL itself: it becomes a required string path parameter;
//! - a security requirement whose scopes are `null` (Square's) asks for
//!   no scopes: `[]`.
//!
//! Each is a note naming the operation's JSON pointer.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::{Value, json};

use crate::spec::document::{self, OperationAt};
use crate::spec::error::{Findings, push_token};

pub(super) fn complete(doc: &mut Value, found: &mut Findings) {
    let ops = document::operations(doc);
    let mut taken: BTreeSet<String> = ops.iter().filter_map(|op| op.id.clone()).collect();
    for op in &ops {
        if op.id.is_none() {
            name(doc, op, &mut taken, found);
        }
    }
    null_scopes(doc, "/security", found);
    for op in &ops {
        null_scopes(doc, &push_token(&op.pointer, "security"), found);
    }
    let mut paths_done = BTreeSet::new();
    for op in &ops {
        let template = template_names(&op.path);
        let item_at = push_token("/paths", &op.path);
        if paths_done.insert(op.path.clone()) {
            drop_unused(
                doc,
                &push_token(&item_at, "parameters"),
                &template,
                &op.path,
                found,
            );
        }
        drop_unused(
            doc,
            &push_token(&op.pointer, "parameters"),
            &template,
            &op.path,
            found,
        );
        declare_missing(doc, op, &template, found);
    }
}

/// Gives `op` an `operationId` from its method and path.
fn name(doc: &mut Value, op: &OperationAt, taken: &mut BTreeSet<String>, found: &mut Findings) {
    let mut words = vec![op.method.to_owned()];
    for segment in op.path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(variable) => words.push(format!("by_{variable}")),
            None => words.push(segment.to_owned()),
        }
    }
    let base = words.join("_").to_snake_case();
    let base = if base.is_empty() {
        op.method.to_owned()
    } else {
        base
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(id.clone());
    if let Some(obj) = doc.pointer_mut(&op.pointer).and_then(Value::as_object_mut) {
        obj.insert("operationId".into(), json!(id));
    }
    found.note(
        &op.pointer,
        format!("operation has no `operationId`: named `{id}` after its method and path"),
    );
}

/// In the security requirements at `at`, scopes written `null` become `[]`.
fn null_scopes(doc: &mut Value, at: &str, found: &mut Findings) {
    let Some(requirements) = doc.pointer_mut(at).and_then(Value::as_array_mut) else {
        return;
    };
    for (i, requirement) in requirements.iter_mut().enumerate() {
        let Some(schemes) = requirement.as_object_mut() else {
            continue;
        };
        for (scheme, scopes) in schemes.iter_mut().filter(|(_, s)| s.is_null()) {
            *scopes = json!([]);
            found.note(
                push_token(&push_token(at, &i.to_string()), scheme),
                "security requirement with `null` scopes: read as no scopes (`[]`)",
            );
        }
    }
}

/// Removes from the parameter list at `list_at` the path parameters whose
/// `{name}` is not in `path`.
fn drop_unused(
    doc: &mut Value,
    list_at: &str,
    template: &BTreeSet<String>,
    path: &str,
    found: &mut Findings,
) {
    let Some(list) = doc.pointer(list_at).and_then(Value::as_array) else {
        return;
    };
    let unused: Vec<(usize, String)> = list
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let param = document::resolve(doc, p)?;
            let name = param.get("name")?.as_str()?;
            (param.get("in")?.as_str()? == "path" && !template.contains(name))
                .then(|| (i, name.to_owned()))
        })
        .collect();
    for (i, name) in &unused {
        found.note(
            push_token(list_at, &i.to_string()),
            format!("path parameter `{name}` does not appear in the path {path}: left out of the request"),
        );
    }
    if let Some(list) = doc.pointer_mut(list_at).and_then(Value::as_array_mut) {
        for (i, _) in unused.iter().rev() {
            list.remove(*i);
        }
    }
}

/// Adds a required string path parameter for each `{name}` of the path
/// that neither the operation nor its path item declares.
fn declare_missing(
    doc: &mut Value,
    op: &OperationAt,
    template: &BTreeSet<String>,
    found: &mut Findings,
) {
    let declared: BTreeSet<String> = [
        push_token(&push_token("/paths", &op.path), "parameters"),
        push_token(&op.pointer, "parameters"),
    ]
    .iter()
    .filter_map(|at| doc.pointer(at).and_then(Value::as_array))
    .flatten()
    .filter_map(|p| document::resolve(doc, p))
    .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
    .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
    .collect();
    for name in template.iter().filter(|name| !declared.contains(*name)) {
        let Some(obj) = doc.pointer_mut(&op.pointer).and_then(Value::as_object_mut) else {
            return;
        };
        let list = obj.entry("parameters").or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
        found.note(
            &op.pointer,
            format!("the path {} has `{{{name}}}`, which no parameter declares: a required string path parameter `{name}` is added", op.path),
        );
    }
}

/// The `{names}` in a path template.
fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_each_with_a_note() {
        let mut doc = json!({"paths": {
            "/v2/invoices/{invoice_id}/send": {
                "parameters": [{"name": "ghost", "in": "path", "required": true, "schema": {"type": "string"}}],
                "post": {"responses": {}}},
            "/v2/vendors/{vendor_id}": {
                "get": {"operationId": "post_v2_invoices_by_invoice_id_send", "responses": {},
                    "security": [{"oauth2": null}]}}}});
        let mut found = Findings::default();
        complete(&mut doc, &mut found);
        let send = &doc["paths"]["/v2/invoices/{invoice_id}/send"];
        assert_eq!(
            send["post"]["operationId"],
            "post_v2_invoices_by_invoice_id_send_2"
        );
        assert_eq!(send["parameters"], json!([]));
        assert_eq!(send["post"]["parameters"][0]["name"], "invoice_id");
        let vendors = &doc["paths"]["/v2/vendors/{vendor_id}"]["get"];
        assert_eq!(
            vendors["parameters"][0],
            json!({"name": "vendor_id", "in": "path", "required": true, "schema": {"type": "string"}})
        );
        assert_eq!(vendors["security"], json!([{"oauth2": []}]));
        assert_eq!(found.notes.len(), 5, "{:?}", found.notes);
        assert!(found.errors.is_empty());
    }
}
