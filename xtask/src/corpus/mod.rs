//! `cargo xtask corpus DIR`: real vendors' documents through the whole
//! generator, as a user adding them would run it.
//!
//! `DIR` holds a `providers.toml` like `specs/`'s, its specs relative to
//! it. For each provider the whole document is generated (nothing may
//! stop it), then the crate (only the selected operations, when the entry
//! has a `select`) is written into a scratch Cargo workspace outside the
//! repository, built, clippy-checked and doc-checked with warnings denied,
//! and every response example in the document is decoded with it.

mod workspace;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::json;

use crate::document::examples::response_examples;
use crate::manifest::Provider;
use crate::passes::write;
use crate::pipeline::{self, Generated};

/// Options of `cargo xtask corpus`.
#[derive(Debug, Clone, clap::Args)]
pub struct CorpusArgs {
    /// Directory with a `providers.toml` and the documents it names.
    pub dir: PathBuf,
    /// Build every operation, ignoring the entries' `select`.
    #[arg(long)]
    pub all_operations: bool,
    /// Where to write the scratch workspace (default: a directory under
    /// the system's temporary directory).
    #[arg(long, value_name = "DIR")]
    pub scratch: Option<PathBuf>,
    /// Only these providers (names from the directory's `providers.toml`).
    pub providers: Vec<String>,
}

/// What one provider's check found.
struct Row {
    name: String,
    operations: usize,
    left_out: usize,
    lines: usize,
    regen: Duration,
    build: Duration,
    clippy: Duration,
    doc: Duration,
}

/// Runs the check; `Ok(false)` when something failed (each failure is
/// printed as it happens).
pub fn run(root: &Path, args: &CorpusArgs) -> Result<bool> {
    let dir = args.dir.strip_prefix(root).unwrap_or(&args.dir).to_owned();
    let manifest = crate::manifest::read_in(root, &dir)?;
    let scratch = args
        .scratch
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("invoicing-corpus"));
    let mut rows = Vec::new();
    let mut examples = Vec::new();
    let mut names = Vec::new();
    for provider in manifest
        .providers
        .iter()
        .filter(|p| args.providers.is_empty() || args.providers.contains(&p.name))
    {
        let started = Instant::now();
        let full = generate(
            root,
            &Provider {
                select: None,
                ..provider.clone()
            },
        )?;
        let regen = started.elapsed();
        let crate_ = match (&provider.select, args.all_operations) {
            (Some(_), false) => generate(root, provider)?,
            _ => full,
        };
        let left_out: Vec<&str> = crate_
            .left_out
            .iter()
            .filter_map(|e| e.operation.as_deref())
            .collect();
        for example in response_examples(&crate_.doc) {
            if !left_out.contains(&example.operation.as_str()) {
                examples.push(
                    json!({"provider": provider.name, "operation": example.operation,
                    "status": example.status, "name": example.name, "body": example.value}),
                );
            }
        }
        let crate_dir = scratch.join("crates").join(&provider.name);
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir)
                .with_context(|| format!("clearing {}", crate_dir.display()))?;
        }
        write::write_all(&scratch, &crate_.outputs)?;
        rows.push(Row {
            name: provider.name.clone(),
            operations: crate_.spec.operations().count(),
            left_out: crate_.left_out.len(),
            lines: crate_
                .outputs
                .iter()
                .map(|o| o.contents.lines().count())
                .sum(),
            regen,
            build: Duration::ZERO,
            clippy: Duration::ZERO,
            doc: Duration::ZERO,
        });
        names.push(provider.name.clone());
    }
    if names.is_empty() {
        bail!("no providers to check in {}", dir.display());
    }
    workspace::write(root, &scratch, &names)?;
    let target = root.join("target").join("corpus");
    let mut ok = true;
    for row in &mut rows {
        let p = row.name.as_str();
        row.build = cargo(&scratch, &target, &["build", "-p", p], &mut ok)?;
        row.clippy = cargo(
            &scratch,
            &target,
            &["clippy", "-p", p, "--", "-D", "warnings"],
            &mut ok,
        )?;
        row.doc = cargo(&scratch, &target, &["doc", "--no-deps", "-p", p], &mut ok)?;
    }
    let examples_file = scratch.join("examples.json");
    std::fs::write(&examples_file, serde_json::to_vec(&examples)?)?;
    if examples.is_empty() {
        println!("the documents hold no JSON response examples to decode");
    } else {
        let path = examples_file.display().to_string();
        cargo(
            &scratch,
            &target,
            &["run", "--quiet", "-p", workspace::CHECKER, "--", &path],
            &mut ok,
        )?;
    }
    println!(
        "\n| provider | operations | left out | generated lines | regen | build | clippy | doc |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.1} s | {:.1} s | {:.1} s | {:.1} s |",
            r.name,
            r.operations,
            r.left_out,
            r.lines,
            r.regen.as_secs_f64(),
            r.build.as_secs_f64(),
            r.clippy.as_secs_f64(),
            r.doc.as_secs_f64()
        );
    }
    Ok(ok)
}

fn generate(root: &Path, provider: &Provider) -> Result<Generated> {
    let generated = pipeline::generate_crate(root, provider)
        .with_context(|| format!("generating {}", provider.name))?;
    for warning in &generated.left_out {
        eprintln!("warning: {warning}");
    }
    Ok(generated)
}

/// Runs cargo in the scratch workspace; a failure clears `ok` (cargo has
/// printed why).
fn cargo(scratch: &Path, target: &Path, args: &[&str], ok: &mut bool) -> Result<Duration> {
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        eprintln!(
            "error: cargo {} failed in {}",
            args.join(" "),
            scratch.display()
        );
        *ok = false;
    }
    Ok(started.elapsed())
}
