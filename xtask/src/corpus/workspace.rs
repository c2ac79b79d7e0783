//! The scratch Cargo workspace a corpus check builds in: the generated
//! crates, the repository's runtime by path, the repository's dependency
//! versions (its `[workspace.dependencies]` and `Cargo.lock`), and a small
//! binary that decodes every response example with each crate's
//! `__contract::decode_response`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use toml::{Table, Value};

/// The package name of the example checker.
pub(super) const CHECKER: &str = "corpus-examples";

/// Writes the workspace files under `scratch` for crates `names` (already
/// written under `scratch/crates/`), taking versions from the repository
/// at `root`.
pub(super) fn write(root: &Path, scratch: &Path, names: &[String]) -> Result<()> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))
        .with_context(|| format!("reading {}", root.join("Cargo.toml").display()))?;
    let repo: Table = toml::from_str(&text).context("parsing the repository's Cargo.toml")?;
    let repo_workspace = repo
        .get("workspace")
        .and_then(Value::as_table)
        .context("the repository's Cargo.toml has no [workspace]")?;
    let mut dependencies = Table::new();
    for (name, spec) in repo_workspace
        .get("dependencies")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
    {
        match spec.get("path").and_then(Value::as_str) {
            // Only the runtime of the repository's own crates: generated
            // crates use nothing else.
            Some(path) if name == "invoicing-runtime" => {
                let mut spec = spec.as_table().cloned().unwrap_or_default();
                let absolute = absolute(&root.join(path))?;
                spec.insert("path".into(), absolute.display().to_string().into());
                dependencies.insert(name.clone(), spec.into());
            }
            Some(_) => {}
            None => {
                dependencies.insert(name.clone(), spec.clone());
            }
        }
    }
    let mut workspace = Table::new();
    workspace.insert("resolver".into(), "3".into());
    let mut members: Vec<Value> = names.iter().map(|n| format!("crates/{n}").into()).collect();
    members.push(CHECKER.into());
    workspace.insert("members".into(), members.into());
    if let Some(package) = repo_workspace.get("package") {
        workspace.insert("package".into(), package.clone());
    }
    workspace.insert("dependencies".into(), dependencies.into());
    let mut manifest = Table::new();
    manifest.insert("workspace".into(), workspace.into());
    if let Some(Value::Table(profiles)) = repo.get("profile") {
        // The repository's overrides for its own packages (the generator's
        // dependencies) name packages this workspace may not have, which
        // cargo warns about: only the overrides for every package stay.
        let mut profiles = profiles.clone();
        for (_, profile) in profiles.iter_mut() {
            let Some(profile) = profile.as_table_mut() else {
                continue;
            };
            if let Some(Value::Table(packages)) = profile.get_mut("package") {
                packages.retain(|name, _| name == "*");
            }
        }
        manifest.insert("profile".into(), profiles.into());
    }
    write_file(
        &scratch.join("Cargo.toml"),
        &format!(
            "# Written by `cargo xtask corpus`: a scratch workspace, rewritten on each run.\n{}",
            toml::to_string(&manifest)?
        ),
    )?;
    // The repository's lock file pins every dependency to what the
    // repository builds with; cargo drops what this workspace does not use.
    let lock = root.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, scratch.join("Cargo.lock"))
            .with_context(|| format!("copying {}", lock.display()))?;
    }
    write_checker(&scratch.join(CHECKER), names)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    path.canonicalize()
        .with_context(|| format!("resolving {}", path.display()))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    // Unchanged files keep their modification time, so cargo rebuilds
    // nothing on a rerun.
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// The checker: reads `[{provider, operation, status, name, body}]` from
/// the file named by its argument, decodes each body with the provider's
/// crate, prints every failure and exits 1 if there was one.
fn write_checker(dir: &Path, names: &[String]) -> Result<()> {
    let mut cargo = format!(
        "[package]\nname = \"{CHECKER}\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n\
         [dependencies]\nserde_json.workspace = true\n"
    );
    let mut arms = String::new();
    for name in names {
        let _ = writeln!(cargo, "{name} = {{ path = \"../crates/{name}\" }}");
        let lib = name.replace('-', "_");
        let _ = writeln!(
            arms,
            "            \"{name}\" => {lib}::__contract::decode_response(operation, status, &body),"
        );
    }
    write_file(&dir.join("Cargo.toml"), &cargo)?;
    let main = format!(
        r#"//! Decodes every response example of the corpus (written by `cargo xtask corpus`).

fn main() {{
    let path = std::env::args().nth(1).expect("the examples file");
    let text = std::fs::read_to_string(&path).expect("the examples file is readable");
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).expect("the examples file is JSON");
    let mut failures = 0;
    for example in &examples {{
        let field = |key: &str| example[key].as_str().unwrap_or_default().to_owned();
        let (provider, operation, status, name) =
            (field("provider"), field("operation"), field("status"), field("name"));
        let (operation, status) = (operation.as_str(), status.as_str());
        let body = example["body"].to_string();
        let outcome = match provider.as_str() {{
{arms}            _ => None,
        }};
        let problem = match outcome {{
            Some(Ok(())) => continue,
            Some(Err(e)) => e.to_string(),
            None => "the generated client has no JSON type for this response".to_owned(),
        }};
        failures += 1;
        println!("{{provider}} {{operation}} {{status}} example {{name}}: {{problem}}");
    }}
    println!("{{}} of {{}} examples decode", examples.len() - failures, examples.len());
    std::process::exit(i32::from(failures > 0));
}}
"#
    );
    write_file(&dir.join("src/main.rs"), &main)
}
