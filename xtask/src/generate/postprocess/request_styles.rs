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

use super::{ClientFacts, Tally};
use crate::generate::progenitor_output::for_each_send;
use crate::generate::shape::{ParamStyle, Wire};

/// Everything [`Wire`] records for an operation must be found in its
/// `send()` and rewritten.
pub(super) fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<usize, String> {
    let mut tally = Tally::default();
    for_each_send(file, &mut |method, f| {
        let mut rewrite = Rewrite {
            wire: &facts.wire,
            method,
            done: Done::default(),
        };
        rewrite.visit_block_mut(&mut f.block);
        let done = rewrite.done;
        let wire = &facts.wire;
        for name in wire
            .query_styles
            .get(method)
            .into_iter()
            .flat_map(|s| s.keys())
        {
            if !done.query.contains(name) {
                tally.missed(
                    method,
                    format!("no `QueryParam::new({name:?}, ..)` in `send()`"),
                );
            }
        }
        if wire.accepts.contains_key(method) && !done.accept {
            tally.missed(method, "no `Accept` header set in `send()`");
        }
        if wire.content_types.contains_key(method) && !done.json {
            tally.missed(method, "no `.json(..)` body in `send()`");
        }
        if wire.form_bodies.contains_key(method) && !done.form {
            tally.missed(method, "no `.form_urlencoded(..)?` body in `send()`");
        }
        tally.rewrote(
            done.query.len()
                + [done.accept, done.json, done.form]
                    .iter()
                    .filter(|d| **d)
                    .count(),
        );
    });
    tally.finish()
}

/// What the rewrite found in one `send()`.
#[derive(Default)]
struct Done {
    query: std::collections::BTreeSet<String>,
    accept: bool,
    json: bool,
    form: bool,
}

struct Rewrite<'a> {
    wire: &'a Wire,
    method: &'a str,
    done: Done,
}

fn runtime_style(style: ParamStyle) -> syn::Path {
    let variant = syn::Ident::new(style.runtime_name(), proc_macro2::Span::call_site());
    syn::parse_quote!(invoicing_runtime::query::ParamStyle::#variant)
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
                let rewritten = text.value();
                *arg.expr = syn::parse_quote!(
                    invoicing_runtime::query::QueryParam::new(#name, #value, #style)
                );
                self.done.query.insert(rewritten);
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
                    self.done.accept = true;
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
                self.done.json = true;
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
                self.done.form = true;
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
            .insert("created".into(), ParamStyle::DeepObject);
        wire.form_bodies.insert(
            "create_invoice".into(),
            [("metadata".to_owned(), ParamStyle::DeepObject)].into(),
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
            r#"invoicing_runtime::query::QueryParam::new("created",&created,invoicing_runtime::query::ParamStyle::DeepObject,)"#,
            r#"progenitor_client::QueryParam::new("limit",&limit)"#,
            r#"invoicing_runtime::query::form_body(&body,&[("metadata",invoicing_runtime::query::ParamStyle::DeepObject,),],).map_err(|e|Error::InvalidRequest(e.to_string()))?"#,
            r#"::reqwest::header::HeaderValue::from_static("application/merge-patch+json",),).json(&body)"#,
            r#".header(::reqwest::header::ACCEPT,::reqwest::header::HeaderValue::from_static("application/hal+json,application/problem+json",),)"#,
        ] {
            assert!(compact.contains(expected), "{expected} in {out}");
        }
        assert!(!out.contains("form_urlencoded"), "{out}");
    }
}
