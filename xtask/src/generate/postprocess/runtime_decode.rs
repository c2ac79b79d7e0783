//! Successful JSON responses of `send()` decode through the runtime.
//!
//! progenitor's `ResponseValue::from_response` reports a body that does not
//! decode with serde's line and column only, and its error's `Display`
//! prints the whole body. `invoicing_runtime::decode_response` names the
//! JSON path of the failing value and quotes about 1 KiB. progenitor has no
//! setting for how `send()` reads a body (`with_conversion` and `with_patch`
//! change types, not decoding), so the call is swapped here.

use syn::visit_mut::{self, VisitMut};

use super::Tally;
use crate::generate::progenitor_output::{for_each_send, is_json_body, is_success_arm, send_types};

/// Every `send()` with a JSON success body must have a success arm to
/// swap; `send_raw()` has none left (see `raw_send`).
pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut tally = Tally::default();
    for_each_send(file, &mut |operation, send| {
        let mut pass = SuccessArms(0);
        pass.visit_block_mut(&mut send.block);
        let decodes_json = send_types(&send.sig.output).is_some_and(|(ok, _)| is_json_body(ok));
        if send.sig.ident == "send" && decodes_json && pass.0 == 0 {
            tally.missed(
                operation,
                "no success arm `ResponseValue::from_response(response).await` in `send()`",
            );
        }
        tally.rewrote(pass.0);
    });
    tally.finish()
}

/// Counts the arms it rewrote.
struct SuccessArms(usize);

impl VisitMut for SuccessArms {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if is_success_arm(arm) {
            *arm.body = syn::parse_quote!(invoicing_runtime::decode_response(response).await);
            self.0 += 1;
            return;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}
