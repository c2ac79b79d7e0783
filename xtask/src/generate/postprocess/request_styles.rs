//! Requests written as the document says, where progenitor writes them its
//! own way (the shape pass recorded where, in [`Wire`]):
//!
//! - query parameters of another style than exploded `form` go through the
//!   runtime's `query::QueryParam` (`created[gte]=1`, `ids=1,2`);
//! - form bodies go through the runtime's `query::form_body`, which writes
//!   nested objects (progenitor's serializer fails on them) in the styles
//!   of the document's `encoding`;
//! - a JSON body of a `+json` media type is sent with that `Content-Type`;
//! - `Accept` names the JSON media types the responses declare.

use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

use super::ClientFacts;
use crate::generate::progenitor_output::{self, BUILDER};
use crate::generate::shape::{Style, Wire};

pub(super) fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<(), String> {
    for_each_send(file, &mut |method, f| {
        let mut rewrite = Rewrite {
            wire: &facts.wire,
            method,
        };
        rewrite.visit_block_mut(&mut f.block);
    });
    Ok(())
}

/// Calls `f` with each builder's `send`/`send_raw` and its method name.
pub(super) fn for_each_send(file: &mut syn::File, f: &mut dyn FnMut(&str, &mut syn::ImplItemFn)) {
    let Some(builder) = progenitor_output::module_mut(&mut file.items, BUILDER) else {
        return;
    };
    for item in builder.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        for item in &mut imp.items {
            let syn::ImplItem::Fn(send) = item else {
                continue;
            };
            if send.sig.ident != "send" && send.sig.ident != "send_raw" {
                continue;
            }
            if let Some(method) = progenitor_output::operation_id(send) {
                f(&method, send);
            }
        }
    }
}

struct Rewrite<'a> {
    wire: &'a Wire,
    method: &'a str,
}

fn runtime_style(style: Style) -> syn::Path {
    let variant = syn::Ident::new(style.runtime_name(), proc_macro2::Span::call_site());
    syn::parse_quote!(invoicing_runtime::query::Style::#variant)
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, expr);
        match expr {
            // `.query(&progenitor_client::QueryParam::new("name", &value))`
            syn::Expr::MethodCall(call) if call.method == "query" => {
                let Some(syn::Expr::Reference(arg)) = call.args.first_mut() else {
                    return;
                };
                let syn::Expr::Call(new) = &*arg.expr else {
                    return;
                };
                if !new
                    .func
                    .to_token_stream()
                    .to_string()
                    .ends_with("QueryParam :: new")
                {
                    return;
                }
                let (Some(syn::Expr::Lit(name)), Some(value)) = (new.args.first(), new.args.get(1))
                else {
                    return;
                };
                let syn::Lit::Str(text) = &name.lit else {
                    return;
                };
                let Some(style) = self
                    .wire
                    .query_styles
                    .get(self.method)
                    .and_then(|styles| styles.get(&text.value()))
                else {
                    return;
                };
                let style = runtime_style(*style);
                *arg.expr = syn::parse_quote!(
                    invoicing_runtime::query::QueryParam::new(#name, #value, #style)
                );
            }
            // `.header(::reqwest::header::ACCEPT, HeaderValue::from_static("application/json"))`
            syn::Expr::MethodCall(call) if call.method == "header" => {
                let Some(accept) = self.wire.accepts.get(self.method) else {
                    return;
                };
                let is_accept = call.args.first().is_some_and(|name| {
                    matches!(name, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ACCEPT"))
                });
                if is_accept && let Some(value) = call.args.iter_mut().nth(1) {
                    *value =
                        syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#accept));
                }
            }
            // `.json(&body)` for a `+json` media type.
            syn::Expr::MethodCall(call) if call.method == "json" => {
                let Some(media) = self.wire.content_types.get(self.method) else {
                    return;
                };
                let receiver = &call.receiver;
                *call.receiver = syn::parse_quote!(#receiver.header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static(#media),
                ));
            }
            // `.form_urlencoded(&body)?`
            syn::Expr::Try(attempt) => {
                let syn::Expr::MethodCall(call) = &*attempt.expr else {
                    return;
                };
                if call.method != "form_urlencoded" {
                    return;
                }
                let Some(styles) = self.wire.form_bodies.get(self.method) else {
                    return;
                };
                let receiver = &call.receiver;
                let body = &call.args;
                let styles = styles.iter().map(|(name, style)| {
                    let style = runtime_style(*style);
                    quote!((#name, #style))
                });
                *expr = syn::parse_quote!(#receiver
                .header(
                    ::reqwest::header::CONTENT_TYPE,
                    ::reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
                )
                .body(
                    invoicing_runtime::query::form_body(#body, &[#(#styles),*])
                        .map_err(|e| Error::InvalidRequest(e.to_string()))?,
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};
    use super::*;

    fn facts() -> ClientFacts {
        let mut wire = Wire::default();
        wire.query_styles
            .entry("list_invoices".into())
            .or_default()
            .insert("created".into(), Style::DeepObject);
        wire.form_bodies.insert(
            "create_invoice".into(),
            [("metadata".to_owned(), Style::DeepObject)].into(),
        );
        wire.content_types.insert(
            "patch_invoice".into(),
            "application/merge-patch+json".into(),
        );
        wire.accepts.insert(
            "patch_invoice".into(),
            "application/hal+json, application/problem+json".into(),
        );
        ClientFacts {
            wire,
            ..ClientFacts::default()
        }
    }

    #[test]
    fn requests_are_written_in_the_documented_styles() {
        let mut file = parse(
            r#"pub mod builder {
                impl<'a> ListInvoices<'a> {
                    pub async fn send(self) -> R {
                        let request = client.get(url)
                            .query(&progenitor_client::QueryParam::new("created", &created))
                            .query(&progenitor_client::QueryParam::new("limit", &limit))
                            .build()?;
                        let info = OperationInfo { operation_id: "list_invoices" };
                    }
                }
                impl<'a> CreateInvoice<'a> {
                    pub async fn send(self) -> R {
                        let request = client.post(url).form_urlencoded(&body)?.build()?;
                        let info = OperationInfo { operation_id: "create_invoice" };
                    }
                }
                impl<'a> PatchInvoice<'a> {
                    pub async fn send(self) -> R {
                        let request = client.patch(url)
                            .header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static("application/json"))
                            .json(&body).build()?;
                        let info = OperationInfo { operation_id: "patch_invoice" };
                    }
                }
            }"#,
        );
        apply(&mut file, &facts()).unwrap();
        let out = render(&file);
        let compact: String = out.split_whitespace().collect();
        for expected in [
            r#"invoicing_runtime::query::QueryParam::new("created",&created,invoicing_runtime::query::Style::DeepObject,)"#,
            r#"progenitor_client::QueryParam::new("limit",&limit)"#,
            r#"invoicing_runtime::query::form_body(&body,&[("metadata",invoicing_runtime::query::Style::DeepObject)],).map_err(|e|Error::InvalidRequest(e.to_string()))?"#,
            r#"::reqwest::header::HeaderValue::from_static("application/merge-patch+json",),).json(&body)"#,
            r#".header(::reqwest::header::ACCEPT,::reqwest::header::HeaderValue::from_static("application/hal+json,application/problem+json",),)"#,
        ] {
            assert!(compact.contains(expected), "{expected} in {out}");
        }
        assert!(!out.contains("form_urlencoded"), "{out}");
    }
}
