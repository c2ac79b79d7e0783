//! A declaration checked against its operation: every parameter and body
//! field it names exists and has a type that can carry it.

use serde_json::Value;

use super::{Declared, FieldPath, Next, PagedOperation, PagingStyle, path_text, resolve};
use crate::spec::error::Located;

/// `declared` (at `pointer`) checked against operation `op` with its
/// resolved `parameters`.
pub(super) fn operation(
    doc: &Value,
    op: &Value,
    parameters: &[&Value],
    operation_id: &str,
    pointer: String,
    declared: Declared,
) -> Result<PagedOperation, Located> {
    let at = |what: &str| {
        let place = declared.place(what);
        if place.is_empty() {
            pointer.clone()
        } else {
            place.to_owned()
        }
    };
    if let Some(param) = declared.style.param() {
        let wanted = match declared.style {
            PagingStyle::Cursor { .. } => "string",
            _ => "integer",
        };
        check_param(doc, parameters, param, wanted).map_err(|m| Located::new(at("param"), m))?;
    }

    let body = success_body(doc, op).ok_or_else(|| {
        Located::new(
            at("items"),
            "the operation has no JSON body in a 2xx response to read pages from",
        )
    })?;
    let list = field(doc, body, &declared.items).map_err(|m| Located::new(at("items"), m))?;
    if schema_type(doc, list) != Some("array") {
        return Err(Located::new(
            at("items"),
            format!("`{}` is not an array", path_text(&declared.items)),
        ));
    }
    let item = list.get("items").unwrap_or(&Value::Null);
    let id = match &declared.id {
        Some(None) => None,
        Some(Some(id)) => {
            let path = vec![id.clone()];
            let schema = field(doc, item, &path).map_err(|m| Located::new(at("id"), m))?;
            expect_type(doc, schema, &["string", "integer"], id)
                .map_err(|m| Located::new(at("id"), m))?;
            Some(id.clone())
        }
        // `id` when items have a usable one.
        None => field(doc, item, &["id".to_owned()])
            .ok()
            .filter(|schema| matches!(schema_type(doc, schema), Some("string" | "integer")))
            .map(|_| "id".to_owned()),
    };

    for (index, path) in declared.error.iter().enumerate() {
        let place = declared
            .places
            .iter()
            .filter(|(what, _)| *what == "error")
            .nth(index)
            .map_or(pointer.clone(), |(_, place)| place.clone());
        let documented = error_bodies(doc, op)
            .into_iter()
            .any(|schema| field(doc, schema, path).is_ok());
        if !documented {
            return Err(Located::new(
                place,
                format!(
                    "no documented error response of the operation has `{}`",
                    path_text(path)
                ),
            ));
        }
    }

    let numbers: Vec<(&str, &Option<FieldPath>)> = match &declared.style {
        PagingStyle::Page {
            last_page,
            current,
            total,
            ..
        } => vec![
            ("lastPage", last_page),
            ("current", current),
            ("total", total),
        ],
        PagingStyle::Offset { total, .. } => vec![("total", total)],
        _ => Vec::new(),
    };
    for (what, path) in numbers {
        if let Some(path) = path {
            let schema = field(doc, body, path).map_err(|m| Located::new(at(what), m))?;
            expect_type(doc, schema, &["integer"], &path_text(path))
                .map_err(|m| Located::new(at(what), m))?;
        }
    }
    if let PagingStyle::Cursor {
        next: Next::Field(path),
        ..
    }
    | PagingStyle::Url {
        next: Next::Field(path),
    } = &declared.style
    {
        let schema = field(doc, body, path).map_err(|m| Located::new(at("next"), m))?;
        expect_type(doc, schema, &["string"], &path_text(path))
            .map_err(|m| Located::new(at("next"), m))?;
    }
    if let PagingStyle::Cursor {
        next: Next::LastItem { member, more },
        ..
    } = &declared.style
    {
        let schema = field(doc, item, std::slice::from_ref(member))
            .map_err(|m| Located::new(at("lastItem"), format!("an item: {m}")))?;
        expect_type(doc, schema, &["string", "integer"], member)
            .map_err(|m| Located::new(at("lastItem"), m))?;
        if let Some(more) = more {
            let schema = field(doc, body, more).map_err(|m| Located::new(at("more"), m))?;
            expect_type(doc, schema, &["boolean"], &path_text(more))
                .map_err(|m| Located::new(at("more"), m))?;
        }
    }
    Ok(PagedOperation {
        operation_id: operation_id.to_owned(),
        path: String::new(),
        pointer,
        items: declared.items,
        id,
        error: declared.error,
        style: declared.style,
    })
}

fn check_param(doc: &Value, parameters: &[&Value], name: &str, wanted: &str) -> Result<(), String> {
    let found = parameters.iter().find(|p| {
        p.get("name").and_then(Value::as_str) == Some(name)
            && p.get("in").and_then(Value::as_str) == Some("query")
    });
    let Some(param) = found else {
        let known: Vec<&str> = parameters
            .iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect();
        return Err(format!(
            "the operation has no query parameter `{name}` (it has: {})",
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    };
    let schema = param.get("schema").unwrap_or(&Value::Null);
    expect_type(doc, schema, &[wanted], &format!("parameter {name}"))
}

/// The schema of the JSON body of the operation's `200` (or first `2xx`)
/// response.
fn success_body<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    let responses = op.get("responses")?.as_object()?;
    let response = responses.get("200").or_else(|| {
        responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .map(|(_, response)| response)
    })?;
    json_schema(doc, response)
}

/// The schemas of the JSON bodies of the operation's error responses (not
/// `2xx`).
fn error_bodies<'a>(doc: &'a Value, op: &'a Value) -> Vec<&'a Value> {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return Vec::new();
    };
    responses
        .iter()
        .filter(|(status, _)| !status.starts_with('2'))
        .filter_map(|(_, response)| json_schema(doc, response))
        .collect()
}

/// The schema of a response's JSON body.
fn json_schema<'a>(doc: &'a Value, response: &'a Value) -> Option<&'a Value> {
    let content = resolve(doc, response)?.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| {
            let essence = media.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence.ends_with("+json")
        })
        .and_then(|(_, media)| media.get("schema"))
}

/// The schema at `path` under `schema`, following `$ref` and `allOf`.
fn field<'a>(doc: &'a Value, schema: &'a Value, path: &[String]) -> Result<&'a Value, String> {
    let mut current = schema;
    for (depth, member) in path.iter().enumerate() {
        current = property(doc, current, member).ok_or_else(|| {
            let mut known = Vec::new();
            members(doc, current, &mut known);
            let parent = match depth {
                0 => "the body".to_owned(),
                _ => format!("`{}`", path_text(&path[..depth])),
            };
            format!(
                "{parent} has no member `{member}` (it has: {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )
        })?;
    }
    Ok(current)
}

fn property<'a>(doc: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let schema = resolve(doc, schema)?;
    schema
        .get("properties")
        .and_then(|p| p.get(name))
        .or_else(|| {
            schema
                .get("allOf")?
                .as_array()?
                .iter()
                .find_map(|part| property(doc, part, name))
        })
}

fn members(doc: &Value, schema: &Value, into: &mut Vec<String>) {
    let Some(schema) = resolve(doc, schema) else {
        return;
    };
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        into.extend(properties.keys().cloned());
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        members(doc, part, into);
    }
}

/// The schema's `type`, through `$ref`, `allOf`, and `oneOf`/`anyOf` whose
/// alternatives all have one type.
fn schema_type<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a str> {
    let schema = resolve(doc, schema)?;
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        return Some(kind);
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        return parts.iter().find_map(|part| schema_type(doc, part));
    }
    let alternatives = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_array()?;
    let mut kinds = alternatives.iter().map(|part| schema_type(doc, part));
    let first = kinds.next()??;
    kinds.all(|kind| kind == Some(first)).then_some(first)
}

fn expect_type(doc: &Value, schema: &Value, wanted: &[&str], what: &str) -> Result<(), String> {
    match schema_type(doc, schema) {
        Some(kind) if wanted.contains(&kind) => Ok(()),
        kind => Err(format!(
            "`{what}` is {}, which cannot carry this: expected {}",
            kind.map_or("of no single type".to_owned(), |k| format!("of type {k}")),
            wanted.join(" or ")
        )),
    }
}
