//! String enums are open: a value the spec does not list decodes into an
//! `Unknown(String)` variant and serialises back unchanged.
//!
//! Vendors add statuses and types without a new spec version; one new value
//! must not fail a whole page. The catch-all is `#[serde(untagged)]`, so it
//! only matches when no listed value does, and `Display`/`FromStr` learn it
//! too. `Copy` goes, since the variant owns a `String`. The enum becomes
//! `#[non_exhaustive]`, so a value the vendor adds later (a new variant on
//! regeneration) does not break users' `match`es: it is an additive change.
//!
//! Not `with_replacement`: it swaps one named type for a hand-written one,
//! and the enums come and go with the vendors' specs; no setting opens
//! every enum.

use crate::generate::progenitor_output::{TYPES, last_ident, module_mut, trait_name};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let Some(items) = module_mut(&mut file.items, TYPES) else {
        return Ok(0);
    };
    let mut opened = Vec::new();
    for item in items.iter_mut() {
        if let syn::Item::Enum(e) = item
            && is_string_enum(e)
        {
            opened.push((e.ident.to_string(), open(e)));
        }
    }
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let self_name = last_ident(&imp.self_ty);
        let Some((_, variant)) = opened
            .iter()
            .find(|(name, _)| self_name.as_ref() == Some(name))
        else {
            continue;
        };
        match trait_name(imp).as_deref() {
            Some("Display") => patch_display(imp, variant),
            Some("FromStr") => patch_from_str(imp, variant),
            _ => {}
        }
    }
    Ok(opened.len())
}

/// A serde enum whose variants are all unit variants: typify's string enum.
fn is_string_enum(e: &syn::ItemEnum) -> bool {
    !e.variants.is_empty()
        && e.variants
            .iter()
            .all(|v| matches!(v.fields, syn::Fields::Unit))
        && e.attrs.iter().any(|a| {
            a.path().is_ident("derive") && derive_list(a).iter().any(|d| d.ends_with("Deserialize"))
        })
}

fn derive_list(attr: &syn::Attribute) -> Vec<String> {
    attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        .map(|list| {
            list.iter()
                .map(|p| {
                    quote::ToTokens::to_token_stream(p)
                        .to_string()
                        .replace(' ', "")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Adds the catch-all variant and drops `Copy`; returns the variant's name.
fn open(e: &mut syn::ItemEnum) -> syn::Ident {
    let taken = |name: &str| e.variants.iter().any(|v| v.ident == name);
    let name = if taken("Unknown") {
        "UnknownValue"
    } else {
        "Unknown"
    };
    let variant = syn::Ident::new(name, proc_macro2::Span::call_site());
    for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let kept: Vec<syn::Path> = derive_list(attr)
            .iter()
            .filter(|d| *d != "Copy")
            .map(|d| syn::parse_str(d).expect("a derive path re-parses"))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
    e.variants.push(syn::parse_quote! {
        /// A value the spec does not list, kept exactly as received.
        #[serde(untagged)]
        #variant(::std::string::String)
    });
    variant
}

fn matches_in(imp: &mut syn::ItemImpl) -> Vec<&mut syn::ExprMatch> {
    let mut found = Vec::new();
    for item in &mut imp.items {
        if let syn::ImplItem::Fn(f) = item {
            for stmt in &mut f.block.stmts {
                if let syn::Stmt::Expr(syn::Expr::Match(m), _) = stmt {
                    found.push(m);
                }
            }
        }
    }
    found
}

fn patch_display(imp: &mut syn::ItemImpl, variant: &syn::Ident) {
    for m in matches_in(imp) {
        // `match *self` would move the String out; match on the reference.
        *m.expr = syn::parse_quote!(self);
        m.arms
            .push(syn::parse_quote!(Self::#variant(value) => f.write_str(value),));
    }
}

fn patch_from_str(imp: &mut syn::ItemImpl, variant: &syn::Ident) {
    for m in matches_in(imp) {
        for arm in m
            .arms
            .iter_mut()
            .filter(|a| matches!(a.pat, syn::Pat::Wild(_)))
        {
            *arm.body = syn::parse_quote!(Ok(Self::#variant(value.to_string())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    const ENUM: &str = r#"pub mod types {
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, PartialEq)]
        pub enum Status {
            #[serde(rename = "paid")]
            Paid,
            #[serde(rename = "open")]
            Open,
        }
        impl ::std::fmt::Display for Status {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self { Self::Paid => f.write_str("paid"), Self::Open => f.write_str("open") }
            }
        }
        impl ::std::str::FromStr for Status {
            type Err = E;
            fn from_str(value: &str) -> ::std::result::Result<Self, E> {
                match value { "paid" => Ok(Self::Paid), "open" => Ok(Self::Open), _ => Err("invalid value".into()) }
            }
        }
        #[derive(::serde::Deserialize)]
        pub struct NotAnEnum { pub a: u8 }
    }"#;

    #[test]
    fn an_existing_unknown_variant_is_not_shadowed() {
        let mut file = parse(&ENUM.replace("Paid", "Unknown"));
        super::apply(&mut file).unwrap();
        assert!(render(&file).contains("UnknownValue(::std::string::String)"));
    }
}
