//! Every JSON operation also gets `send_raw()`: the same request (auth,
//! retries, error decoding) returning the successful body unparsed.
//!
//! Callers that must keep what the vendor sent verbatim (the facade stores
//! each invoice's raw JSON) would otherwise have to re-serialise a typed
//! value, which drops unknown fields and reformats numbers. progenitor has
//! no setting for how `send()` reads a body.

use syn::visit_mut::{self, VisitMut};

use super::Tally;
use crate::generate::progenitor_output::{
    BUILDER, is_json_body, is_success_arm, module_mut, operation_id, read_response_parts,
    send_types,
};

/// Every `send()` with a JSON success body must get its `send_raw()`.
pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut tally = Tally::default();
    let Some(builder) = module_mut(&mut file.items, BUILDER) else {
        return tally.finish();
    };
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let mut raw = Vec::new();
        for send in imp.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
            _ => None,
        }) {
            // `Result<ResponseValue<T>, Error<E>>` with a JSON `T` only.
            let Some((success, error)) = send_types(&send.sig.output) else {
                continue;
            };
            if !is_json_body(success) {
                continue;
            }
            match raw_variant(send, error) {
                Some(variant) => raw.push(syn::ImplItem::Fn(variant)),
                None => tally.missed(
                    &operation_id(send).unwrap_or_else(|| "?".to_owned()),
                    "no success arm `ResponseValue::from_response(response).await` in `send()` \
                     to copy into `send_raw()`",
                ),
            }
        }
        tally.rewrote(raw.len());
        imp.items.extend(raw);
    }
    tally.finish()
}

/// `send()` returning the successful body unparsed; `None` when it has no
/// success arm to swap.
fn raw_variant(send: &syn::ImplItemFn, error: &syn::Type) -> Option<syn::ImplItemFn> {
    let mut raw = send.clone();
    raw.sig.ident = syn::Ident::new("send_raw", send.sig.ident.span());
    raw.sig.output = syn::parse_quote!(-> Result<ResponseValue<::bytes::Bytes>, Error<#error>>);
    let doc = "Sends the request like `send`, and returns the successful response's body \
               unparsed (with its status and headers), e.g. to keep the vendor's payload \
               verbatim. Error responses are decoded as `send` decodes them.";
    raw.attrs = vec![syn::parse_quote!(#[doc = #doc])];
    let mut swap = SuccessBody { replaced: 0 };
    swap.visit_block_mut(&mut raw.block);
    (swap.replaced > 0).then_some(raw)
}

/// Replaces `ResponseValue::from_response(response).await` (the success
/// arms; error arms wrap it in `Err(..)`) with the raw body.
struct SuccessBody {
    replaced: usize,
}

impl VisitMut for SuccessBody {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if is_success_arm(arm) {
            let read = read_response_parts();
            *arm.body = syn::parse_quote!({
                #(#read)*
                Ok(ResponseValue::new(body, status, headers))
            });
            self.replaced += 1;
            return;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}
