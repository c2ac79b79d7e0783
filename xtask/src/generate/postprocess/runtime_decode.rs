//! Successful JSON responses of `send()` decode through the runtime.
//!
//! progenitor's `ResponseValue::from_response` reports a body that does not
//! decode with serde's line and column only, and its error's `Display`
//! prints the whole body. `invoicing_runtime::decode_response` names the
//! JSON path of the failing value and quotes about 1 KiB. progenitor has no
//! setting for how `send()` reads a body (`with_conversion` and `with_patch`
//! change types, not decoding), so the call is swapped here.

use super::rewrite_arms;
use crate::generate::progenitor_output::{is_json_body, is_success_arm, send_types};

/// Every `send()` with a JSON success body must have a success arm to
/// swap; `send_raw()` has none left (see `raw_send`).
pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    rewrite_arms(
        file,
        is_success_arm,
        &syn::parse_quote!(invoicing_runtime::decode_response(response).await),
        |send| {
            send.sig.ident == "send"
                && send_types(&send.sig.output).is_some_and(|(ok, _)| is_json_body(ok))
        },
        "no success arm `ResponseValue::from_response(response).await`",
    )
}
