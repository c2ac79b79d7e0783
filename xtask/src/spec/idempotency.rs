//! Which writes take an idempotency key, and where, read from the document
//! (after the overlay) so the generated `context()` can tell the runtime.
//!
//! An operation takes a key when:
//!
//! - it declares one with `x-idempotency-key` (in our overlay, or in a
//!   vendor's document): `{header: Idempotency-Key}` names one of its
//!   header parameters, `{bodyField: idempotency_key}` a top-level string
//!   member of its JSON request body; or
//! - without that, it is a write with a header parameter named as the
//!   manifest's `idempotency_key` (the vendor documents the header on the
//!   operations that honour it, as PayPal does `PayPal-Request-Id`).
//!
//! The manifest's header is never put on a write that does not declare it:
//! a vendor that ignores the header would apply a retried write twice.
//! A declaration naming a header or member the operation does not have is
//! an error at its JSON pointer.
//!
//! The generator's copy of the document then makes the declared header or
//! member optional ([`make_optional`]), so a caller may leave it unset and
//! the runtime fills in a key.

use serde_json::Value;

use crate::spec::document::{self, OperationAt, media};
use crate::spec::error::{Located, push_token};
use crate::spec::refs;

/// The extension declaring an operation's idempotency key.
pub const EXTENSION: &str = "x-idempotency-key";

/// Where an operation's requests carry their key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyIn {
    /// A request header, named as the operation's parameter spells it.
    Header(String),
    /// A top-level member of the JSON request body.
    BodyField(String),
}

impl KeyIn {
    /// Where the key goes, in a few words for docs.
    pub fn describe(&self) -> String {
        match self {
            KeyIn::Header(name) => format!("header `{name}`"),
            KeyIn::BodyField(name) => format!("body member `{name}`"),
        }
    }
}

/// A write that takes an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    /// The spec's `operationId`.
    pub operation_id: String,
    /// Where the key goes.
    pub key: KeyIn,
    /// The Parameter Object (header) or Schema Object (body member) whose
    /// `required` [`make_optional`] changes: a JSON pointer.
    pub required_at: String,
}

/// Every write of `doc` (after overlay and normalisation) that takes a key,
/// in document order; `manifest_header` is the manifest's
/// `idempotency_key`.
///
/// # Errors
/// Every `x-idempotency-key` that does not parse, sits on a read, or names
/// a header or member its operation does not have, at its JSON pointer.
pub fn read(doc: &Value, manifest_header: Option<&str>) -> Result<Vec<Keyed>, Vec<Located>> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for at in document::operations(doc) {
        match operation(doc, &at, manifest_header) {
            Ok(Some(keyed)) => found.push(keyed),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn operation(
    doc: &Value,
    at: &OperationAt,
    manifest_header: Option<&str>,
) -> Result<Option<Keyed>, Located> {
    let Some(op) = doc.pointer(&at.pointer) else {
        return Ok(None);
    };
    let write = !matches!(at.method, "get" | "head" | "options" | "trace");
    let Some(declared) = op.get(EXTENSION) else {
        // The vendor's own header, where its document declares it.
        let Some(name) = manifest_header.filter(|_| write) else {
            return Ok(None);
        };
        return Ok(
            header_parameter(doc, at, name).map(|(spelled, required_at)| Keyed {
                operation_id: at.id.clone().unwrap_or_default(),
                key: KeyIn::Header(spelled),
                required_at,
            }),
        );
    };
    let here = push_token(&at.pointer, EXTENSION);
    if !write {
        return Err(Located::new(
            here,
            format!(
                "a {} is retried without a key; declare keys on writes only",
                at.method.to_uppercase()
            ),
        ));
    }
    let Some(operation_id) = at.id.clone() else {
        return Err(Located::new(
            &at.pointer,
            "an operation with an idempotency key needs an `operationId`",
        ));
    };
    let (what, name) = match declared.as_object().map(|o| o.iter().collect::<Vec<_>>()) {
        Some(members) if members.len() == 1 => {
            let (what, name) = members[0];
            match name.as_str().filter(|n| !n.trim().is_empty()) {
                Some(name) if what == "header" || what == "bodyField" => (what.as_str(), name),
                _ => return Err(malformed(here)),
            }
        }
        _ => return Err(malformed(here)),
    };
    let place = push_token(&here, what);
    let (key, required_at) = if what == "header" {
        let (spelled, required_at) = header_parameter(doc, at, name).ok_or_else(|| {
            Located::new(
                &place,
                format!(
                    "the operation has no header parameter `{name}`; declare it among its \
                     parameters (`in: header`) or name one it has"
                ),
            )
        })?;
        (KeyIn::Header(spelled), required_at)
    } else {
        let required_at =
            body_member(doc, &at.pointer, name).map_err(|why| Located::new(&place, why))?;
        (KeyIn::BodyField(name.to_owned()), required_at)
    };
    Ok(Some(Keyed {
        operation_id,
        key,
        required_at,
    }))
}

fn malformed(at: String) -> Located {
    Located::new(
        at,
        "expected `{header: <parameter name>}` or `{bodyField: <member name>}`",
    )
}

/// The header parameter of the operation at `at` (its own or its path
/// item's) named `name` in any case: its spelling and where its Parameter
/// Object is.
fn header_parameter(doc: &Value, at: &OperationAt, name: &str) -> Option<(String, String)> {
    let item_at = push_token("/paths", &at.path);
    [
        push_token(&at.pointer, "parameters"),
        push_token(&item_at, "parameters"),
    ]
    .iter()
    .flat_map(|list_at| {
        let count = doc
            .pointer(list_at)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        (0..count).map(move |i| format!("{list_at}/{i}"))
    })
    .filter_map(|pointer| resolved(doc, pointer))
    .find_map(|(pointer, parameter)| {
        let spelled = parameter.get("name").and_then(Value::as_str)?;
        (parameter.get("in").and_then(Value::as_str) == Some("header")
            && spelled.eq_ignore_ascii_case(name))
        .then(|| (spelled.to_owned(), pointer))
    })
}

/// Where the schema of the JSON request body of the operation at `at`
/// that has the string member `name` is, or why there is none.
fn body_member(doc: &Value, at: &str, name: &str) -> Result<String, String> {
    let (body_at, body) = resolved(doc, push_token(at, "requestBody"))
        .ok_or_else(|| format!("the operation has no request body to hold `{name}`"))?;
    let media_type = body
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.keys().find(|media_type| media::is_json(media_type)))
        .ok_or_else(|| format!("the operation has no JSON request body to hold `{name}`"))?;
    let schema_at = push_token(
        &push_token(&push_token(&body_at, "content"), media_type),
        "schema",
    );
    let (pointer, schema) = resolved(doc, schema_at)
        .ok_or_else(|| format!("the `{media_type}` request body has no schema"))?;
    let member = schema
        .get("properties")
        .and_then(|p| p.get(name))
        .and_then(|member| document::resolve(doc, member))
        .ok_or_else(|| format!("the `{media_type}` request body has no member `{name}`"))?;
    if member.get("type").is_some_and(|t| t != "string") {
        return Err(format!(
            "the request body's member `{name}` is not a string"
        ));
    }
    Ok(pointer)
}

/// The value at `pointer`, following `$ref`s: where it ends and what it is.
fn resolved(doc: &Value, mut pointer: String) -> Option<(String, &Value)> {
    for _ in 0..64 {
        let value = doc.pointer(&pointer)?;
        match document::reference(value) {
            Some(reference) => pointer = refs::local_pointer(reference)?,
            None => return Some((pointer, value)),
        }
    }
    None
}

/// Makes each key's header or member optional in `doc` (the generator's
/// copy), so its builder accepts a request without it and the runtime
/// fills in a key.
pub fn make_optional(doc: &mut Value, keyed: &[Keyed]) {
    for keyed in keyed {
        let Some(target) = doc.pointer_mut(&keyed.required_at) else {
            continue;
        };
        match &keyed.key {
            KeyIn::Header(_) => {
                if let Some(required) = target.get_mut("required") {
                    *required = Value::Bool(false);
                }
            }
            KeyIn::BodyField(name) => {
                if let Some(required) = target.get_mut("required").and_then(Value::as_array_mut) {
                    required.retain(|member| member != name.as_str());
                }
            }
        }
    }
}

/// The crate docs' section on retried writes: which operations take a key
/// (`keyed`, by `operationId`, those generated), and what happens to the
/// others. Empty when the crate has no write (`writes` false).
pub fn docs_section(writes: bool, keyed: &[(String, KeyIn)]) -> String {
    if !writes {
        return String::new();
    }
    let mut d = String::from("\n# Retried writes\n\n");
    if keyed.is_empty() {
        d.push_str("No operation of this API takes an idempotency key, so ");
    } else {
        d.push_str(
            "These operations take an idempotency key: each call gets a new one (a UUID), \
             carried by every attempt, unless you give your own (with the operation's \
             `.idempotency_key(..)`, or in the header or body member itself), so they are \
             retried like reads and the vendor applies each call at most once.\n\n\
             | operation | key |\n|---|---|\n",
        );
        for (id, key) in keyed {
            d.push_str(&format!(
                "| [`Client::{}`] | {} |\n",
                crate::naming::snake_ident(id),
                key.describe()
            ));
        }
        d.push_str("\nAny other ");
    }
    d.push_str(
        "write is sent again only when it certainly did not reach the server (no \
         connection could be made, or no credentials could be had for it): after any \
         other fault its error says that it was not retried, and why.\n",
    );
    d
}
