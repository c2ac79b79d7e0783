//! JSON numbers stay exact.
//!
//! typify maps `type: number` to `f64` (`f32` with `format: float`), which
//! turns `675.65` into the nearest binary fraction. Response types use
//! `invoicing_runtime::Number`, which keeps the text the vendor sent.
//! Operation parameters (what we send) keep `f64`: query strings need no
//! exactness beyond what the caller typed.
//!
//! typify writes a number's `default` and `enum` values as float literals
//! (`1.5_f64`); in the types they become `Number`s of the same text.
//!
//! Not `with_conversion` for `type: number`: it would change parameters too,
//! and miss numbers with bounds, `multipleOf` or `nullable` (a conversion
//! matches one exact schema).

use syn::visit_mut::{self, VisitMut};

use crate::generate::progenitor_output::{TYPES, module_mut};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = Numbers(0);
    if let Some(items) = module_mut(&mut file.items, TYPES) {
        for item in items {
            pass.visit_item_mut(item);
        }
    }
    Ok(pass.0)
}

/// Counts the types and literals it rewrote.
struct Numbers(usize);

/// The float types typify uses for `type: number`.
const FLOATS: &[&str] = &["f64", "f32"];

impl VisitMut for Numbers {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(p) = ty
            && p.qself.is_none()
            && FLOATS.iter().any(|f| p.path.is_ident(f))
        {
            *ty = syn::parse_quote!(::invoicing_runtime::Number);
            self.0 += 1;
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        let digits = match expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Float(f),
                ..
            }) if FLOATS.contains(&f.suffix()) => f.base10_digits().to_owned(),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) if FLOATS.contains(&i.suffix()) => i.base10_digits().to_owned(),
            _ => return visit_mut::visit_expr_mut(self, expr),
        };
        // Literal digits are a JSON number, so the parse cannot fail; no
        // `Number` constructor is infallible for a fraction.
        *expr = syn::parse_quote!(
            #digits
                .parse::<::invoicing_runtime::Number>()
                .expect("a number literal is a JSON number")
        );
        self.0 += 1;
    }

    /// `vec![1.5_f64]`: a macro's arguments are tokens, not expressions.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        type Args = syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>;
        if !mac.path.is_ident("vec") {
            return;
        }
        if let Ok(mut args) = mac.parse_body_with(Args::parse_terminated) {
            for arg in args.iter_mut() {
                self.visit_expr_mut(arg);
            }
            mac.tokens = quote::quote!(#args);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn floats_in_types_become_exact_numbers_and_parameters_stay() {
        let mut file = parse(
            "pub mod types { pub struct A { pub amount: f64, pub tax: Option<f64> } } \
             pub mod builder { pub struct Q { min: Result<Option<f64>, String> } }",
        );
        super::apply(&mut file).unwrap();
        let out = render(&file);
        assert!(
            out.contains("pub amount: ::invoicing_runtime::Number"),
            "{out}"
        );
        assert!(out.contains("Option<::invoicing_runtime::Number>"), "{out}");
        assert!(out.contains("Result<Option<f64>, String>"), "{out}");
    }

    #[test]
    fn float_literals_in_types_become_numbers_of_the_same_text() {
        // typify's defaults and enum values for `type: number`.
        let mut file = parse(
            "pub mod types { \
               pub struct A { pub rate: f32 } \
               pub mod defaults { pub(super) fn a_rate() -> f64 { 1.5_f64 } \
                 pub(super) fn a_list() -> Vec<f64> { vec![0_f64, 2.5e3_f32] } } \
               fn check(value: f64) -> bool { [1.25_f64].contains(&value) } } \
             pub mod builder { fn limit() -> f64 { 10_f64 } }",
        );
        super::apply(&mut file).unwrap();
        let out: String = render(&file).split_whitespace().collect();
        assert!(out.contains("pubrate:::invoicing_runtime::Number"), "{out}");
        let number = |text: &str| {
            format!(
                "\"{text}\".parse::<::invoicing_runtime::Number>().expect(\"anumberliteralisaJSONnumber\")"
            )
        };
        assert!(
            out.contains(&format!(
                "->::invoicing_runtime::Number{{{}}}",
                number("1.5")
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!("vec![{},{}]", number("0"), number("2.5e3"))),
            "{out}"
        );
        assert!(out.contains(&format!("[{}", number("1.25"))), "{out}");
        // What we send is left alone.
        assert!(out.contains("fnlimit()->f64{10_f64}"), "{out}");
    }
}
