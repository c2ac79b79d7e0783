//! `cargo xtask corpus DIR`: real vendors' documents through the whole
//! generator, as a user adding them would run it.
//!
//! `DIR` holds a `providers.toml` like `specs/`'s, its specs relative to
//! it. For each provider the whole document is generated (nothing may
//! stop it), then the crate (only the selected operations, when the entry
//! has a `select`) is written into a scratch Cargo workspace outside the
//! repository, built, clippy-checked and doc-checked with warnings denied,
//! and every response example in the document is decoded with it.

mod schema_check;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use serde_json::json;

use crate::generate::write;
use crate::pipeline::{self, Generated};
use crate::spec::document::examples::response_examples;
use crate::spec::manifest::Provider;
use schema_check::SchemaCheck;

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

/// How one step went for one crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Passed,
    Failed,
    /// Not run: an earlier step failed for this crate.
    Skipped,
}

impl Step {
    fn cell(self) -> &'static str {
        match self {
            Step::Passed => "ok",
            Step::Failed => "FAILED",
            Step::Skipped => "-",
        }
    }
}

/// What one provider's check found.
struct Row {
    name: String,
    /// The whole document generated (`None`: it was not asked for, the
    /// entry selects nothing), or why it could not be.
    whole: Option<Result<Duration, String>>,
    /// The crate checked (the selection), or why it could not be generated.
    generated: Result<Generated, String>,
    build: Step,
    clippy: Step,
    doc: Step,
    /// Examples the schema accepts, and how many of them failed to decode.
    examples: usize,
    undecoded: usize,
    /// Examples their own schema rejects: the vendor's errors.
    vendor_invalid: usize,
}

impl Row {
    fn ok(&self) -> bool {
        !matches!(self.whole, Some(Err(_)))
            && self.generated.is_ok()
            && [self.build, self.clippy, self.doc] == [Step::Passed; 3]
            && self.undecoded == 0
    }
}

/// Runs the check on every provider, whatever fails on the way; `Ok(false)`
/// when anything failed (each failure is printed as it happens, and the
/// table at the end has a row per provider).
pub fn run(root: &Path, args: &CorpusArgs) -> Result<bool> {
    let dir = args.dir.strip_prefix(root).unwrap_or(&args.dir).to_owned();
    let manifest = crate::spec::manifest::read_in(root, &dir)?;
    let scratch = args
        .scratch
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("invoicing-corpus"));
    for name in &args.providers {
        if !manifest.providers.iter().any(|p| &p.name == name) {
            bail!(
                "no provider {name} in {}",
                dir.join("providers.toml").display()
            );
        }
    }
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
        let whole = std::thread::Builder::new()
            .stack_size(pipeline::GENERATION_STACK)
            .spawn_scoped(scope, || {
                whole
                    .iter()
                    .map(|p| {
                        let outcome = timed(root, p).map(|(_, took)| took);
                        (p.name.clone(), outcome)
                    })
                    .collect::<Vec<_>>()
            })
            .context("starting the thread that generates whole documents")?;
        let checked = check(root, &scratch, &providers);
        let whole = whole
            .join()
            .map_err(|_| anyhow::anyhow!("generating a whole document panicked"))?;
        let mut rows = checked?;
        for row in &mut rows {
            row.whole = whole
                .iter()
                .find(|(name, _)| *name == row.name)
                .map(|(_, outcome)| outcome.clone());
        }
        print_rows(&rows);
        Ok(rows.iter().all(Row::ok))
    })
}

/// Generates each provider's crate into a scratch workspace, builds it,
/// checks it with clippy and rustdoc, and decodes the examples with it.
fn check(root: &Path, scratch: &Path, providers: &[Provider]) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut examples = Vec::new();
    let mut names = Vec::new();
    for provider in providers {
        let generated = timed(root, provider).map(|(g, _)| g);
        let mut vendor_invalid = 0;
        let mut valid = 0;
        if let Ok(crate_) = &generated {
            let left_out: Vec<&str> = crate_
                .left_out
                .iter()
                .filter_map(|e| e.operation.as_deref())
                .collect();
            let mut schemas = SchemaCheck::new(&crate_.doc);
            for example in response_examples(&crate_.doc) {
                if left_out.contains(&example.operation.as_str()) {
                    continue;
                }
                if let Err(why) = schemas.check(&example) {
                    vendor_invalid += 1;
                    println!(
                        "vendor error (not counted): {} {} {} example {} at {}: breaks its own schema {why}",
                        provider.name, example.operation, example.status, example.name, example.at
                    );
                    continue;
                }
                valid += 1;
                examples.push(
                    json!({"provider": provider.name, "operation": example.operation,
                    "status": example.status, "name": example.name, "body": example.value}),
                );
            }
            let crate_dir = scratch.join("crates").join(&provider.name);
            if crate_dir.exists() {
                std::fs::remove_dir_all(&crate_dir)
                    .with_context(|| format!("clearing {}", crate_dir.display()))?;
            }
            write::write_all(scratch, &crate_.outputs)?;
            names.push(provider.name.clone());
        }
        rows.push(Row {
            name: provider.name.clone(),
            whole: None,
            generated: generated.map_err(|e| format!("{e:#}")),
            build: Step::Skipped,
            clippy: Step::Skipped,
            doc: Step::Skipped,
            examples: valid,
            undecoded: 0,
            vendor_invalid,
        });
    }
    if names.is_empty() {
        return Ok(rows);
    }
    workspace::write(root, scratch, &names)?;
    let target = root.join("target").join("corpus");
    // All crates in one cargo run per step, so a big crate and the small
    // ones compile side by side on the machine's cores; `--keep-going` and
    // cargo's JSON messages tell which crate failed.
    let packages: Vec<&str> = names.iter().flat_map(|n| ["-p", n.as_str()]).collect();
    let mut times = Vec::new();
    for (step, args) in [
        ("build", &["build"][..]),
        ("clippy", &["clippy"][..]),
        ("doc", &["doc", "--no-deps"][..]),
    ] {
        let mut all: Vec<&str> = args.iter().chain(&packages).copied().collect();
        all.extend([
            "--keep-going",
            "--message-format",
            "json-render-diagnostics",
        ]);
        if step == "clippy" {
            all.extend(["--", "-D", "warnings"]);
        }
        let started = Instant::now();
        let output = cargo(scratch, &target, &all)?;
        times.push((step, started.elapsed()));
        // A failure cargo names no crate for fails them all.
        let unattributed = !output.success && output.failed.is_empty();
        for row in rows.iter_mut().filter(|r| names.contains(&r.name)) {
            let outcome = if unattributed || output.failed.contains(&row.name.replace('-', "_")) {
                Step::Failed
            } else {
                Step::Passed
            };
            let earlier = [row.build, row.clippy];
            let slot = match step {
                "build" => &mut row.build,
                "clippy" => &mut row.clippy,
                _ => &mut row.doc,
            };
            // A crate that did not build is not checked further.
            *slot = if step != "build" && earlier[0] != Step::Passed {
                Step::Skipped
            } else {
                outcome
            };
        }
    }
    let built: Vec<String> = rows
        .iter()
        .filter(|r| r.build == Step::Passed)
        .map(|r| r.name.clone())
        .collect();
    examples.retain(|e| built.iter().any(|n| e["provider"] == n.as_str()));
    for row in rows.iter_mut().filter(|r| !built.contains(&r.name)) {
        row.examples = 0;
    }
    let examples_file = scratch.join("examples.json");
    std::fs::write(&examples_file, serde_json::to_vec(&examples)?)?;
    if !examples.is_empty() {
        // The checker links every crate it decodes with: only those built.
        workspace::write(root, scratch, &built)?;
        let path = examples_file.display().to_string();
        let output = cargo(
            scratch,
            &target,
            &["run", "--quiet", "-p", workspace::CHECKER, "--", &path],
        )?;
        let mut undecoded = 0;
        for row in &mut rows {
            let prefix = format!("{} ", row.name);
            row.undecoded = output
                .stdout
                .lines()
                .filter(|l| l.starts_with(&prefix))
                .count();
            undecoded += row.undecoded;
        }
        // The checker exits 1 exactly when it printed an undecoded example.
        if output.success == (undecoded > 0) {
            bail!("the example checker did not run to its end (cargo printed why)");
        }
    }
    let times: Vec<String> = times
        .iter()
        .map(|(step, took)| format!("{step} {:.1} s", took.as_secs_f64()))
        .collect();
    println!("\nAll crates together: {}", times.join(", "));
    Ok(rows)
}

fn print_rows(rows: &[Row]) {
    println!(
        "\n| provider | whole document | operations | left out | generated lines | build | clippy | doc | examples decoded | vendor-invalid examples |"
    );
    println!("|---|---|---:|---:|---:|---|---|---|---:|---:|");
    for r in rows {
        let whole = match &r.whole {
            None => "(selection is whole)".to_owned(),
            Some(Ok(took)) => format!("ok, {:.1} s", took.as_secs_f64()),
            Some(Err(_)) => "FAILED".to_owned(),
        };
        let (operations, left_out, lines) = match &r.generated {
            Ok(g) => (
                g.spec.operations().count().to_string(),
                g.left_out.len().to_string(),
                g.outputs
                    .iter()
                    .map(|o| o.contents.lines().count())
                    .sum::<usize>()
                    .to_string(),
            ),
            Err(_) => ("FAILED".to_owned(), "-".to_owned(), "-".to_owned()),
        };
        println!(
            "| {} | {whole} | {operations} | {left_out} | {lines} | {} | {} | {} | {} of {} | {} |",
            r.name,
            r.build.cell(),
            r.clippy.cell(),
            r.doc.cell(),
            r.examples - r.undecoded,
            r.examples,
            r.vendor_invalid,
        );
    }
    for r in rows {
        if let Some(Err(e)) = &r.whole {
            println!("\n{} (whole document): {e}", r.name);
        }
        if let Err(e) = &r.generated {
            println!("\n{}: {e}", r.name);
        }
    }
}

/// Generates `provider`'s crate, and how long that took; an error is
/// printed and returned as text.
fn timed(root: &Path, provider: &Provider) -> Result<(Generated, Duration), String> {
    let started = Instant::now();
    match generate(root, provider) {
        Ok(generated) => Ok((generated, started.elapsed())),
        Err(e) => {
            eprintln!("error: {e:#}");
            Err(format!("{e:#}"))
        }
    }
}

fn generate(root: &Path, provider: &Provider) -> Result<Generated> {
    let generated = pipeline::generate_crate(root, provider)
        .with_context(|| format!("generating {}", provider.name))?;
    for warning in &generated.left_out {
        eprintln!("warning: {warning}");
    }
    Ok(generated)
}

/// What one cargo run reported.
struct CargoOutput {
    /// Library targets (crate names with `_`) with an error.
    failed: Vec<String>,
    /// What the command printed that is not a cargo JSON message.
    stdout: String,
    /// Whether the command succeeded.
    success: bool,
}

/// Runs cargo in the scratch workspace, its diagnostics rendered on
/// stderr as usual.
fn cargo(scratch: &Path, target: &Path, args: &[&str]) -> Result<CargoOutput> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut failed = Vec::new();
    let mut plain = String::new();
    for line in stdout.lines() {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(message) if message.get("reason").is_some() => {
                let is_error = message["reason"] == "compiler-message"
                    && message["message"]["level"] == "error";
                if let Some(name) = message["target"]["name"].as_str()
                    && is_error
                    && !failed.iter().any(|f| f == name)
                {
                    failed.push(name.to_owned());
                }
            }
            _ => {
                plain.push_str(line);
                plain.push('\n');
            }
        }
    }
    print!("{plain}");
    if !output.status.success() {
        eprintln!(
            "error: cargo {} failed in {}",
            args.join(" "),
            scratch.display()
        );
    }
    Ok(CargoOutput {
        success: output.status.success(),
        failed,
        stdout: plain,
    })
}
