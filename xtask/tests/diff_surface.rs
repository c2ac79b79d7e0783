//! The API surface listed from real progenitor output, and read back.
//!
//! Each fixture spec is generated with the settings of the generate pass;
//! the surface must match the committed `surface/<name>.API.md` exactly (set
//! `XTASK_BLESS=1` to rewrite them after an intended change, and review the
//! diff), and parsing it must give back the same model.

use xtask::surface;

use std::path::PathBuf;

use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use syn::visit_mut::VisitMut;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

/// Generates the client for `spec/<name>.yaml` as the generate pass does.
fn generate(name: &str) -> syn::File {
    let path = fixtures().join("spec").join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let spec: openapiv3::OpenAPI = serde_norway::from_str(&text).unwrap();
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(invoicing_runtime::Context))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq");
    let tokens = Generator::new(&settings).generate_tokens(&spec).unwrap();
    let mut file: syn::File = syn::parse2(tokens).unwrap();
    OpenEnums.visit_file_mut(&mut file);
    file
}

/// Adds the `Unknown(String)` catch-all to enums of plain values, the shape
/// the postprocess pass gives them.
struct OpenEnums;

impl VisitMut for OpenEnums {
    fn visit_item_enum_mut(&mut self, e: &mut syn::ItemEnum) {
        if e.variants
            .iter()
            .all(|v| matches!(v.fields, syn::Fields::Unit))
        {
            e.variants.push(syn::parse_quote! {
                #[serde(untagged)]
                Unknown(::std::string::String)
            });
        }
    }
}

fn check(name: &str) {
    let file = generate(name);
    let rendered = surface::render(name, &file).unwrap();
    let golden = fixtures().join("surface").join(format!("{name}.API.md"));
    if std::env::var_os("XTASK_BLESS").is_some() {
        std::fs::write(&golden, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(
        rendered,
        expected,
        "{name}: surface differs from {}",
        golden.display()
    );

    let model = surface::Surface::from_file(name, &file).unwrap();
    let parsed = surface::parse(&rendered).unwrap();
    assert_eq!(
        parsed, model,
        "{name}: parsing the surface does not give back the model"
    );
    assert_eq!(parsed.render(), rendered);
}

#[test]
fn coinbase_business_surface() {
    check("coinbase-business");
}

#[test]
fn coinbase_business_new_surface() {
    check("coinbase-business.new");
}

#[test]
fn sendcloud_v3_surface() {
    check("sendcloud-v3");
}

#[test]
fn sendcloud_v3_new_surface() {
    check("sendcloud-v3.new");
}

#[test]
fn shapes_surface() {
    check("shapes");
}

/// Required-ness follows what `send()` does, shape by shape.
#[test]
fn parameters_are_required_when_send_fails_without_them() {
    let s = surface::Surface::from_file("shapes", &generate("shapes")).unwrap();
    let required = |op: &str, param: &str| s.operations[op].parameters[param].required;
    // Path and required query parameters start as `Err("... was not initialized")`.
    assert!(required("retrieve_invoice", "invoice_id"));
    assert!(required("retrieve_invoice", "lang"));
    // Optional ones start as `Ok(None)`.
    assert!(!required("retrieve_invoice", "x_trace"));
    // A body held as a struct builder fails in `send()` when the struct has a
    // field without default (`Invoice.id`)...
    assert!(required("create_invoice", "body"));
    // ...and not when every field may be left out.
    assert!(!required("update_settings", "body"));
    // A body with no struct builder (a list, a oneOf) starts unset.
    assert!(required("export_invoices", "body"));
    assert!(required("draw", "body"));
}

#[test]
fn fields_with_defaults_are_optional_without_option() {
    let s = surface::Surface::from_file("shapes", &generate("shapes")).unwrap();
    let surface::TypeDef::Struct { fields } = &s.types["Invoice"] else {
        panic!("Invoice is not a struct");
    };
    assert_eq!(
        fields["tags"],
        surface::Field {
            ty: "Vec<String>".to_owned(),
            wire: None,
            required: false
        }
    );
    assert!(!fields["meta"].required);
    assert!(fields["id"].required);
}

#[test]
fn code_spans_round_trip_backticks_and_empty_values() {
    let mut s = surface::parse("# `x` API surface\n").unwrap();
    s.types.insert(
        "Odd".to_owned(),
        surface::TypeDef::Enum {
            open: false,
            variants: [
                ("Tick".to_owned(), Some("`a``b`")),
                ("Empty".to_owned(), Some("")),
                ("Spaced".to_owned(), Some(" x ")),
            ]
            .into_iter()
            .map(|(name, wire)| {
                (
                    name,
                    surface::Variant {
                        wire: wire.map(str::to_owned),
                        payload: None,
                    },
                )
            })
            .collect(),
        },
    );
    let text = s.render();
    assert!(
        text.contains("  - variant `Tick` (``` `a``b` ```)\n"),
        "{text}"
    );
    assert_eq!(surface::parse(&text).unwrap(), s);
}

#[test]
fn parse_errors_name_the_line() {
    let text = "# `x` API surface\n\n## Types\n\n- struct `A`\n  - variant `B`\n";
    let err = surface::parse(text).unwrap_err();
    assert_eq!(err.line, 6);
    assert_eq!(
        err.to_string(),
        "API surface line 6: `  - variant {}` does not belong to a struct"
    );

    let err = surface::parse("## Operations\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "API surface line 1: missing the title line (# `<crate>` API surface)"
    );

    let err = surface::parse("# `x` API surface\n## Operations\n- `a` returns `B\n").unwrap_err();
    assert_eq!(err.line, 3);
}
