//! Idempotency keys in the generated client (run by `client_hooks`):
//! `context()` declares each keyed operation to the runtime, which puts a
//! new key on each call the caller left without one, and each keyed
//! operation's builder gets `.idempotency_key(..)` for the caller's own.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::generate::progenitor_output::{BUILDER, module_mut, operation_id, sends};
use crate::naming::snake_ident;
use crate::spec::idempotency::KeyIn;

/// One `.with_idempotency_key(..)` per keyed operation progenitor generated,
/// under the name its requests carry (`OperationInfo::operation_id`).
pub(super) fn context_calls(file: &syn::File, keyed: &[(String, KeyIn)]) -> Vec<TokenStream> {
    let generated: Vec<String> = sends(file).filter_map(operation_id).collect();
    keyed
        .iter()
        .map(|(id, key)| (snake_ident(id), key))
        .filter(|(name, _)| generated.contains(name))
        .map(|(name, key)| {
            let key = match key {
                KeyIn::Header(header) => quote!(Header(#header)),
                KeyIn::BodyField(field) => quote!(BodyField(#field)),
            };
            quote!(.with_idempotency_key(#name, invoicing_runtime::IdempotencyKey::#key))
        })
        .collect()
}

/// Adds `idempotency_key(impl Into<String>)` to each keyed operation's
/// builder: it sets the header parameter, or the body's member through
/// `body_map`. A builder that already has a method of that name (the setter
/// of a header named `Idempotency-Key`) keeps it.
pub(super) fn builder_methods(file: &mut syn::File, keyed: &[(String, KeyIn)]) {
    let Some(builder) = module_mut(&mut file.items, BUILDER) else {
        return;
    };
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let methods: Vec<String> = imp
            .items
            .iter()
            .filter_map(|i| match i {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        let Some(id) = imp.items.iter().find_map(|i| match i {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => operation_id(f),
            _ => None,
        }) else {
            continue;
        };
        let Some((_, key)) = keyed.iter().find(|(op, _)| snake_ident(op) == id) else {
            continue;
        };
        if methods.iter().any(|m| m == "idempotency_key") {
            continue;
        }
        let method: syn::ImplItem = match key {
            KeyIn::Header(header) => {
                let setter = snake_ident(header);
                if !methods.contains(&setter) {
                    continue;
                }
                let setter = format_ident!("{setter}");
                let doc = format!(
                    "Your own idempotency key for this call, in the `{header}` header (as \
                     `{setter}`); without one the runtime makes a new key per call. Every \
                     attempt carries the same key."
                );
                syn::parse_quote! {
                    #[doc = #doc]
                    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
                        self.#setter(key.into())
                    }
                }
            }
            KeyIn::BodyField(field) => {
                if !methods.iter().any(|m| m == "body_map") {
                    continue;
                }
                let setter = format_ident!("{}", snake_ident(field));
                let doc = format!(
                    "Your own idempotency key for this call, in the body's `{field}` member \
                     (call it after `body`, which replaces the whole body); without one the \
                     runtime makes a new key per call. Every attempt carries the same key."
                );
                syn::parse_quote! {
                    #[doc = #doc]
                    pub fn idempotency_key(self, key: impl Into<String>) -> Self {
                        self.body_map(|body| body.#setter(Some(key.into())))
                    }
                }
            }
        };
        imp.items.push(method);
    }
}
