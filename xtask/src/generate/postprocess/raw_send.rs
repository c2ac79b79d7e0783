//! Every JSON operation also gets `send_raw()`: the same request (auth,
//! retries, error decoding) returning the successful body unparsed.
//!
//! Callers that must keep what the vendor sent verbatim (the facade stores
//! each invoice's raw JSON) would otherwise have to re-serialise a typed
//! value, which drops unknown fields and reformats numbers. progenitor has
//! no setting for how `send()` reads a body.

use syn::visit_mut::{self, VisitMut};

use crate::generate::progenitor_output::{
    BUILDER, is_json_body, is_success_arm, module_mut, read_response_parts, send_types,
};

pub(super) fn apply(file: &mut syn::File) {
    let Some(builder) = module_mut(&mut file.items, BUILDER) else {
        return;
    };
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let raw: Vec<syn::ImplItem> = imp
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => {
                    raw_variant(f).map(syn::ImplItem::Fn)
                }
                _ => None,
            })
            .collect();
        imp.items.extend(raw);
    }
}

fn raw_variant(send: &syn::ImplItemFn) -> Option<syn::ImplItemFn> {
    // `Result<ResponseValue<T>, Error<E>>` with a JSON `T` only.
    let (success, error) = send_types(&send.sig.output)?;
    if !is_json_body(success) {
        return None;
    }
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
