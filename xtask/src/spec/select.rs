//! Pass 3, select: keep only the operations the manifest selects, and only
//! the components they use.
//!
//! A vendor's document describes its whole API; a user who needs invoices
//! should not compile every other resource. Selection keeps the operations
//! matching any of the manifest's tags, path globs or `operationId`s; then
//! every component that nothing kept refers to (directly or through other
//! components) is pruned. A selector that matches nothing is an error, so a
//! selection the vendor's next document makes obsolete is noticed.
//!
//! Pruning is not always enough: an invoice that can embed its customer,
//! charge and subscription reaches most of Stripe's schemas. With a
//! `depth`, schemas further from the selected operations than that many
//! references become any JSON value (`serde_json::Value`, which decodes
//! whatever the vendor sends), and what only they used is pruned.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use crate::spec::document::{self, METHODS};
use crate::spec::error::{Located, push_token};
use crate::spec::manifest::{PathGlob, Selection};
use crate::spec::refs;

/// Component kinds that `$ref`s reach; security schemes are referred to by
/// name from `security` and are kept.
const PRUNED: &[&str] = &[
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "pathItems",
];

/// What selecting did besides removing operations.
#[derive(Debug, Clone, Default)]
pub struct Selected {
    /// Selectors that matched nothing, as pointers into the selection
    /// (`/tags/0`).
    pub unmatched: Vec<Located>,
    /// Schemas made any JSON value by `depth`, at their pointers.
    pub as_json: Vec<Located>,
}

/// Removes the operations `selection` does not match and the components
/// nothing kept refers to, and applies its `depth`.
pub fn apply(doc: &mut Value, selection: &Selection) -> Selected {
    let mut used_tags = BTreeSet::new();
    let mut used_paths = BTreeSet::new();
    let mut used_ops = BTreeSet::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let mut keep = false;
                for (i, tag) in selection.tags.iter().enumerate() {
                    let tags = op.get("tags").and_then(Value::as_array);
                    if tags.into_iter().flatten().any(|t| t == tag) {
                        used_tags.insert(i);
                        keep = true;
                    }
                }
                for (i, glob) in selection.paths.iter().enumerate() {
                    if glob.is_match(path) {
                        used_paths.insert(i);
                        keep = true;
                    }
                }
                let id = op.get("operationId").and_then(Value::as_str);
                for (i, wanted) in selection.operations.iter().enumerate() {
                    if id == Some(wanted.as_str()) {
                        used_ops.insert(i);
                        keep = true;
                    }
                }
                if !keep {
                    item.shift_remove(*method);
                }
            }
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_none_or(|i| METHODS.iter().any(|m| i.contains_key(*m)))
        });
    }
    prune(doc);
    let as_json = selection
        .depth
        .map(|depth| limit_depth(doc, depth))
        .unwrap_or_default();
    let mut unmatched = Vec::new();
    let paths: Vec<&str> = selection.paths.iter().map(PathGlob::as_str).collect();
    let tags: Vec<&str> = selection.tags.iter().map(String::as_str).collect();
    let operations: Vec<&str> = selection.operations.iter().map(String::as_str).collect();
    for (list, values, used) in [
        ("tags", &tags, &used_tags),
        ("paths", &paths, &used_paths),
        ("operations", &operations, &used_ops),
    ] {
        for (i, value) in values.iter().enumerate() {
            if !used.contains(&i) {
                unmatched.push(Located::new(
                    push_token(&push_token("", list), &i.to_string()),
                    format!("{list} entry {value:?} matches no operation in the document"),
                ));
            }
        }
    }
    Selected { unmatched, as_json }
}

/// Makes every component schema more than `depth` schema references from
/// the operations any JSON value (keeping its description), prunes what
/// only those used, and names the ones left.
fn limit_depth(doc: &mut Value, depth: usize) -> Vec<Located> {
    // Breadth first with 0/1 steps: a reference through a response,
    // parameter or body component costs nothing, one from a schema costs
    // one.
    let mut distance: BTreeMap<String, usize> = BTreeMap::new();
    let mut queue: VecDeque<(String, usize)> = doc
        .get("paths")
        .map(|p| document::reference_objects(p, "/paths"))
        .unwrap_or_default()
        .into_iter()
        .map(|(_, r)| (r, 0))
        .collect();
    while let Some((reference, d)) = queue.pop_front() {
        let Some(target) = refs::local_pointer(&reference) else {
            continue;
        };
        if distance.get(&target).is_some_and(|&known| known <= d) {
            continue;
        }
        distance.insert(target.clone(), d);
        let is_schema = document::component_name(&target, "schemas").is_some();
        let Some(component) = doc.pointer(&target) else {
            continue;
        };
        for (_, next) in document::reference_objects(component, &target) {
            if is_schema {
                queue.push_back((next, d + 1));
            } else {
                queue.push_front((next, d));
            }
        }
    }
    let far: Vec<String> = distance
        .into_iter()
        .filter(|(pointer, d)| *d > depth && document::component_name(pointer, "schemas").is_some())
        .map(|(pointer, _)| pointer)
        .collect();
    for pointer in &far {
        if let Some(schema) = doc.pointer_mut(pointer) {
            let description = schema.get("description").cloned();
            *schema = match description {
                Some(d) => serde_json::json!({ "description": d }),
                None => serde_json::json!({}),
            };
        }
    }
    prune(doc);
    far.into_iter()
        .filter(|pointer| doc.pointer(pointer).is_some())
        .map(|pointer| {
            Located::new(
                &pointer,
                format!(
                    "more than {depth} reference{} from the selected operations (the manifest's `select.depth`)",
                    if depth == 1 { "" } else { "s" }
                ),
            )
        })
        .collect()
}

/// Removes every component no kept path refers to, directly or through
/// other components.
pub fn prune(doc: &mut Value) {
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut pending: Vec<String> = doc
        .get("paths")
        .map(|p| document::reference_objects(p, "/paths"))
        .unwrap_or_default()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    while let Some(reference) = pending.pop() {
        let Some(target) = refs::local_pointer(&reference) else {
            continue;
        };
        let mut tokens = target.split('/').skip(1);
        let (Some("components"), Some(kind), Some(name)) =
            (tokens.next(), tokens.next(), tokens.next())
        else {
            continue;
        };
        let key = (kind.to_owned(), document::unescape(name));
        if !reached.insert(key) {
            continue;
        }
        let at = format!("/components/{kind}/{name}");
        if let Some(component) = doc.pointer(&at) {
            pending.extend(
                document::reference_objects(component, &at)
                    .into_iter()
                    .map(|(_, r)| r),
            );
        }
    }
    let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
        return;
    };
    for kind in PRUNED {
        if let Some(map) = components.get_mut(*kind).and_then(Value::as_object_mut) {
            map.retain(|name, _| reached.contains(&((*kind).to_owned(), name.clone())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn operation_ids(d: &Value) -> Vec<String> {
        document::operations(d)
            .into_iter()
            .filter_map(|o| o.id)
            .collect()
    }

    fn doc() -> Value {
        json!({"paths": {
            "/v1/invoices": {"get": {"operationId": "GetInvoices", "tags": ["Invoices"],
                "responses": {"200": {"$ref": "#/components/responses/InvoiceList"}}}},
            "/v1/invoices/{id}/lines": {"get": {"operationId": "GetLines",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Line"}}}}}}},
            "/v1/customers": {"get": {"operationId": "GetCustomers",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Customer"}}}}}},
                "post": {"operationId": "PostCustomers", "responses": {}}}},
            "components": {
                "responses": {"InvoiceList": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Invoice"}}}}},
                "schemas": {
                    "Invoice": {"properties": {"customer": {"$ref": "#/components/schemas/Customer"},
                        "example": {"default": {"$ref": "#/components/schemas/Unused"}}}},
                    "Customer": {"properties": {"self": {"$ref": "#/components/schemas/Customer"}}},
                    "Line": {"type": "object"},
                    "Unused": {"type": "object"}},
                "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}}})
    }

    #[test]
    fn selected_operations_and_what_they_use_are_kept() {
        let mut d = doc();
        let unmatched = apply(
            &mut d,
            &Selection {
                tags: vec!["Invoices".into()],
                operations: vec!["PostCustomers".into()],
                ..Default::default()
            },
        )
        .unmatched;
        assert!(unmatched.is_empty(), "{unmatched:?}");
        assert_eq!(operation_ids(&d), ["GetInvoices", "PostCustomers"]);
        let schemas: Vec<_> = d["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(schemas, ["Invoice", "Customer"]);
        assert!(d["components"]["securitySchemes"]["key"].is_object());
        assert!(d["paths"].get("/v1/invoices/{id}/lines").is_none());
    }

    #[test]
    fn path_globs_match_segments() {
        let mut d = doc();
        let unmatched = apply(
            &mut d,
            &Selection {
                paths: ["/v1/invoices/**", "/v1/customers"]
                    .map(|p| PathGlob::new(p).unwrap())
                    .into(),
                ..Default::default()
            },
        )
        .unmatched;
        assert!(unmatched.is_empty(), "{unmatched:?}");
        assert_eq!(
            operation_ids(&d),
            ["GetLines", "GetCustomers", "PostCustomers"]
        );
    }

    #[test]
    fn selectors_that_match_nothing_are_named() {
        let mut d = doc();
        let unmatched = apply(
            &mut d,
            &Selection {
                tags: vec!["Invoices".into(), "Gone".into()],
                paths: vec![PathGlob::new("/v2/**").unwrap()],
                operations: vec!["Nope".into()],
                depth: None,
            },
        )
        .unmatched;
        let pointers: Vec<_> = unmatched.iter().map(|u| u.pointer.as_str()).collect();
        assert_eq!(pointers, ["/tags/1", "/paths/0", "/operations/0"]);
    }

    #[test]
    fn schemas_beyond_the_depth_are_any_json_value_and_what_only_they_use_goes() {
        let mut d = json!({"paths": {"/a": {"get": {"operationId": "A", "responses": {
                "200": {"$ref": "#/components/responses/Page"}}}}},
            "components": {
                "responses": {"Page": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Invoice"}}}}},
                "schemas": {
                    "Invoice": {"properties": {"customer": {"$ref": "#/components/schemas/Customer"},
                        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}}},
                    "Line": {"properties": {"price": {"$ref": "#/components/schemas/Price"}}},
                    "Customer": {"description": "A customer.",
                        "properties": {"address": {"$ref": "#/components/schemas/Address"}}},
                    "Price": {"properties": {"currency": {"$ref": "#/components/schemas/Currency"}}},
                    "Currency": {"type": "string"},
                    "Address": {"type": "object", "description": "Where to send it."}}}});
        let selected = apply(
            &mut d,
            &Selection {
                paths: vec![PathGlob::new("/a").unwrap()],
                depth: Some(1),
                ..Default::default()
            },
        );
        let schemas = &d["components"]["schemas"];
        // Invoice is named by the operation (through a response), Customer
        // and Line one reference away: typed. Price and Address are two
        // away: any JSON value; Currency, used only by Price, goes.
        assert_eq!(
            schemas.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["Invoice", "Line", "Customer", "Price", "Address"]
        );
        assert!(schemas["Line"]["properties"].is_object());
        assert!(schemas["Customer"]["properties"].is_object());
        assert_eq!(schemas["Price"], json!({}));
        assert_eq!(
            schemas["Address"],
            json!({"description": "Where to send it."})
        );
        let pointers: Vec<_> = selected
            .as_json
            .iter()
            .map(|l| l.pointer.as_str())
            .collect();
        assert_eq!(
            pointers,
            ["/components/schemas/Address", "/components/schemas/Price"]
        );
    }
}
