//! Types as text: how a type reads in the surface file.

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// A type as a reader expects to see it: std and crate-local paths by their
/// last segment (`Option<String>`, `Invoice`), other crates' types with
/// their crate (`chrono::DateTime<chrono::Utc>`), so the crate's own
/// `Client` and `reqwest::Client` stay distinct.
pub(super) fn type_text(ty: &Type) -> String {
    match ty {
        Type::Path(p) if p.qself.is_none() => path_text(&p.path),
        Type::Reference(r) => {
            let mutability = if r.mutability.is_some() { "mut " } else { "" };
            format!("&{mutability}{}", type_text(&r.elem))
        }
        Type::Tuple(t) if t.elems.len() == 1 => format!("({},)", type_text(&t.elems[0])),
        Type::Tuple(t) => format!(
            "({})",
            t.elems.iter().map(type_text).collect::<Vec<_>>().join(", ")
        ),
        Type::Slice(s) => format!("[{}]", type_text(&s.elem)),
        Type::Array(a) => format!("[{}; {}]", type_text(&a.elem), tokens_text(&a.len)),
        Type::Paren(p) => type_text(&p.elem),
        Type::Group(g) => type_text(&g.elem),
        other => tokens_text(other),
    }
}

/// Path prefixes shown by their last segment only.
const SHORT_PREFIXES: &[&str] = &[
    "std", "core", "alloc", "types", "builder", "super", "self", "crate",
];

fn path_text(path: &syn::Path) -> String {
    let segments: Vec<_> = path.segments.iter().collect();
    let Some(last) = segments.last() else {
        return String::new();
    };
    let first = segments[0].ident.to_string();
    let mut out = if segments.len() > 1 && !SHORT_PREFIXES.contains(&first.as_str()) {
        format!("{first}::{}", last.ident)
    } else {
        last.ident.to_string()
    };
    match &last.arguments {
        PathArguments::None => {}
        PathArguments::AngleBracketed(args) => {
            let args: Vec<String> = args
                .args
                .iter()
                .map(|a| match a {
                    GenericArgument::Type(t) => type_text(t),
                    other => tokens_text(other),
                })
                .collect();
            out.push('<');
            out.push_str(&args.join(", "));
            out.push('>');
        }
        // `Fn(A) -> B` bounds do not occur in field or parameter types.
        PathArguments::Parenthesized(args) => out.push_str(&tokens_text(args)),
    }
    out
}

/// Token text with the spacing `to_string` puts around punctuation removed.
pub(super) fn tokens_text(t: &impl ToTokens) -> String {
    let text = t.to_token_stream().to_string();
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace("& ", "&")
        .replace(" ,", ",")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
}
