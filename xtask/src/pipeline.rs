//! The passes composed: from a provider's manifest entry to its files.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::manifest::{self, Provider};
use crate::passes::constant_headers;
use crate::passes::crate_files;
use crate::passes::generate;
use crate::passes::postprocess::{self, ClientFacts};
use crate::passes::write::Output;
use crate::spec_error::{Place, SpecError};
use crate::{paging, spec_files, surface};

/// The repository root (xtask lives one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_owned()
}

/// One provider's generated crate, in memory.
#[derive(Debug)]
pub struct Generated {
    /// The manifest entry it came from.
    pub provider: Provider,
    /// The spec after overlay and normalisation.
    pub spec: openapiv3::OpenAPI,
    /// The generated code after every postprocess pass.
    pub code: syn::File,
    /// The files to write, paths relative to the root.
    pub outputs: Vec<Output>,
}

/// Generates one provider's crate in memory.
pub fn generate_crate(root: &Path, provider: &Provider) -> anyhow::Result<Generated> {
    let (spec_input, overlay_input) = spec_files::read_from_disk(root, provider)?;
    let (doc, mut spec) = spec_files::prepare(&spec_input, overlay_input.as_ref())?;
    let in_spec = |message: String| SpecError {
        file: PathBuf::from(&spec_input.path),
        place: Place::File,
        message,
    };
    let headers = constant_headers::take(&mut spec).map_err(in_spec)?;
    let mut facts = ClientFacts::new(provider, &spec, headers)?;
    facts.paged = paging::read(&doc)
        .map_err(|problem| paging::in_file(problem, &spec_input, overlay_input.as_ref()))?;
    let mut code = generate::generate(&spec).map_err(in_spec)?;
    postprocess::run(&mut code, &facts).map_err(in_spec)?;

    let dir = Path::new("crates").join(&provider.name);
    let rust_header = crate_files::header("//", &spec_input, overlay_input.as_ref());
    let toml_header = crate_files::header("#", &spec_input, overlay_input.as_ref());
    let lib = crate_files::lib_rs(provider, &spec, &facts, &rust_header);
    let generated = crate_files::generated_rs(&code, &rust_header);
    let version = current_version(root, &dir)?;
    let cargo = crate_files::cargo_toml(
        provider,
        &version,
        &spec,
        &facts.paged,
        &generated,
        &toml_header,
    );
    let readme = crate_files::readme(provider, &spec);
    let surface = surface::render(provider.package(), &code).map_err(|e| in_spec(e.to_string()))?;
    let outputs = vec![
        Output {
            path: dir.join("Cargo.toml"),
            contents: cargo,
        },
        Output {
            path: dir.join("src/lib.rs"),
            contents: lib,
        },
        Output {
            path: dir.join("src/generated.rs"),
            contents: generated,
        },
        Output {
            path: dir.join("README.md"),
            contents: readme,
        },
        Output {
            path: dir.join("API.md"),
            contents: surface,
        },
    ];
    Ok(Generated {
        provider: provider.clone(),
        spec,
        code,
        outputs,
    })
}

/// The version in the crate's existing `Cargo.toml`: a release decision
/// (see `cargo xtask diff --apply-bump`), not something the spec says. A new
/// crate starts at 0.1.0.
fn current_version(root: &Path, dir: &Path) -> anyhow::Result<String> {
    let path = root.join(dir).join("Cargo.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(crate::cargo_toml::package_version(&text)
            .with_context(|| format!("reading the version of {}", path.display()))?
            .to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok("0.1.0".to_string()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// The workspace's `Cargo.toml` with each generated crate's requirement in
/// `[workspace.dependencies]` equal to the version it was generated with
/// (see [`crate::cargo_toml::set_workspace_dependency`]); `None` for a
/// repository without one (a bare checkout of specs, as in tests).
pub fn workspace_manifest(root: &Path, generated: &[Generated]) -> anyhow::Result<Option<Output>> {
    let path = root.join("Cargo.toml");
    let mut text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    for g in generated {
        let cargo = g
            .outputs
            .iter()
            .find(|o| o.path.ends_with("Cargo.toml"))
            .expect("every generated crate has a Cargo.toml");
        let version = crate::cargo_toml::package_version(&cargo.contents)?;
        text = crate::cargo_toml::set_workspace_dependency(
            &text,
            g.provider.package(),
            &format!("crates/{}", g.provider.name),
            &version,
        )
        .with_context(|| format!("{} for {}", path.display(), g.provider.name))?;
    }
    Ok(Some(Output {
        path: PathBuf::from("Cargo.toml"),
        contents: text,
    }))
}

/// Generates the providers named in `selected` (all when empty), in
/// manifest order. Any error fails the whole run before anything is written.
pub fn generate_all(root: &Path, selected: &[String]) -> anyhow::Result<Vec<Generated>> {
    let manifest = manifest::read(root)?;
    for name in selected {
        if !manifest.providers.iter().any(|p| &p.name == name) {
            let known: Vec<_> = manifest.providers.iter().map(|p| p.name.as_str()).collect();
            bail!(
                "unknown provider {name}; {} lists: {}",
                manifest::PATH,
                known.join(", ")
            );
        }
    }
    manifest
        .providers
        .iter()
        .filter(|p| selected.is_empty() || selected.contains(&p.name))
        .map(|p| generate_crate(root, p).with_context(|| format!("generating {}", p.name)))
        .collect()
}
