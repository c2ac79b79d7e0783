//! Speakeasy's `x-speakeasy-pagination`, read into the same declaration as
//! ours, so a vendor document that carries it needs no overlay.
//!
//! Its form: `type` (`offsetLimit`, `cursor` or `url`), `inputs` (each a
//! `name`, `in: parameters` or `requestBody`, and `type`: `page`, `offset`,
//! `limit` or `cursor`) and `outputs` (JSONPath strings: `results`,
//! `numPages`, `nextCursor`, `nextUrl`). Its rules are kept: `offsetLimit`
//! needs a `page` or an `offset` input, `cursor` a `cursor` input and
//! `nextCursor`, `url` a `nextUrl`. Differences, each a problem naming its
//! place (the vendor's declaration is then not used, with a warning, and
//! the operation has no stream; see [`super::Paging`]): `results` is required (a stream needs the items); inputs in the
//! request body are not supported (paged operations here are `GET`s); and
//! output paths are plain member paths (`$.meta.next`), not JSONPath
//! expressions such as `$.data[-1].id`. A `limit` input needs nothing: the
//! page size is an ordinary parameter of the builder. The first page number
//! is the page parameter's `default`, else its `minimum`, else 1.

use serde_json::Value;

use super::{Declared, Next, PagingStyle, field_path};
use crate::spec::error::{Located, push_token};

/// Parses an `x-speakeasy-pagination` object at `at`, for an operation with
/// `parameters`.
pub(super) fn parse(value: &Value, at: &str, parameters: &[&Value]) -> Result<Declared, Located> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| Located::new(push_token(at, "type"), "`type` is required"))?;
    let mut places = Vec::new();
    let input = |wanted: &str,
                 places: &mut Vec<(&'static str, String)>|
     -> Result<Option<String>, Located> {
        let inputs = value.get("inputs").and_then(Value::as_array);
        for (index, input) in inputs.into_iter().flatten().enumerate() {
            if input.get("type").and_then(Value::as_str) != Some(wanted) {
                continue;
            }
            let here = push_token(&push_token(at, "inputs"), &index.to_string());
            if input.get("in").and_then(Value::as_str) != Some("parameters") {
                return Err(Located::new(
                    push_token(&here, "in"),
                    "only inputs `in: parameters` are supported (not the request body)",
                ));
            }
            let name = input.get("name").and_then(Value::as_str).ok_or_else(|| {
                Located::new(push_token(&here, "name"), "an input needs a `name`")
            })?;
            places.push(("param", push_token(&here, "name")));
            return Ok(Some(name.to_owned()));
        }
        Ok(None)
    };
    let output =
        |name: &'static str, places: &mut Vec<(&'static str, String)>, what: &'static str| {
            let Some(text) = value.pointer(&format!("/outputs/{name}")) else {
                return Ok(None);
            };
            let here = push_token(&push_token(at, "outputs"), name);
            let path = text.as_str().and_then(field_path).ok_or_else(|| {
                Located::new(
                    &here,
                    "only plain member paths are supported here (`$.meta.next`), not JSONPath \
                 expressions",
                )
            })?;
            places.push((what, here));
            Ok(Some(path))
        };
    let items = output("results", &mut places, "items")?.ok_or_else(|| {
        Located::new(
            push_token(at, "outputs"),
            "`outputs.results` is required: the stream of items needs the list",
        )
    })?;
    let missing = |what: &str| Located::new(at, format!("type `{kind}` needs {what}"));
    let style = match kind {
        "offsetLimit" => {
            if let Some(param) = input("offset", &mut places)? {
                PagingStyle::Offset { param, total: None }
            } else if let Some(param) = input("page", &mut places)? {
                let first = parameters
                    .iter()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(param.as_str()))
                    .and_then(|p| p.get("schema"))
                    .and_then(|s| s.get("default").or_else(|| s.get("minimum")))
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                PagingStyle::Page {
                    param,
                    first,
                    last_page: output("numPages", &mut places, "lastPage")?,
                    current: None,
                    total: None,
                }
            } else {
                return Err(missing("an input of type `page` or `offset`"));
            }
        }
        "cursor" => {
            let param = input("cursor", &mut places)?
                .ok_or_else(|| missing("an input of type `cursor`"))?;
            let next = output("nextCursor", &mut places, "next")?
                .ok_or_else(|| missing("`outputs.nextCursor`"))?;
            PagingStyle::Cursor {
                param,
                next: Next::Field(next),
            }
        }
        "url" => {
            let next = output("nextUrl", &mut places, "next")?
                .ok_or_else(|| missing("`outputs.nextUrl`"))?;
            PagingStyle::Url {
                next: Next::Field(next),
            }
        }
        other => {
            return Err(Located::new(
                push_token(at, "type"),
                format!("unknown type `{other}`; known: offsetLimit, cursor, url"),
            ));
        }
    };
    Ok(Declared {
        items,
        id: None,
        error: Vec::new(),
        style,
        places,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_offset_limit_cursor_and_url() {
        let page =
            json!({"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 0}});
        let d = parse(
            &json!({"type": "offsetLimit",
                "inputs": [{"name": "limit", "in": "parameters", "type": "limit"},
                           {"name": "page", "in": "parameters", "type": "page"}],
                "outputs": {"results": "$.data.items", "numPages": "$.data.pages"}}),
            "/x",
            &[&page],
        )
        .unwrap();
        assert_eq!(d.items, ["data", "items"]);
        assert_eq!(
            d.style,
            PagingStyle::Page {
                param: "page".into(),
                first: 0,
                last_page: Some(vec!["data".into(), "pages".into()]),
                current: None,
                total: None
            }
        );
        assert_eq!(d.place("param"), "/x/inputs/1/name");
        let d = parse(
            &json!({"type": "cursor", "inputs": [{"name": "after", "in": "parameters", "type": "cursor"}],
                "outputs": {"results": "$.items", "nextCursor": "$.next"}}),
            "/x",
            &[],
        )
        .unwrap();
        assert_eq!(
            d.style,
            PagingStyle::Cursor {
                param: "after".into(),
                next: Next::Field(vec!["next".into()])
            }
        );
        let d = parse(
            &json!({"type": "url", "outputs": {"results": "$.items", "nextUrl": "$.links.next"}}),
            "/x",
            &[],
        )
        .unwrap();
        assert_eq!(
            d.style,
            PagingStyle::Url {
                next: Next::Field(vec!["links".into(), "next".into()])
            }
        );
    }

    #[test]
    fn what_it_allows_and_we_cannot_do_is_named() {
        let e = parse(
            &json!({"type": "cursor", "inputs": [{"name": "c", "in": "requestBody", "type": "cursor"}],
                "outputs": {"results": "$.items", "nextCursor": "$.next"}}),
            "/x",
            &[],
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/x/inputs/0/in");
        let e = parse(
            &json!({"type": "cursor", "inputs": [{"name": "c", "in": "parameters", "type": "cursor"}],
                "outputs": {"results": "$.items", "nextCursor": "$.items[-1].id"}}),
            "/x",
            &[],
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/x/outputs/nextCursor");
        let e = parse(
            &json!({"type": "offsetLimit", "outputs": {"results": "$.a"}}),
            "/x",
            &[],
        )
        .unwrap_err();
        assert!(e.message.contains("`page` or `offset`"), "{}", e.message);
        let e = parse(
            &json!({"type": "url", "outputs": {"nextUrl": "$.n"}}),
            "/x",
            &[],
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/x/outputs");
    }
}
