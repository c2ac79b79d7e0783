//! Struct builders only for what a request sends: typify's builder of a
//! type (`types::builder::X`, `X::builder()` and the conversions between
//! them) is kept when a request builder's parameter or body holds the type
//! or reaches it through fields, and dropped otherwise.
//!
//! typify writes a builder for every struct, and they are 40 % to 60 % of a
//! generated crate's lines (a field, a default, a setter and two
//! conversions for each member), nearly all for types only responses
//! carry. A response type is decoded, not built: the client and the facade
//! never build one, and a test makes one from JSON (`serde_json::from_value`),
//! as the vendor would send it. typify's `with_struct_builder` is one switch
//! for every type, and request bodies need theirs.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit::Visit;

use crate::generate::progenitor_output::{BUILDER, TYPES, last_ident, module, module_mut};

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let Some(types) = module(&file.items, TYPES) else {
        return Ok(0);
    };
    let Some(builders) = module(types, BUILDER) else {
        return Ok(0);
    };
    let built: BTreeSet<String> = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    let defined = definitions(types);
    let mut kept = BTreeSet::new();
    let mut queue: Vec<String> = request_inputs(&file.items, &defined);
    while let Some(name) = queue.pop() {
        if !kept.insert(name.clone()) {
            continue;
        }
        for item in defined.get(&name).into_iter().flatten() {
            let mut names = TypeNames::default();
            names.visit_item(item);
            queue.extend(names.0.into_iter().filter(|n| defined.contains_key(n)));
        }
    }
    let dropped: BTreeSet<&String> = built.iter().filter(|n| !kept.contains(*n)).collect();
    if dropped.is_empty() {
        return Ok(0);
    }
    let types = module_mut(&mut file.items, TYPES).expect("found above");
    let builders = module_mut(types, BUILDER).expect("found above");
    builders.retain(|item| !of_type(item).is_some_and(|n| dropped.contains(&n)));
    if builders.is_empty() {
        types.retain(|item| !matches!(item, syn::Item::Mod(m) if m.ident == BUILDER));
    }
    // `X::builder()` goes, and with it the inherent impl it alone made up.
    types.retain_mut(|item| {
        let syn::Item::Impl(imp) = item else {
            return true;
        };
        if imp.trait_.is_some() || !last_ident(&imp.self_ty).is_some_and(|n| dropped.contains(&n)) {
            return true;
        }
        imp.items
            .retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
        !imp.items.is_empty()
    });
    Ok(dropped.len())
}

/// Each name `mod types` defines, with the item that defines it (a struct,
/// enum or alias): what a kept type's members can reach.
fn definitions(types: &[syn::Item]) -> BTreeMap<String, Vec<&syn::Item>> {
    let mut defined: BTreeMap<String, Vec<&syn::Item>> = BTreeMap::new();
    for item in types {
        let name = match item {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Enum(e) => e.ident.to_string(),
            syn::Item::Type(t) => t.ident.to_string(),
            _ => continue,
        };
        defined.entry(name).or_default().push(item);
    }
    defined
}

/// The types a request builder holds: its parameters and body.
fn request_inputs(items: &[syn::Item], defined: &BTreeMap<String, Vec<&syn::Item>>) -> Vec<String> {
    let mut names = TypeNames::default();
    for item in module(items, BUILDER).unwrap_or_default() {
        if let syn::Item::Struct(s) = item {
            for field in &s.fields {
                names.visit_type(&field.ty);
            }
        }
    }
    names
        .0
        .into_iter()
        .filter(|n| defined.contains_key(n))
        .collect()
}

/// The type a builder-module item belongs to: its struct, or the type an
/// impl is for (`impl TryFrom<X> for super::X` and `impl From<super::X>
/// for X` both belong to `X`).
fn of_type(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Impl(imp) => last_ident(&imp.self_ty),
        _ => None,
    }
}

/// Every identifier in type paths: more than the type names, which the
/// caller filters by what `mod types` defines.
#[derive(Default)]
struct TypeNames(BTreeSet<String>);

impl<'ast> Visit<'ast> for TypeNames {
    fn visit_type_path(&mut self, path: &'ast syn::TypePath) {
        for segment in &path.path.segments {
            self.0.insert(segment.ident.to_string());
        }
        syn::visit::visit_type_path(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse, render};

    #[test]
    fn builders_stay_for_what_requests_send_and_go_for_the_rest() {
        let mut file = parse(
            r#"pub mod types {
                pub struct Invoice { pub id: String, pub lines: Vec<Line> }
                impl Invoice { pub fn builder() -> builder::Invoice { Default::default() } }
                pub struct Line { pub amount: String }
                impl Line { pub fn builder() -> builder::Line { Default::default() } }
                pub struct NewInvoice { pub customer: Customer }
                impl NewInvoice { pub fn builder() -> builder::NewInvoice { Default::default() } }
                pub struct Customer { pub name: String }
                impl Customer { pub fn builder() -> builder::Customer { Default::default() } }
                pub mod builder {
                    pub struct Invoice { id: Result<String, String> }
                    impl Default for Invoice { fn default() -> Self { todo!() } }
                    impl Invoice { pub fn id(self) -> Self { self } }
                    impl TryFrom<Invoice> for super::Invoice { type Error = String; fn try_from(v: Invoice) -> Result<Self, String> { todo!() } }
                    impl From<super::Invoice> for Invoice { fn from(v: super::Invoice) -> Self { todo!() } }
                    pub struct Line { amount: Result<String, String> }
                    pub struct NewInvoice { customer: Result<super::Customer, String> }
                    pub struct Customer { name: Result<String, String> }
                }
            }
            pub mod builder {
                pub struct CreateInvoice<'a> { client: &'a super::Client, body: Result<types::builder::NewInvoice, String> }
                pub struct ListInvoices<'a> { client: &'a super::Client, limit: Result<Option<u64>, String> }
            }"#,
        );
        assert_eq!(super::apply(&mut file), Ok(2));
        let out = render(&file);
        for gone in [
            "builder::Invoice",
            "builder::Line",
            "pub struct Invoice {\n            id:",
            "for super::Invoice",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for kept in [
            "pub fn builder() -> builder::NewInvoice",
            "pub fn builder() -> builder::Customer",
            "pub struct NewInvoice {\n            customer:",
        ] {
            assert!(out.contains(kept), "{kept} not in {out}");
        }
    }

    #[test]
    fn no_request_input_leaves_no_builder_module() {
        let mut file = parse(
            r#"pub mod types {
                pub struct Page { pub items: Vec<String> }
                impl Page { pub fn builder() -> builder::Page { Default::default() } }
                pub mod builder { pub struct Page { items: Result<Vec<String>, String> } }
            }
            pub mod builder {
                pub struct ListPages<'a> { client: &'a super::Client }
            }"#,
        );
        assert_eq!(super::apply(&mut file), Ok(1));
        let out = render(&file);
        assert!(!out.contains("mod builder {\n        pub struct"), "{out}");
        assert!(!out.contains("impl Page"), "{out}");
    }
}
