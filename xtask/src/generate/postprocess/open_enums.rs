//! String enums are open: a value the spec does not list decodes into an
//! `Unknown(String)` variant and serialises back unchanged.
//!
//! Vendors add statuses and types without a new spec version; one new value
//! must not fail a whole page. `Display` and `FromStr` (typify's, naming
//! every listed value) learn the catch-all, and serde goes through them:
//! `Serialize` writes `Display`'s text and `Deserialize` reads a string with
//! `FromStr` (`invoicing_runtime::open_enum::deserialize`). One line,
//! `invoicing_runtime::open_enum_impls!(Status);`, writes both and typify's
//! `TryFrom<&str>` and `TryFrom<String>` (which call `FromStr`), some
//! thirty lines per enum a reviewer no longer reads (`(Status, serde)`:
//! only the serde, where typify wrote the conversions otherwise). serde's derive
//! would need the catch-all `#[serde(untagged)]`, which makes it buffer each
//! value and try every variant: a large deserializer for each of a
//! document's hundreds of enums, compiled for nothing. `Copy` goes, since
//! the variant owns a `String`. The enum becomes `#[non_exhaustive]`, so a
//! value the vendor adds later (a new variant on regeneration) does not
//! break users' `match`es: it is an additive change.
//!
//! Not `with_replacement`: it swaps one named type for a hand-written one,
//! and the enums come and go with the vendors' specs; no setting opens
//! every enum.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

use crate::generate::progenitor_output::{CATCH_ALL, TYPES, last_ident, module_mut, trait_name};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let Some(items) = module_mut(&mut file.items, TYPES) else {
        return Ok(0);
    };
    // The traits each type implements, read once, and the types whose
    // `TryFrom<&str>` and `TryFrom<String>` are typify's `value.parse()`.
    let impls: BTreeSet<(String, String)> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(imp) => Some((last_ident(&imp.self_ty)?, trait_name(imp)?)),
            _ => None,
        })
        .collect();
    let has = |name: &str, trait_: &str| impls.contains(&(name.to_owned(), trait_.to_owned()));
    let parses = parse_conversions(items);
    let mut opened = BTreeMap::new();
    let mut written = Vec::new();
    let mut by_macro = BTreeSet::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        if !is_string_enum(e) {
            continue;
        }
        let name = e.ident.to_string();
        // Through `Display` and `FromStr` where typify wrote both; serde's
        // derive with an untagged catch-all otherwise.
        let through_text = has(&name, "Display") && has(&name, "FromStr");
        let variant = open(e, through_text);
        let ident = &e.ident;
        if through_text && parses.get(&name).is_some_and(|n| *n == CONVERSIONS.len()) {
            written.push(syn::parse_quote!(invoicing_runtime::open_enum_impls!(#ident);));
            by_macro.insert(name.clone());
        } else if through_text {
            written.push(syn::parse_quote!(invoicing_runtime::open_enum_impls!(#ident, serde);));
        }
        opened.insert(name, variant);
    }
    // The conversions the macro writes go.
    items.retain(|item| match item {
        syn::Item::Impl(imp) => {
            !(last_ident(&imp.self_ty).is_some_and(|name| by_macro.contains(&name))
                && is_parse_conversion(imp))
        }
        _ => true,
    });
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let Some(variant) = last_ident(&imp.self_ty).and_then(|name| opened.get(&name)) else {
            continue;
        };
        match trait_name(imp).as_deref() {
            Some("Display") => patch_display(imp, variant),
            Some("FromStr") => patch_from_str(imp, variant),
            _ => {}
        }
    }
    items.extend(written);
    Ok(opened.len())
}

/// The conversions `open_enum_impls!` writes, as typify writes them:
/// `TryFrom<&str>` and `TryFrom<String>`, each `value.parse()`.
const CONVERSIONS: [&str; 2] = ["&str", "::std::string::String"];

/// How many of [`CONVERSIONS`] each type has.
fn parse_conversions(items: &[syn::Item]) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for item in items {
        if let syn::Item::Impl(imp) = item
            && is_parse_conversion(imp)
            && let Some(name) = last_ident(&imp.self_ty)
        {
            *found.entry(name).or_default() += 1;
        }
    }
    found
}

/// `impl TryFrom<&str>` or `TryFrom<String>` whose `try_from` is
/// `value.parse()`.
fn is_parse_conversion(imp: &syn::ItemImpl) -> bool {
    let Some((path, _)) = &imp.trait_ else {
        return false;
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    let source = args.args.to_token_stream().to_string().replace(' ', "");
    let body = imp.items.iter().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == "try_from" => {
            Some(f.block.to_token_stream().to_string())
        }
        _ => None,
    });
    last.ident == "TryFrom"
        && CONVERSIONS.contains(&source.as_str())
        && body.is_some_and(|body| body.replace(' ', "") == "{value.parse()}")
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

/// Adds the catch-all variant and drops `Copy`, and with `through_text`
/// serde's derives and attributes (the wire names stay in `Display` and
/// `FromStr`); returns the variant's name.
fn open(e: &mut syn::ItemEnum, through_text: bool) -> syn::Ident {
    let taken = |name: &str| e.variants.iter().any(|v| v.ident == name);
    let [first, second] = CATCH_ALL;
    let name = if taken(first) { second } else { first };
    let variant = syn::Ident::new(name, proc_macro2::Span::call_site());
    let is_serde = |d: &String| d.ends_with("Deserialize") || d.ends_with("Serialize");
    for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let kept: Vec<syn::Path> = derive_list(attr)
            .iter()
            .filter(|d| *d != "Copy" && !(through_text && is_serde(d)))
            .map(|d| syn::parse_str(d).expect("a derive path re-parses"))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
    if through_text {
        e.attrs.retain(|a| !a.path().is_ident("serde"));
        for v in &mut e.variants {
            v.attrs.retain(|a| !a.path().is_ident("serde"));
        }
        e.variants.push(syn::parse_quote! {
            /// A value the spec does not list, kept exactly as received.
            #variant(::std::string::String)
        });
    } else {
        e.variants.push(syn::parse_quote! {
            /// A value the spec does not list, kept exactly as received.
            #[serde(untagged)]
            #variant(::std::string::String)
        });
    }
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
        let rendered = crate::surface::render("x", &file).unwrap();
        assert!(rendered.contains("- enum `Status` (open)"), "{rendered}");
        assert!(
            rendered.contains("variant `Unknown` (`paid`)"),
            "{rendered}"
        );
        assert!(!rendered.contains("UnknownValue"), "{rendered}");
    }

    #[test]
    fn serde_goes_through_display_and_from_str_where_typify_wrote_both() {
        let mut file = parse(ENUM);
        assert_eq!(super::apply(&mut file), Ok(1));
        let out = render(&file);
        assert!(
            out.contains("invoicing_runtime::open_enum_impls!(Status, serde);"),
            "{out}"
        );
        assert!(
            !out.contains("rename") && !out.contains("untagged"),
            "{out}"
        );
        assert!(
            out.contains("#[derive(Clone, Debug, Eq, PartialEq)]"),
            "{out}"
        );
    }

    /// `ENUM` with typify's `TryFrom<&str>` and `TryFrom<String>`, the
    /// second's body `string_body`.
    fn with_conversions(string_body: &str) -> String {
        let conversions = format!(
            "impl ::std::convert::TryFrom<&str> for Status {{
                type Error = E;
                fn try_from(value: &str) -> ::std::result::Result<Self, E> {{ value.parse() }}
            }}
            impl ::std::convert::TryFrom<::std::string::String> for Status {{
                type Error = E;
                fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, E> {{ {string_body} }}
            }}
            #[derive(::serde::Deserialize)]"
        );
        ENUM.replacen("#[derive(::serde::Deserialize)]", &conversions, 1)
    }

    #[test]
    fn one_macro_line_writes_typifys_conversions_and_the_serde() {
        let mut file = parse(&with_conversions("value.parse()"));
        assert_eq!(super::apply(&mut file), Ok(1));
        let out = render(&file);
        assert!(
            out.contains("invoicing_runtime::open_enum_impls!(Status);"),
            "{out}"
        );
        assert!(!out.contains("TryFrom") && !out.contains("serde)"), "{out}");
        // Display and FromStr stay, with the catch-all.
        assert!(
            out.contains("Self::Unknown(value) => f.write_str(value)"),
            "{out}"
        );
    }

    #[test]
    fn conversions_typify_wrote_otherwise_stay_and_the_macro_writes_only_the_serde() {
        let mut file = parse(&with_conversions("value.as_str().parse()"));
        assert_eq!(super::apply(&mut file), Ok(1));
        let out = render(&file);
        assert_eq!(out.matches("TryFrom").count(), 2, "{out}");
        assert!(out.contains("open_enum_impls!(Status, serde);"), "{out}");
    }

    #[test]
    fn without_display_serde_keeps_its_derive_and_an_untagged_catch_all() {
        let start = ENUM.find("impl ::std::fmt::Display").unwrap();
        let end = ENUM.find("impl ::std::str::FromStr").unwrap();
        let mut file = parse(&format!("{}{}", &ENUM[..start], &ENUM[end..]));
        assert_eq!(super::apply(&mut file), Ok(1));
        let out = render(&file);
        assert!(out.contains("#[serde(untagged)]"), "{out}");
        assert!(out.contains("#[serde(rename = \"paid\")]"), "{out}");
        assert!(!out.contains("open_enum"), "{out}");
    }
}
