//! JSON numbers stay exact.
//!
//! typify maps `type: number` to `f64`, which turns `675.65` into the nearest
//! binary fraction. Response types use `invoicing_runtime::Number`, which
//! keeps the text the vendor sent. Operation parameters (what we send) keep
//! `f64`: query strings need no exactness beyond what the caller typed.
//!
//! Not `with_conversion` for `type: number`: it would change parameters too,
//! and miss numbers with bounds, `multipleOf` or `nullable` (a conversion
//! matches one exact schema).

use syn::visit_mut::{self, VisitMut};

use crate::progenitor_output::{TYPES, module_mut};

pub(super) fn apply(file: &mut syn::File) {
    if let Some(items) = module_mut(&mut file.items, TYPES) {
        for item in items {
            Numbers.visit_item_mut(item);
        }
    }
}

struct Numbers;

impl VisitMut for Numbers {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(p) = ty
            && p.qself.is_none()
            && p.path.is_ident("f64")
        {
            *ty = syn::parse_quote!(::invoicing_runtime::Number);
            return;
        }
        visit_mut::visit_type_mut(self, ty);
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
        super::apply(&mut file);
        let out = render(&file);
        assert!(
            out.contains("pub amount: ::invoicing_runtime::Number"),
            "{out}"
        );
        assert!(out.contains("Option<::invoicing_runtime::Number>"), "{out}");
        assert!(out.contains("Result<Option<f64>, String>"), "{out}");
    }
}
