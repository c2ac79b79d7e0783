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
    /// How long generating the whole document took.
    regen: Duration,
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
    let providers: Vec<Provider> = manifest
        .providers
        .into_iter()
        .filter(|p| args.providers.is_empty() || args.providers.contains(&p.name))
        .map(|p| {
            if args.all_operations {
                Provider { select: None, ..p }
            } else {
                p
            }
        })
        .collect();
    if providers.is_empty() {
        bail!("no providers to check in {}", dir.display());
    }
    // Where a crate is only the selected operations, the whole document is
    // still generated (nothing in it may stop the generator), on a thread
    // of its own: cargo spends long stretches compiling one big crate on
    // one core.
    let whole: Vec<Provider> = providers
        .iter()
        .filter(|p| p.select.is_some())
        .map(|p| Provider {
            select: None,
            ..p.clone()
        })
        .collect();
    std::thread::scope(|scope| {
        let whole = scope.spawn(|| {
            whole
                .iter()
                .map(|p| timed(root, p).map(|(_, took)| (p.name.clone(), took)))
                .collect::<Result<Vec<_>>>()
        });
        let checked = check(root, &scratch, &providers);
        let whole = whole
            .join()
            .map_err(|_| anyhow::anyhow!("generating a whole document panicked"))??;
        let (mut rows, ok) = checked?;
        for row in &mut rows {
            if let Some((_, took)) = whole.iter().find(|(name, _)| *name == row.name) {
                row.regen = *took;
            }
        }
        print_rows(&rows);
        Ok(ok)
    })
}

/// Generates each provider's crate into a scratch workspace, builds it,
/// checks it with clippy and rustdoc, and decodes the examples with it.
fn check(root: &Path, scratch: &Path, providers: &[Provider]) -> Result<(Vec<Row>, bool)> {
    let mut rows = Vec::new();
    let mut examples = Vec::new();
    let mut names = Vec::new();
    for provider in providers {
        let (crate_, regen) = timed(root, provider)?;
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
        write::write_all(scratch, &crate_.outputs)?;
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
        });
        names.push(provider.name.clone());
    }
    workspace::write(root, scratch, &names)?;
    let target = root.join("target").join("corpus");
    let mut ok = true;
    // All crates in one cargo run per step, so a big crate and the small
    // ones compile side by side on the machine's cores.
    let packages: Vec<&str> = names.iter().flat_map(|n| ["-p", n.as_str()]).collect();
    let mut times = Vec::new();
    for (step, args) in [
        ("build", &["build"][..]),
        ("clippy", &["clippy"][..]),
        ("doc", &["doc", "--no-deps"][..]),
    ] {
        let mut all: Vec<&str> = args.iter().chain(&packages).copied().collect();
        if step == "clippy" {
            all.extend(["--", "-D", "warnings"]);
        }
        times.push((step, cargo(scratch, &target, &all, &mut ok)?));
    }
    let examples_file = scratch.join("examples.json");
    std::fs::write(&examples_file, serde_json::to_vec(&examples)?)?;
    if examples.is_empty() {
        println!("the documents hold no JSON response examples to decode");
    } else {
        let path = examples_file.display().to_string();
        cargo(
            scratch,
            &target,
            &["run", "--quiet", "-p", workspace::CHECKER, "--", &path],
            &mut ok,
        )?;
    }
    let times: Vec<String> = times
        .iter()
        .map(|(step, took)| format!("{step} {:.1} s", took.as_secs_f64()))
        .collect();
    println!("\nAll crates together: {}", times.join(", "));
    Ok((rows, ok))
}

fn print_rows(rows: &[Row]) {
    println!("\n| provider | operations | left out | generated lines | regen (whole document) |");
    println!("|---|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {:.1} s |",
            r.name,
            r.operations,
            r.left_out,
            r.lines,
            r.regen.as_secs_f64(),
        );
    }
}

/// Generates `provider`'s crate, and how long that took.
fn timed(root: &Path, provider: &Provider) -> Result<(Generated, Duration)> {
    let started = Instant::now();
    let generated = generate(root, provider)?;
    Ok((generated, started.elapsed()))
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
