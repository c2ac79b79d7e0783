//! A documented error status reaches the runtime as the vendor sent it:
//! status, headers and the body's exact bytes.
//!
//! progenitor decodes the body of a documented error status (a 404, a 500)
//! into the spec's error type with `?`, so an HTML page from a proxy or an
//! empty body becomes `InvalidResponsePayload`, which has no status: a
//! caller could no longer tell "not found" from "garbled". And the typed
//! body is of no use to the caller: `send()` returns the runtime's error,
//! which reads the vendor's message from the body itself (from the exact
//! bytes, fields the spec does not list included). So each documented
//! error arm hands the response on unread, as progenitor's catch-all arm
//! does, in one line instead of a decode and a rebuild. progenitor has no
//! setting for how `send()` reads a body.

use super::rewrite_arms;
use crate::generate::progenitor_output::{is_documented_error_arm, is_json_body, send_types};

/// Every `send()` and `send_raw()` whose error type is a JSON body has a
/// documented error arm, which must be rewritten.
pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    rewrite_arms(
        file,
        is_documented_error_arm,
        &syn::parse_quote!(Err(Error::UnexpectedResponse(response))),
        |send| send_types(&send.sig.output).is_some_and(|(_, err)| is_json_body(err)),
        "no documented error arm decoding its error body",
    )
}
