//! Snapshot tests: the postprocess passes and the surface on real progenitor
//! output, compared with committed files under `tests/snapshots/`.
//!
//! `fixtures/passes/acme.yaml` (with one paged list) is shaped and
//! generated with the shape and generate passes themselves,
//! then the passes run in order; each pass's snapshot is the unified diff of
//! what it changed, so a change to a pass shows up as a change to that file.
//! After an intended change, rewrite the snapshots and review `git diff`:
//!
//! ```sh
//! EXPECTORATE=overwrite cargo test -p xtask --test snapshots
//! ```

use std::path::Path;

use xtask::generate::postprocess::{self, ClientFacts};
use xtask::generate::{constant_headers, progenitor, shape};
use xtask::spec::files::{self, Input};
use xtask::spec::manifest::{Credentials, Provider};
use xtask::spec::paging;
use xtask::surface;

fn provider() -> Provider {
    Provider {
        name: "acme".into(),
        package: None,
        spec: "acme.yaml".into(),
        credentials: vec![Credentials {
            scheme: "apiKey".into(),
            env: vec!["ACME_API_KEY".into()],
            kind: None,
        }],
        ..Default::default()
    }
}

/// The fixture through the spec-reading passes and progenitor: the input of
/// the postprocess passes.
fn generated() -> (syn::File, ClientFacts) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/passes/acme.yaml");
    let spec = Input {
        path: "tests/fixtures/passes/acme.yaml".into(),
        bytes: std::fs::read(path).unwrap(),
    };
    let (mut doc, _) = files::prepare(&spec, None).unwrap();
    let paged = paging::read(&doc).unwrap().operations;
    let headers = constant_headers::take(&mut doc).unwrap();
    let shaped = shape::shape(&mut doc);
    let generated = progenitor::generate_document(&doc).unwrap();
    let facts = ClientFacts {
        wire: shaped.wire,
        paged,
        ..ClientFacts::new(&provider(), &generated.spec, headers).unwrap()
    };
    (generated.code, facts)
}

/// What a pass changed, as a unified diff of the formatted code.
fn diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header("before", "after")
        .to_string()
}

#[test]
fn each_pass_changes_only_what_it_is_for() {
    let (mut file, facts) = generated();
    for (index, (name, pass)) in postprocess::PASSES.iter().enumerate() {
        let before = prettyplease::unparse(&file);
        pass.run(&mut file, &facts).unwrap();
        let after = prettyplease::unparse(&file);
        let changed = diff(&before, &after);
        assert!(!changed.is_empty(), "{name} changed nothing in the fixture");
        expectorate::assert_contents(
            format!("tests/snapshots/passes/{}-{name}.diff", index + 1),
            &changed,
        );
    }
}

#[test]
fn the_surface_of_the_processed_fixture() {
    let (mut file, facts) = generated();
    postprocess::run(&mut file, &facts).unwrap();
    let rendered = surface::render("acme", &file).unwrap();
    expectorate::assert_contents("tests/snapshots/surface/acme.API.md", &rendered);
    assert_eq!(surface::parse(&rendered).unwrap().render(), rendered);
}
