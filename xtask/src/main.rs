//! `cargo xtask`: see `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use xtask::diff::report::{ApiState, summary_line};
use xtask::diff::{self, workspace::Workspace};
use xtask::generate::write;
use xtask::spec::manifest;
use xtask::{pipeline, registry, surface};

/// Project automation for the invoicing bindings.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    /// Repository to work on (default: the one the current directory is in,
    /// found by walking up to `specs/providers.toml`). A binary built in one
    /// checkout and run in another works on the one it runs in.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crates in crates/ from specs/ (all providers, or
    /// the ones named).
    ///
    /// Reads specs/providers.toml; for each provider loads its spec, applies
    /// its overlay, normalises OpenAPI 3.1 to 3.0, generates the client with
    /// progenitor, post-processes it and writes crates/<provider>/. Nothing
    /// is written if any provider fails.
    Regen {
        /// Write nothing; exit 1 naming every generated file that is stale,
        /// with a unified diff of what regen would change in it.
        #[arg(long)]
        check: bool,
        /// Providers to regenerate (names from specs/providers.toml).
        providers: Vec<String>,
    },
    /// Show what the working tree changes in each generated crate's API
    /// compared with a git revision: every change classified breaking or
    /// additive, the vendor-level spec changes behind it, and the version
    /// bump each crate needs.
    ///
    /// Exit status: 0 on success, 1 with --deny-breaking when any change is
    /// breaking, 2 when the comparison fails (unknown revision, a spec that
    /// does not parse at the base).
    Diff(diff::DiffArgs),
    /// Check real vendors' documents end to end: generate each in a scratch
    /// workspace, build, clippy and doc it with warnings denied, and decode
    /// every response example. Exit status 1 when any check fails.
    Corpus(xtask::corpus::CorpusArgs),
    /// Print a provider's document as the generator sees it, as JSON: with
    /// its overlay applied (and, with --normalised, selected and
    /// normalised), for spec-driven mocks, linters and other tools.
    Spec {
        /// The provider (a name from specs/providers.toml).
        provider: String,
        /// After selection and normalisation, not only the overlay.
        #[arg(long)]
        normalised: bool,
        /// Instead of the document, list every change the generator makes
        /// to it and every operation or schema it leaves out.
        #[arg(long)]
        notes: bool,
    },
}

fn main() -> ExitCode {
    // Generation recurses per level of a document's nesting: the command
    // runs on a stack sized for the deepest document the parsers accept.
    std::thread::Builder::new()
        .name("xtask".into())
        .stack_size(pipeline::GENERATION_STACK)
        .spawn(run)
        .expect("starting the main thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn run() -> ExitCode {
    let cli = Cli::parse();
    let root = match cli.root.or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|dir| pipeline::find_root(&dir))
    }) {
        Some(root) => root,
        None => {
            eprintln!(
                "error: no specs/providers.toml in the current directory or above it; run inside the repository or pass --root"
            );
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Regen { check, providers } => match regen(&root, check, &providers) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Spec {
            provider,
            normalised,
            notes,
        } => match spec(&root, &provider, normalised, notes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Corpus(args) => match xtask::corpus::run(&root, &args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Diff(args) => {
            let result = Workspace::open(&root).and_then(|inputs| diff::run(args, &inputs));
            match &result {
                Ok(outcome) => print!("{}", outcome.output),
                Err(e) => eprintln!("error: {e:#}"),
            }
            ExitCode::from(diff::exit_code(&result))
        }
    }
}

fn spec(root: &Path, name: &str, normalised: bool, notes: bool) -> anyhow::Result<()> {
    let manifest = xtask::spec::manifest::read(root)?;
    let provider = manifest
        .providers
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| anyhow::anyhow!("unknown provider {name}"))?;
    if notes {
        let generated = pipeline::generate_crate(root, provider)?;
        for line in generated.left_out.iter().chain(&generated.notes) {
            println!("{line}");
        }
        return Ok(());
    }
    let doc = xtask::spec::files::document(root, provider, normalised)?;
    println!("{}", serde_json::to_string_pretty(&doc)?);
    Ok(())
}

fn regen(root: &Path, check: bool, providers: &[String]) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let generated = pipeline::generate_all(root, providers)?;
    for g in &generated {
        // What was left out is a warning (an error with `strict = true`);
        // notes (what normalising changed) are many and listed on request.
        for warning in &g.left_out {
            eprintln!("warning: {warning}");
        }
        if !g.notes.is_empty() {
            eprintln!(
                "{}: {} changes made to the document to generate it (`cargo xtask spec {} --notes` lists them)",
                g.provider.name,
                g.notes.len(),
                g.provider.name
            );
        }
    }
    let outputs: Vec<write::Output> = generated
        .iter()
        .flat_map(|g| g.outputs.iter().cloned())
        .chain(pipeline::workspace_manifest(root, &generated)?)
        .chain(registry::outputs(root, &manifest::read(root)?)?)
        .collect();
    if check {
        let stale = write::stale(root, &outputs);
        if stale.is_empty() {
            println!(
                "{} generated files are up to date ({:.1?})",
                outputs.len(),
                started.elapsed()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for output in &stale {
            eprintln!("stale: {}", output.path.display());
            eprint!("{}", write::diff_from_disk(root, output));
        }
        eprintln!(
            "{} generated file(s) are stale: run `cargo xtask regen`",
            stale.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    // What this run changes in each crate's API, from the surface on disk
    // before writing: the one line a person running regen needs.
    let summaries = generated
        .iter()
        .map(|g| api_summary(root, g))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let written = write::write_all(root, &outputs)?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    for line in &summaries {
        println!("{line}");
    }
    println!(
        "{} providers, {} files, {} changed ({:.1?})",
        generated.len(),
        outputs.len(),
        written.len(),
        started.elapsed()
    );
    Ok(ExitCode::SUCCESS)
}

fn api_summary(root: &Path, generated: &pipeline::Generated) -> anyhow::Result<String> {
    let name = &generated.provider.name;
    let current = surface::Surface::from_file(generated.provider.package(), &generated.code)?;
    let on_disk = root.join("crates").join(name).join("API.md");
    let before = match std::fs::read_to_string(&on_disk) {
        Ok(text) => {
            Some(surface::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", on_disk.display()))?)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    Ok(summary_line(
        name,
        &ApiState::between(before.as_ref(), &current),
    ))
}
