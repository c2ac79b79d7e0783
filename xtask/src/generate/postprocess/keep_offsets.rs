//! Date-times keep the offset the vendor sent.
//!
//! typify decodes `format: date-time` into `DateTime<Utc>`, which converts
//! `2024-07-12T00:00:00+02:00` to the previous day in UTC. An invoice's issue
//! or due date is a calendar date in the vendor's offset, so generated types
//! use `DateTime<FixedOffset>`, which keeps it (and still compares instants).
//!
//! Not `with_conversion` for `{type: string, format: date-time}`: typify
//! applies a conversion only to a schema equal to it, so a nullable
//! date-time or one with an extension would stay `DateTime<Utc>`. Rewriting
//! the type path catches every one, parameters included.

use syn::visit_mut::{self, VisitMut};

use crate::generate::progenitor_output::path_ends_with;

pub(super) fn apply(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = Offsets(0);
    pass.visit_file_mut(file);
    Ok(pass.0)
}

/// Counts the paths it rewrote.
struct Offsets(usize);

impl VisitMut for Offsets {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path_ends_with(path, &["chrono", "offset", "Utc"])
            || path_ends_with(path, &["chrono", "Utc"])
        {
            *path = syn::parse_quote!(::chrono::FixedOffset);
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
    fn utc_date_times_become_fixed_offset() {
        let mut file = parse(
            "pub mod types { pub struct A { pub at: ::chrono::DateTime<::chrono::offset::Utc>, \
             pub due: Option<chrono::DateTime<chrono::Utc>> } }",
        );
        super::apply(&mut file).unwrap();
        let out = render(&file);
        assert_eq!(
            out.matches("::chrono::DateTime<::chrono::FixedOffset>")
                .count(),
            1,
            "{out}"
        );
        assert_eq!(
            out.matches("chrono::DateTime<::chrono::FixedOffset>")
                .count(),
            2,
            "{out}"
        );
        assert!(!out.contains("Utc"), "{out}");
    }
}
