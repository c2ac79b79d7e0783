//! A module imports `types` only when something in it uses them.
//!
//! progenitor's `builder` module, and the `__contract` module the hooks
//! pass adds, start with `use super::types;`; where nothing left in the
//! module names a type (a document without operations, or whose
//! operations take and return only plain values) the import fails
//! `clippy -D warnings`. Not one of [`super::PASSES`]: it tidies what
//! they leave and changes nothing in a crate whose modules all use their
//! types, as the passes' fixture does.

use quote::ToTokens;

pub(super) fn apply(file: &mut syn::File) {
    tidy(&mut file.items);
}

fn tidy(items: &mut Vec<syn::Item>) {
    let imports_types =
        |item: &syn::Item| matches!(item, syn::Item::Use(u) if compact(&u.tree) == "super::types");
    if items.iter().any(imports_types) {
        let used = items
            .iter()
            .filter(|item| !imports_types(item))
            .any(|item| names_types(&item.to_token_stream().to_string()));
        if !used {
            items.retain(|item| !imports_types(item));
        }
    }
    for item in items {
        if let syn::Item::Mod(m) = item
            && let Some((_, inner)) = &mut m.content
        {
            tidy(inner);
        }
    }
}

fn compact(tokens: &impl ToTokens) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .split_whitespace()
        .collect()
}

/// Whether code (tokens printed with spaces between them) names `types` as
/// a path segment (`types::X`, `use types::*`).
fn names_types(code: &str) -> bool {
    code.match_indices("types ::").any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn an_unused_types_import_goes_and_a_used_one_stays() {
        let mut file = parse(
            "pub mod types { pub struct A; }
             pub mod builder { use super::types; pub struct B; }
             pub mod __contract { use super::types; fn f() { use types::*; } }
             pub mod other { use super::types; fn g(a: my_types::A) {} }",
        );
        super::apply(&mut file);
        let text = render(&file);
        assert_eq!(text.matches("use super::types;").count(), 1, "{text}");
        assert!(
            text.contains("pub mod __contract {\n    use super::types;"),
            "{text}"
        );
    }
}
