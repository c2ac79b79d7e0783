//! Pass 2, overlay: apply an OpenAPI Overlay 1.0 document to a spec.
//!
//! Our corrections to a vendor's document live in an overlay beside it, so the
//! vendor's file stays as published. Every action must say why (its
//! `description`), and an action whose target matches nothing is an error:
//! when a vendor update makes a fix obsolete, regeneration says so instead of
//! silently carrying a dead correction.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::spec::error::{Located, push_token};

/// Applies every action of `overlay` to `spec`, in order.
pub fn apply(spec: &mut Value, overlay: &Value) -> Result<(), Located> {
    match overlay.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        Some(v) => {
            return Err(Located::new(
                "/overlay",
                format!("unsupported Overlay version {v}"),
            ));
        }
        None => {
            return Err(Located::new(
                "",
                "not an Overlay document: no `overlay` version",
            ));
        }
    }
    let actions = overlay
        .get("actions")
        .and_then(Value::as_array)
        .ok_or_else(|| Located::new("/actions", "an overlay needs an `actions` list"))?;
    for (index, action) in actions.iter().enumerate() {
        let at = push_token("/actions", &index.to_string());
        apply_action(spec, action, &at)?;
    }
    Ok(())
}

fn apply_action(spec: &mut Value, action: &Value, at: &str) -> Result<(), Located> {
    let target = action
        .get("target")
        .and_then(Value::as_str)
        .ok_or_else(|| Located::new(at, "action has no `target` string"))?;
    let why = action
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    if why.trim().is_empty() {
        return Err(Located::new(
            at,
            "action has no `description`: every correction must say why",
        ));
    }
    let path = JsonPath::parse(target)
        .map_err(|e| Located::new(push_token(at, "target"), format!("invalid JSONPath: {e}")))?;
    let pointers: Vec<String> = path
        .query_located(spec)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err(Located::new(
            push_token(at, "target"),
            format!("target {target} matches nothing in the spec (is this correction obsolete?)"),
        ));
    }
    let remove = action
        .get("remove")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match (remove, action.get("update")) {
        (true, None) => remove_all(spec, pointers, at),
        (false, Some(update)) => {
            for pointer in pointers {
                // An earlier update in this action may have replaced it.
                let node = spec.pointer_mut(&pointer).ok_or_else(|| {
                    Located::new(
                        at,
                        format!("{pointer} was replaced by an earlier match of the same target"),
                    )
                })?;
                update_node(node, update, &pointer).map_err(|m| Located::new(at, m))?;
            }
            Ok(())
        }
        (true, Some(_)) => Err(Located::new(
            at,
            "action has both `update` and `remove: true`",
        )),
        (false, None) => Err(Located::new(
            at,
            "action has neither `update` nor `remove: true`",
        )),
    }
}

/// Overlay 1.0 `update`: objects are merged recursively (the update's
/// properties win), arrays get the value appended.
fn update_node(node: &mut Value, update: &Value, pointer: &str) -> Result<(), String> {
    match node {
        Value::Object(_) if !update.is_object() => Err(format!(
            "update of the object at {pointer} must itself be an object"
        )),
        Value::Object(_) => {
            merge(node, update);
            Ok(())
        }
        Value::Array(items) => {
            items.push(update.clone());
            Ok(())
        }
        _ => Err(format!(
            "update target {pointer} is a {}, not an object or array; remove it and update its parent",
            crate::spec::document::kind(node)
        )),
    }
}

fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(props)) => {
            for (key, value) in props {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (node, update) => *node = update.clone(),
    }
}

fn remove_all(spec: &mut Value, pointers: Vec<String>, at: &str) -> Result<(), Located> {
    // Within an array, later items first (by number: `/10` after `/9`) so
    // earlier indices stay valid; a node before its ancestors; each once.
    let mut pointers = pointers;
    pointers.sort_by_cached_key(|p| std::cmp::Reverse(sort_key(p)));
    pointers.dedup();
    for pointer in pointers {
        let Some((parent, token)) = pointer.rsplit_once('/') else {
            return Err(Located::new(at, "cannot remove the document root"));
        };
        let token = crate::spec::document::unescape(token);
        match spec.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&token);
            }
            Some(Value::Array(items)) => match token.parse::<usize>() {
                Ok(index) if index < items.len() => {
                    items.remove(index);
                }
                _ => return Err(Located::new(at, format!("cannot remove {pointer}"))),
            },
            // An ancestor matched too and is already gone.
            _ => {}
        }
    }
    Ok(())
}

/// A pointer's tokens, array indices ordered as numbers (before any name,
/// so the order is total).
fn sort_key(pointer: &str) -> Vec<(bool, usize, String)> {
    pointer
        .split('/')
        .map(|token| match token.parse::<usize>() {
            Ok(index) => (false, index, String::new()),
            Err(_) => (true, 0, token.to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    #[test]
    fn update_merges_objects_and_appends_to_arrays() {
        let mut spec = json!({"paths": {"/a": {"get": {"operationId": "x", "tags": ["t"]}}},
                              "e": {"enum": ["a"]}});
        apply(
            &mut spec,
            &overlay(json!([
                {"target": "$.paths['/a'].get", "description": "rename", "update": {"operationId": "y", "summary": "s"}},
                {"target": "$.e.enum", "description": "add", "update": "b"},
            ])),
        )
        .unwrap();
        assert_eq!(
            spec,
            json!({"paths": {"/a": {"get": {"operationId": "y", "tags": ["t"], "summary": "s"}}},
                   "e": {"enum": ["a", "b"]}})
        );
    }

    #[test]
    fn remove_deletes_every_match() {
        let mut spec =
            json!({"s": {"a": {"format": "date-time"}, "b": {"format": "date-time"}, "c": {}}});
        apply(
            &mut spec,
            &overlay(json!([{"target": "$.s[?@.format == 'date-time']", "description": "why", "remove": true}])),
        )
        .unwrap();
        assert_eq!(spec, json!({"s": {"c": {}}}));

        let mut list = json!({"l": [1, 2, 3, 4]});
        apply(
            &mut list,
            &overlay(json!([{"target": "$.l[1,3]", "description": "why", "remove": true}])),
        )
        .unwrap();
        assert_eq!(list, json!({"l": [1, 3]}));
    }

    #[test]
    fn remove_takes_array_items_in_numeric_order_and_nested_matches_once() {
        // As strings, `/l/2` sorts after `/l/10`: removing 2 first would
        // shift 10 out of range (a panic) or onto the wrong item.
        let mut list = json!({"l": (0..12).collect::<Vec<_>>()});
        apply(
            &mut list,
            &overlay(json!([{"target": "$.l[2,10,11]", "description": "why", "remove": true}])),
        )
        .unwrap();
        assert_eq!(list, json!({"l": [0, 1, 3, 4, 5, 6, 7, 8, 9]}));

        // `$..x` matches a node and one inside it.
        let mut nested = json!({"x": {"x": 1}, "y": [{"x": 2}, {"z": 3}]});
        apply(
            &mut nested,
            &overlay(json!([{"target": "$..x", "description": "why", "remove": true}])),
        )
        .unwrap();
        assert_eq!(nested, json!({"y": [{}, {"z": 3}]}));
    }

    #[test]
    fn an_update_of_a_node_an_earlier_match_replaced_is_an_error() {
        // Matches `/a` and `/a/x/y`; updating `/a` replaces `/a/x`.
        let mut spec = json!({"a": {"x": {"y": {"x": {}}}}});
        let e = apply(
            &mut spec,
            &overlay(json!([{"target": "$..[?@.x]", "description": "why", "update": {"x": 1}}])),
        )
        .unwrap_err();
        assert!(e.message.contains("replaced"), "{e:?}");
    }

    #[test]
    fn a_target_that_matches_nothing_is_an_error() {
        let mut spec = json!({"paths": {}});
        let e = apply(
            &mut spec,
            &overlay(
                json!([{"target": "$.paths['/gone'].get", "description": "why", "update": {}}]),
            ),
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/actions/0/target");
        assert!(e.message.contains("matches nothing"), "{}", e.message);
    }

    #[test]
    fn actions_must_say_why_and_be_well_formed() {
        let mut spec = json!({"a": {}});
        let e = apply(
            &mut spec,
            &overlay(json!([{"target": "$.a", "update": {}}])),
        )
        .unwrap_err();
        assert!(e.message.contains("description"), "{}", e.message);
        let e = apply(
            &mut spec,
            &overlay(json!([{"target": "$.a[", "description": "d", "update": {}}])),
        )
        .unwrap_err();
        assert!(e.message.contains("invalid JSONPath"), "{}", e.message);
        let e = apply(
            &mut spec,
            &overlay(json!([{"target": "$.a", "description": "d"}])),
        )
        .unwrap_err();
        assert!(e.message.contains("neither"), "{}", e.message);
        let e = apply(&mut spec, &json!({"actions": []})).unwrap_err();
        assert!(e.message.contains("not an Overlay"), "{}", e.message);
    }

    #[test]
    fn update_of_a_scalar_is_refused() {
        let mut spec = json!({"a": {"format": "x"}});
        let e = apply(
            &mut spec,
            &overlay(json!([{"target": "$.a.format", "description": "d", "update": "y"}])),
        )
        .unwrap_err();
        assert!(
            e.message.contains("not an object or array"),
            "{}",
            e.message
        );
    }
}
