//! `specs/providers.toml`: which providers exist and how to generate each.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::spec_error::{Place, SpecError};

/// The whole manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Providers in the order they are listed.
    #[serde(rename = "provider")]
    pub providers: Vec<Provider>,
}

/// One provider: one generated crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Directory under `crates/` and the crate's package name.
    pub name: String,
    /// The vendor's document, relative to `specs/`.
    pub spec: PathBuf,
    /// Our corrections, relative to `specs/`.
    pub overlay: Option<PathBuf>,
}

impl Provider {
    /// The Rust name of the generated library (`sendcloud-v2` -> `sendcloud_v2`).
    pub fn lib_name(&self) -> String {
        self.name.replace('-', "_")
    }
}

/// Path of the manifest, relative to the repository root.
pub const PATH: &str = "specs/providers.toml";

/// Reads the manifest of the repository at `root`.
pub fn read(root: &Path) -> Result<Manifest, SpecError> {
    load(&root.join(PATH))
}

/// Reads the manifest at `path`.
pub fn load(path: &Path) -> Result<Manifest, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|e| SpecError::cannot_read(path, &e))?;
    parse(path, &text)
}

/// Parses manifest text; errors name the line and column.
pub fn parse(path: &Path, text: &str) -> Result<Manifest, SpecError> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| {
        let place = e.span().map_or(Place::File, |span| {
            let before = &text[..span.start];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            Place::LineCol(line, col)
        });
        SpecError {
            file: path.to_owned(),
            place,
            message: e.message().to_owned(),
        }
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in manifest.providers.iter().enumerate() {
        let valid = !p.name.is_empty()
            && p.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && p.name.starts_with(|c: char| c.is_ascii_lowercase());
        let at = format!("/provider/{i}/name");
        if !valid {
            return Err(SpecError::at(
                path,
                at,
                format!(
                    "provider name {:?} must be lowercase letters, digits and dashes",
                    p.name
                ),
            ));
        }
        if !seen.insert(&p.name) {
            return Err(SpecError::at(
                path,
                at,
                format!("provider {} is listed twice", p.name),
            ));
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_providers_in_order() {
        let m = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"b-v2\"\nspec = \"b/openapi.yaml\"\n\
             [[provider]]\nname = \"a\"\nspec = \"a.json\"\noverlay = \"a.overlay.yaml\"\n",
        )
        .unwrap();
        let names: Vec<_> = m.providers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b-v2", "a"]);
        assert_eq!(m.providers[0].lib_name(), "b_v2");
        assert_eq!(
            m.providers[1].overlay.as_deref(),
            Some(Path::new("a.overlay.yaml"))
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\ncolour = 1\n",
        )
        .unwrap_err();
        assert_eq!(e.place, Place::LineCol(4, 1), "{e}");
        let e = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"Bad Name\"\nspec = \"a\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("lowercase"), "{e}");
    }

    #[test]
    fn the_real_manifest_parses() {
        let m = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).unwrap();
        assert!(m.providers.len() >= 4);
    }
}
