//! `cargo xtask`: see `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use xtask::passes::write;
use xtask::pipeline;

/// Project automation for the invoicing bindings.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    /// Repository to work on (default: the one this xtask was built in).
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
        /// Write nothing; exit 1 naming every generated file that is stale.
        #[arg(long)]
        check: bool,
        /// Providers to regenerate (names from specs/providers.toml).
        providers: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(pipeline::repo_root);
    match cli.command {
        Command::Regen { check, providers } => match regen(&root, check, &providers) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

fn regen(root: &Path, check: bool, providers: &[String]) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let generated = pipeline::generate_all(root, providers)?;
    let outputs: Vec<write::Output> = generated
        .iter()
        .flat_map(|g| g.outputs.iter().cloned())
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
        }
        eprintln!(
            "{} generated file(s) are stale: run `cargo xtask regen`",
            stale.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let written = write::write_all(root, &outputs)?;
    for path in &written {
        println!("wrote {}", path.display());
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
