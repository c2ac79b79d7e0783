//! A provider's spec and overlay: read (from the working tree or from a git
//! revision) and prepared by the spec-reading passes, load -> overlay ->
//! normalise -> validate, into the document the generator reads.

use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::manifest::Provider;
use crate::passes::{load, normalise, overlay, validate};
use crate::spec_error::SpecError;

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
/// path relative to the repository root (`specs/<provider's path>`): the
/// working tree or a git revision, whichever the caller reads.
pub fn read<E>(
    provider: &Provider,
    mut read: impl FnMut(&Path) -> Result<Vec<u8>, E>,
) -> Result<(Input, Option<Input>), E> {
    let mut input = |relative: &Path| -> Result<Input, E> {
        let path = Path::new("specs").join(relative);
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
    read(provider, |path| {
        std::fs::read(root.join(path)).map_err(|e| SpecError::cannot_read(path, &e))
    })
}

/// Load, overlay, normalise and validate: the spec as the generator sees it.
/// Also returns the document as JSON, for tests that walk its examples.
pub fn prepare(
    spec: &Input,
    overlay: Option<&Input>,
) -> Result<(Value, openapiv3::OpenAPI), SpecError> {
    let spec_path = Path::new(&spec.path);
    let mut doc = load::parse(spec_path, &spec.bytes)?;
    if let Some(o) = overlay {
        let overlay_path = Path::new(&o.path);
        let overlay_doc = load::parse(overlay_path, &o.bytes)?;
        overlay::apply(&mut doc, &overlay_doc).map_err(|l| l.in_file(overlay_path))?;
    }
    normalise::normalise(&mut doc).map_err(|l| l.in_file(spec_path))?;
    let api = validate::validate(&doc).map_err(|l| l.in_file(spec_path))?;
    Ok((doc, api))
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
            overlay: None,
            credentials: Vec::new(),
        };
        let e = read_from_disk(Path::new("/nonexistent"), &provider).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("specs/a/openapi.yaml: cannot read"),
            "{e}"
        );
    }
}
