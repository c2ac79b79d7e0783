//! Successful JSON responses decode through the runtime.
//!
//! progenitor's `ResponseValue::from_response` reports a body that does not
//! decode with serde's line and column only, and its error's `Display`
//! prints the whole body. `invoicing_runtime::decode_response` names the
//! JSON path of the failing value and quotes about 1 KiB. No progenitor
//! setting replaces the decoding of a response (`with_conversion` and
//! `with_patch` change types, not how bodies are read), so the call is
//! swapped here.

use syn::visit_mut::{self, VisitMut};

pub fn apply(file: &mut syn::File) {
    SuccessArms.visit_file_mut(file);
}

struct SuccessArms;

impl VisitMut for SuccessArms {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if super::arm_body_text(arm) == "ResponseValue::from_response(response).await" {
            *arm.body = syn::parse_quote!(invoicing_runtime::decode_response(response).await);
            return;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn success_arms_decode_through_the_runtime() {
        let mut file = parse(
            r#"async fn send() {
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    204u16 => Ok(ResponseValue::empty(response)),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }"#,
        );
        super::apply(&mut file);
        let out = render(&file);
        assert!(
            out.contains("200u16 => invoicing_runtime::decode_response(response).await,"),
            "{out}"
        );
        assert!(out.contains("Ok(ResponseValue::empty(response))"), "{out}");
        assert!(!out.contains("from_response"), "{out}");
    }
}
