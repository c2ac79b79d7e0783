//! Constructs of vendors' documents that once stopped the generator, one
//! small document each in `fixtures/constructs/` (its YAML says what it
//! shows). Here: each generates with nothing left out, and what the
//! generator did about it is a note at the right JSON pointer or a line of
//! the crate docs. That each generated crate builds, and passes clippy and
//! rustdoc with warnings denied, is `cargo xtask corpus
//! xtask/tests/fixtures/constructs` (in CI).

use std::path::Path;

use xtask::pipeline::{self, Generated};
use xtask::spec::manifest;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// Runs `check` on the fixture's crate, generated as `cargo xtask regen`
/// would (on a stack as deep as the command's).
fn generated(name: &'static str, check: impl FnOnce(&Generated) + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(pipeline::GENERATION_STACK)
        .spawn(move || check(&generate(name)))
        .unwrap()
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

fn generate(name: &str) -> Generated {
    let manifest = manifest::read_in(root(), Path::new("xtask/tests/fixtures/constructs")).unwrap();
    let provider = manifest
        .providers
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is in fixtures/constructs/providers.toml"));
    let g = pipeline::generate_crate(root(), provider).unwrap_or_else(|e| panic!("{name}: {e:#}"));
    assert!(g.left_out.is_empty(), "{name}: {:?}", g.left_out);
    g
}

fn file<'a>(g: &'a Generated, ends_with: &str) -> &'a str {
    &g.outputs
        .iter()
        .find(|o| o.path.ends_with(ends_with))
        .unwrap()
        .contents
}

/// The notes as printed (file, JSON pointer, operation, message).
fn notes(g: &Generated) -> Vec<String> {
    g.notes.iter().map(ToString::to_string).collect()
}

fn has_note(g: &Generated, pointer: &str, words: &str) {
    let notes = notes(g);
    assert!(
        notes
            .iter()
            .any(|n| n.contains(pointer) && n.contains(words)),
        "no note at {pointer} saying {words:?} in {notes:#?}"
    );
}

#[test]
fn a_specific_status_is_matched_before_its_range_and_default() {
    generated("statuses", |g| {
        let code = file(g, "generated.rs");
        let list = &code[code.find("impl<'a> ListInvoices<'a>").unwrap()..];
        let arm = |pattern: &str| list.find(pattern).unwrap_or_else(|| panic!("{pattern}"));
        assert!(arm("404u16 =>") < arm("400u16..=499u16 =>"), "{list}");
        assert!(arm("503u16 =>") < arm("500u16..=599u16 =>"), "{list}");
        assert!(arm("500u16..=599u16 =>") < arm("_ =>"), "{list}");
    });
}

#[test]
fn zero_lower_bounds_make_no_check() {
    generated("bounds", |g| {
        assert!(
            !file(g, "generated.rs").contains("< 0usize"),
            "a length compared with zero"
        );
    });
}

#[test]
fn a_document_without_operations_imports_nothing_unused() {
    generated("no-operations", |g| {
        let code = file(g, "generated.rs");
        let builder = &code[code.find("pub mod builder").unwrap()..];
        let builder = &builder[..builder.find("\n}").unwrap()];
        assert!(!builder.contains("use super::types;"), "{builder}");
    });
}

#[test]
fn link_targets_rustdoc_cannot_resolve_become_text() {
    generated("doc-links", |g| {
        let code = file(g, "generated.rs");
        assert!(code.contains("team member (`entity:TeamMember`)"), "{code}");
        assert!(code.contains("[docs](https://example.com/docs)"), "{code}");
        assert!(!code.contains("](entity:"), "{code}");
        assert!(file(g, "src/lib.rs").contains("order (`entity:Order`)"));
    });
}

#[test]
fn references_inside_extensions_are_not_followed() {
    generated("extensions", |g| {
        assert!(file(g, "generated.rs").contains("pub fn list_invoices("));
    });
}

#[test]
fn gaps_in_operations_are_filled_with_notes() {
    generated("operations", |g| {
        let code = file(g, "generated.rs");
        assert!(
            code.contains("pub fn get_v2_invoices_by_invoice_id("),
            "{code}"
        );
        assert!(
            code.contains("pub fn delete_v2_invoices_by_invoice_id("),
            "{code}"
        );
        assert!(
            !code.contains("legacy_id"),
            "a parameter not in the path is not sent"
        );
        assert!(
            code.contains("vendor_id"),
            "the path's variable is a parameter"
        );
        let invoice = "/paths/~1v2~1invoices~1{invoice_id}";
        has_note(
            g,
            &format!("{invoice}/get"),
            "named `get_v2_invoices_by_invoice_id`",
        );
        has_note(
            g,
            &format!("{invoice}/parameters/1"),
            "`legacy_id` does not appear in the path",
        );
        has_note(
            g,
            "/paths/~1v2~1vendors~1{vendor_id}/put",
            "a required string path parameter `vendor_id` is added",
        );
        has_note(
            g,
            &format!("{invoice}/delete/security/0/oauth2"),
            "no scopes",
        );
    });
}

#[test]
fn a_media_type_range_sends_json_or_bytes_by_its_schema() {
    generated("media", |g| {
        let code = file(g, "generated.rs");
        let section = |start: &str| {
            let from = code.find(start).unwrap_or_else(|| panic!("{start}"));
            &code[from..from + code[from..].find("\n    }\n").unwrap()]
        };
        assert!(section("impl<'a> CreateInvoice<'a>").contains(".json("));
        assert!(section("impl<'a> CreateNote<'a>").contains(".json("));
        assert!(!section("impl<'a> UploadFile<'a>").contains(".json("));
    });
}

#[test]
fn patterns_for_other_engines_are_translated_or_listed_unchecked() {
    generated("patterns", |g| {
        let code = file(g, "generated.rs");
        assert!(code.contains("^([aA][lL][lL]|[nN][oO][nN][eE])$"), "{code}");
        has_note(
            g,
            "/parameters/0/schema/pattern",
            "written in ECMA-262 form",
        );
        has_note(g, "/parameters/1/schema/pattern", "not checked");
        let docs = file(g, "src/lib.rs");
        assert!(docs.contains("# Checks not made"), "{docs}");
        assert!(docs.contains("(?x) ^ [a-z]+ $"), "{docs}");
    });
}

#[test]
fn a_dangling_schema_reference_is_any_value_and_plain_alternatives_are_text() {
    generated("references", |g| {
        has_note(
            g,
            "/components/schemas/Customer/properties/toggle/$ref",
            "any JSON value",
        );
        has_note(g, "parameters/0/schema", "sent as text");
        let code = file(g, "generated.rs");
        assert!(
            code.contains("toggle: ::std::option::Option<::serde_json::Value>"),
            "{code}"
        );
    });
}

#[test]
fn recursion_and_references_into_definitions_generate() {
    generated("recursion", |g| {
        let code = file(g, "generated.rs");
        assert!(code.contains("Vec<Account>"), "{code}");
        assert!(code.contains("AccountType"), "{code}");
    });
}

#[test]
fn deep_nesting_generates_with_names_a_file_can_hold() {
    generated("deep", |g| {
        let code = file(g, "generated.rs");
        assert!(code.contains("pub fn get_deep("));
        let longest = code
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .map(str::len)
            .max()
            .unwrap();
        assert!(longest <= 80, "an identifier of {longest} characters");
    });
}
