//! Requests are checked before they are sent: each path, query and header
//! parameter's setter checks the value against its schema's constraints
//! ([`crate::spec::parameters`]) with `invoicing_runtime::constraints`.
//!
//! progenitor's setters only convert the value to the parameter's type, and
//! typify's types keep few constraints: `minimum: 1` becomes `NonZeroU64`
//! and any `maximum` is dropped (typify issue #975; bounded integers are
//! typify PR #987, unreleased), formats such as `email` are plain `String`s,
//! and a pattern or length becomes a newtype whose error the setter throws
//! away (`conversion to .. failed`). No setting changes either. So the
//! setter's stored `Result` gets `.and_then(|value| CONSTRAINTS.check(..))`:
//! a broken constraint is kept as the error `send()` returns
//! (`Error::InvalidRequest`, naming the parameter, the value and the bound)
//! before any request is built.
//!
//! A checked parameter's type is the plain one the check works on: `u64`
//! instead of `NonZeroU64`, and `String` instead of a constrained string
//! newtype (which still converts into it), so `page_size(0)` gets the
//! check's message rather than a failed conversion. Its conversion message
//! names the parameter and that type.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};

use super::ClientFacts;
use crate::generate::progenitor_output::{
    BUILDER, TYPES, builder_return, inherent_impls, is_conversion_message, last_ident, module,
    module_mut, public_fns, setter_assignment, unwrap_type,
};
use crate::naming::snake_ident;
use crate::spec::parameters::{Bound, Constraints, Limit, ParameterConstraints, format_variant};

pub(super) fn apply(file: &mut syn::File, facts: &ClientFacts) -> Result<usize, String> {
    let mut checked = 0;
    let builders: BTreeMap<String, String> = inherent_impls(&file.items, "Client")
        .flat_map(public_fns)
        .filter_map(|f| Some((f.sig.ident.to_string(), builder_return(&f.sig.output)?)))
        .collect();
    let newtypes = string_newtypes(module(&file.items, TYPES).unwrap_or_default());
    let Some(items) = module_mut(&mut file.items, BUILDER) else {
        return Ok(checked);
    };
    for op in &facts.parameters {
        if !op
            .parameters
            .iter()
            .any(|p| p.constraints.checks_something())
        {
            continue;
        }
        let method = snake_ident(&op.operation_id);
        let builder = builders.get(&method).ok_or_else(|| {
            format!(
                "no generated operation for operationId {} (looked for `Client::{method}`)",
                op.operation_id
            )
        })?;
        for parameter in &op.parameters {
            if !parameter.constraints.checks_something() {
                continue;
            }
            let context = || {
                format!(
                    "operation {}, {} parameter {}",
                    op.operation_id, parameter.location, parameter.name
                )
            };
            compile_patterns(&parameter.constraints).map_err(|e| format!("{}: {e}", context()))?;
            check_setter(items, builder, parameter, &newtypes)
                .map_err(|e| format!("{}: {e}", context()))?;
            checked += 1;
        }
    }
    Ok(checked)
}

/// typify's constrained string newtypes in `types`, by name.
fn string_newtypes(types: &[syn::Item]) -> BTreeMap<String, syn::Type> {
    types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => match &s.fields {
                syn::Fields::Unnamed(f)
                    if f.unnamed.len() == 1
                        && last_ident(&f.unnamed[0].ty).as_deref() == Some("String") =>
                {
                    Some((s.ident.to_string(), f.unnamed[0].ty.clone()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Every pattern must compile with the engine the runtime matches with, so
/// a generated check never meets a pattern it cannot read.
fn compile_patterns(c: &Constraints) -> Result<(), String> {
    if let Some(pattern) = &c.pattern {
        regress::Regex::new(pattern).map_err(|e| {
            format!("pattern {pattern:?} is not an ECMA-262 regular expression: {e}")
        })?;
    }
    c.items.as_deref().map_or(Ok(()), compile_patterns)
}

/// Makes the parameter's field and setter on `builder` plain-typed and adds
/// the check to the setter.
fn check_setter(
    items: &mut [syn::Item],
    builder: &str,
    parameter: &ParameterConstraints,
    newtypes: &BTreeMap<String, syn::Type>,
) -> Result<(), String> {
    let setter = parameter.setter();
    let mut plain = PlainTypes(newtypes);
    let field = items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == builder => s
                .fields
                .iter_mut()
                .find(|f| f.ident.as_ref().is_some_and(|i| *i == setter)),
            _ => None,
        })
        .ok_or_else(|| format!("`builder::{builder}` has no field `{setter}`"))?;
    plain.visit_type_mut(&mut field.ty);
    // Held as `Result<T, String>` or, optional, `Result<Option<T>, String>`.
    let held = unwrap_type(&field.ty, "Result").unwrap_or(&field.ty);
    let value_type = type_text(unwrap_type(held, "Option").unwrap_or(held));

    let function = items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(imp)
                if imp.trait_.is_none() && last_ident(&imp.self_ty).as_deref() == Some(builder) =>
            {
                Some(imp)
            }
            _ => None,
        })
        .flat_map(|imp| imp.items.iter_mut())
        .find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == setter => Some(f),
            _ => None,
        })
        .ok_or_else(|| format!("`builder::{builder}` has no setter `{setter}`"))?;
    plain.visit_signature_mut(&mut function.sig);
    let display = parameter.display_name();
    let assignment = setter_assignment(function)
        .ok_or_else(|| format!("setter `{builder}::{setter}` does not assign `self.{setter}`"))?;
    let message = format!("parameter {display}: the value does not convert to `{value_type}`");
    ConversionMessage(&message).visit_expr_mut(assignment);
    let (consts, constraints) = constraint_items(&parameter.constraints, "CONSTRAINTS");
    let original = assignment.clone();
    *assignment = syn::parse_quote! {
        #original.and_then(|value| {
            #(#consts)*
            const CONSTRAINTS: ::invoicing_runtime::constraints::Constraints = #constraints;
            CONSTRAINTS.check(#display, value)
        })
    };
    Ok(())
}

/// `NonZeroU64` -> `u64`, and a constrained string newtype -> `String`.
struct PlainTypes<'a>(&'a BTreeMap<String, syn::Type>);

impl VisitMut for PlainTypes<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(p) = ty {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let replacement = match segments.as_slice() {
                [.., num, name] if num == "num" && name.starts_with("NonZero") => {
                    let plain = format_ident!("{}", name["NonZero".len()..].to_lowercase());
                    Some(syn::parse_quote!(#plain))
                }
                [module, name] if module == TYPES => self.0.get(name).cloned(),
                _ => None,
            };
            if let Some(replacement) = replacement {
                *ty = replacement;
                return;
            }
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// `u64`, `std::string::String`: a type as a message names it.
fn type_text(ty: &syn::Type) -> String {
    let text: String = quote!(#ty).to_string().split_whitespace().collect();
    text.trim_start_matches("::").to_owned()
}

/// Replaces progenitor's conversion message (it names a type the setter no
/// longer converts to) with one naming the parameter.
struct ConversionMessage<'a>(&'a str);

impl VisitMut for ConversionMessage<'_> {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if is_conversion_message(&lit.value()) {
            *lit = syn::LitStr::new(self.0, lit.span());
        }
    }
}

/// The `const` items for nested item constraints, and the expression for
/// `c` itself.
fn constraint_items(c: &Constraints, name: &str) -> (Vec<TokenStream>, TokenStream) {
    let mut consts = Vec::new();
    let mut calls = Vec::new();
    let bound = |b: &Bound| {
        let limit = match b.limit {
            Limit::Int(v) => quote!(::invoicing_runtime::constraints::Limit::Int(#v)),
            Limit::Float(v) => quote!(::invoicing_runtime::constraints::Limit::Float(#v)),
        };
        let exclusive = b.exclusive;
        quote!(#limit, #exclusive)
    };
    if let Some(b) = &c.minimum {
        let b = bound(b);
        calls.push(quote!(.minimum(#b)));
    }
    if let Some(b) = &c.maximum {
        let b = bound(b);
        calls.push(quote!(.maximum(#b)));
    }
    if let Some(m) = c.multiple_of {
        calls.push(quote!(.multiple_of(#m)));
    }
    if let Some(n) = c.min_length {
        calls.push(quote!(.min_length(#n)));
    }
    if let Some(n) = c.max_length {
        calls.push(quote!(.max_length(#n)));
    }
    if let Some(p) = &c.pattern {
        calls.push(quote!(.pattern(#p)));
    }
    if !c.allowed.is_empty() {
        let allowed = &c.allowed;
        calls.push(quote!(.allowed(&[#(#allowed),*])));
    }
    if let Some(f) = &c.format {
        let variant = format_ident!("{}", format_variant(f));
        calls.push(quote!(.format(::invoicing_runtime::constraints::Format::#variant)));
    }
    if let Some(n) = c.min_items {
        calls.push(quote!(.min_items(#n)));
    }
    if let Some(n) = c.max_items {
        calls.push(quote!(.max_items(#n)));
    }
    if c.unique_items {
        calls.push(quote!(.unique_items()));
    }
    if let Some(items) = c.items.as_deref().filter(|i| i.checks_something()) {
        let items_name = format!("{name}_ITEMS");
        let (nested, expr) = constraint_items(items, &items_name);
        consts.extend(nested);
        let ident = format_ident!("{items_name}");
        consts.push(quote! {
            const #ident: ::invoicing_runtime::constraints::Constraints = #expr;
        });
        calls.push(quote!(.items(&#ident)));
    }
    if c.secret {
        calls.push(quote!(.secret()));
    }
    (
        consts,
        quote!(::invoicing_runtime::constraints::Constraints::NONE #(#calls)*),
    )
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};
    use super::*;
    use crate::spec::parameters::OperationParameters;

    const GENERATED: &str = r#"
        pub mod types { pub struct Code(::std::string::String); }
        pub struct Client;
        impl Client {
            pub fn list_things(&self) -> builder::ListThings<'_> { builder::ListThings::new(self) }
        }
        pub mod builder {
            pub struct ListThings<'a> {
                client: &'a super::Client,
                size: Result<Option<::std::num::NonZeroU64>, String>,
                code: Result<types::Code, String>,
            }
            impl<'a> ListThings<'a> {
                pub fn size<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::num::NonZeroU64> {
                    self.size = value.try_into().map(Some).map_err(|_| "conversion to `:: std :: num :: NonZeroU64` for size failed".to_string());
                    self
                }
                pub fn code<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::Code> {
                    self.code = value.try_into().map_err(|_| "conversion to `Code` for code failed".to_string());
                    self
                }
            }
        }"#;

    fn facts(parameters: Vec<ParameterConstraints>) -> ClientFacts {
        ClientFacts {
            provider: "acme".into(),
            headers: BTreeMap::new(),
            server_url: None,
            server_variables: Vec::new(),
            operation_ids: Vec::new(),
            parameters: vec![OperationParameters {
                operation_id: "listThings".into(),
                parameters,
            }],
            ..ClientFacts::default()
        }
    }

    fn parameter(name: &str, constraints: Constraints) -> ParameterConstraints {
        ParameterConstraints {
            name: name.into(),
            location: "query",
            constraints,
        }
    }

    #[test]
    fn checked_setters_get_plain_types_and_a_check() {
        let mut file = parse(GENERATED);
        let size = Constraints {
            minimum: Some(Bound {
                limit: Limit::Int(1),
                exclusive: false,
            }),
            items: None,
            ..Constraints::default()
        };
        let code = Constraints {
            pattern: Some("^c_".into()),
            format: Some("email".into()),
            ..Constraints::default()
        };
        apply(
            &mut file,
            &facts(vec![parameter("size", size), parameter("code", code)]),
        )
        .unwrap();
        let out = render(&file);
        assert!(out.contains("size: Result<Option<u64>, String>"), "{out}");
        assert!(out.contains("V: std::convert::TryInto<u64>"), "{out}");
        assert!(
            out.contains("\"parameter size: the value does not convert to `u64`\""),
            "{out}"
        );
        assert!(
            out.contains("\"parameter code: the value does not convert to `std::string::String`\""),
            "{out}"
        );
        assert!(
            out.contains("code: Result<::std::string::String, String>"),
            "{out}"
        );
        assert!(out.contains(".pattern(\"^c_\")"), "{out}");
        assert!(out.contains("CONSTRAINTS.check(\"code\", value)"), "{out}");
        assert!(!out.contains("NonZero"), "{out}");
    }

    #[test]
    fn a_pattern_the_runtime_cannot_compile_is_an_error() {
        let mut file = parse(GENERATED);
        let code = Constraints {
            pattern: Some("(unclosed".into()),
            ..Constraints::default()
        };
        let e = apply(&mut file, &facts(vec![parameter("code", code)])).unwrap_err();
        assert!(
            e.contains("operation listThings, query parameter code"),
            "{e}"
        );
        assert!(e.contains("(unclosed"), "{e}");
    }

    #[test]
    fn a_parameter_without_a_setter_is_an_error() {
        let mut file = parse(GENERATED);
        let c = Constraints {
            max_length: Some(3),
            ..Constraints::default()
        };
        let e = apply(&mut file, &facts(vec![parameter("colour", c)])).unwrap_err();
        assert!(e.contains("no field `colour`"), "{e}");
    }
}
