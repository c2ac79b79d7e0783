//! `cargo xtask diff` end to end over fixture inputs: the exact text and
//! Markdown reports, exit codes, and `--apply-bump`.

use xtask::diff;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::Parser;
use diff::{DiffArgs, DiffInputs, Format, exit_code, run};

fn fixture(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn spec(name: &str) -> openapiv3::OpenAPI {
    serde_norway::from_str(&fixture(&format!("spec/{name}.yaml"))).unwrap()
}

/// One provider's two sides, as fixture names.
struct Provider {
    base_surface: Option<String>,
    current_surface: String,
    base_spec: Option<String>,
    current_spec: String,
    base_version: Option<&'static str>,
}

/// The pipeline's inputs, from fixtures; a workspace Cargo.toml and the
/// crates' (`crates/<provider>/Cargo.toml`) in a temporary directory so
/// `--apply-bump` can write them.
struct Fake {
    dir: tempfile::TempDir,
    providers: BTreeMap<String, Provider>,
}

/// The workspace manifest both crates are required in, at 0.1.0.
const WORKSPACE: &str = r#"[workspace]
members = ["crates/*"]

[workspace.dependencies]
serde = "1"
# Generated clients.
sendcloud-v3 = { path = "crates/sendcloud-v3", version = "0.1.0" }
coinbase-business = { path = "crates/coinbase-business", version = "0.1.0" } # kept
"#;

fn cargo_toml(name: &str, version: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2024\"\n")
}

impl Fake {
    /// Sendcloud v3 gains `Invoice.payment_status`; Coinbase withdraws the
    /// `VOID` status; both crates at 0.1.0 in the last release and now.
    fn realistic() -> Self {
        let fake = Fake {
            dir: tempfile::tempdir().unwrap(),
            providers: [
                ("sendcloud-v3", "sendcloud-v3", "sendcloud-v3.new"),
                (
                    "coinbase-business",
                    "coinbase-business",
                    "coinbase-business.new",
                ),
            ]
            .into_iter()
            .map(|(name, base, current)| {
                (
                    name.to_owned(),
                    Provider {
                        base_surface: Some(format!("surface/{base}.API.md")),
                        current_surface: format!("surface/{current}.API.md"),
                        base_spec: Some(base.to_owned()),
                        current_spec: current.to_owned(),
                        base_version: Some("0.1.0"),
                    },
                )
            })
            .collect(),
        };
        for name in fake.providers.keys() {
            fake.set_version(name, "0.1.0");
        }
        std::fs::write(fake.workspace_manifest_path(), WORKSPACE).unwrap();
        fake
    }

    fn set_version(&self, provider: &str, version: &str) {
        let path = self.cargo_toml_path(provider);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, cargo_toml(provider, version)).unwrap();
    }

    fn workspace(&self) -> String {
        std::fs::read_to_string(self.workspace_manifest_path()).unwrap()
    }

    fn version(&self, provider: &str) -> String {
        std::fs::read_to_string(self.cargo_toml_path(provider)).unwrap()
    }
}

impl DiffInputs for Fake {
    fn providers(&self) -> Vec<String> {
        // Not alphabetical, as in specs/providers.toml.
        let mut names: Vec<String> = self.providers.keys().cloned().collect();
        names.reverse();
        names
    }
    fn base_providers(&self, rev: &str) -> Result<Vec<String>> {
        if rev != "HEAD" {
            return Err(anyhow!("unknown revision `{rev}`"));
        }
        Ok(self
            .providers()
            .into_iter()
            .filter(|p| self.providers[p].base_surface.is_some())
            .collect())
    }
    fn current_surface(&self, provider: &str) -> Result<String> {
        Ok(fixture(&self.providers[provider].current_surface))
    }
    fn base_surface(&self, provider: &str, rev: &str) -> Result<Option<String>> {
        if rev != "HEAD" {
            return Err(anyhow!("unknown revision `{rev}`"));
        }
        Ok(self.providers[provider]
            .base_surface
            .as_deref()
            .map(fixture))
    }
    fn current_spec(&self, provider: &str) -> Result<openapiv3::OpenAPI> {
        Ok(spec(&self.providers[provider].current_spec))
    }
    fn base_spec(&self, provider: &str, _rev: &str) -> Result<Option<openapiv3::OpenAPI>> {
        Ok(self.providers[provider].base_spec.as_deref().map(spec))
    }
    fn cargo_toml_path(&self, provider: &str) -> PathBuf {
        self.dir
            .path()
            .join("crates")
            .join(provider)
            .join("Cargo.toml")
    }
    fn workspace_manifest_path(&self) -> PathBuf {
        self.dir.path().join("Cargo.toml")
    }
    fn base_cargo_toml(&self, provider: &str, _rev: &str) -> Result<Option<String>> {
        Ok(self.providers[provider]
            .base_version
            .map(|v| cargo_toml(provider, v)))
    }
}

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    diff: DiffArgs,
}

fn args(line: &[&str]) -> DiffArgs {
    Cli::try_parse_from(std::iter::once("diff").chain(line.iter().copied()))
        .unwrap()
        .diff
}

/// Replaces the temporary directory in output with `<tmp>`.
fn portable(output: &str, dir: &Path) -> String {
    output.replace(&dir.display().to_string(), "<tmp>")
}

const TEXT: &str = "\
sendcloud-v3: 2 additive
  API changes since HEAD:
    additive  struct Invoice: added optional field payment_status (Option<InvoicePaymentStatus>)
    additive  added enum InvoicePaymentStatus
  Spec changes since HEAD:
    GET /invoices (list_invoices): response 200 added field data[].payment_status
    GET /invoices/{invoice_id} (retrieve_invoice): response 200 added field data.payment_status
  Version: 0.1.0 -> 0.1.1 (patch bump suggested)

coinbase-business: 1 breaking
  API changes since HEAD:
    breaking  enum InvoiceStatus: removed variant Void (VOID)
  Spec changes since HEAD:
    breaking  schema InvoiceStatus: removed enum value VOID
  Version: 0.1.0 -> 0.2.0 (minor bump suggested)
";

const MARKDOWN: &str = "\
## API changes since `HEAD`

### `sendcloud-v3`: 2 additive

API:

- **additive** struct `Invoice`: added optional field `payment_status` (`Option<InvoicePaymentStatus>`)
- **additive** added enum `InvoicePaymentStatus`

Spec:

- `GET /invoices` (`list_invoices`): response `200` added field `data[].payment_status`
- `GET /invoices/{invoice_id}` (`retrieve_invoice`): response `200` added field `data.payment_status`

Version: `0.1.0` -> `0.1.1` (patch bump suggested).

### `coinbase-business`: 1 breaking

API:

- **breaking** enum `InvoiceStatus`: removed variant `Void` (`VOID`)

Spec:

- **breaking** schema `InvoiceStatus`: removed enum value `VOID`

Version: `0.1.0` -> `0.2.0` (minor bump suggested).
";

#[test]
fn text_report() {
    let fake = Fake::realistic();
    let outcome = run(args(&[]), &fake);
    assert_eq!(exit_code(&outcome), 0);
    let outcome = outcome.unwrap();
    assert_eq!(outcome.output, TEXT);
    assert!(!outcome.output.contains('`'), "no Markdown in text output");
    assert!(outcome.has_breaking());
    // Nothing is written without `--apply-bump`.
    assert_eq!(
        fake.version("sendcloud-v3"),
        cargo_toml("sendcloud-v3", "0.1.0")
    );
}

#[test]
fn markdown_report() {
    let fake = Fake::realistic();
    let outcome = run(args(&["--format", "markdown"]), &fake).unwrap();
    assert_eq!(outcome.output, MARKDOWN);
}

#[test]
fn deny_breaking_exits_one_only_for_breaking_changes() {
    let fake = Fake::realistic();
    assert_eq!(exit_code(&run(args(&["--deny-breaking"]), &fake)), 1);
    assert_eq!(
        exit_code(&run(args(&["--deny-breaking", "sendcloud-v3"]), &fake)),
        0
    );
}

#[test]
fn apply_bump_writes_each_crate_once() {
    let fake = Fake::realistic();
    let outcome = run(args(&["--apply-bump"]), &fake).unwrap();
    assert_eq!(
        fake.version("sendcloud-v3"),
        cargo_toml("sendcloud-v3", "0.1.1")
    );
    assert_eq!(
        fake.version("coinbase-business"),
        cargo_toml("coinbase-business", "0.2.0")
    );
    let output = portable(&outcome.output, fake.dir.path());
    assert!(
        output.contains(
            "  Version: 0.1.0 -> 0.1.1 (patch bump), written to <tmp>/crates/sendcloud-v3/Cargo.toml\n"
        ),
        "{output}"
    );
    // The workspace requires each crate at its new version (a minor bump
    // would otherwise leave a requirement cargo refuses), and nothing else
    // in the file moves.
    assert_eq!(
        fake.workspace(),
        WORKSPACE
            .replace(
                "\"crates/sendcloud-v3\", version = \"0.1.0\"",
                "\"crates/sendcloud-v3\", version = \"0.1.1\""
            )
            .replace(
                "\"crates/coinbase-business\", version = \"0.1.0\"",
                "\"crates/coinbase-business\", version = \"0.2.0\""
            )
    );

    // The bump is measured from the last release: a second run finds it done.
    let again = run(args(&["--apply-bump"]), &fake).unwrap();
    assert_eq!(
        fake.version("sendcloud-v3"),
        cargo_toml("sendcloud-v3", "0.1.1")
    );
    assert!(
        again
            .output
            .contains("  Version: 0.1.1 already includes the patch bump from 0.1.0\n"),
        "{}",
        again.output
    );
}

#[test]
fn a_breaking_change_on_top_of_an_additive_bump_raises_it() {
    let fake = Fake::realistic();
    fake.set_version("coinbase-business", "0.1.1");
    run(args(&["--apply-bump", "coinbase-business"]), &fake).unwrap();
    assert_eq!(
        fake.version("coinbase-business"),
        cargo_toml("coinbase-business", "0.2.0")
    );
}

#[test]
fn unchanged_and_new_crates() {
    let mut fake = Fake::realistic();
    fake.providers.insert(
        "kitchen".to_owned(),
        Provider {
            base_surface: None,
            current_surface: "surface/shapes.API.md".to_owned(),
            base_spec: None,
            current_spec: "shapes".to_owned(),
            base_version: None,
        },
    );
    let unchanged = fake.providers.get_mut("sendcloud-v3").unwrap();
    unchanged.current_surface = "surface/sendcloud-v3.API.md".to_owned();
    unchanged.current_spec = "sendcloud-v3".to_owned();

    let outcome = run(args(&["sendcloud-v3", "kitchen"]), &fake).unwrap();
    assert_eq!(
        outcome.output,
        "\
sendcloud-v3: no API change
  API changes since HEAD: none
  Spec changes since HEAD: none
  Version: 0.1.0, no bump needed

kitchen: new crate
  not present at HEAD
"
    );
    let markdown = run(
        args(&["--format", "markdown", "sendcloud-v3", "kitchen"]),
        &fake,
    )
    .unwrap();
    assert_eq!(
        markdown.output,
        "## API changes since `HEAD`\n\n\
         ### `sendcloud-v3`: no API change\n\nAPI: no change.\n\nSpec: no change.\n\n\
         Version: `0.1.0`, no bump needed.\n\n\
         ### `kitchen`: new crate\n\nNot present at `HEAD`.\n"
    );
}

#[test]
fn a_tightened_request_constraint_alone_is_breaking() {
    // The API is unchanged (the surface does not show a parameter's
    // maximum), but a request that worked may now be refused.
    let mut fake = Fake::realistic();
    let acme = fake.providers.get_mut("sendcloud-v3").unwrap();
    acme.current_surface = "surface/sendcloud-v3.API.md".to_owned();
    acme.base_spec = Some("constraints.old".to_owned());
    acme.current_spec = "constraints.new".to_owned();
    let outcome = run(args(&["--deny-breaking", "sendcloud-v3"]), &fake);
    assert_eq!(exit_code(&outcome), 1);
    let output = outcome.unwrap().output;
    assert!(
        output.starts_with("sendcloud-v3: no API change; 7 spec changes break callers\n"),
        "{output}"
    );
    assert!(
        output.contains(
            "    breaking  GET /invoices (listInvoices) query parameter limit: maximum 100 became 50\n"
        ),
        "{output}"
    );
    assert!(
        output.contains("  Version: 0.1.0 -> 0.2.0 (minor bump suggested)\n"),
        "{output}"
    );
}

#[test]
fn errors_exit_two_with_a_clear_message() {
    let fake = Fake::realistic();

    let unknown = run(args(&["--base", "v9"]), &fake);
    assert_eq!(exit_code(&unknown), 2);
    assert_eq!(
        format!("{:#}", unknown.unwrap_err()),
        "reading specs/providers.toml at `v9`: unknown revision `v9`"
    );
    let one = run(args(&["--base", "v9", "sendcloud-v3"]), &fake);
    assert_eq!(
        format!("{:#}", one.unwrap_err()),
        "comparing `sendcloud-v3` with `v9`: reading the API surface at `v9`: unknown revision `v9`"
    );

    let provider = run(args(&["stripe"]), &fake).unwrap_err();
    assert_eq!(
        provider.to_string(),
        "unknown provider `stripe` (known: sendcloud-v3, coinbase-business)"
    );

    let mut broken = Fake::realistic();
    broken
        .providers
        .get_mut("coinbase-business")
        .unwrap()
        .base_surface = Some("spec/coinbase-business.yaml".to_owned());
    let err = run(args(&[]), &broken).unwrap_err();
    assert_eq!(
        format!("{err:#}"),
        "comparing `coinbase-business` with `HEAD`: the API surface (API.md) at `HEAD`: \
         API surface line 1: missing the title line (# `<crate>` API surface)"
    );
}

#[test]
fn arguments_and_defaults() {
    assert_eq!(
        args(&[]),
        DiffArgs {
            base: "HEAD".to_owned(),
            format: Format::Text,
            deny_breaking: false,
            apply_bump: false,
            providers: Vec::new(),
        }
    );
    assert_eq!(
        args(&[
            "--base",
            "origin/main",
            "--format",
            "markdown",
            "--deny-breaking",
            "--apply-bump",
            "kitchen",
            "sendcloud-v2"
        ]),
        DiffArgs {
            base: "origin/main".to_owned(),
            format: Format::Markdown,
            deny_breaking: true,
            apply_bump: true,
            providers: vec!["kitchen".to_owned(), "sendcloud-v2".to_owned()],
        }
    );
    assert!(Cli::try_parse_from(["diff", "--format", "html"]).is_err());
}
