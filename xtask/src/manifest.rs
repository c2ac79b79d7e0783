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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Directory under `crates/` and the crate's package name.
    pub name: String,
    /// The vendor's document, relative to the manifest's directory.
    pub spec: PathBuf,
    /// Our corrections, relative to the manifest's directory.
    pub overlay: Option<PathBuf>,
    /// Only these operations are generated (all when absent), and only the
    /// schemas they use.
    pub select: Option<Selection>,
    /// Whether leaving out an operation or schema the generator cannot
    /// generate is an error rather than a warning.
    #[serde(default)]
    pub strict: bool,
    /// Where this entry is in the manifest (`/provider/2`), for errors.
    #[serde(skip)]
    pub pointer: String,
    /// The manifest's directory, relative to the repository root
    /// (`specs`): `spec` and `overlay` are relative to it.
    #[serde(skip)]
    pub dir: PathBuf,
    /// Where the generated crate's `auth_from_env()` finds credentials, in
    /// order of preference.
    #[serde(default)]
    pub credentials: Vec<Credentials>,
}

/// Which operations to generate: those matching any of the lists.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Operations with any of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Operations whose path matches any of these globs (`*` within one
    /// segment, `**` across segments: `/v1/invoices/**`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Operations with these `operationId`s.
    #[serde(default)]
    pub operations: Vec<String>,
    /// How many references away from the selected operations component
    /// schemas still get types of their own (`0`: only the ones the
    /// operations name); those further away are any JSON value. All of
    /// them when absent.
    pub depth: Option<usize>,
}

/// One kind of credentials a provider reads from the environment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The spec's security scheme they are for. Its type says what the
    /// variables hold (HTTP basic: user and password; HTTP bearer: the
    /// token; OAuth2 client credentials: client id and secret, with the
    /// token URL and scopes the scheme states).
    pub scheme: String,
    /// The environment variables, in that order.
    pub env: Vec<String>,
    /// What the variables hold when the scheme cannot say it.
    #[serde(default)]
    pub kind: Option<CredentialsKind>,
}

/// What a scheme's variables hold, beyond what OpenAPI can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialsKind {
    /// A Coinbase Developer Platform key id and secret, for an HTTP bearer
    /// scheme whose token is a JWT signed with the key for each request.
    CdpKey,
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
    read_in(root, Path::new("specs"))
}

/// Reads the manifest `providers.toml` in `dir` (relative to `root`), whose
/// specs are relative to `dir`.
pub fn read_in(root: &Path, dir: &Path) -> Result<Manifest, SpecError> {
    let mut manifest = load(&root.join(dir).join("providers.toml"))?;
    for provider in &mut manifest.providers {
        provider.dir = dir.to_owned();
    }
    Ok(manifest)
}

/// Reads the manifest at `path`.
pub fn load(path: &Path) -> Result<Manifest, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|e| SpecError::cannot_read(path, &e))?;
    parse(path, &text)
}

/// Parses manifest text; errors name the line and column.
pub fn parse(path: &Path, text: &str) -> Result<Manifest, SpecError> {
    let mut manifest: Manifest = toml::from_str(text).map_err(|e| {
        let place = e.span().map_or(Place::File, |span| {
            let before = &text[..span.start];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            Place::LineCol(line, col)
        });
        SpecError {
            file: path.to_owned(),
            place,
            operation: None,
            message: e.message().to_owned(),
        }
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for (i, p) in manifest.providers.iter_mut().enumerate() {
        p.pointer = format!("/provider/{i}");
    }
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
        for (j, pattern) in p.select.iter().flat_map(|s| s.paths.iter()).enumerate() {
            if let Err(e) = crate::passes::select::path_glob(pattern) {
                return Err(SpecError::at(
                    path,
                    format!("/provider/{i}/select/paths/{j}"),
                    format!("invalid path pattern {pattern:?}: {e}"),
                ));
            }
        }
        for (j, credentials) in p.credentials.iter().enumerate() {
            let at = format!("/provider/{i}/credentials/{j}/env");
            if credentials.env.is_empty() {
                return Err(SpecError::at(path, at, "names no environment variable"));
            }
            if let Some(bad) = credentials.env.iter().find(|v| !is_variable_name(v)) {
                return Err(SpecError::at(
                    path,
                    at,
                    format!("{bad:?} is not an environment variable name (capitals, digits, `_`)"),
                ));
            }
        }
    }
    Ok(manifest)
}

/// `SENDCLOUD_PUBLIC_KEY`: capitals, digits and underscores, not starting
/// with a digit (the portable shell form).
fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
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
    fn selections_parse_and_bad_globs_are_named() {
        let m = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\nstrict = true\n\
             select = { tags = [\"Invoices\"], paths = [\"/v1/invoices/**\"], operations = [\"GetX\"] }\n",
        )
        .unwrap();
        let select = m.providers[0].select.as_ref().unwrap();
        assert_eq!(select.tags, ["Invoices"]);
        assert_eq!(select.paths, ["/v1/invoices/**"]);
        assert!(m.providers[0].strict);
        assert_eq!(m.providers[0].pointer, "/provider/0");
        let e = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\nselect = { paths = [\"/a/[\"] }\n",
        )
        .unwrap_err();
        assert_eq!(
            e.place,
            Place::Pointer("/provider/0/select/paths/0".into()),
            "{e}"
        );
    }

    #[test]
    fn credentials_name_a_scheme_and_valid_variables() {
        let m = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\ncredentials = [\n\
             { scheme = \"key\", kind = \"cdp-key\", env = [\"A_ID\", \"A_SECRET\"] },\n\
             { scheme = \"basic\", env = [\"A_USER\", \"A_PASSWORD\"] },\n]\n",
        )
        .unwrap();
        let c = &m.providers[0].credentials;
        assert_eq!(c[0].kind, Some(CredentialsKind::CdpKey));
        assert_eq!(c[1].env, ["A_USER", "A_PASSWORD"]);
        let e = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\n\
             credentials = [{ scheme = \"basic\", env = [\"A_USER\", \"a-password\"] }]\n",
        )
        .unwrap_err();
        assert_eq!(
            e.place,
            Place::Pointer("/provider/0/credentials/0/env".into()),
            "{e}"
        );
        assert!(e.to_string().contains("\"a-password\""), "{e}");
    }

    #[test]
    fn the_real_manifest_parses() {
        let m = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).unwrap();
        assert!(m.providers.len() >= 4);
    }
}
