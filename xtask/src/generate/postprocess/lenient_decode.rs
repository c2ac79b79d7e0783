//! Constraints are enforced on what we send, not on what we receive.
//!
//! typify validates `pattern`, `minLength`, `maxLength` and friends inside
//! `Deserialize` of constrained newtypes, encodes `minimum: 1` integers as
//! `NonZero*`, and turns `additionalProperties: false` into
//! `deny_unknown_fields`. A vendor that sends `0`, a string its own pattern
//! forbids, or a new field would then fail a whole page. Here decoding accepts any value of the right
//! JSON type; building a value in Rust (`TryFrom`, `FromStr`, builders) still
//! checks every constraint.
//!
//! No typify setting skips validation in `Deserialize` or drops
//! `deny_unknown_fields`: `with_patch` renames a type and adds derives and
//! attributes to it, but cannot take an attribute or a check away.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

use crate::generate::progenitor_output::{TYPES, last_ident, module_mut, trait_name};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let Some(items) = module_mut(&mut file.items, TYPES) else {
        return Ok(0);
    };
    let mut non_zero = NonZero(0);
    let mut count = 0;
    let newtypes: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(&s.fields, syn::Fields::Unnamed(f) if f.unnamed.len() == 1) => {
                Some(s.ident.to_string())
            }
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        if let syn::Item::Impl(imp) = item
            && trait_name(imp).as_deref() == Some("Deserialize")
            && last_ident(&imp.self_ty).is_some_and(|n| newtypes.contains(&n))
        {
            accept_any_inner_value(imp);
            count += 1;
        }
        non_zero.visit_item_mut(item);
        count += usize::from(allow_unknown_fields(item));
    }
    Ok(count + non_zero.0)
}

/// Drops `deny_unknown_fields` from `#[serde(...)]` on structs; whether
/// it did.
fn allow_unknown_fields(item: &mut syn::Item) -> bool {
    let syn::Item::Struct(s) = item else {
        return false;
    };
    let mut dropped = false;
    for attr in s.attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
        let Ok(args) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Meta> = args
            .iter()
            .filter(|m| !m.path().is_ident("deny_unknown_fields"))
            .collect();
        if kept.len() != args.len() {
            *attr = syn::parse_quote!(#[serde(#(#kept),*)]);
            dropped = true;
        }
    }
    s.attrs.retain(|a| {
        !(a.path().is_ident("serde")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.is_empty()))
    });
    dropped
}

fn accept_any_inner_value(imp: &mut syn::ItemImpl) {
    for item in &mut imp.items {
        if let syn::ImplItem::Fn(f) = item
            && f.sig.ident == "deserialize"
        {
            f.block =
                syn::parse_quote!({ ::serde::Deserialize::deserialize(deserializer).map(Self) });
        }
    }
}

/// `NonZeroU64` -> `u64` and so on: `minimum: 1` is a range constraint.
/// Also inside serde's `default = "defaults::default_nzu64::<NonZeroU64, 10>"`,
/// a path written as a string.
/// Counts the paths it rewrote.
struct NonZero(usize);

impl VisitMut for NonZero {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        type Metas = syn::punctuated::Punctuated<syn::Meta, syn::Token![,]>;
        if !attr.path().is_ident("serde") {
            return;
        }
        let Ok(mut metas) = attr.parse_args_with(Metas::parse_terminated) else {
            return;
        };
        let mut changed = false;
        for meta in metas.iter_mut() {
            let syn::Meta::NameValue(nv) = meta else {
                continue;
            };
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut nv.value
            else {
                continue;
            };
            if !nv.path.is_ident("default") || !text.value().contains("NonZero") {
                continue;
            }
            let Ok(mut path) = text.parse::<syn::ExprPath>() else {
                continue;
            };
            self.visit_expr_path_mut(&mut path);
            let rewritten: String = path
                .to_token_stream()
                .to_string()
                .split_whitespace()
                .collect();
            *text = syn::LitStr::new(&rewritten, text.span());
            changed = true;
        }
        if changed {
            *attr = syn::parse_quote!(#[serde(#metas)]);
        }
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let plain = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .and_then(|name| name.strip_prefix("NonZero").map(str::to_lowercase))
            .filter(|_| path.segments.iter().any(|s| s.ident == "num"));
        if let Some(plain) = plain {
            *path = syn::Path::from(syn::Ident::new(&plain, proc_macro2::Span::call_site()));
            self.0 += 1;
            return;
        }
        visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn constrained_newtypes_decode_without_validation() {
        let mut file = parse(
            r#"pub mod types {
                pub struct Ref(::std::string::String);
                impl ::std::str::FromStr for Ref {
                    type Err = E;
                    fn from_str(value: &str) -> Result<Self, E> { if value.is_empty() { return Err("short".into()); } Ok(Self(value.to_string())) }
                }
                impl<'de> ::serde::Deserialize<'de> for Ref {
                    fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                    where D: ::serde::Deserializer<'de> {
                        ::std::string::String::deserialize(deserializer)?.parse().map_err(|e: E| <D::Error as ::serde::de::Error>::custom(e.to_string()))
                    }
                }
                pub struct A {
                    pub id: ::std::num::NonZeroU64,
                    pub n: Option<std::num::NonZeroI32>,
                    #[serde(default = "defaults::default_nzu64::<::std::num::NonZeroU64, 10>", skip_serializing_if = "x")]
                    pub limit: ::std::num::NonZeroU64,
                }
                #[derive(::serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                pub struct Closed { pub a: u8 }
                #[derive(::serde::Deserialize)]
                #[serde(rename_all = "camelCase", deny_unknown_fields)]
                pub struct ClosedRenamed { pub a: u8 }
            }"#,
        );
        super::apply(&mut file).unwrap();
        let out = render(&file);
        assert!(
            out.contains("::serde::Deserialize::deserialize(deserializer).map(Self)"),
            "{out}"
        );
        assert!(!out.contains(".parse().map_err"), "{out}");
        // Construction still validates.
        assert!(out.contains("return Err(\"short\".into())"), "{out}");
        assert!(out.contains("pub id: u64"), "{out}");
        assert!(out.contains("pub n: Option<i32>"), "{out}");
        // The serde default names the same type as the field.
        let compact: String = out.split_whitespace().collect();
        assert!(
            compact.contains(r#"#[serde(default="defaults::default_nzu64::<u64,10>",skip_serializing_if="x")]publimit:u64"#),
            "{out}"
        );
        assert!(!out.contains("deny_unknown_fields"), "{out}");
        assert!(
            out.contains("#[serde(rename_all = \"camelCase\")]"),
            "{out}"
        );
    }
}
