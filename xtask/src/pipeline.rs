//! The passes composed: from a provider's manifest entry to its files.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::Value;

use crate::generate::constant_headers;
use crate::generate::crate_files::{self, LeftOut};
use crate::generate::postprocess::{self, ClientFacts};
use crate::generate::write::Output;
use crate::generate::{progenitor, shape};
use crate::spec::document;
use crate::spec::error::{Located, SpecError, SpecErrors};
use crate::spec::files::{self, Input, locate};
use crate::spec::idempotency;
use crate::spec::manifest::{self, Provider};
use crate::spec::paging;
use crate::surface;

/// The repository `dir` is in: the nearest directory at or above it that
/// has `specs/providers.toml`.
pub fn find_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(manifest::PATH).is_file())
        .map(Path::to_owned)
}

/// The repository this xtask was built in (xtask lives one level below
/// it), for tests and benchmarks; the command line uses [`find_root`].
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

/// Generates one provider's crate in memory.
pub fn generate_crate(root: &Path, provider: &Provider) -> anyhow::Result<Generated> {
    let (spec_input, overlay_input) = files::read_from_disk(root, provider)?;
    let dir = Path::new("crates").join(&provider.name);
    let version = current_version(root, &dir)?;
    generate_from(provider, &spec_input, overlay_input.as_ref(), &version)
}

/// The stack generation needs for any document the parsers accept.
/// typify, syn and prettyplease recurse once or more per level of schema
/// nesting, with large frames in a debug build: 40 levels of objects
/// overflow a test thread's 2 MiB. The parsers stop a document at 128
/// levels of nesting (an error naming line and column), and 256 MiB holds
/// that with room to spare; the memory is only reserved until the
/// recursion reaches it. The command line runs on a thread this size, and
/// so must any other caller of [`generate_from`] (syn's trees cannot move
/// between threads, so generation cannot start one itself).
pub const GENERATION_STACK: usize = 256 << 20;

/// Generates `provider`'s crate at `version` from its spec and overlay as
/// given (not read from disk). Run it on a stack of [`GENERATION_STACK`].
pub fn generate_from(
    provider: &Provider,
    spec_input: &Input,
    overlay_input: Option<&Input>,
    version: &str,
) -> anyhow::Result<Generated> {
    let prepared = files::prepare_provider(provider, spec_input, overlay_input)?;
    let spec_path = Path::new(&spec_input.path);
    let in_spec = |message: String| SpecError::in_file(spec_path, message);
    let at = |located: Located| locate(&prepared.doc, spec_path, located);
    let keyed = idempotency::read(&prepared.doc, provider.idempotency_key.as_deref()).map_err(
        |problems| {
            SpecErrors(
                problems
                    .into_iter()
                    .map(|problem| {
                        let operation = document::operation_of(&prepared.doc, &problem.pointer);
                        let mut error = files::declared_in_file(
                            problem,
                            &[idempotency::EXTENSION],
                            spec_input,
                            overlay_input,
                        );
                        error.operation = operation;
                        error
                    })
                    .collect(),
            )
        },
    )?;
    // progenitor gets a copy shaped to what it generates; errors and notes
    // still name places in the document as the user wrote it.
    let mut shaped_doc = prepared.doc.clone();
    idempotency::make_optional(&mut shaped_doc, &keyed);
    let headers = constant_headers::take(&mut shaped_doc).map_err(in_spec)?;
    let shaped = shape::shape(&mut shaped_doc);
    let generated = progenitor::generate_document(&shaped_doc).map_err(in_spec)?;
    let mut paging = paging::read(&prepared.doc)
        .map_err(|problem| paging::in_file(problem, spec_input, overlay_input))?;

    let (left_out, mut docs) = what_was_left_out(&shaped, &generated, paging.unused, at);
    // A paged operation that was left out has no builder to page.
    paging.operations.retain(|paged| {
        let id = Some(paged.operation_id.as_str());
        !shaped
            .skipped
            .iter()
            .any(|s| Some(s.operation.as_str()) == id)
            && !generated
                .unsupported
                .iter()
                .any(|u| u.operation.as_deref() == id)
    });
    if provider.strict && !left_out.is_empty() {
        return Err(SpecErrors(left_out).into());
    }
    if provider.select.is_some() {
        selected_left_out(&shaped, &generated, at)?;
    }
    // Made any JSON value on purpose (the selection's depth): notes.
    docs.schemas.extend(
        prepared
            .as_json
            .iter()
            .map(|l| format!("`{}`: {}", l.pointer, l.message)),
    );
    docs.checks.extend(
        shaped
            .unchecked
            .iter()
            .map(|l| format!("`{}`: {}", l.pointer, l.message)),
    );
    let mut notes = prepared.notes;
    notes.extend(shaped.found.notes.into_iter().map(at));
    let spec = generated.spec;
    let mut code = generated.code;
    let facts = ClientFacts {
        wire: shaped.wire,
        paged: paging.operations,
        idempotency_keys: keyed
            .into_iter()
            .map(|keyed| (keyed.operation_id, keyed.key))
            .collect(),
        ..ClientFacts::new(provider, &spec, headers)?
    };
    postprocess::run(&mut code, &facts).map_err(in_spec)?;

    let dir = Path::new("crates").join(&provider.name);
    let rust_header = crate_files::header("//", spec_input, overlay_input);
    let toml_header = crate_files::header("#", spec_input, overlay_input);
    let lib = crate_files::lib_rs(provider, &spec, &facts, &docs, &rust_header);
    let generated = crate_files::generated_rs(&code, &rust_header);
    let cargo = crate_files::cargo_toml(
        provider,
        version,
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
        doc: prepared.doc,
        code,
        outputs,
        left_out,
        notes,
    })
}

/// The manifest's `select` names the operations a user needs: one left out
/// of the crate is an error naming it and why, not a warning.
fn selected_left_out(
    shaped: &shape::Shaped,
    generated: &progenitor::Generated,
    at: impl Fn(Located) -> SpecError,
) -> Result<(), SpecErrors> {
    let mut errors: Vec<SpecError> = shaped
        .skipped
        .iter()
        .map(|s| {
            let mut located = s.located();
            located.message = format!("selected operation {}: {}", s.operation, located.message);
            at(located)
        })
        .collect();
    errors.extend(generated.unsupported.iter().filter_map(|u| {
        let operation = u.operation.as_deref()?;
        Some(at(Located::new(
            &u.pointer,
            format!(
                "selected operation {operation}: operation left out of the generated crate: {}",
                u.reason
            ),
        )))
    }));
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(errors))
    }
}

/// What could not be generated (operations the shape pass skipped or
/// progenitor could not take, schemas it could not type, paging
/// declarations no stream is built from): warnings, errors in strict mode,
/// and lines of the crate docs.
fn what_was_left_out(
    shaped: &shape::Shaped,
    generated: &progenitor::Generated,
    unused_paging: Vec<Located>,
    at: impl Fn(Located) -> SpecError,
) -> (Vec<SpecError>, LeftOut) {
    let mut warnings: Vec<SpecError> = shaped.skipped.iter().map(|s| at(s.located())).collect();
    let mut docs = LeftOut::default();
    docs.operations.extend(
        shaped
            .skipped
            .iter()
            .map(|s| format!("`{}` (`{}`): {}", s.request, s.operation, s.reason)),
    );
    for u in &generated.unsupported {
        let (what, line) = match (&u.request, &u.operation) {
            (Some(request), Some(op)) => (
                "operation left out of the generated crate",
                format!("`{request}` (`{op}`): {}", u.reason),
            ),
            _ => (
                "schema generated as any JSON value",
                format!("`{}`: {}", u.pointer, u.reason),
            ),
        };
        warnings.push(at(Located::new(
            &u.pointer,
            format!("{what}: {}", u.reason),
        )));
        match u.operation {
            Some(_) => docs.operations.push(line),
            None => docs.schemas.push(line),
        }
    }
    for unused in unused_paging {
        docs.paging
            .push(format!("`{}`: {}", unused.pointer, unused.message));
        warnings.push(at(Located::new(
            &unused.pointer,
            format!(
                "paging declaration not used (no `.stream()`): {}",
                unused.message
            ),
        )));
    }
    (warnings, docs)
}

/// The version in the crate's existing `Cargo.toml`: a release decision
/// (see `cargo xtask diff --apply-bump`), not something the spec says. A new
/// crate starts at 0.1.0.
fn current_version(root: &Path, dir: &Path) -> anyhow::Result<String> {
    let path = root.join(dir).join("Cargo.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(crate::generate::cargo_toml::package_version(&text)
            .with_context(|| format!("reading the version of {}", path.display()))?
            .to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok("0.1.0".to_string()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// The workspace's `Cargo.toml` with each generated crate's requirement in
/// `[workspace.dependencies]` equal to the version it was generated with
/// (see [`crate::generate::cargo_toml::set_workspace_dependency`]); `None` for a
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
        let version = crate::generate::cargo_toml::package_version(&cargo.contents)?;
        text = crate::generate::cargo_toml::set_workspace_dependency(
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
