//! `cargo xtask spec` as a user runs it: the document as the generator
//! sees it, for mocks, linters and other tools.

mod common;

use std::process::Command;

use common::{GOOD_SPEC, Repo, stderr};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("the document is printed as JSON")
}

#[test]
fn prints_the_document_with_its_overlay_applied() {
    let repo = Repo::new();
    let doc = json(&repo.xtask(&["spec", "a"]));
    assert_eq!(doc["info"]["description"], "Fixed.", "the overlay's update");
    // As the vendor wrote it otherwise: still OpenAPI 3.1.
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc.pointer("/paths/~1invoices/get/responses/200/content/application~1json/schema/properties/total/type"),
        Some(&serde_json::json!(["number", "null"]))
    );
}

#[test]
fn normalised_is_selected_and_in_the_form_the_generator_reads() {
    let repo = Repo::new();
    repo.write(
        "specs/a/openapi.yaml",
        &GOOD_SPEC.replace(
            "paths:\n",
            "paths:\n  /reports:\n    get:\n      operationId: listReports\n      responses: {'204': {description: none}}\n",
        ),
    );
    repo.write(
        "specs/providers.toml",
        "[[provider]]\nname = \"a\"\nspec = \"a/openapi.yaml\"\nselect = { operations = [\"listInvoices\"] }\n",
    );
    let doc = json(&repo.xtask(&["spec", "a", "--normalised"]));
    let total = doc
        .pointer(
            "/paths/~1invoices/get/responses/200/content/application~1json/schema/properties/total",
        )
        .unwrap();
    assert_eq!(total["type"], "number", "{total}");
    assert_eq!(total["nullable"], true, "{total}");
    assert!(doc["paths"].get("/reports").is_none(), "not selected");
    // Without --normalised the selection is not applied either.
    let whole = json(&repo.xtask(&["spec", "a"]));
    assert!(whole["paths"].get("/reports").is_some());
}

#[test]
fn notes_list_every_change_and_what_was_left_out() {
    let repo = Repo::new();
    repo.write(
        "specs/b/openapi.json",
        &serde_json::to_string(
            &serde_norway::from_str::<Value>(&GOOD_SPEC.replace("title: Acme\n", "title: Acme\n  summary: Invoices\n").replace(
                "paths:\n",
                "paths:\n  /files:\n    post:\n      operationId: upload\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: object}\n      responses: {'204': {description: ok}}\n",
            ))
            .unwrap(),
        )
        .unwrap(),
    );
    let out = repo.xtask(&["spec", "b", "--notes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let notes = String::from_utf8_lossy(&out.stdout);
    assert!(
        notes.contains(
            "specs/b/openapi.json at /paths/~1files/post/requestBody/content (operation upload): operation left out of the generated crate: its request body is sent as multipart/form-data"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("specs/b/openapi.json at /info/summary: dropped `info.summary`"),
        "what normalising dropped is a note:\n{notes}"
    );
    // Notes are listed, not warned about: nothing on stderr.
    assert_eq!(stderr(&out), "");
}

#[test]
fn an_unknown_provider_or_a_broken_spec_exits_two_naming_it() {
    let repo = Repo::new();
    let out = repo.xtask(&["spec", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown provider nope"),
        "{}",
        stderr(&out)
    );

    repo.write("specs/a/openapi.yaml", "openapi: 3.0.3\ninfo: [\n");
    let out = repo.xtask(&["spec", "a"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("specs/a/openapi.yaml:"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "no half document on stdout");
}

#[test]
fn the_repository_is_the_one_the_current_directory_is_in() {
    let repo = Repo::new();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec", "a"])
        .current_dir(repo.path().join("specs/a"))
        .output()
        .unwrap();
    assert_eq!(json(&out)["info"]["description"], "Fixed.");

    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["spec", "a"])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no specs/providers.toml"),
        "{}",
        stderr(&out)
    );
}
