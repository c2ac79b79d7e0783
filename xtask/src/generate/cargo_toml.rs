//! Reading and rewriting the `[package]` version of a crate's Cargo.toml,
//! and the requirement on it in the workspace's `[workspace.dependencies]`.
//!
//! `regen` keeps the version a generated crate has, and `cargo xtask diff
//! --apply-bump` sets it; both keep the workspace's requirement equal to it,
//! because a path dependency must carry a version to be published and cargo
//! refuses one the crate no longer matches. The rewrites go through
//! `toml_edit`, so comments, key order, spacing and the string's quoting
//! stay as they were.

use anyhow::{Context, Result, bail};
use semver::Version;
use toml_edit::{DocumentMut, InlineTable, Item, Value};

/// Parses a release version, `major.minor.patch`: generated crates carry no
/// pre-release or build suffix, so one is an error rather than something a
/// bump would silently drop.
pub fn release_version(text: &str) -> Result<Version, String> {
    let form = || format!("version `{text}` is not of the form `major.minor.patch`");
    let version = Version::parse(text).map_err(|e| format!("{}: {e}", form()))?;
    if !version.pre.is_empty() || !version.build.is_empty() {
        return Err(form());
    }
    Ok(version)
}

/// The `[package]` version of a Cargo.toml.
pub fn package_version(cargo_toml: &str) -> Result<Version> {
    let doc = parse(cargo_toml)?;
    let item = version_item(&doc)?;
    release_version(version_text(item)?).map_err(anyhow::Error::msg)
}

/// The `[package]` name of a Cargo.toml.
pub fn package_name(cargo_toml: &str) -> Result<String> {
    parse(cargo_toml)?
        .get("package")
        .and_then(|package| package.get("name"))
        .and_then(Item::as_str)
        .map(str::to_owned)
        .context("Cargo.toml has no `[package]` name")
}

/// `cargo_toml` with its `[package]` version set to `version`; everything
/// else, the comment after the version included, is kept byte for byte.
pub fn set_package_version(cargo_toml: &str, version: &Version) -> Result<String> {
    let mut doc = parse(cargo_toml)?;
    let current =
        release_version(version_text(version_item(&doc)?)?).map_err(anyhow::Error::msg)?;
    let Some(Item::Value(value)) = doc
        .get_mut("package")
        .and_then(|package| package.get_mut("version"))
    else {
        unreachable!("version_item found a string value");
    };
    // The new string is written in the old one's quoting (basic or literal):
    // the old representation with the version replaced, parsed again.
    let Value::String(old) = &value else {
        unreachable!("version_text found a string");
    };
    let repr = old
        .display_repr()
        .replacen(&current.to_string(), &version.to_string(), 1);
    let mut new: Value = repr
        .parse()
        .with_context(|| format!("rewriting the version as {repr}"))?;
    *new.decor_mut() = value.decor().clone();
    *value = new;
    Ok(to_text(&doc, cargo_toml))
}

/// The workspace's `Cargo.toml` with `[workspace.dependencies]` requiring
/// `version` of `package`, the crate at `path` (relative to the workspace
/// root, `/`-separated): the entry's `version` is set, or the entry
/// `package = { path = "...", version = "..." }` is added when missing.
///
/// # Errors
/// When the file has no `[workspace.dependencies]`, when the entry for
/// `package` points elsewhere, or when another entry points at `path` (a
/// package renamed in the manifest: the entry's key must be renamed by
/// hand, since everything that depends on it names it).
pub fn set_workspace_dependency(
    workspace_toml: &str,
    package: &str,
    path: &str,
    version: &Version,
) -> Result<String> {
    let mut doc = parse(workspace_toml)?;
    let deps = doc
        .get_mut("workspace")
        .and_then(|workspace| workspace.get_mut("dependencies"))
        .and_then(Item::as_table_like_mut)
        .context("the workspace Cargo.toml has no `[workspace.dependencies]`")?;
    let path_of = |item: &Item| {
        item.as_table_like()
            .and_then(|entry| entry.get("path"))
            .and_then(Item::as_str)
            .map(|p| p.trim_end_matches('/').to_owned())
    };
    if let Some((other, _)) = deps
        .iter()
        .find(|(key, item)| *key != package && path_of(item).as_deref() == Some(path))
    {
        bail!(
            "[workspace.dependencies] names {path} `{other}`, but its package is `{package}`: \
             rename the entry (and every `{other}.workspace = true`)"
        );
    }
    let version = version.to_string();
    match deps.get_mut(package) {
        None => {
            let mut entry = InlineTable::new();
            entry.insert("path", path.into());
            entry.insert("version", version.as_str().into());
            deps.insert(package, Item::Value(Value::InlineTable(entry)));
        }
        Some(item) => {
            let found = path_of(item);
            if found.as_deref() != Some(path) {
                bail!(
                    "[workspace.dependencies] `{package}` has path {}, not {path}",
                    found.as_deref().unwrap_or("none")
                );
            }
            let entry = item
                .as_table_like_mut()
                .expect("path_of found a table with a path");
            match entry.get_mut("version").and_then(Item::as_value_mut) {
                Some(value) => {
                    let decor = value.decor().clone();
                    *value = version.as_str().into();
                    *value.decor_mut() = decor;
                }
                None => {
                    entry.insert("version", toml_edit::value(version.as_str()));
                    // An inline table keeps its old last value's trailing
                    // space before the new comma; laid out anew it reads
                    // `{ path = "...", version = "..." }`.
                    if let Some(inline) = item.as_inline_table_mut() {
                        inline.fmt();
                    }
                }
            }
        }
    }
    Ok(to_text(&doc, workspace_toml))
}

/// `doc` as text, with the line ends of `original`: toml_edit writes `\n`,
/// and a file written with `\r\n` keeps them.
fn to_text(doc: &DocumentMut, original: &str) -> String {
    let text = doc.to_string();
    if original.contains("\r\n") {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

fn parse(cargo_toml: &str) -> Result<DocumentMut> {
    cargo_toml.parse().context("Cargo.toml is not valid TOML")
}

fn version_item(doc: &DocumentMut) -> Result<&Item> {
    doc.get("package")
        .and_then(|package| package.get("version"))
        .context("Cargo.toml has no `[package]` version")
}

fn version_text(item: &Item) -> Result<&str> {
    match item.as_str() {
        Some(text) => Ok(text),
        None => bail!(
            "the `[package]` version is not a string (inherited from the workspace?); it cannot be bumped per crate"
        ),
    }
}
