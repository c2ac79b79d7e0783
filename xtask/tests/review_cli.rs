//! Reviewing a vendor's spec change as a user does, end to end: a git
//! repository with the project's layout (manifest, spec, generated crate,
//! workspace manifest), released in a commit; then the vendor's edit, `xtask
//! regen` and `xtask diff` through the real binary.

mod common;

use common::{Repo, stderr, stdout};

/// The vendor's document as released: one list operation with an optional
/// query parameter, returning invoices with a required and an optional
/// field.
const SPEC: &str = r#"openapi: 3.0.3
info:
  title: Acme
  version: 1.0.0
servers:
  - url: https://api.acme.test
paths:
  /invoices:
    get:
      operationId: listInvoices
      parameters:
        - name: status
          in: query
          schema:
            type: string
      responses:
        '200':
          description: The invoices.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Invoice'
components:
  schemas:
    Invoice:
      type: object
      required: [id]
      properties:
        id:
          type: string
        total:
          type: string
"#;

const MANIFEST: &str = "[[provider]]\nname = \"acme\"\npackage = \"invoicing-acme\"\n\
                        spec = \"acme/openapi.yaml\"\n";

/// A repository whose one commit is `acme` 0.1.0 as released: spec,
/// generated crate, and the workspace's requirement on it.
fn released() -> Repo {
    released_with(SPEC)
}

/// [`released`], from the vendor's document `spec`.
fn released_with(spec: &str) -> Repo {
    let repo = Repo::empty();
    repo.write("specs/providers.toml", MANIFEST);
    repo.write("specs/acme/openapi.yaml", spec);
    repo.write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\n",
    );
    repo.git(&["init", "--quiet"]);
    regen(&repo);
    repo.git(&["add", "."]);
    repo.git(&["commit", "--quiet", "-m", "release acme 0.1.0"]);
    repo
}

fn regen(repo: &Repo) {
    let out = repo.xtask(&["regen"]);
    assert!(out.status.success(), "regen: {}", stderr(&out));
}

/// The vendor edits its document (`from` becomes `to`), and the crate is
/// regenerated.
fn vendor_edits(repo: &Repo, from: &str, to: &str) {
    let spec = repo.read("specs/acme/openapi.yaml");
    assert!(spec.contains(from), "{from:?} is not in the spec");
    repo.write("specs/acme/openapi.yaml", &spec.replacen(from, to, 1));
    regen(repo);
}

/// Runs `xtask diff args`, expects exit status `code`, and returns stdout.
fn diff(repo: &Repo, args: &[&str], code: i32) -> String {
    let out = repo.xtask(&[&["diff"], args].concat());
    assert_eq!(
        out.status.code(),
        Some(code),
        "diff {args:?}\nstdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// The version of `invoicing-acme` in its Cargo.toml and in the workspace's
/// requirement on it.
fn versions(repo: &Repo) -> (String, String) {
    let version = |text: &str, prefix: &str| {
        let line = text
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starting {prefix:?} in\n{text}"));
        let start = line.find("version = \"").unwrap() + "version = \"".len();
        line[start..].split('"').next().unwrap().to_owned()
    };
    (
        version(&repo.read("crates/acme/Cargo.toml"), "version = "),
        version(&repo.read("Cargo.toml"), "invoicing-acme = "),
    )
}

#[test]
fn a_clean_tree_has_no_change_and_passes_deny_breaking() {
    let repo = released();
    let text = diff(&repo, &["--deny-breaking"], 0);
    assert_eq!(
        text,
        "acme: no API change\n  API changes since HEAD: none\n  Spec changes since HEAD: none\n  \
         Version: 0.1.0, no bump needed\n"
    );
}

#[test]
fn an_added_response_field_is_additive_in_text_and_markdown() {
    let repo = released();
    vendor_edits(
        &repo,
        "        total:\n",
        "        note:\n          type: string\n        total:\n",
    );
    let text = diff(&repo, &["--deny-breaking"], 0);
    assert!(text.starts_with("acme: 1 additive\n"), "{text}");
    assert!(
        text.contains("    additive  struct Invoice: added optional field note (Option<String>)\n"),
        "{text}"
    );
    assert!(
        text.contains("  Spec changes since HEAD:\n    GET /invoices (listInvoices): response 200 added field [].note\n"),
        "{text}"
    );
    assert!(
        text.contains("  Version: 0.1.0 -> 0.1.1 (patch bump suggested)\n"),
        "{text}"
    );

    let markdown = diff(&repo, &["--format", "markdown"], 0);
    assert!(
        markdown.starts_with("## API changes since `HEAD`\n\n### `acme`: 1 additive\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "- **additive** struct `Invoice`: added optional field `note` (`Option<String>`)\n"
        ),
        "{markdown}"
    );
    // Nothing is written without --apply-bump.
    assert_eq!(versions(&repo), ("0.1.0".to_owned(), "0.1.0".to_owned()));
}

#[test]
fn a_removed_response_field_fails_deny_breaking_and_bumps_once() {
    let repo = released();
    vendor_edits(&repo, "        total:\n          type: string\n", "");
    let text = diff(&repo, &["--deny-breaking"], 1);
    assert!(text.starts_with("acme: 1 breaking\n"), "{text}");
    assert!(
        text.contains("    breaking  struct Invoice: removed field total\n"),
        "{text}"
    );
    assert!(
        text.contains("GET /invoices (listInvoices): response 200 removed field [].total"),
        "{text}"
    );

    let applied = diff(&repo, &["--apply-bump"], 0);
    assert!(
        applied.contains("  Version: 0.1.0 -> 0.2.0 (minor bump), written to "),
        "{applied}"
    );
    assert_eq!(versions(&repo), ("0.2.0".to_owned(), "0.2.0".to_owned()));
    // The bump is measured from the base revision's release: applying it
    // again changes nothing, and regen keeps the version.
    let again = diff(&repo, &["--apply-bump"], 0);
    assert!(
        again.contains("  Version: 0.2.0 already includes the minor bump from 0.1.0\n"),
        "{again}"
    );
    assert_eq!(versions(&repo), ("0.2.0".to_owned(), "0.2.0".to_owned()));
    let out = repo.xtask(&["regen", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_revision_that_does_not_exist_is_named_with_exit_two() {
    let repo = released();
    let out = repo.xtask(&["diff", "--base", "no-such-rev"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown revision `no-such-rev`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_provider_added_since_the_base_is_a_new_crate() {
    let repo = released();
    repo.write(
        "specs/providers.toml",
        &format!("{MANIFEST}\n[[provider]]\nname = \"zeta\"\nspec = \"zeta/openapi.yaml\"\n"),
    );
    repo.write("specs/zeta/openapi.yaml", &SPEC.replace("Acme", "Zeta"));
    regen(&repo);
    let text = diff(&repo, &["--deny-breaking"], 0);
    assert!(
        text.ends_with("\nzeta: new crate\n  not present at HEAD\n"),
        "{text}"
    );
    assert!(text.starts_with("acme: no API change\n"), "{text}");
}

#[test]
fn a_provider_removed_since_the_base_is_breaking() {
    let repo = released();
    repo.write(
        "specs/providers.toml",
        "[[provider]]\nname = \"zeta\"\nspec = \"zeta/openapi.yaml\"\n",
    );
    repo.write("specs/zeta/openapi.yaml", &SPEC.replace("Acme", "Zeta"));
    regen(&repo);
    let text = diff(&repo, &["--deny-breaking"], 1);
    assert_eq!(
        text,
        "zeta: new crate\n  not present at HEAD\n\nacme: removed\n  in specs/providers.toml at \
         HEAD, not in the working tree: the crate is no longer generated\n"
    );
    let markdown = diff(&repo, &["--format", "markdown"], 0);
    assert!(
        markdown.ends_with(
            "### `acme`: removed\n\nIn `specs/providers.toml` at `HEAD`, not in the working \
             tree: the crate is no longer generated.\n"
        ),
        "{markdown}"
    );
}

/// The project itself, cloned at its last commit: every provider's spec is
/// prepared alike on both sides (constant headers, selections, overlays of
/// the real vendors' documents), so nothing changed means no change.
#[test]
fn a_clean_clone_of_this_repository_has_no_change() {
    let repo = Repo::empty();
    let source = xtask::pipeline::repo_root();
    repo.git(&[
        "clone",
        "--quiet",
        "--no-checkout",
        &source.display().to_string(),
        ".",
    ]);
    repo.git(&[
        "checkout",
        "--quiet",
        "HEAD",
        "--",
        "specs",
        "crates",
        "Cargo.toml",
    ]);
    let text = diff(&repo, &["--deny-breaking"], 0);
    let manifest = xtask::spec::manifest::read(repo.path()).unwrap();
    for provider in &manifest.providers {
        assert!(
            text.contains(&format!(
                "{}: no API change\n  API changes since HEAD: none\n  Spec changes since HEAD: none\n",
                provider.name
            )),
            "{text}"
        );
    }
}

/// A document whose `Invoice` only responses use, and whose `NewInvoice`
/// and `reference` parameter requests send, each with room for the vendor
/// to tune a bound.
const CONSTRAINED: &str = r#"openapi: 3.0.3
info:
  title: Acme
  version: 1.0.0
servers:
  - url: https://api.acme.test
paths:
  /invoices:
    get:
      operationId: listInvoices
      parameters:
        - name: reference
          in: query
          schema:
            type: string
            maxLength: 12
        - name: page_size
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 500
      responses:
        '200':
          description: The invoices.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Invoice'
    post:
      operationId: createInvoice
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewInvoice'
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Invoice'
components:
  schemas:
    Invoice:
      type: object
      required: [id, ref, lines, total]
      properties:
        id:
          type: integer
          format: int64
        ref:
          type: string
        total:
          type: number
        lines:
          type: array
          items:
            type: string
        sequence:
          type: integer
          format: int32
    NewInvoice:
      type: object
      required: [ref]
      properties:
        ref:
          type: string
          minLength: 1
          maxLength: 12
"#;

#[test]
fn response_constraints_change_no_type_and_are_still_reviewed() {
    let repo = released_with(CONSTRAINED);
    let api = repo.read("crates/acme/API.md");
    // Each bound would make typify change the type: `u64`, a newtype,
    // `NonZeroU32`, `[String; 2]` or a set.
    for (from, to) in [
        (
            "          format: int64\n",
            "          format: int64\n          minimum: 0\n",
        ),
        (
            "        ref:\n          type: string\n        total:",
            "        ref:\n          type: string\n          minLength: 1\n          pattern: '^[A-Z]+$'\n        total:",
        ),
        (
            "          type: number\n",
            "          type: number\n          minimum: 0\n          maximum: 1000\n",
        ),
        (
            "        lines:\n          type: array\n",
            "        lines:\n          type: array\n          minItems: 2\n          maxItems: 2\n          uniqueItems: true\n",
        ),
        (
            "          format: int32\n",
            "          format: int32\n          minimum: 1\n",
        ),
    ] {
        vendor_edits(&repo, from, to);
        assert_eq!(repo.read("crates/acme/API.md"), api, "after adding {to:?}");
    }
    // The spec summary still says what the vendor changed, breaking no
    // caller.
    assert_eq!(
        diff(&repo, &["--deny-breaking"], 0),
        "\
acme: no API change
  API changes since HEAD: none
  Spec changes since HEAD:
    schema Invoice field id: minimum none became 0
    schema Invoice field lines: maxItems none became 2
    schema Invoice field lines: minItems none became 2
    schema Invoice field lines: uniqueItems none became true
    schema Invoice field ref: minLength none became 1
    schema Invoice field ref: pattern none became ^[A-Z]+$
    schema Invoice field sequence: minimum none became 1
    schema Invoice field total: maximum none became 1000
    schema Invoice field total: minimum none became 0
  Version: 0.1.0, no bump needed
"
    );
}

#[test]
fn request_constraints_are_checked_and_tightening_them_breaks_callers() {
    let repo = released_with(CONSTRAINED);
    // The body's field is a newtype built with `try_from`, which checks
    // the bounds; the query parameter is checked when the request is sent.
    let api = repo.read("crates/acme/API.md");
    assert!(
        api.contains("  - field `ref_` (`ref`): `NewInvoiceRef`, required\n"),
        "{api}"
    );
    assert!(
        api.contains("- newtype `NewInvoiceRef` of `String`\n"),
        "{api}"
    );
    let code = repo.read("crates/acme/src/generated.rs");
    assert_eq!(
        code.matches("return Err(\"longer than 12 characters\".into());")
            .count(),
        2,
        "the body newtype and the parameter check:\n{code}"
    );
    vendor_edits(
        &repo,
        "          minLength: 1\n          maxLength: 12\n",
        "          minLength: 1\n          maxLength: 8\n",
    );
    assert!(
        repo.read("crates/acme/src/generated.rs")
            .contains("return Err(\"longer than 8 characters\".into());"),
        "the newtype checks the new bound"
    );
    let text = diff(&repo, &["--deny-breaking"], 1);
    assert!(
        text.starts_with(
            "acme: no API change; 1 spec change breaks callers\n  API changes since HEAD: none\n  \
             Spec changes since HEAD:\n    breaking  schema NewInvoice field ref: maxLength 12 became 8\n"
        ),
        "{text}"
    );
}

#[test]
fn a_request_bound_dropped_widens_what_callers_may_send() {
    let repo = released_with(CONSTRAINED);
    vendor_edits(
        &repo,
        "            minimum: 1\n            maximum: 500\n",
        "",
    );
    // typify makes the parameter `i64` instead of `u64`; its setter takes
    // any integer, so no caller breaks.
    assert_eq!(
        diff(&repo, &["--deny-breaking"], 0),
        "\
acme: 1 additive
  API changes since HEAD:
    additive  operation list_invoices: parameter page_size changed type from u64 to i64
  Spec changes since HEAD:
    GET /invoices (listInvoices) query parameter page_size: maximum 500 became none
    GET /invoices (listInvoices) query parameter page_size: minimum 1 became none
  Version: 0.1.0 -> 0.1.1 (patch bump suggested)
"
    );
}
