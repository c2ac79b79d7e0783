//! `send()` and `send_raw()` return the runtime's
//! [`invoicing_runtime::Error`], not progenitor's `Error<E>`.
//!
//! progenitor's `Error<E>` prints an unexpected response as its `Debug`
//! (URL, status and every header, the runtime's internal attempt count
//! among them) and any failure of the runtime as a generic
//! `Communication Error`: no provider, no operation, no vendor message.
//! Its `Display` is fixed by progenitor (no setting changes it), so each
//! builder keeps progenitor's request code as a private
//! `send_progenitor()` / `send_raw_progenitor()` and gets a public method of
//! the old name that maps its error with
//! `invoicing_runtime::Error::from_progenitor`, naming the provider and the
//! operation. The documented error body is read for the vendor's message
//! (`Error::api_message`); its typed value is no longer returned.
//!
//! Runs after `paged_streams` (whose `fetch_page` calls
//! `send_raw_progenitor()` to add the page to the origin itself, and whose
//! `send_raw_to()` copies the progenitor-level `send_raw()`) and after
//! `client_hooks` (which reads progenitor's signatures).

use quote::format_ident;

use crate::progenitor_output::{BUILDER, module_mut, operation_id, send_types};

pub(super) fn apply(file: &mut syn::File) -> Result<(), String> {
    private_progenitor_error(file);
    let Some(builder) = module_mut(&mut file.items, BUILDER) else {
        return Ok(());
    };
    for item in builder {
        let syn::Item::Impl(imp) = item else { continue };
        let mut wrappers = Vec::new();
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.ident != "send" && f.sig.ident != "send_raw" {
                continue;
            }
            wrappers.push(syn::ImplItem::Fn(wrap(f)?));
        }
        imp.items.extend(wrappers);
    }
    Ok(())
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

/// Renames `send` (private, `<name>_progenitor`) and returns the public
/// method that replaces it.
fn wrap(send: &mut syn::ImplItemFn) -> Result<syn::ImplItemFn, String> {
    let name = send.sig.ident.clone();
    let (success, _) = send_types(&send.sig.output).ok_or_else(|| {
        format!("`{name}()` does not return `Result<ResponseValue<T>, Error<E>>`")
    })?;
    let success = success.clone();
    let operation =
        operation_id(send).ok_or_else(|| format!("`{name}()` names no operation id"))?;
    let inner = format_ident!("{name}_progenitor");
    let docs: Vec<syn::Attribute> = std::mem::take(&mut send.attrs);
    send.sig.ident = inner.clone();
    send.vis = syn::Visibility::Inherited;
    send.attrs = vec![syn::parse_quote!(
        #[doc = "progenitor's request code, with progenitor's error."]
    )];
    let errors = format!(
        "\n\n# Errors\n\nAn [`invoicing_runtime::Error`] naming the provider and \
         `{operation}`, with the vendor's message when its error body has one."
    );
    Ok(syn::parse_quote! {
        #(#docs)*
        #[doc = #errors]
        pub async fn #name(
            self,
        ) -> ::std::result::Result<ResponseValue<#success>, invoicing_runtime::Error> {
            match self.#inner().await {
                Ok(value) => Ok(value),
                Err(err) => {
                    let origin = invoicing_runtime::Origin::new(super::PROVIDER, Some(#operation));
                    Err(invoicing_runtime::Error::from_progenitor(origin, err).await)
                }
            }
        }
    })
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
}
