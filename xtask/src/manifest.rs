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
    /// The provider's id (its errors and `PROVIDER` constant) and its
    /// directory under `crates/`.
    pub name: String,
    /// The generated crate's package name on crates.io; `name` when absent.
    #[serde(default)]
    pub package: Option<String>,
    /// The vendor's document, relative to `specs/`.
    pub spec: PathBuf,
    /// Our corrections, relative to `specs/`.
    pub overlay: Option<PathBuf>,
    /// Features of `invoicing-runtime` the generated crate turns on, for
    /// auth an OpenAPI security scheme cannot name (one of
    /// [`RUNTIME_FEATURES`]).
    #[serde(default, rename = "runtime-features")]
    pub runtime_features: Vec<String>,
}

impl Provider {
    /// The generated crate's package name (`package`, else `name`).
    pub fn package(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.name)
    }

    /// The Rust name of the generated library, from the package name
    /// (`sendcloud-v2` -> `sendcloud_v2`).
    pub fn lib_name(&self) -> String {
        self.package().replace('-', "_")
    }
}

/// The `invoicing-runtime` features a provider may ask for: `coinbase-cdp`
/// signs a JWT per request with a Coinbase Developer Platform key (an
/// `http` `bearer` scheme to OpenAPI, so only the manifest can say it).
pub const RUNTIME_FEATURES: &[&str] = &["coinbase-cdp"];

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
    let mut packages = std::collections::BTreeSet::new();
    for (i, p) in manifest.providers.iter().enumerate() {
        let at = format!("/provider/{i}/name");
        if !is_package_name(&p.name) {
            return Err(SpecError::at(
                path,
                at,
                format!(
                    "provider name {:?} must be lowercase letters, digits and single dashes, \
                     starting with a letter, at most {MAX_NAME_LEN} characters",
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
        let at = format!("/provider/{i}/package");
        if !is_package_name(p.package()) {
            return Err(SpecError::at(
                path,
                at,
                format!(
                    "package {:?} is not a crate name in the project's scheme: lowercase \
                     letters, digits and single dashes, starting with a letter, at most \
                     {MAX_NAME_LEN} characters",
                    p.package()
                ),
            ));
        }
        if !packages.insert(p.package()) {
            return Err(SpecError::at(
                path,
                at,
                format!("package {} is used by two providers", p.package()),
            ));
        }
        for (j, feature) in p.runtime_features.iter().enumerate() {
            if !RUNTIME_FEATURES.contains(&feature.as_str()) {
                return Err(SpecError::at(
                    path,
                    format!("/provider/{i}/runtime-features/{j}"),
                    format!(
                        "unknown invoicing-runtime feature {feature:?}; known: {}",
                        RUNTIME_FEATURES.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(manifest)
}

/// crates.io takes at most 64 characters.
const MAX_NAME_LEN: usize = 64;

/// A name crates.io accepts (ASCII letters, digits, `-`, `_`, starting with
/// a letter, at most 64 characters), narrowed to the project's one form:
/// lowercase, `-` only and never doubled or trailing, so the package, its
/// directory and its Rust name (`-` -> `_`) map one to one.
fn is_package_name(name: &str) -> bool {
    name.len() <= MAX_NAME_LEN
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--")
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
    fn the_package_defaults_to_the_name_and_gives_the_rust_name() {
        let m = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"acme\"\nspec = \"a\"\n\
             [[provider]]\nname = \"kitchen\"\npackage = \"invoicing-kitchen\"\nspec = \"k\"\n\
             runtime-features = [\"coinbase-cdp\"]\n",
        )
        .unwrap();
        assert_eq!(m.providers[0].package(), "acme");
        assert_eq!(m.providers[0].lib_name(), "acme");
        assert_eq!(m.providers[1].package(), "invoicing-kitchen");
        assert_eq!(m.providers[1].lib_name(), "invoicing_kitchen");
        assert_eq!(m.providers[1].runtime_features, ["coinbase-cdp"]);
    }

    #[test]
    fn bad_packages_and_features_are_named_with_their_place() {
        let entry = |extra: &str| format!("[[provider]]\nname = \"a\"\nspec = \"a\"\n{extra}");
        for (extra, place, says) in [
            (
                "package = \"Invoicing_A\"\n",
                "/provider/0/package",
                "not a crate name",
            ),
            (
                "package = \"invoicing--a\"\n",
                "/provider/0/package",
                "not a crate name",
            ),
            (
                "package = \"9a\"\n",
                "/provider/0/package",
                "not a crate name",
            ),
            (
                &format!("package = \"{}\"\n", "a".repeat(65)),
                "/provider/0/package",
                "64",
            ),
            (
                "runtime-features = [\"tls\"]\n",
                "/provider/0/runtime-features/0",
                "coinbase-cdp",
            ),
        ] {
            let e = parse(Path::new("p.toml"), &entry(extra)).unwrap_err();
            assert_eq!(e.place, Place::Pointer(place.into()), "{extra}: {e}");
            assert!(e.to_string().contains(says), "{e}");
        }
        let two = format!(
            "{}{}",
            entry("package = \"p\"\n"),
            "[[provider]]\nname = \"b\"\npackage = \"p\"\nspec = \"b\"\n"
        );
        let e = parse(Path::new("p.toml"), &two).unwrap_err();
        assert_eq!(e.place, Place::Pointer("/provider/1/package".into()));
        assert!(e.to_string().contains("used by two providers"), "{e}");
    }

    #[test]
    fn runtime_features_are_the_runtime_crates_own() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join("crates/runtime/Cargo.toml")).unwrap();
        let features: toml::Table = toml::from_str::<toml::Table>(&text).unwrap()["features"]
            .as_table()
            .unwrap()
            .clone();
        for feature in RUNTIME_FEATURES {
            assert!(features.contains_key(*feature), "{feature}");
        }
    }

    #[test]
    fn the_real_manifest_parses() {
        let m = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).unwrap();
        assert!(m.providers.len() >= 4);
    }
}
