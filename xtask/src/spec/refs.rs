//! `$ref` resolution, in one place: the validate pass, the spec diff, the
//! crate docs and the contract tests all follow references through here.
//!
//! Only local references (`#/...`) are supported; the validate pass reports
//! any other as an error naming where it is.

use openapiv3::ReferenceOr;
use percent_encoding::percent_decode_str;
use serde_json::Value;

/// The JSON pointer a local reference names (`#/components/schemas/A%20B` ->
/// `/components/schemas/A B`); `None` for a reference into another document.
///
/// The fragment is a URI fragment, so it is percent-decoded first.
pub fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(
        percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The value a local reference points to in `doc`.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(&local_pointer(reference)?)
}

/// The name in a `#/components/<kind>/<name>` reference.
pub fn component_name(reference: &str, kind: &str) -> Option<String> {
    let pointer = local_pointer(reference)?;
    let name = pointer
        .strip_prefix("/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    // JSON pointer escapes, `~1` first so that `~01` stays `~1`.
    Some(name.replace("~1", "/").replace("~0", "~"))
}

/// The item a chain of `#/components/<kind>/..` references ends at, each
/// name looked up with `lookup`; `None` when it dangles or loops (the
/// validate pass rejects both).
pub fn resolve_component<'a, T>(
    mut current: &'a ReferenceOr<T>,
    kind: &str,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
) -> Option<&'a T> {
    let mut seen = Vec::new();
    loop {
        match current {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                if seen.contains(&reference) {
                    return None;
                }
                seen.push(reference);
                current = lookup(&component_name(reference, kind)?)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn local_references_resolve_with_escapes() {
        let doc = json!({"components": {"schemas": {"B C": 1, "a/b": 2}}});
        assert_eq!(resolve(&doc, "#/components/schemas/B%20C"), Some(&json!(1)));
        assert_eq!(resolve(&doc, "#/components/schemas/a~1b"), Some(&json!(2)));
        assert_eq!(resolve(&doc, "#/components/schemas/Missing"), None);
        assert_eq!(resolve(&doc, "other.yaml#/B"), None);
        assert_eq!(
            component_name("#/components/schemas/a~1b%7E0", "schemas").as_deref(),
            Some("a/b~")
        );
        assert_eq!(component_name("#/components/responses/A", "schemas"), None);
    }

    #[test]
    fn component_chains_end_at_an_item_or_nothing() {
        let r = |to: &str| ReferenceOr::<u8>::Reference {
            reference: format!("#/components/parameters/{to}"),
        };
        let (a, b, item) = (r("b"), r("c"), ReferenceOr::Item(7));
        let lookup = |name: &str| match name {
            "b" => Some(&b),
            "c" => Some(&item),
            _ => None,
        };
        assert_eq!(resolve_component(&a, "parameters", lookup), Some(&7));
        let looping = r("self");
        let lookup = |_: &str| Some(&looping);
        assert_eq!(resolve_component(&looping, "parameters", lookup), None);
    }
}
