//! How list operations page, declared in the spec (or its overlay) and read
//! here, so the generator can give each one `.stream()`.
//!
//! Two forms are read, per operation:
//!
//! - ours, `x-pagination` (see [`ours`]):
//!
//!   ```yaml
//!   x-pagination:
//!     items: data                # the list in the 200 JSON body
//!     id: id                     # each item's id (default: `id`, if items have one)
//!     error: message             # a 200 with this member is the vendor's error
//!     cursor: { param: cursor, link: next }     # Link header, rel="next"
//!     # cursor: { param: pageToken, field: nextPageToken }
//!     # cursor: { param: starting_after, lastItem: id, more: has_more }
//!     # url: { field: links.next }   or   url: { link: next }
//!     # page: { param: page, first: 1, lastPage: meta.last_page,
//!     #         current: meta.current_page, total: meta.total }
//!     # offset: { param: offset, total: meta.total }
//!   ```
//!
//! - Speakeasy's `x-speakeasy-pagination` (see [`speakeasy`]): `offsetLimit`
//!   with a `page` or `offset` input, `cursor`, and `url`, so a vendor
//!   document that already carries it needs no overlay.
//!
//! Every name in a declaration is checked against the operation (`check`):
//! a parameter or field that does not exist, or whose type cannot carry what
//! the declaration says, is an error naming its JSON pointer.

mod check;
pub mod docs;
pub mod ours;
pub mod speakeasy;

use serde_json::Value;

use crate::spec::error::{Located, SpecError, push_token};
use crate::spec::files::{self, Input};
use crate::spec::refs;

/// The extension holding our declaration.
pub const OURS: &str = "x-pagination";
/// Speakeasy's extension.
pub const SPEAKEASY: &str = "x-speakeasy-pagination";

/// A JSON body path, as member names from the root (`meta.last_page`).
pub type FieldPath = Vec<String>;

/// One paged operation, checked against the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagedOperation {
    /// The spec's `operationId`.
    pub operation_id: String,
    /// The operation's path template (`/invoices`).
    pub path: String,
    /// Where the declaration is (a JSON pointer), for errors.
    pub pointer: String,
    /// The list of items in the 200 JSON body.
    pub items: FieldPath,
    /// The member of an item that identifies it, for exactly-once delivery.
    pub id: Option<String>,
    /// Members of the vendor's error body: a `200` page carrying one is the
    /// vendor's error, not a page.
    pub error: Vec<FieldPath>,
    /// How the next page is found.
    pub style: PagingStyle,
}

/// How the next page is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingStyle {
    /// An opaque cursor passed back in query parameter `param`.
    Cursor {
        /// The query parameter.
        param: String,
        /// Where the next cursor is.
        next: Next,
    },
    /// The next page's URL, followed as received.
    Url {
        /// Where the URL is.
        next: Next,
    },
    /// Page numbers in query parameter `param`.
    Page {
        /// The query parameter.
        param: String,
        /// The first page's number.
        first: u64,
        /// The number of the last page, in the body.
        last_page: Option<FieldPath>,
        /// The number of this page, in the body.
        current: Option<FieldPath>,
        /// The number of items in the whole list, in the body.
        total: Option<FieldPath>,
    },
    /// Offsets in query parameter `param`.
    Offset {
        /// The query parameter.
        param: String,
        /// The number of items in the whole list, in the body.
        total: Option<FieldPath>,
    },
}

impl PagingStyle {
    /// How the style finds the next page, in a few words for docs.
    pub fn describe(&self) -> String {
        match self {
            PagingStyle::Cursor {
                param,
                next: Next::Link,
            } => format!(
                "the cursor `{param}` of the `Link` header's `next` link, passed back as received"
            ),
            PagingStyle::Cursor {
                param,
                next: Next::Field(path),
            } => format!("`{param}`, from `{}` of each page", path_text(path)),
            PagingStyle::Cursor {
                param,
                next: Next::LastItem { member, more },
            } => format!(
                "`{param}`, the `{member}` of each page's last item{}",
                more.as_ref()
                    .map(|more| format!(" while `{}`", path_text(more)))
                    .unwrap_or_else(|| ", until an empty page".to_owned())
            ),
            PagingStyle::Url { next: Next::Link } => "the `Link` header's `next` URL".to_owned(),
            PagingStyle::Url {
                next: Next::LastItem { member, .. },
            } => format!("the URL in `{member}` of each page's last item"),
            PagingStyle::Url {
                next: Next::Field(path),
            } => format!("the URL in `{}` of each page", path_text(path)),
            PagingStyle::Page {
                param, last_page, ..
            } => format!(
                "page number (`{param}`){}",
                last_page
                    .as_ref()
                    .map(|p| format!(" up to `{}`", path_text(p)))
                    .unwrap_or_default()
            ),
            PagingStyle::Offset { param, .. } => format!("offset (`{param}`)"),
        }
    }

    /// The query parameter the style sets, if any.
    pub fn param(&self) -> Option<&str> {
        match self {
            PagingStyle::Cursor { param, .. }
            | PagingStyle::Page { param, .. }
            | PagingStyle::Offset { param, .. } => Some(param),
            PagingStyle::Url { .. } => None,
        }
    }
}

/// Where a cursor or URL for the next page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The `Link` response header's link with relation `next` (RFC 8288):
    /// its URL, or for a cursor the cursor parameter in that URL.
    Link,
    /// A field of the body.
    Field(FieldPath),
    /// Member `member` of the page's last item (its id, as Stripe's
    /// `starting_after` takes it), while the boolean body field `more`
    /// says more items follow (without `more`: until an empty page).
    LastItem {
        /// The member of an item.
        member: String,
        /// The flag, in the body.
        more: Option<FieldPath>,
    },
}

/// What [`read`] found in a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// Every paged operation, in document order.
    pub operations: Vec<PagedOperation>,
    /// The vendor's `x-speakeasy-pagination` declarations a stream cannot
    /// be built from, at their pointers: those operations get no stream,
    /// and the rest of the document still generates. Ours (`x-pagination`,
    /// written for this generator) must fit, or the document is refused.
    pub unused: Vec<Located>,
}

/// Every paged operation in `doc` (after overlay and normalisation), in
/// document order.
///
/// # Errors
/// The first `x-pagination` declaration that does not parse or does not
/// fit its operation, at its JSON pointer.
pub fn read(doc: &Value) -> Result<Paging, Located> {
    let mut found = Paging::default();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(found);
    };
    for (path, item) in paths {
        let item_at = push_token("/paths", path);
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let at = push_token(&item_at, method);
            let declared = [(OURS, ours::parse as Parser), (SPEAKEASY, speakeasy::parse)]
                .into_iter()
                .filter_map(|(key, parse)| Some((key, op.get(key)?, parse)))
                .collect::<Vec<_>>();
            let [(key, declaration, parse)] = declared.as_slice() else {
                if declared.len() > 1 {
                    return Err(Located::new(
                        push_token(&at, SPEAKEASY),
                        format!("the operation declares both {OURS} and {SPEAKEASY}; keep one"),
                    ));
                }
                continue;
            };
            let parameters = parameters(doc, item.get("parameters"), op.get("parameters"));
            match operation(doc, op, &at, key, declaration, *parse, &parameters) {
                Ok(mut checked) => {
                    checked.path = path.clone();
                    found.operations.push(checked);
                }
                Err(problem) if *key == SPEAKEASY => found.unused.push(problem),
                Err(problem) => return Err(problem),
            }
        }
    }
    Ok(found)
}

/// The operation `op` at `at`, paged as its `declaration` under `key`
/// says, checked against it.
fn operation(
    doc: &Value,
    op: &Value,
    at: &str,
    key: &str,
    declaration: &Value,
    parse: Parser,
    parameters: &[&Value],
) -> Result<PagedOperation, Located> {
    let operation_id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| Located::new(at, "a paged operation needs an `operationId`"))?;
    let pointer = push_token(at, key);
    let declared = parse(declaration, &pointer, parameters)?;
    check::operation(doc, op, parameters, operation_id, pointer, declared)
}

type Parser = fn(&Value, &str, &[&Value]) -> Result<Declared, Located>;

/// A declaration as written, before it is checked against its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The items path.
    pub items: FieldPath,
    /// The id member: `None` when not written (then `id` if items have
    /// one), `Some(None)` when items have none.
    pub id: Option<Option<String>>,
    /// The vendor's error members.
    pub error: Vec<FieldPath>,
    /// The style.
    pub style: PagingStyle,
    /// Where each name of the declaration is, for errors: `(what, pointer)`
    /// with `what` one of `items`, `id`, `param`, `next`, `lastPage`,
    /// `current`, `total`.
    pub places: Vec<(&'static str, String)>,
}

impl Declared {
    fn place(&self, what: &str) -> &str {
        self.places
            .iter()
            .find(|(name, _)| *name == what)
            .map_or("", |(_, pointer)| pointer.as_str())
    }
}

/// The parameters of an operation: its own, then its path item's that it
/// does not override, each resolved.
fn parameters<'a>(
    doc: &'a Value,
    item: Option<&'a Value>,
    op: Option<&'a Value>,
) -> Vec<&'a Value> {
    let resolved = |list: Option<&'a Value>| -> Vec<&'a Value> {
        list.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| resolve(doc, p))
            .collect()
    };
    let mut all = resolved(op);
    for inherited in resolved(item) {
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
        if !all.iter().any(|p| key(p) == key(inherited)) {
            all.push(inherited);
        }
    }
    all
}

/// `value`, or what its `$ref` chain ends at.
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> Option<&'a Value> {
    // A bound on the chain: the validate pass rejects dangling references,
    // not loops.
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => value = refs::resolve(doc, reference)?,
            None => return Some(value),
        }
    }
    None
}

/// A problem with a declaration, in the file that declares it: the spec,
/// or (when the vendor's document has no declaration there) the overlay.
/// The pointer is into the document after the overlay.
pub fn in_file(problem: Located, spec: &Input, overlay: Option<&Input>) -> SpecError {
    files::declared_in_file(problem, &[OURS, SPEAKEASY], spec, overlay)
}

/// Reads `$.a.b` or `a.b` into member names.
fn field_path(text: &str) -> Option<FieldPath> {
    let text = text.strip_prefix("$.").unwrap_or(text);
    let members: FieldPath = text.split('.').map(str::to_owned).collect();
    let plain = |m: &String| !m.is_empty() && !m.contains(['[', ']', '*', '$', '@', '(', ')']);
    members.iter().all(plain).then_some(members)
}

/// The text of a path, for messages.
pub fn path_text(path: &[String]) -> String {
    path.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document with one list operation declaring `pagination`.
    fn doc(pagination: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/invoices": {
                "parameters": [{"name": "per_page", "in": "query", "schema": {"type": "integer"}}],
                "get": {
                "operationId": "listInvoices",
                "parameters": [
                    {"$ref": "#/components/parameters/Page"},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/InvoicePage"}}}},
                    "401": {"content": {"application/json": {"schema": {
                        "type": "object", "properties": {"detail": {"type": "string"}}}}}}
                },
                "x-pagination": pagination
            }}},
            "components": {
                "parameters": {"Page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}},
                "schemas": {
                    "InvoicePage": {"allOf": [
                        {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Invoice"}}}},
                        {"type": "object", "properties": {"meta": {"type": "object", "properties": {
                            "last_page": {"type": "integer"}, "total": {"type": "integer"}, "path": {"type": "string"}}}}}
                    ]},
                    "Invoice": {"type": "object", "properties": {"id": {"type": "string"}, "number": {"type": "string"}}}
                }
            }
        })
    }

    fn read_one(pagination: Value) -> Result<PagedOperation, Located> {
        read(&doc(pagination)).map(|mut all| all.operations.remove(0))
    }

    #[test]
    fn a_vendor_declaration_no_stream_can_be_built_from_is_unused_not_refused() {
        let mut d = doc(json!({}));
        let op = d.pointer_mut("/paths/~1invoices/get").unwrap();
        op.as_object_mut().unwrap().remove(OURS);
        // Mollie's form: a next URL, but no list named.
        op[SPEAKEASY] = json!({"type": "url", "outputs": {"nextUrl": "$._links.next.href"}});
        let paging = read(&d).unwrap();
        assert!(paging.operations.is_empty());
        let pointers: Vec<_> = paging.unused.iter().map(|u| u.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/paths/~1invoices/get/x-speakeasy-pagination/outputs"]
        );
        // Ours, written for this generator, must fit.
        assert!(read_one(json!({"page": {"param": "page"}})).is_err());
    }

    #[test]
    fn a_declaration_that_fits_its_operation_is_read() {
        let op = read_one(json!({"items": "data", "page": {"param": "page",
            "lastPage": "meta.last_page", "total": "meta.total"}}))
        .unwrap();
        assert_eq!(op.operation_id, "listInvoices");
        assert_eq!(op.pointer, "/paths/~1invoices/get/x-pagination");
        assert_eq!(op.id.as_deref(), Some("id"), "`id` by default");
        let op = read_one(
            json!({"items": "data", "id": null, "cursor": {"param": "cursor", "link": "next"}}),
        )
        .unwrap();
        assert_eq!(op.id, None);
        let op =
            read_one(json!({"items": "data", "cursor": {"param": "cursor", "lastItem": "id"}}))
                .unwrap();
        assert_eq!(
            op.style.describe(),
            "`cursor`, the `id` of each page's last item, until an empty page"
        );
        let op = read_one(json!({"items": "data", "offset": {"param": "per_page"}})).unwrap();
        assert_eq!(
            op.style.param(),
            Some("per_page"),
            "path-item parameters count"
        );
    }

    #[test]
    fn names_that_do_not_exist_or_cannot_carry_it_are_errors_at_their_place() {
        let cases = [
            (
                json!({"items": "data", "page": {"param": "pages"}}),
                "/paths/~1invoices/get/x-pagination/page/param",
                "no query parameter `pages` (it has: page, cursor, per_page)",
            ),
            (
                json!({"items": "data", "page": {"param": "cursor"}}),
                "/paths/~1invoices/get/x-pagination/page/param",
                "`parameter cursor` is of type string, which cannot carry this: expected integer",
            ),
            (
                json!({"items": "invoices", "page": {"param": "page"}}),
                "/paths/~1invoices/get/x-pagination/items",
                "the body has no member `invoices` (it has: data, meta)",
            ),
            (
                json!({"items": "meta", "page": {"param": "page"}}),
                "/paths/~1invoices/get/x-pagination/items",
                "`meta` is not an array",
            ),
            (
                json!({"items": "data", "page": {"param": "page", "lastPage": "meta.last"}}),
                "/paths/~1invoices/get/x-pagination/page/lastPage",
                "`meta` has no member `last` (it has: last_page, total, path)",
            ),
            (
                json!({"items": "data", "page": {"param": "page", "total": "meta.path"}}),
                "/paths/~1invoices/get/x-pagination/page/total",
                "of type string",
            ),
            (
                json!({"items": "data", "id": "uuid", "page": {"param": "page"}}),
                "/paths/~1invoices/get/x-pagination/id",
                "no member `uuid`",
            ),
            (
                json!({"items": "data", "cursor": {"param": "cursor", "field": "meta.total"}}),
                "/paths/~1invoices/get/x-pagination/cursor/field",
                "expected string",
            ),
            (
                json!({"items": "data", "cursor": {"param": "cursor", "lastItem": "uuid"}}),
                "/paths/~1invoices/get/x-pagination/cursor/lastItem",
                "an item: the body has no member `uuid` (it has: id, number)",
            ),
            (
                json!({"items": "data", "cursor": {"param": "cursor", "lastItem": "id", "more": "meta.total"}}),
                "/paths/~1invoices/get/x-pagination/cursor/more",
                "expected boolean",
            ),
            (
                json!({"items": "data", "error": ["detail", "message"], "page": {"param": "page"}}),
                "/paths/~1invoices/get/x-pagination/error/1",
                "no documented error response of the operation has `message`",
            ),
        ];
        for (pagination, pointer, message) in cases {
            let e = read_one(pagination.clone()).unwrap_err();
            assert_eq!(e.pointer, pointer, "{pagination}: {}", e.message);
            assert!(e.message.contains(message), "{pagination}: {}", e.message);
        }
    }

    #[test]
    fn both_forms_on_one_operation_is_an_error() {
        let mut d = doc(json!({"items": "data", "page": {"param": "page"}}));
        d["paths"]["/invoices"]["get"][SPEAKEASY] = json!({"type": "url"});
        let e = read(&d).unwrap_err();
        assert!(e.message.contains("both"), "{}", e.message);
    }
}
