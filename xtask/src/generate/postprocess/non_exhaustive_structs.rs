//! Structs can grow: every struct with named fields in `types` is
//! `#[non_exhaustive]`.
//!
//! Vendors add optional response fields without a new spec version. Without
//! the attribute, a user's struct literal or exhaustive pattern of a
//! generated type stops compiling when regeneration adds such a field, so a
//! change `cargo xtask diff` calls additive would break users (and
//! cargo-semver-checks says so: `constructible_struct_adds_field`). With it,
//! the way to make a value is the type's builder (`Invoice::builder()`,
//! typify's `types::builder::*`, for what requests send: see
//! `request_builders`), `Default`, or decoding it from JSON, and patterns
//! end in `..`.
//! The struct builders in `types::builder` keep their private fields and are
//! left alone; tuple structs (constrained newtypes) have private fields
//! already.
//!
//! Not a progenitor setting: progenitor passes on typify's `with_derive`
//! but not its all-types `with_attr` (which would also hit enums and
//! newtypes), and `with_patch` can add an attribute only to a type named in
//! advance, while inline schemas get their names (`InvoiceDetailItemsItem`)
//! during generation.

use crate::generate::progenitor_output::{TYPES, module_mut};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut count = 0;
    let Some(items) = module_mut(&mut file.items, TYPES) else {
        return Ok(count);
    };
    for item in items.iter_mut() {
        if let syn::Item::Struct(s) = item
            && matches!(s.fields, syn::Fields::Named(_))
            && !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
        {
            s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            count += 1;
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn only_named_field_structs_in_types_are_marked_once() {
        let mut file = parse(
            r#"pub mod types {
                pub struct Invoice { pub id: u64 }
                #[non_exhaustive]
                pub struct Marked { pub id: u64 }
                pub struct Code(String);
                pub mod builder { pub struct Invoice { id: Result<u64, String> } }
            }
            pub struct Client { baseurl: String }"#,
        );
        super::apply(&mut file).unwrap();
        let out = render(&file);
        assert_eq!(out.matches("#[non_exhaustive]").count(), 2, "{out}");
        assert!(
            out.contains("#[non_exhaustive]\n    pub struct Invoice"),
            "{out}"
        );
        assert!(out.contains("    pub struct Code(String)"), "{out}");
        assert!(
            !out.contains("#[non_exhaustive]\npub struct Client"),
            "{out}"
        );
    }
}
