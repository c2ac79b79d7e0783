//! One type per class of responses.
//!
//! progenitor gives an operation one success type and one error type, and
//! counts `default` in both classes; an operation documenting a `200`
//! body beside a `default` error, a `201` beside a bodiless `204`, or a
//! different error body per status stops the whole document. Here:
//!
//! - beside explicit success statuses, `default` describes errors only, so
//!   it becomes `4XX` and `5XX` (when that resolves a conflict);
//! - distinct JSON bodies in one class become one `oneOf` component named
//!   after the operation, whose variants decode in status order;
//! - a bodiless success beside a JSON one makes the success type optional:
//!   the method returns `None` for that status ([`Wire::empty_success`]);
//! - a success class mixing JSON and other bodies is returned as bytes;
//! - in the error class, bodiless or non-JSON statuses beside JSON ones are
//!   left to progenitor's unexpected-response error, which keeps the
//!   status and body.
//!
//! Media types: a `+json` response is JSON (progenitor reads only
//! `application/json` and would return it as untyped bytes), and the
//! request's `Accept` names the JSON media types the operation declares
//! ([`Wire::accepts`](super::Wire::accepts); progenitor always sends
//! `application/json`).

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

use super::{Names, Op, Skip, add_schema};
use crate::spec::document::media::is_json;
use crate::spec::document::{self, OperationAt};
use crate::spec::error::push_token;

/// What a response carries, as progenitor sorts it.
#[derive(Debug, Clone, PartialEq)]
enum Body {
    Json(Value),
    Raw,
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Code(u16),
    Range(u16),
    Default,
}

impl Status {
    fn parse(text: &str) -> Option<Status> {
        if text == "default" {
            return Some(Status::Default);
        }
        let upper = text.to_ascii_uppercase();
        if let Some(digit) = upper.strip_suffix("XX") {
            return digit.parse().ok().map(Status::Range);
        }
        text.parse().ok().map(Status::Code)
    }

    /// progenitor's success class (`default` is in both).
    fn is_success(self) -> bool {
        matches!(
            self,
            Status::Default | Status::Code(101) | Status::Code(200..=299) | Status::Range(2)
        )
    }

    fn is_error(self) -> bool {
        matches!(
            self,
            Status::Default | Status::Code(400..=599) | Status::Range(4..=5)
        )
    }
}

struct Response {
    key: String,
    status: Status,
    /// The response as the document has it (a reference stays one unless
    /// it changes).
    original: Value,
    /// The response resolved, its JSON media type named `application/json`.
    resolved: Map<String, Value>,
    body: Body,
    /// The JSON media type it declares, without parameters.
    media: Option<String>,
    changed: bool,
    /// Left out of progenitor's copy.
    dropped: bool,
}

impl Response {
    fn set_body(&mut self, body: Body) {
        let content = match &body {
            Body::Json(schema) => json!({"application/json": {"schema": schema}}),
            Body::Raw => json!({"application/octet-stream": {}}),
            Body::Empty => json!({}),
        };
        self.resolved.insert("content".into(), content);
        self.body = body;
        self.changed = true;
    }
}

pub(super) fn shape(
    doc: &mut Value,
    at: &OperationAt,
    op: &mut Op<'_>,
    names: &mut Names,
) -> Result<(), Skip> {
    let responses_at = push_token(&at.pointer, "responses");
    let Some(map) = doc.pointer(&responses_at).and_then(Value::as_object) else {
        return Ok(());
    };
    let mut responses: Vec<Response> = map
        .iter()
        .filter_map(|(key, original)| {
            let status = Status::parse(key)?;
            let resolved = document::resolve(doc, original)?.as_object()?.clone();
            Some(read(key, status, original.clone(), resolved))
        })
        .collect();
    let mut accept: Vec<String> = Vec::new();
    for media in responses.iter().filter_map(|r| r.media.clone()) {
        if !accept.contains(&media) {
            accept.push(media);
        }
    }
    default_is_an_error(&mut responses);
    let pascal = op.id.to_pascal_case();
    for (class, suffix) in [
        (Status::is_success as fn(Status) -> bool, "Response"),
        (Status::is_error, "Error"),
    ] {
        share_inline_bodies(
            doc,
            &mut responses,
            class,
            names,
            &format!("{pascal}{suffix}"),
        );
    }
    success_class(doc, &mut responses, op, names, &pascal, &responses_at);
    error_class(doc, &mut responses, op, names, &pascal, &responses_at);
    if accept != ["application/json"] && !accept.is_empty() && writes_accept(&responses) {
        op.shaped
            .wire
            .accepts
            .insert(op.method.clone(), accept.join(", "));
    }
    let mut new_map = Map::new();
    for r in responses.into_iter().filter(|r| !r.dropped) {
        let value = if r.changed {
            Value::Object(r.resolved)
        } else {
            r.original
        };
        new_map.insert(r.key, value);
    }
    if let Some(slot) = doc.pointer_mut(&responses_at) {
        *slot = Value::Object(new_map);
    }
    Ok(())
}

/// Reads one response: which body it has, its JSON media type renamed
/// `application/json` (and given a schema) where progenitor needs that.
fn read(key: &str, status: Status, original: Value, mut resolved: Map<String, Value>) -> Response {
    let content = resolved
        .get("content")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let json_media = content
        .iter()
        .find(|(media, _)| crate::spec::document::media::essence(media) == "application/json")
        .or_else(|| content.iter().find(|(media, _)| is_json(media)));
    let (body, changed) = match json_media {
        Some((media, m)) => {
            let schema = m.get("schema").cloned();
            let changed = media != "application/json"
                || schema.is_none()
                || m.get("encoding").is_some()
                || content.len() > 1;
            (Body::Json(schema.unwrap_or_else(|| json!({}))), changed)
        }
        None if content.is_empty() => (Body::Empty, false),
        None => (Body::Raw, false),
    };
    if changed && let Body::Json(schema) = &body {
        resolved.insert(
            "content".into(),
            json!({"application/json": {"schema": schema}}),
        );
    }
    Response {
        key: key.to_owned(),
        status,
        original,
        resolved,
        body,
        media: json_media.map(|(media, _)| crate::spec::document::media::essence(media)),
        changed,
        dropped: false,
    }
}

/// Whether the responses picked by `class` have more than one body.
fn conflicting(responses: &[Response], class: fn(Status) -> bool) -> bool {
    let mut bodies = responses
        .iter()
        .filter(|r| class(r.status))
        .map(|r| &r.body);
    let Some(first) = bodies.next() else {
        return false;
    };
    bodies.any(|b| b != first)
}

/// Beside explicit success statuses, `default` only describes errors: it
/// becomes `4XX` and `5XX` when counting it as a success conflicts.
fn default_is_an_error(responses: &mut Vec<Response>) {
    let explicit_success = responses
        .iter()
        .any(|r| r.status != Status::Default && r.status.is_success());
    if !explicit_success || !conflicting(responses, Status::is_success) {
        return;
    }
    let Some(i) = responses.iter().position(|r| r.status == Status::Default) else {
        return;
    };
    let default = responses.remove(i);
    for (key, digit) in [("4XX", 4), ("5XX", 5)] {
        if !responses.iter().any(|r| r.status == Status::Range(digit)) {
            responses.push(Response {
                key: key.to_owned(),
                status: Status::Range(digit),
                original: default.original.clone(),
                resolved: default.resolved.clone(),
                body: default.body.clone(),
                media: default.media.clone(),
                changed: default.changed,
                dropped: false,
            });
        }
    }
}

/// progenitor types each inline schema on its own, so two statuses of one
/// class with the same inline body (a `default` copied to `4XX` and `5XX`,
/// or written out twice) get two types, which its one-type-per-class
/// assertion rejects. Where a class has several JSON bodies, each distinct
/// inline one becomes a component named after `wanted`, so equal bodies
/// are one type and distinct ones can be merged.
fn share_inline_bodies(
    doc: &mut Value,
    responses: &mut [Response],
    class: fn(Status) -> bool,
    names: &mut Names,
    wanted: &str,
) {
    let members: Vec<usize> = (0..responses.len())
        .filter(|&i| class(responses[i].status) && matches!(responses[i].body, Body::Json(_)))
        .collect();
    if members.len() < 2 {
        return;
    }
    let mut hoisted: Vec<(Value, Value)> = Vec::new();
    for i in members {
        let Body::Json(schema) = &responses[i].body else {
            continue;
        };
        if schema.get("$ref").is_some() {
            continue;
        }
        let reference = match hoisted.iter().find(|(inline, _)| inline == schema) {
            Some((_, reference)) => reference.clone(),
            None => {
                let name = names.fresh(wanted);
                add_schema(doc, &name, schema.clone());
                let reference = json!({"$ref": document::component_ref("schemas", &name)});
                hoisted.push((schema.clone(), reference.clone()));
                reference
            }
        };
        responses[i].set_body(Body::Json(reference));
    }
}

/// Replaces the distinct JSON schemas of `members` with one `oneOf`
/// component named `wanted` (made unique).
fn merge(
    doc: &mut Value,
    responses: &mut [Response],
    members: &[usize],
    names: &mut Names,
    wanted: &str,
) {
    let mut distinct: Vec<Value> = Vec::new();
    for &i in members {
        if let Body::Json(schema) = &responses[i].body
            && !distinct.contains(schema)
        {
            distinct.push(schema.clone());
        }
    }
    if distinct.len() < 2 {
        return;
    }
    let name = names.fresh(wanted);
    add_schema(doc, &name, json!({"oneOf": distinct}));
    let reference = json!({"$ref": document::component_ref("schemas", &name)});
    for &i in members {
        if matches!(responses[i].body, Body::Json(_)) {
            responses[i].set_body(Body::Json(reference.clone()));
        }
    }
}

/// The responses of a class, by index, and which kinds of body they have.
struct Class {
    members: Vec<usize>,
    json: bool,
    raw: bool,
}

impl Class {
    fn of(responses: &[Response], class: fn(Status) -> bool) -> Class {
        let members: Vec<usize> = (0..responses.len())
            .filter(|&i| class(responses[i].status))
            .collect();
        let has = |b: fn(&Body) -> bool| members.iter().any(|&i| b(&responses[i].body));
        Class {
            json: has(|b| matches!(b, Body::Json(_))),
            raw: has(|b| *b == Body::Raw),
            members,
        }
    }
}

/// Whether progenitor writes an `Accept` header for these responses (as
/// shaped): when the success is a JSON body, or empty with a JSON error
/// body. A bytes success gets none, so there is nothing to name the JSON
/// media types in.
fn writes_accept(responses: &[Response]) -> bool {
    let kept = || responses.iter().filter(|r| !r.dropped);
    let json = |r: &&Response| matches!(r.body, Body::Json(_));
    kept().filter(|r| r.status.is_success()).any(|r| json(&r))
        || (kept()
            .filter(|r| r.status.is_success())
            .all(|r| r.body == Body::Empty)
            && kept().filter(|r| r.status.is_error()).any(|r| json(&r)))
}

fn success_class(
    doc: &mut Value,
    responses: &mut [Response],
    op: &mut Op<'_>,
    names: &mut Names,
    pascal: &str,
    at: &str,
) {
    if !conflicting(responses, Status::is_success) {
        return;
    }
    let class = Class::of(responses, Status::is_success);
    if class.raw || !class.json {
        // Bytes can carry every body, an empty one included.
        for &i in &class.members {
            if responses[i].body != Body::Raw {
                responses[i].set_body(Body::Raw);
            }
        }
        if class.json {
            op.shaped.found.note(
                at,
                "success responses of several media types: returned as bytes",
            );
        }
        return;
    }
    merge(
        doc,
        responses,
        &class.members,
        names,
        &format!("{pascal}Responses"),
    );
    let empty: Vec<usize> = class
        .members
        .iter()
        .copied()
        .filter(|&i| responses[i].body == Body::Empty)
        .collect();
    if empty.is_empty() {
        return;
    }
    let mut codes = Vec::new();
    for &i in &empty {
        match responses[i].status {
            Status::Code(code) => codes.push(code),
            _ => op.shaped.found.note(
                push_token(at, &responses[i].key),
                "a bodiless success range beside a JSON body is returned as an unexpected response",
            ),
        }
        // progenitor must not see it: the postprocess pass adds its arm.
        responses[i].dropped = true;
    }
    op.shaped
        .wire
        .empty_success
        .insert(op.method.clone(), codes);
    for &i in &class.members {
        if let Body::Json(schema) = responses[i].body.clone() {
            responses[i].set_body(Body::Json(optional(schema)));
        }
    }
}

/// `schema` that also allows `null`.
fn optional(schema: Value) -> Value {
    match schema {
        Value::Object(mut obj) if !obj.contains_key("$ref") => {
            obj.insert("nullable".into(), json!(true));
            Value::Object(obj)
        }
        reference => json!({"allOf": [reference], "nullable": true}),
    }
}

fn error_class(
    doc: &mut Value,
    responses: &mut [Response],
    op: &mut Op<'_>,
    names: &mut Names,
    pascal: &str,
    at: &str,
) {
    if !conflicting(responses, Status::is_error) {
        return;
    }
    let class = Class::of(responses, Status::is_error);
    if !class.json {
        // Bodiless and non-JSON errors: bytes carry both.
        for &i in &class.members {
            if responses[i].body == Body::Empty {
                responses[i].set_body(Body::Raw);
            }
        }
        return;
    }
    for &i in &class.members {
        if !matches!(responses[i].body, Body::Json(_)) {
            responses[i].dropped = true;
            op.shaped.found.note(
                push_token(at, &responses[i].key),
                "an error without a JSON body beside JSON ones is returned as an unexpected response, with its status and body",
            );
        }
    }
    let json_members: Vec<usize> = class
        .members
        .into_iter()
        .filter(|&i| !responses[i].dropped)
        .collect();
    merge(
        doc,
        responses,
        &json_members,
        names,
        &format!("{pascal}Errors"),
    );
}
