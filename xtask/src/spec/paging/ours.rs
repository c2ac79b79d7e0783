//! Our declaration, `x-pagination`: one object per operation.
//!
//! - `items` (required): the body path of the list (`data`, `$.data`).
//! - `id`: the member of an item that identifies it; the default is `id`
//!   when items have one. `id: null` says items have none.
//! - `error`: a body path (or a list of them) of the vendor's error object,
//!   as its documented error responses have it: a `200` page carrying one
//!   is the vendor's error (an error item), never a page.
//! - exactly one style:
//!   - `cursor: {param, link: next}`: the cursor is query parameter
//!     `param` of the `Link` header's `rel="next"` URL, passed back as
//!     received (Sendcloud v3);
//!   - `cursor: {param, field}`: the cursor is the body field `field`
//!     (Coinbase's `nextPageToken`); absent, null or empty on the last page;
//!   - `cursor: {param, lastItem, more}`: the cursor is member `lastItem`
//!     of the page's last item (Stripe's `starting_after` = the last id),
//!     while the boolean body field `more` is true (`has_more`); without
//!     `more`, until an empty page;
//!   - `url: {link: next}` or `url: {field}`: the next page's URL, followed
//!     as received (same server only);
//!   - `page: {param, first, lastPage, current, total}`: page numbers from
//!     `first` (default 1); the body's last page number, this page's number
//!     and the count of all items, each optional (Kitchen's `meta.*`);
//!   - `offset: {param, total}`: offsets from 0, and the count of all items.

use serde_json::{Map, Value};

use super::{Declared, FieldPath, Next, PagingStyle, field_path};
use crate::spec::error::{Located, push_token};

const STYLES: &[&str] = &["cursor", "url", "page", "offset"];

/// Parses an `x-pagination` object at `at`.
pub(super) fn parse(value: &Value, at: &str, _parameters: &[&Value]) -> Result<Declared, Located> {
    let declaration = object(value, at)?;
    known_keys(
        declaration,
        at,
        &["items", "id", "error", "cursor", "url", "page", "offset"],
    )?;
    let mut places = Vec::new();
    let items = path(declaration, at, "items", &mut places)?
        .ok_or_else(|| Located::new(at, "`items` is required: the body path of the list"))?;
    let id = match declaration.get("id") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(id)) if !id.is_empty() => {
            places.push(("id", push_token(at, "id")));
            Some(Some(id.clone()))
        }
        Some(_) => {
            return Err(Located::new(
                push_token(at, "id"),
                "`id` names a member of an item (or is null)",
            ));
        }
    };
    let error = match declaration.get("error") {
        None => Vec::new(),
        Some(Value::Array(members)) => (0..members.len())
            .map(|index| {
                let here = push_token(&push_token(at, "error"), &index.to_string());
                member_path(&members[index], &here, &mut places)
            })
            .collect::<Result<_, _>>()?,
        Some(member) => vec![member_path(member, &push_token(at, "error"), &mut places)?],
    };
    let styles: Vec<&str> = STYLES
        .iter()
        .copied()
        .filter(|s| declaration.contains_key(*s))
        .collect();
    let [style] = styles.as_slice() else {
        return Err(Located::new(
            at,
            format!("declare exactly one of {}", STYLES.join(", ")),
        ));
    };
    let here = push_token(at, style);
    let fields = object(&declaration[*style], &here)?;
    let param = |places: &mut Vec<_>| -> Result<String, Located> {
        let param = fields.get("param").and_then(Value::as_str).ok_or_else(|| {
            Located::new(
                &here,
                "`param` is required: the query parameter that takes it",
            )
        })?;
        places.push(("param", push_token(&here, "param")));
        Ok(param.to_owned())
    };
    let style = match *style {
        "cursor" => {
            known_keys(
                fields,
                &here,
                &["param", "link", "field", "lastItem", "more"],
            )?;
            let param = param(&mut places)?;
            let next = match fields.get("lastItem") {
                Some(_) => last_item(fields, &here, &mut places)?,
                None => next(fields, &here, &mut places)?,
            };
            PagingStyle::Cursor { param, next }
        }
        "url" => {
            known_keys(fields, &here, &["link", "field"])?;
            PagingStyle::Url {
                next: next(fields, &here, &mut places)?,
            }
        }
        "page" => {
            known_keys(
                fields,
                &here,
                &["param", "first", "lastPage", "current", "total"],
            )?;
            let first = match fields.get("first") {
                None => 1,
                Some(first) => first.as_u64().ok_or_else(|| {
                    Located::new(push_token(&here, "first"), "`first` is a page number")
                })?,
            };
            PagingStyle::Page {
                param: param(&mut places)?,
                first,
                last_page: path(fields, &here, "lastPage", &mut places)?,
                current: path(fields, &here, "current", &mut places)?,
                total: path(fields, &here, "total", &mut places)?,
            }
        }
        _ => {
            known_keys(fields, &here, &["param", "total"])?;
            PagingStyle::Offset {
                param: param(&mut places)?,
                total: path(fields, &here, "total", &mut places)?,
            }
        }
    };
    Ok(Declared {
        items,
        id,
        error,
        style,
        places,
    })
}

/// One body path of `error`; its place is recorded as `error`.
fn member_path(
    value: &Value,
    at: &str,
    places: &mut Vec<(&'static str, String)>,
) -> Result<FieldPath, Located> {
    let path = value
        .as_str()
        .and_then(field_path)
        .ok_or_else(|| Located::new(at, "expected a body path of member names, e.g. `message`"))?;
    places.push(("error", at.to_owned()));
    Ok(path)
}

/// `lastItem: <member>` with an optional `more: <path>`, alone.
fn last_item(
    fields: &Map<String, Value>,
    at: &str,
    places: &mut Vec<(&'static str, String)>,
) -> Result<Next, Located> {
    if let Some(other) = ["link", "field"]
        .iter()
        .find(|key| fields.contains_key(**key))
    {
        return Err(Located::new(
            push_token(at, other),
            "say where the next cursor is once: `lastItem`, `link` or `field`",
        ));
    }
    let here = push_token(at, "lastItem");
    let member = match fields.get("lastItem") {
        Some(Value::String(member)) if !member.is_empty() && !member.contains('.') => {
            member.clone()
        }
        _ => {
            return Err(Located::new(
                here,
                "`lastItem` names the member of an item that is the next cursor, e.g. `id`",
            ));
        }
    };
    places.push(("lastItem", here));
    let more = path(fields, at, "more", places)?;
    Ok(Next::LastItem { member, more })
}

/// `link: next` or `field: <path>`.
fn next(
    fields: &Map<String, Value>,
    at: &str,
    places: &mut Vec<(&'static str, String)>,
) -> Result<Next, Located> {
    match (fields.get("link"), fields.get("field")) {
        (Some(link), None) => {
            if link.as_str() != Some("next") {
                return Err(Located::new(
                    push_token(at, "link"),
                    "`link` names the relation of the Link header to follow: `next`",
                ));
            }
            places.push(("next", push_token(at, "link")));
            Ok(Next::Link)
        }
        (None, Some(_)) => {
            let field = path(fields, at, "field", places)?.expect("the key is there");
            if let Some((_, pointer)) = places.pop() {
                places.push(("next", pointer));
            }
            Ok(Next::Field(field))
        }
        _ => Err(Located::new(
            at,
            "say where the next page is: `link: next` (the Link header) or `field: <body path>`",
        )),
    }
}

fn object<'a>(value: &'a Value, at: &str) -> Result<&'a Map<String, Value>, Located> {
    value
        .as_object()
        .ok_or_else(|| Located::new(at, "expected an object"))
}

fn known_keys(object: &Map<String, Value>, at: &str, known: &[&str]) -> Result<(), Located> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(Located::new(
            push_token(at, key),
            format!("unknown key `{key}`; known: {}", known.join(", ")),
        )),
        None => Ok(()),
    }
}

/// The body path under `key`, if there is one; its place is recorded under
/// `key` (`items`, `lastPage`, ...).
fn path(
    fields: &Map<String, Value>,
    at: &str,
    key: &'static str,
    places: &mut Vec<(&'static str, String)>,
) -> Result<Option<FieldPath>, Located> {
    let Some(value) = fields.get(key) else {
        return Ok(None);
    };
    let here = push_token(at, key);
    let path = value.as_str().and_then(field_path).ok_or_else(|| {
        Located::new(
            &here,
            "expected a body path of member names, e.g. `meta.last_page` or `$.meta.last_page`",
        )
    })?;
    places.push((key, here));
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(value: Value) -> Result<Declared, Located> {
        parse(&value, "/x", &[])
    }

    #[test]
    fn reads_each_style() {
        let d = parsed(json!({"items": "data", "cursor": {"param": "cursor", "link": "next"}}))
            .unwrap();
        assert_eq!(d.items, ["data"]);
        assert_eq!(d.id, None);
        assert_eq!(
            d.style,
            PagingStyle::Cursor {
                param: "cursor".into(),
                next: Next::Link
            }
        );
        let d = parsed(json!({"items": "$.invoices", "id": "uuid",
            "cursor": {"param": "pageToken", "field": "nextPageToken"}}))
        .unwrap();
        assert_eq!(d.id, Some(Some("uuid".into())));
        assert_eq!(d.place("next"), "/x/cursor/field");
        let d = parsed(
            json!({"items": "data", "cursor": {"param": "starting_after",
            "lastItem": "id", "more": "has_more"}}),
        )
        .unwrap();
        assert_eq!(
            d.style,
            PagingStyle::Cursor {
                param: "starting_after".into(),
                next: Next::LastItem {
                    member: "id".into(),
                    more: Some(vec!["has_more".into()])
                }
            }
        );
        assert_eq!(d.place("lastItem"), "/x/cursor/lastItem");
        assert_eq!(d.place("more"), "/x/cursor/more");
        let d = parsed(
            json!({"items": "data", "error": ["errorType", "error.message"],
            "cursor": {"param": "c", "link": "next"}}),
        )
        .unwrap();
        assert_eq!(
            d.error,
            [
                vec!["errorType".to_owned()],
                vec!["error".into(), "message".into()]
            ]
        );
        let d = parsed(json!({"items": "data", "page": {"param": "page",
            "lastPage": "meta.last_page", "total": "$.meta.total"}}))
        .unwrap();
        assert_eq!(
            d.style,
            PagingStyle::Page {
                param: "page".into(),
                first: 1,
                last_page: Some(vec!["meta".into(), "last_page".into()]),
                current: None,
                total: Some(vec!["meta".into(), "total".into()]),
            }
        );
    }

    #[test]
    fn mistakes_name_their_place() {
        let e = parsed(json!({"items": "data"})).unwrap_err();
        assert_eq!(e.pointer, "/x");
        assert!(e.message.contains("exactly one of"), "{}", e.message);
        let e = parsed(json!({"items": "data[*]", "page": {"param": "p"}})).unwrap_err();
        assert_eq!(e.pointer, "/x/items");
        let e = parsed(json!({"items": "data", "page": {"param": "p", "last": "x"}})).unwrap_err();
        assert_eq!(e.pointer, "/x/page/last");
        let e =
            parsed(json!({"items": "data", "cursor": {"param": "c", "link": "prev"}})).unwrap_err();
        assert_eq!(e.pointer, "/x/cursor/link");
        let e = parsed(json!({"items": "data", "cursor": {"link": "next"}})).unwrap_err();
        assert_eq!(e.pointer, "/x/cursor");
        let e = parsed(
            json!({"items": "data", "cursor": {"param": "c", "lastItem": "id",
            "field": "next"}}),
        )
        .unwrap_err();
        assert_eq!(e.pointer, "/x/cursor/field");
        let e =
            parsed(json!({"items": "data", "cursor": {"param": "c", "lastItem": 3}})).unwrap_err();
        assert_eq!(e.pointer, "/x/cursor/lastItem");
    }
}
