//! `specs/providers.toml`: which providers exist and how to generate each.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use serde::Deserialize;

use crate::spec::error::{Place, SpecError};

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
    /// The provider's id (its errors and `PROVIDER` constant) and its
    /// directory under `crates/`.
    pub name: String,
    /// The generated crate's package name on crates.io; `name` when absent.
    #[serde(default)]
    pub package: Option<String>,
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
    /// The response header in which the vendor sends its id of each request
    /// (`X-Request-Id`), kept on every error; unset when the vendor's
    /// documents do not say it sends one.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The request header in which the vendor takes an idempotency key
    /// (`PayPal-Request-Id`): a write whose document declares a header
    /// parameter of this name takes a key there (see
    /// [`crate::spec::idempotency`]); unset when the vendor's documents declare
    /// none.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// Whether the facade (`invoicing`) reads this provider: it then has an
    /// adapter (`crates/invoicing/src/adapters/<module>.rs`) and a mock
    /// vendor (`mock-vendors/src/vendors/<module>.rs`), and `cargo xtask
    /// regen` lists it everywhere providers are listed ([`crate::registry`]).
    #[serde(default)]
    pub facade: bool,
    /// The vendor API's name in docs (`Kitchen (kitchen.co)`); `name` when
    /// absent.
    #[serde(default)]
    pub title: Option<String>,
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
    pub paths: Vec<PathGlob>,
    /// Operations with these `operationId`s.
    #[serde(default)]
    pub operations: Vec<String>,
    /// How many references away from the selected operations component
    /// schemas still get types of their own (`0`: only the ones the
    /// operations name); those further away are any JSON value. All of
    /// them when absent.
    pub depth: Option<usize>,
}

/// A path pattern of a [`Selection`], compiled once, when the manifest is
/// read (an invalid one is an error at its line and column): `*` stays
/// within one segment, `**` crosses segments, and braces are literal, as in
/// path templates (`/invoices/{id}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "String")]
pub struct PathGlob {
    pattern: String,
    matcher: GlobMatcher,
}

impl PathGlob {
    /// Compiles `pattern`.
    pub fn new(pattern: &str) -> Result<Self, globset::Error> {
        let literal_braces = pattern.replace('{', "[{]").replace('}', "[}]");
        let matcher = GlobBuilder::new(&literal_braces)
            .literal_separator(true)
            .build()?
            .compile_matcher();
        Ok(Self {
            pattern: pattern.to_owned(),
            matcher,
        })
    }

    /// Whether the path template `path` matches.
    pub fn is_match(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

impl TryFrom<String> for PathGlob {
    type Error = String;

    fn try_from(pattern: String) -> Result<Self, String> {
        Self::new(&pattern).map_err(|e| format!("invalid path pattern {pattern:?}: {e}"))
    }
}

impl PartialEq for PathGlob {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

impl Eq for PathGlob {}

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
    /// The generated crate's package name (`package`, else `name`).
    pub fn package(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.name)
    }

    /// The Rust name of the generated library, from the package name
    /// (`sendcloud-v2` -> `sendcloud_v2`).
    pub fn lib_name(&self) -> String {
        self.package().replace('-', "_")
    }

    /// The provider's Rust module and builder-method name in the facade
    /// (`sendcloud-v2` -> `sendcloud_v2`).
    pub fn module_name(&self) -> String {
        heck::AsSnakeCase(&self.name).to_string()
    }

    /// The provider's type name in the facade: its `Provider` variant and
    /// adapter type (`sendcloud-v2` -> `SendcloudV2`).
    pub fn type_name(&self) -> String {
        heck::AsUpperCamelCase(&self.name).to_string()
    }

    /// The name in docs: `title`, else `name`.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// The `invoicing-runtime` features the generated crate turns on: the
    /// auth its credentials need beyond the runtime's default build.
    pub fn runtime_features(&self) -> Vec<&'static str> {
        let mut features: Vec<&'static str> = self
            .credentials
            .iter()
            .filter_map(|c| c.kind)
            .map(CredentialsKind::runtime_feature)
            .collect();
        features.sort_unstable();
        features.dedup();
        features
    }
}

impl CredentialsKind {
    /// The `invoicing-runtime` feature that builds this kind of auth (so a
    /// crate without such credentials does not compile its crypto).
    pub fn runtime_feature(self) -> &'static str {
        match self {
            CredentialsKind::CdpKey => "coinbase-cdp",
        }
    }
}

/// Path of the manifest, relative to the repository root.
pub const PATH: &str = "specs/providers.toml";

/// The manifest's directory, relative to the repository root.
pub const DIR: &str = "specs";

/// Reads the manifest of the repository at `root`.
pub fn read(root: &Path) -> Result<Manifest, SpecError> {
    read_in(root, Path::new(DIR))
}

/// Reads the manifest `providers.toml` in `dir` (relative to `root`), whose
/// specs are relative to `dir`.
pub fn read_in(root: &Path, dir: &Path) -> Result<Manifest, SpecError> {
    Ok(in_dir(load(&root.join(dir).join("providers.toml"))?, dir))
}

/// Parses the text of the manifest `providers.toml` in `dir` (relative to
/// the repository root, whose specs are relative to `dir`) as read from
/// elsewhere than the working tree (a git revision); errors name `file`.
pub fn parse_in(file: &Path, dir: &Path, text: &str) -> Result<Manifest, SpecError> {
    Ok(in_dir(parse(file, text)?, dir))
}

/// Each provider's spec and overlay found relative to `dir`.
fn in_dir(mut manifest: Manifest, dir: &Path) -> Manifest {
    for provider in &mut manifest.providers {
        provider.dir = dir.to_owned();
    }
    manifest
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
        for (field, header) in [
            ("request_id", &p.request_id),
            ("idempotency_key", &p.idempotency_key),
        ] {
            if let Some(header) = header
                && !is_header_name(header)
            {
                return Err(SpecError::at(
                    path,
                    format!("/provider/{i}/{field}"),
                    format!("{header:?} is not an HTTP header name (letters, digits, `-`)"),
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

/// `X-Request-Id`: letters, digits and `-` (the header names vendors use;
/// the generated `context()` would panic on a name HTTP does not allow).
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
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
        let paths: Vec<_> = select.paths.iter().map(PathGlob::as_str).collect();
        assert_eq!(paths, ["/v1/invoices/**"]);
        assert!(m.providers[0].strict);
        assert_eq!(m.providers[0].pointer, "/provider/0");
        let e = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\nselect = { paths = [\"/a/[\"] }\n",
        )
        .unwrap_err();
        assert_eq!(e.place, Place::LineCol(4, 20), "{e}");
        assert!(e.message.contains("invalid path pattern \"/a/[\""), "{e}");
    }

    #[test]
    fn path_globs_match_within_and_across_segments() {
        let glob = |p: &str| PathGlob::new(p).unwrap();
        assert!(glob("/v1/*").is_match("/v1/invoices"));
        assert!(!glob("/v1/*").is_match("/v1/invoices/{id}"));
        assert!(glob("/v1/**").is_match("/v1/invoices/{id}"));
        assert!(glob("/v1/invoices/{id}").is_match("/v1/invoices/{id}"));
        assert!(!glob("/v1/invoices/{id}").is_match("/v1/invoices/i"));
    }

    #[test]
    fn the_package_defaults_to_the_name_and_gives_the_rust_name() {
        let m = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"acme\"\nspec = \"a\"\n\
             [[provider]]\nname = \"kitchen\"\npackage = \"invoicing-kitchen\"\nspec = \"k\"\n",
        )
        .unwrap();
        assert_eq!(m.providers[0].package(), "acme");
        assert_eq!(m.providers[0].lib_name(), "acme");
        assert_eq!(m.providers[1].package(), "invoicing-kitchen");
        assert_eq!(m.providers[1].lib_name(), "invoicing_kitchen");
    }

    #[test]
    fn bad_packages_are_named_with_their_place() {
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
    fn cdp_credentials_need_the_runtime_feature_the_runtime_has() {
        let m = parse(
            Path::new("p.toml"),
            "[[provider]]\nname = \"a\"\nspec = \"a\"\n\
             [[provider]]\nname = \"b\"\nspec = \"b\"\ncredentials = [\n\
             { scheme = \"k1\", kind = \"cdp-key\", env = [\"B_ID\", \"B_SECRET\"] },\n\
             { scheme = \"k2\", kind = \"cdp-key\", env = [\"B_ID2\", \"B_SECRET2\"] },\n]\n",
        )
        .unwrap();
        assert!(m.providers[0].runtime_features().is_empty());
        assert_eq!(m.providers[1].runtime_features(), ["coinbase-cdp"]);
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = std::fs::read_to_string(root.join("crates/runtime/Cargo.toml")).unwrap();
        let runtime: toml::Table = toml::from_str(&text).unwrap();
        let feature = CredentialsKind::CdpKey.runtime_feature();
        assert!(runtime["features"].get(feature).is_some(), "{feature}");
    }

    #[test]
    fn a_request_id_header_must_be_a_header_name() {
        let ok = "[[provider]]\nname = \"a\"\nspec = \"a.yaml\"\nrequest_id = \"X-Request-Id\"\n";
        let manifest = parse(Path::new("providers.toml"), ok).unwrap();
        assert_eq!(
            manifest.providers[0].request_id.as_deref(),
            Some("X-Request-Id")
        );
        let bad = ok.replace("X-Request-Id", "X Request Id");
        let err = parse(Path::new("providers.toml"), &bad).unwrap_err();
        assert!(err.to_string().contains("/provider/0/request_id"), "{err}");
        let bad = format!("{ok}idempotency_key = \"Idempotency Key\"\n");
        let err = parse(Path::new("providers.toml"), &bad).unwrap_err();
        assert!(
            err.to_string().contains("/provider/0/idempotency_key"),
            "{err}"
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
