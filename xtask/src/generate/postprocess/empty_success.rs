//! A success status documented without a body beside one with a JSON body:
//! the shape pass made the success type optional and hid the bodiless
//! status from progenitor (which takes one type per class); here its arm
//! comes back, answering `None` (and empty bytes from `send_raw`), so the
//! status is a success, not an unexpected response.

use syn::visit_mut::VisitMut;

use super::{ClientFacts, Tally};
use crate::generate::progenitor_output::for_each_send;

/// Each `send()` and `send_raw()` of an operation with an empty success
/// status must have its status match to add the arms to.
pub(super) fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<usize, String> {
    let mut tally = Tally::default();
    for_each_send(file, &mut |method, send| {
        let Some(codes) = facts.wire.empty_success.get(method) else {
            return;
        };
        let empty: syn::Expr = if send.sig.ident == "send_raw" {
            syn::parse_quote!(::bytes::Bytes::new())
        } else {
            syn::parse_quote!(None)
        };
        let mut pass = StatusMatch {
            codes,
            empty,
            matches: 0,
        };
        pass.visit_block_mut(&mut send.block);
        if pass.matches == 0 {
            tally.missed(
                method,
                format!("no match on the response status in `{}()`", send.sig.ident),
            );
        }
        tally.rewrote(pass.matches);
    });
    tally.finish()
}

struct StatusMatch<'a> {
    codes: &'a [u16],
    empty: syn::Expr,
    /// How many status matches it added arms to.
    matches: usize,
}

impl VisitMut for StatusMatch<'_> {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        // `match response.status().as_u16() { ... }`
        let syn::Expr::MethodCall(as_u16) = &*m.expr else {
            return;
        };
        let syn::Expr::MethodCall(status) = &*as_u16.receiver else {
            return;
        };
        if as_u16.method != "as_u16" || status.method != "status" {
            return;
        }
        let response = &status.receiver;
        let empty = &self.empty;
        self.matches += 1;
        for (i, code) in self.codes.iter().enumerate() {
            let code = syn::LitInt::new(&format!("{code}u16"), proc_macro2::Span::call_site());
            m.arms.insert(
                i,
                syn::parse_quote!(#code => Ok(ResponseValue::new(
                    #empty,
                    #response.status(),
                    #response.headers().clone(),
                )),),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};
    use super::*;

    #[test]
    fn bodiless_successes_answer_none() {
        let mut facts = ClientFacts::default();
        facts
            .wire
            .empty_success
            .insert("delete_invoice".into(), vec![204]);
        let mut file = parse(
            r#"pub mod builder {
                impl<'a> DeleteInvoice<'a> {
                    pub async fn send(self) -> R {
                        let info = OperationInfo { operation_id: "delete_invoice" };
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                    pub async fn send_raw(self) -> R {
                        let info = OperationInfo { operation_id: "delete_invoice" };
                        match response.status().as_u16() {
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }"#,
        );
        apply(&mut file, &facts).unwrap();
        let out = render(&file);
        let compact: String = out.split_whitespace().collect();
        assert!(compact.contains("204u16=>{Ok(ResponseValue::new(None,response.status(),response.headers().clone(),),)}200u16"), "{out}");
        assert!(compact.contains("204u16=>{Ok(ResponseValue::new(::bytes::Bytes::new(),response.status(),response.headers().clone(),),)}_=>"), "{out}");
    }
}
