//! The shape pass gives progenitor an object parameter's type as an outside
//! type (`x-rust-type` in crate `generated_types`), since progenitor cannot
//! take an object parameter of a generated type; here those paths are
//! pointed back at the crate's own `types` module.

use syn::visit_mut::{self, VisitMut};

use crate::generate::shape::LOCAL_TYPES;

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = LocalTypes(0);
    pass.visit_file_mut(file);
    Ok(pass.0)
}

/// Counts the paths it rewrote.
struct LocalTypes(usize);

impl VisitMut for LocalTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_some()
            && path
                .segments
                .first()
                .is_some_and(|s| s.ident == LOCAL_TYPES)
        {
            path.leading_colon = None;
            path.segments[0].ident = syn::Ident::new("types", path.segments[0].ident.span());
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
    fn outside_types_of_this_crate_point_at_types() {
        let mut file = parse(
            "pub mod builder { pub struct A { created: Result<Option<::generated_types::RangeQuery>, String> } \
             fn f(v: ::other::Thing) {} }",
        );
        super::apply(&mut file).unwrap();
        let out = render(&file);
        assert!(
            out.contains("Result<Option<types::RangeQuery>, String>"),
            "{out}"
        );
        assert!(out.contains("::other::Thing"), "{out}");
    }
}
