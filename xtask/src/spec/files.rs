//! A provider's spec and overlay: read (from the working tree or from a git
//! revision) and prepared by the spec-reading passes, load -> overlay ->
//! select -> normalise -> validate, into the document the generator reads.

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::spec::document;
use crate::spec::error::{Located, SpecError, SpecErrors};
use crate::spec::manifest::{Provider, Selection};
use crate::spec::{load, normalise, overlay, select, validate};

/// One input file and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// The file's bytes as read.
    pub bytes: Vec<u8>,
}

impl Input {
    /// The SHA-256 of the bytes, in lower-case hex (the provenance header
    /// of every generated file names it).
    pub fn sha256(&self) -> String {
        format!("{:x}", Sha256::digest(&self.bytes))
    }
}

/// The spec and overlay files of `provider`, each read by `read` from its
/// path relative to the repository root (`<manifest dir>/<provider's
/// path>`): the working tree or a git revision, whichever the caller reads.
pub fn read<E>(
    provider: &Provider,
    mut read: impl FnMut(&Path) -> Result<Vec<u8>, E>,
) -> Result<(Input, Option<Input>), E> {
    let mut input = |relative: &Path| -> Result<Input, E> {
        let path = provider.dir.join(relative);
        Ok(Input {
            bytes: read(&path)?,
            path: path.to_string_lossy().replace('\\', "/"),
        })
    };
    let spec = input(&provider.spec)?;
    let overlay = provider.overlay.as_deref().map(input).transpose()?;
    Ok((spec, overlay))
}

/// The spec and overlay files of `provider` in the working tree at `root`.
pub fn read_from_disk(
    root: &Path,
    provider: &Provider,
) -> Result<(Input, Option<Input>), SpecError> {
    read(provider, |path| read_file(root, path))
}

/// The bytes of `path` (relative to `root`) in the working tree; an error
/// names the path.
pub fn read_file(root: &Path, path: &Path) -> Result<Vec<u8>, SpecError> {
    std::fs::read(root.join(path)).map_err(|e| SpecError::cannot_read(path, &e))
}

/// `provider`'s document with its overlay applied, and with `normalised`
/// also selected and normalised: what other tools (mocks, linters) should
/// read.
pub fn document(root: &Path, provider: &Provider, normalised: bool) -> Result<Value, SpecErrors> {
    let (spec, overlay) = read_from_disk(root, provider)?;
    if normalised {
        return prepare_provider(provider, &spec, overlay.as_ref()).map(|p| p.doc);
    }
    Ok(overlaid(&spec, overlay.as_ref())?)
}

/// `provider`'s spec and overlay (as [`read`] gives them, from the working
/// tree or a git revision) prepared with the provider's selection: the
/// document the generator reads and `cargo xtask diff` compares, the same
/// whichever side of a comparison it is.
pub fn prepare_provider(
    provider: &Provider,
    spec: &Input,
    overlay: Option<&Input>,
) -> Result<Prepared, SpecErrors> {
    let manifest = provider.dir.join("providers.toml");
    let selection = provider.select.as_ref().map(|selection| SelectionAt {
        selection,
        manifest: &manifest,
        pointer: &provider.pointer,
    });
    prepare_selected(spec, overlay, selection)
}

/// The spec with its overlay applied.
fn overlaid(spec: &Input, overlay: Option<&Input>) -> Result<Value, SpecError> {
    let mut doc = load::parse(Path::new(&spec.path), &spec.bytes)?;
    if let Some(o) = overlay {
        let overlay_path = Path::new(&o.path);
        let overlay_doc = load::parse(overlay_path, &o.bytes)?;
        overlay::apply(&mut doc, &overlay_doc).map_err(|l| l.in_file(overlay_path))?;
    }
    Ok(doc)
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
    /// Schemas the selection's `depth` made any JSON value, and why (also
    /// among the notes).
    pub as_json: Vec<Located>,
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
struct SelectionAt<'a> {
    /// The operations to keep.
    selection: &'a Selection,
    /// The manifest file.
    manifest: &'a Path,
    /// JSON pointer to the provider's entry in the manifest.
    pointer: &'a str,
}

/// Load, overlay, select, normalise and validate. Every problem found in
/// any of these passes is reported, not only the first.
fn prepare_selected(
    spec: &Input,
    overlay: Option<&Input>,
    selection: Option<SelectionAt<'_>>,
) -> Result<Prepared, SpecErrors> {
    let spec_path = Path::new(&spec.path);
    let mut doc = overlaid(spec, overlay)?;
    let mut errors = Vec::new();
    let mut as_json = Vec::new();
    if let Some(at) = selection {
        let selected = select::apply(&mut doc, at.selection);
        for unmatched in selected.unmatched {
            errors.push(SpecError::at(
                at.manifest,
                format!("{}/select{}", at.pointer, unmatched.pointer),
                unmatched.message,
            ));
        }
        as_json = selected.as_json;
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
        Some(api) if errors.is_empty() => {
            let mut notes: Vec<SpecError> = as_json
                .iter()
                .map(|l| {
                    in_spec(Located::new(
                        &l.pointer,
                        format!("schema generated as any JSON value: {}", l.message),
                    ))
                })
                .collect();
            notes.extend(found.notes.into_iter().map(in_spec));
            Ok(Prepared {
                notes,
                as_json,
                doc,
                api,
            })
        }
        _ => Err(SpecErrors(errors)),
    }
}

/// A problem with a declaration under one of `extensions` (`x-pagination`),
/// in the file that declares it: the spec, or (when the vendor's document
/// has no declaration there) the overlay. The pointer is into the document
/// after the overlay.
pub fn declared_in_file(
    problem: Located,
    extensions: &[&str],
    spec: &Input,
    overlay: Option<&Input>,
) -> SpecError {
    let declaration = extensions
        .iter()
        .find_map(|key| {
            let token = format!("/{key}");
            let end = problem.pointer.find(&token)? + token.len();
            Some(&problem.pointer[..end])
        })
        .unwrap_or(&problem.pointer);
    let in_spec = load::parse(Path::new(&spec.path), &spec.bytes)
        .is_ok_and(|doc| doc.pointer(declaration).is_some());
    match overlay {
        Some(overlay) if !in_spec => {
            let mut error = problem.in_file(Path::new(&overlay.path));
            error.message = format!("{} (in the document after the overlay)", error.message);
            error
        }
        _ => problem.in_file(Path::new(&spec.path)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lower_case_hex() {
        let input = Input {
            path: "specs/a/openapi.yaml".into(),
            bytes: b"abc".to_vec(),
        };
        assert_eq!(
            input.sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let provider = Provider {
            name: "a".into(),
            package: None,
            spec: "a/openapi.yaml".into(),
            dir: "specs".into(),
            ..Default::default()
        };
        let e = read_from_disk(Path::new("/nonexistent"), &provider).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("specs/a/openapi.yaml: cannot read"),
            "{e}"
        );
    }
}
