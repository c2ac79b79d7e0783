//! Successful JSON responses of `send()` decode through the runtime.
//!
//! progenitor's `ResponseValue::from_response` reports a body that does not
//! decode with serde's line and column only, and its error's `Display`
//! prints the whole body. `invoicing_runtime::decode_response` names the
//! JSON path of the failing value and quotes about 1 KiB. progenitor has no
//! setting for how `send()` reads a body (`with_conversion` and `with_patch`
//! change types, not decoding), so the call is swapped here.

use syn::visit_mut::{self, VisitMut};

use crate::generate::progenitor_output::is_success_arm;

pub(super) fn apply(file: &mut syn::File) {
    SuccessArms.visit_file_mut(file);
}

struct SuccessArms;

impl VisitMut for SuccessArms {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if is_success_arm(arm) {
            *arm.body = syn::parse_quote!(invoicing_runtime::decode_response(response).await);
            return;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}
