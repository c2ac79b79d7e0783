//! `cargo xtask diff` against a real git repository: a temporary one with a
//! committed surface, spec and Cargo.toml, then changed in the work tree.

mod common;

use common::git;
use xtask::diff;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use diff::git::{read_at_revision, verify_revision};
use diff::{DiffArgs, DiffInputs, Format, exit_code, run};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/diff")
            .join(path),
    )
    .unwrap()
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CARGO_TOML: &str = "[package]\nname = \"sendcloud-v3\"\nversion = \"0.1.0\"\n";

/// The workspace manifest, requiring the crate at its released version.
const WORKSPACE: &str = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\n\
                         sendcloud-v3 = { path = \"crates/sendcloud-v3\", version = \"0.1.0\" }\n";

/// A repository whose first commit has the Sendcloud v3 crate as released,
/// and whose work tree has the vendor's new field (spec and regenerated
/// surface).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    write(
        root,
        "specs/sendcloud-v3/openapi.yaml",
        &fixture("spec/sendcloud-v3.yaml"),
    );
    write(
        root,
        "crates/sendcloud-v3/API.md",
        &fixture("surface/sendcloud-v3.API.md"),
    );
    write(root, "crates/sendcloud-v3/Cargo.toml", CARGO_TOML);
    write(root, "Cargo.toml", WORKSPACE);
    git(root, &["add", "."]);
    git(
        root,
        &["commit", "--quiet", "--no-verify", "-m", "release 0.1.0"],
    );
    write(
        root,
        "specs/sendcloud-v3/openapi.yaml",
        &fixture("spec/sendcloud-v3.new.yaml"),
    );
    write(
        root,
        "crates/sendcloud-v3/API.md",
        &fixture("surface/sendcloud-v3.new.API.md"),
    );
    dir
}

/// The pipeline's side of the comparison over a repository: the work tree
/// for the current side, `git show` for the base.
struct Repo<'a> {
    root: &'a Path,
}

impl Repo<'_> {
    fn at(&self, rev: &str, path: &str) -> Result<Option<String>> {
        read_at_revision(self.root, rev, Path::new(path))?
            .map(|bytes| {
                String::from_utf8(bytes).with_context(|| format!("{path} at `{rev}` is not UTF-8"))
            })
            .transpose()
    }

    fn parse_spec(text: &str) -> Result<openapiv3::OpenAPI> {
        Ok(serde_norway::from_str(text)?)
    }
}

impl DiffInputs for Repo<'_> {
    fn providers(&self) -> Vec<String> {
        vec!["sendcloud-v3".to_owned()]
    }
    fn base_providers(&self, _rev: &str) -> Result<Vec<String>> {
        Ok(self.providers())
    }
    fn current_surface(&self, provider: &str) -> Result<String> {
        Ok(std::fs::read_to_string(
            self.root.join(format!("crates/{provider}/API.md")),
        )?)
    }
    fn base_surface(&self, provider: &str, rev: &str) -> Result<Option<String>> {
        self.at(rev, &format!("crates/{provider}/API.md"))
    }
    fn current_spec(&self, provider: &str) -> Result<openapiv3::OpenAPI> {
        Self::parse_spec(&std::fs::read_to_string(
            self.root.join(format!("specs/{provider}/openapi.yaml")),
        )?)
    }
    fn base_spec(&self, provider: &str, rev: &str) -> Result<Option<openapiv3::OpenAPI>> {
        let path = format!("specs/{provider}/openapi.yaml");
        self.at(rev, &path)?
            .map(|text| {
                Self::parse_spec(&text)
                    .with_context(|| format!("{path} at `{rev}` is not a valid OpenAPI document"))
            })
            .transpose()
    }
    fn cargo_toml_path(&self, provider: &str) -> PathBuf {
        self.root.join(format!("crates/{provider}/Cargo.toml"))
    }
    fn workspace_manifest_path(&self) -> PathBuf {
        self.root.join("Cargo.toml")
    }
    fn base_cargo_toml(&self, provider: &str, rev: &str) -> Result<Option<String>> {
        self.at(rev, &format!("crates/{provider}/Cargo.toml"))
    }
}

/// `cargo xtask diff --base <base>`, with `--apply-bump` if asked.
fn args(base: &str, apply_bump: bool) -> DiffArgs {
    DiffArgs {
        base: base.to_owned(),
        format: Format::Text,
        deny_breaking: false,
        apply_bump,
        providers: Vec::new(),
    }
}

#[test]
fn diff_against_the_last_commit() {
    let dir = repository();
    let repo = Repo { root: dir.path() };
    let outcome = run(args("HEAD", true), &repo).unwrap();
    let cargo_toml = dir.path().join("crates/sendcloud-v3/Cargo.toml");
    assert_eq!(
        outcome.output,
        format!(
            "\
sendcloud-v3: 2 additive
  API changes since HEAD:
    additive  struct Invoice: added optional field payment_status (Option<InvoicePaymentStatus>)
    additive  added enum InvoicePaymentStatus
  Spec changes since HEAD:
    GET /invoices (list_invoices): response 200 added field data[].payment_status
    GET /invoices/{{invoice_id}} (retrieve_invoice): response 200 added field data.payment_status
  Version: 0.1.0 -> 0.1.1 (patch bump), written to {}
",
            cargo_toml.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&cargo_toml).unwrap(),
        CARGO_TOML.replace("0.1.0", "0.1.1")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
        WORKSPACE.replace("0.1.0", "0.1.1")
    );
    assert_eq!(exit_code(&Ok(outcome)), 0);
}

#[test]
fn unknown_revision_is_an_error() {
    let dir = repository();
    let repo = Repo { root: dir.path() };
    let result = run(args("no-such-branch", false), &repo);
    assert_eq!(exit_code(&result), 2);
    assert_eq!(
        format!("{:#}", result.unwrap_err()),
        format!(
            "comparing `sendcloud-v3` with `no-such-branch`: reading the API surface at `no-such-branch`: \
             unknown revision `no-such-branch`: it does not name a commit in {}",
            dir.path().display()
        )
    );
    // A tree is not a commit either.
    let tree = git(dir.path(), &["rev-parse", "HEAD^{tree}"]);
    assert!(verify_revision(dir.path(), tree.trim()).is_err());
}

#[test]
fn unparsable_spec_at_the_base_is_an_error() {
    let dir = repository();
    let root = dir.path();
    write(
        root,
        "specs/sendcloud-v3/openapi.yaml",
        "openapi: [not, a, document\n",
    );
    git(
        root,
        &["commit", "--quiet", "--no-verify", "-am", "broken spec"],
    );
    write(
        root,
        "specs/sendcloud-v3/openapi.yaml",
        &fixture("spec/sendcloud-v3.new.yaml"),
    );
    let result = run(args("HEAD", false), &Repo { root });
    assert_eq!(exit_code(&result), 2);
    let message = format!("{:#}", result.unwrap_err());
    assert!(
        message.starts_with(
            "comparing `sendcloud-v3` with `HEAD`: reading the spec at `HEAD`: \
             specs/sendcloud-v3/openapi.yaml at `HEAD` is not a valid OpenAPI document: "
        ),
        "{message}"
    );
}

#[test]
fn reads_files_as_committed() {
    let dir = repository();
    let root = dir.path();
    let committed =
        read_at_revision(root, "HEAD", Path::new("crates/sendcloud-v3/Cargo.toml")).unwrap();
    assert_eq!(committed.as_deref(), Some(CARGO_TOML.as_bytes()));

    // Missing at that revision: `None`, not an error.
    assert_eq!(
        read_at_revision(root, "HEAD", Path::new("crates/kitchen/API.md")).unwrap(),
        None
    );

    // Relative to the given directory, even below the top of the work tree.
    let crate_dir = root.join("crates/sendcloud-v3");
    let from_subdir = read_at_revision(&crate_dir, "HEAD", Path::new("Cargo.toml")).unwrap();
    assert_eq!(from_subdir.as_deref(), Some(CARGO_TOML.as_bytes()));

    let err = read_at_revision(root, "HEAD", Path::new("crates")).unwrap_err();
    assert_eq!(err.to_string(), "`crates` at `HEAD` is a tree, not a file");

    // A revision that looks like an option is a revision, not an option.
    let err =
        read_at_revision(root, "--all", Path::new("crates/sendcloud-v3/Cargo.toml")).unwrap_err();
    assert!(
        err.to_string().starts_with("unknown revision `--all`"),
        "{err}"
    );
}
