//! The passes composed: from a provider's manifest entry to its files.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::Value;

use crate::document;
use crate::manifest::{Manifest, Provider, Selection};
use crate::passes::crate_files::{self, Input};
use crate::passes::postprocess::{self, ClientFacts};
use crate::passes::write::Output;
use crate::passes::{generate, load, normalise, overlay, select, shape, validate};
use crate::spec_error::{Located, Place, SpecError, SpecErrors};
use crate::surface;

/// The repository root (xtask lives one level below it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repository")
        .to_owned()
}

/// Path of the provider manifest, relative to the root.
pub const MANIFEST: &str = "specs/providers.toml";

/// One provider's generated crate, in memory.
#[derive(Debug)]
pub struct Generated {
    /// The manifest entry it came from.
    pub provider: Provider,
    /// The spec generated from: after overlay, selection, normalisation
    /// and shaping, without what was left out.
    pub spec: openapiv3::OpenAPI,
    /// The document after overlay, selection and normalisation, as JSON
    /// (its places are the ones errors and notes name).
    pub doc: Value,
    /// The generated code after every postprocess pass.
    pub code: syn::File,
    /// The files to write, paths relative to the root.
    pub outputs: Vec<Output>,
    /// Operations and schemas the generator could not generate, each
    /// naming its place and why (errors in strict mode).
    pub left_out: Vec<SpecError>,
    /// Changes the passes made to the document that a user may want to
    /// check.
    pub notes: Vec<SpecError>,
}

/// Reads the manifest under `root`.
pub fn manifest(root: &Path) -> Result<Manifest, SpecError> {
    manifest_in(root, Path::new("specs"))
}

/// Reads the manifest `providers.toml` in `dir` (relative to `root`), whose
/// specs are relative to `dir`.
pub fn manifest_in(root: &Path, dir: &Path) -> Result<Manifest, SpecError> {
    let mut manifest = crate::manifest::load(&root.join(dir).join("providers.toml"))?;
    for provider in &mut manifest.providers {
        provider.dir = dir.to_owned();
    }
    Ok(manifest)
}

/// The spec and overlay files of `provider`, read from `root`.
pub fn inputs(root: &Path, provider: &Provider) -> Result<(Input, Option<Input>), SpecError> {
    let read = |relative: &Path| -> Result<Input, SpecError> {
        let path = provider.dir.join(relative);
        let bytes = std::fs::read(root.join(&path)).map_err(|e| SpecError {
            file: path.clone(),
            place: Place::File,
            operation: None,
            message: format!("cannot read: {e}"),
        })?;
        Ok(Input {
            path: path.to_string_lossy().replace('\\', "/"),
            bytes,
        })
    };
    Ok((
        read(&provider.spec)?,
        provider.overlay.as_deref().map(read).transpose()?,
    ))
}

/// The document as the generator sees it, and what the passes changed in
/// it on the way.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document after overlay, selection and normalisation, as JSON
    /// (tests walk its examples).
    pub doc: Value,
    /// The same document read as OpenAPI 3.0.
    pub api: openapiv3::OpenAPI,
    /// Every change the passes made that a user may want to check.
    pub notes: Vec<SpecError>,
}

/// Load, overlay, normalise and validate the whole document: the spec as
/// the generator sees it, as JSON and as OpenAPI 3.0.
pub fn prepare(
    spec: &Input,
    overlay: Option<&Input>,
) -> Result<(Value, openapiv3::OpenAPI), SpecErrors> {
    prepare_selected(spec, overlay, None).map(|p| (p.doc, p.api))
}

/// A provider's selection and where the manifest states it, for errors.
#[derive(Debug, Clone, Copy)]
pub struct SelectionAt<'a> {
    /// The operations to keep.
    pub selection: &'a Selection,
    /// The manifest file.
    pub manifest: &'a Path,
    /// JSON pointer to the provider's entry in the manifest.
    pub pointer: &'a str,
}

/// Load, overlay, select, normalise and validate. Every problem found in
/// any of these passes is reported, not only the first.
pub fn prepare_selected(
    spec: &Input,
    overlay: Option<&Input>,
    selection: Option<SelectionAt<'_>>,
) -> Result<Prepared, SpecErrors> {
    let spec_path = Path::new(&spec.path);
    let mut doc = load::parse(spec_path, &spec.bytes)?;
    if let Some(o) = overlay {
        let overlay_path = Path::new(&o.path);
        let overlay_doc = load::parse(overlay_path, &o.bytes)?;
        overlay::apply(&mut doc, &overlay_doc).map_err(|l| l.in_file(overlay_path))?;
    }
    let mut errors = Vec::new();
    if let Some(at) = selection {
        for unmatched in select::apply(&mut doc, at.selection) {
            errors.push(SpecError::at(
                at.manifest,
                format!("{}/select{}", at.pointer, unmatched.pointer),
                unmatched.message,
            ));
        }
    }
    let found = normalise::normalise(&mut doc);
    let in_spec = |l: Located| locate(&doc, spec_path, l);
    let mut problems: Vec<Located> = found.errors;
    let api = match validate::validate(&doc) {
        Ok(api) => Some(api),
        Err(more) => {
            // A place normalise could not translate is often also invalid
            // 3.0; say so once.
            let known: Vec<String> = problems.iter().map(|p| p.pointer.clone()).collect();
            problems.extend(
                more.into_iter()
                    .filter(|m| !known.iter().any(|k| m.pointer.starts_with(k.as_str()))),
            );
            None
        }
    };
    errors.extend(problems.into_iter().map(in_spec));
    match api {
        Some(api) if errors.is_empty() => Ok(Prepared {
            notes: found.notes.into_iter().map(in_spec).collect(),
            doc,
            api,
        }),
        _ => Err(SpecErrors(errors)),
    }
}

/// A problem located in `doc`, read from `file`, naming the operation it
/// is in.
pub fn locate(doc: &Value, file: &Path, located: Located) -> SpecError {
    let operation = document::operation_of(doc, &located.pointer);
    let mut e = located.in_file(file);
    e.operation = operation;
    e
}

/// Generates one provider's crate in memory.
pub fn generate_crate(root: &Path, provider: &Provider) -> anyhow::Result<Generated> {
    let (spec_input, overlay_input) = inputs(root, provider)?;
    let manifest_path = provider.dir.join("providers.toml");
    let selection = provider.select.as_ref().map(|selection| SelectionAt {
        selection,
        manifest: &manifest_path,
        pointer: &provider.pointer,
    });
    let prepared = prepare_selected(&spec_input, overlay_input.as_ref(), selection)?;
    let spec_path = Path::new(&spec_input.path);
    let in_spec = |message: String| SpecError::in_file(spec_path, message);
    // progenitor gets a copy shaped to what it generates; errors and notes
    // still name places in the document as the user wrote it.
    let mut shaped_doc = prepared.doc.clone();
    let shaped = shape::shape(&mut shaped_doc);
    let generated = generate::generate_document(&shaped_doc).map_err(in_spec)?;
    let mut left_out: Vec<SpecError> = shaped
        .skipped
        .iter()
        .map(|s| locate(&prepared.doc, spec_path, s.located()))
        .collect();
    left_out.extend(generated.unsupported.iter().map(|u| {
        let what = if u.operation.is_some() {
            "operation left out of the generated crate"
        } else {
            "schema generated as any JSON value"
        };
        locate(
            &prepared.doc,
            spec_path,
            Located::new(&u.pointer, format!("{what}: {}", u.reason)),
        )
    }));
    if provider.strict && !left_out.is_empty() {
        return Err(SpecErrors(left_out).into());
    }
    let mut notes = prepared.notes;
    notes.extend(
        shaped
            .found
            .notes
            .into_iter()
            .map(|n| locate(&prepared.doc, spec_path, n)),
    );
    let spec = generated.spec;
    let mut code = generated.code;
    postprocess::run(&mut code, &facts(provider, &spec)).map_err(in_spec)?;

    let dir = Path::new("crates").join(&provider.name);
    let rust_header = crate_files::header("//", &spec_input, overlay_input.as_ref());
    let toml_header = crate_files::header("#", &spec_input, overlay_input.as_ref());
    let lib = crate_files::lib_rs(provider, &spec, &rust_header);
    let generated = crate_files::generated_rs(&code, &rust_header);
    let version = current_version(root, &dir)?;
    let cargo = crate_files::cargo_toml(provider, &version, &spec, &generated, &toml_header);
    let surface = surface::render(&provider.name, &code).map_err(|e| in_spec(e.to_string()))?;
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
            path: dir.join("API.md"),
            contents: surface,
        },
    ];
    Ok(Generated {
        provider: provider.clone(),
        spec,
        doc: prepared.doc,
        code,
        outputs,
        left_out,
        notes,
    })
}

/// The version in the crate's existing `Cargo.toml`: a release decision
/// (see `cargo xtask diff --apply-bump`), not something the spec says. A new
/// crate starts at 0.1.0.
fn current_version(root: &Path, dir: &Path) -> anyhow::Result<String> {
    let path = root.join(dir).join("Cargo.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(crate::diff::cargo_toml::package_version(&text)
            .with_context(|| format!("reading the version of {}", path.display()))?
            .to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok("0.1.0".to_string()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn facts(provider: &Provider, spec: &openapiv3::OpenAPI) -> ClientFacts {
    let server = spec.servers.first();
    ClientFacts {
        provider: provider.name.clone(),
        headers: provider.headers.clone(),
        server_url: server.map(|s| s.url.clone()),
        server_variables: server
            .and_then(|s| s.variables.as_ref())
            .map(|vars| {
                vars.iter()
                    .map(|(name, v)| {
                        (
                            name.clone(),
                            v.description
                                .clone()
                                .unwrap_or_else(|| format!("default `{}`", v.default)),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        operation_ids: spec
            .paths
            .paths
            .values()
            .filter_map(|item| item.as_item())
            .flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone()))
            .collect(),
    }
}

/// Generates the providers named in `selected` (all when empty), in
/// manifest order. Any error fails the whole run before anything is written.
pub fn generate_all(root: &Path, selected: &[String]) -> anyhow::Result<Vec<Generated>> {
    let manifest = manifest(root)?;
    for name in selected {
        if !manifest.providers.iter().any(|p| &p.name == name) {
            let known: Vec<_> = manifest.providers.iter().map(|p| p.name.as_str()).collect();
            bail!(
                "unknown provider {name}; {MANIFEST} lists: {}",
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
