//! `send()` and `send_raw()` return the runtime's
//! [`invoicing_runtime::Error`], not progenitor's `Error<E>`, and a request
//! is assembled in one place.
//!
//! progenitor's `Error<E>` prints an unexpected response as its `Debug`
//! (URL, status and every header, the runtime's internal attempt count
//! among them) and any failure of the runtime as a generic
//! `Communication Error`: no provider, no operation, no vendor message.
//! Its `Display` is fixed by progenitor (no setting changes it), so each
//! builder keeps progenitor's request code private
//! (`send_raw_progenitor()`, or `send_progenitor()` where there is no
//! `send_raw()`) and gets public methods of the old names that map its
//! error with `invoicing_runtime::Error::from_progenitor_result`, naming
//! the provider and the operation. Where `send_raw()` exists, `send()` is
//! `send_raw()` decoded (`invoicing_runtime::decode_body`): progenitor's
//! own `send` (a second copy of the whole request) is dropped.
//!
//! Runs after `paged_streams` (whose `fetch_page` calls
//! `send_raw_progenitor()` to add the page to the origin itself, and whose
//! `send_raw_to()` copies the progenitor-level `send_raw()`) and after
//! `client_hooks` (which reads progenitor's signatures).

use quote::format_ident;

use crate::generate::progenitor_output::{
    BUILDER, last_ident, module_mut, operation_id, send_types,
};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    private_progenitor_error(file);
    let mut wrapped = 0;
    let Some(builder) = module_mut(&mut file.items, BUILDER) else {
        return Ok(wrapped);
    };
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let position = |imp: &syn::ItemImpl, name: &str| {
            imp.items
                .iter()
                .position(|item| matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == name))
        };
        let (Some(send), raw) = (position(imp, "send"), position(imp, "send_raw")) else {
            continue;
        };
        let mut added = Vec::new();
        match raw {
            Some(raw) if decodes_raw_body(&imp.items[send]) => {
                // `send()` is `send_raw()` decoded: progenitor's request code
                // for it goes, so each request is assembled in one place.
                let syn::ImplItem::Fn(progenitor_send) = imp.items.remove(send) else {
                    unreachable!("found as a function")
                };
                let raw = if raw > send { raw - 1 } else { raw };
                let syn::ImplItem::Fn(send_raw) = &mut imp.items[raw] else {
                    unreachable!("found as a function")
                };
                added.push(wrap(send_raw)?);
                added.push(decoded(&progenitor_send)?);
            }
            _ => {
                for index in [Some(send), raw].into_iter().flatten() {
                    let syn::ImplItem::Fn(f) = &mut imp.items[index] else {
                        unreachable!("found as a function")
                    };
                    added.push(wrap(f)?);
                }
            }
        }
        wrapped += added.len();
        imp.items.extend(added.into_iter().map(syn::ImplItem::Fn));
    }
    Ok(wrapped)
}

/// Whether `send()`'s success is a body `send_raw()` returns whole: not an
/// optional body, which a bodiless success status answers with `None`
/// where `send_raw()` has empty bytes (`empty_success`).
fn decodes_raw_body(send: &syn::ImplItem) -> bool {
    let syn::ImplItem::Fn(send) = send else {
        return false;
    };
    send_types(&send.sig.output)
        .is_some_and(|(success, _)| last_ident(success).as_deref() != Some("Option"))
}

/// progenitor's `pub use progenitor_client::{.., Error, ..}` made private
/// for `Error`: the crate root exports the runtime's `Error` in its place
/// (`crate_files::lib_rs`), and progenitor's code still names its own.
fn private_progenitor_error(file: &mut syn::File) {
    let mut found = false;
    for item in &mut file.items {
        let syn::Item::Use(u) = item else { continue };
        let syn::UseTree::Path(path) = &mut u.tree else {
            continue;
        };
        if path.ident != "progenitor_client" {
            continue;
        }
        let syn::UseTree::Group(group) = &mut *path.tree else {
            continue;
        };
        let before = group.items.len();
        group.items = std::mem::take(&mut group.items)
            .into_iter()
            .filter(|tree| !matches!(tree, syn::UseTree::Name(n) if n.ident == "Error"))
            .collect();
        found |= group.items.len() != before;
    }
    if found {
        file.items.insert(
            0,
            syn::parse_quote!(
                use progenitor_client::Error;
            ),
        );
    }
}

/// The public method replacing `send` or `send_raw`, which becomes private
/// (`<name>_progenitor`).
fn wrap(send: &mut syn::ImplItemFn) -> Result<syn::ImplItemFn, String> {
    let name = send.sig.ident.clone();
    let (success, operation) = facts(send)?;
    let inner = format_ident!("{name}_progenitor");
    let docs: Vec<syn::Attribute> = std::mem::take(&mut send.attrs);
    send.sig.ident = inner.clone();
    send.vis = syn::Visibility::Inherited;
    send.attrs = vec![syn::parse_quote!(
        #[doc = "progenitor's request code, with progenitor's error."]
    )];
    let errors = errors_doc(&operation);
    Ok(syn::parse_quote! {
        #(#docs)*
        #[doc = #errors]
        pub async fn #name(
            self,
        ) -> ::std::result::Result<ResponseValue<#success>, invoicing_runtime::Error> {
            let origin = invoicing_runtime::Origin::new(super::PROVIDER, Some(#operation));
            invoicing_runtime::Error::from_progenitor_result(origin, self.#inner().await).await
        }
    })
}

/// The public `send()` that decodes what `send_raw()` returns, in place of
/// progenitor's `send` (whose docs it keeps).
fn decoded(progenitor_send: &syn::ImplItemFn) -> Result<syn::ImplItemFn, String> {
    let (success, operation) = facts(progenitor_send)?;
    let docs = &progenitor_send.attrs;
    let errors = errors_doc(&operation);
    Ok(syn::parse_quote! {
        #(#docs)*
        #[doc = #errors]
        pub async fn send(
            self,
        ) -> ::std::result::Result<ResponseValue<#success>, invoicing_runtime::Error> {
            let raw = self.send_raw().await?;
            let origin = invoicing_runtime::Origin::new(super::PROVIDER, Some(#operation));
            invoicing_runtime::decode_body(origin, raw)
        }
    })
}

/// A progenitor `send`'s success type and operation id.
fn facts(send: &syn::ImplItemFn) -> Result<(syn::Type, String), String> {
    let name = &send.sig.ident;
    let (success, _) = send_types(&send.sig.output).ok_or_else(|| {
        format!("`{name}()` does not return `Result<ResponseValue<T>, Error<E>>`")
    })?;
    let operation =
        operation_id(send).ok_or_else(|| format!("`{name}()` names no operation id"))?;
    Ok((success.clone(), operation))
}

fn errors_doc(operation: &str) -> String {
    format!(
        "\n\n# Errors\n\nAn [`invoicing_runtime::Error`] naming the provider and \
         `{operation}`, with the vendor's message when its error body has one."
    )
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn send_maps_progenitors_error_to_the_runtimes() {
        let mut file = parse(
            r#"pub mod builder {
                impl<'a> ListInvoices<'a> {
                    /// Sends a `GET` request to `/invoices`
                    pub async fn send(self) -> Result<ResponseValue<types::Page>, Error<types::Error>> {
                        let info = OperationInfo { operation_id: "list_invoices" };
                        todo!()
                    }
                }
            }"#,
        );
        super::apply(&mut file).unwrap();
        let code = render(&file);
        let (inner, public) = code.split_once("pub async fn send(").expect(&code);
        assert!(
            inner.contains("async fn send_progenitor(")
                && inner.contains("Result<ResponseValue<types::Page>, Error<types::Error>>"),
            "{code}"
        );
        assert!(!code.contains("pub async fn send_progenitor"), "{code}");
        assert!(public.contains("invoicing_runtime::Error,"), "{code}");
        assert!(public.contains("self.send_progenitor().await"), "{code}");
        assert!(code.contains("Some(\"list_invoices\")"), "{code}");
        assert!(
            code.contains("/// Sends a `GET` request to `/invoices`"),
            "{code}"
        );
    }

    #[test]
    fn send_is_send_raw_decoded_where_there_is_one() {
        let mut file = parse(
            r#"pub mod builder {
                impl<'a> ListInvoices<'a> {
                    /// Sends a `GET` request to `/invoices`
                    pub async fn send(self) -> Result<ResponseValue<types::Page>, Error<types::Error>> {
                        let info = OperationInfo { operation_id: "list_invoices" };
                        todo!()
                    }
                    /// Raw.
                    pub async fn send_raw(self) -> Result<ResponseValue<::bytes::Bytes>, Error<types::Error>> {
                        let info = OperationInfo { operation_id: "list_invoices" };
                        todo!()
                    }
                }
            }"#,
        );
        super::apply(&mut file).unwrap();
        let code = render(&file);
        assert!(!code.contains("send_progenitor"), "{code}");
        assert!(code.contains("async fn send_raw_progenitor("), "{code}");
        assert_eq!(code.matches("OperationInfo").count(), 1, "{code}");
        let (_, public) = code.split_once("pub async fn send(").expect(&code);
        assert!(
            public.contains("self.send_raw().await?")
                && public.contains("invoicing_runtime::decode_body(origin, raw)"),
            "{code}"
        );
        assert!(
            code.contains("/// Sends a `GET` request to `/invoices`"),
            "{code}"
        );
    }
}
