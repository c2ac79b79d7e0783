//! Reading and rewriting the `[package]` version of a crate's Cargo.toml.
//!
//! `regen` keeps the version a generated crate has, and `cargo xtask diff
//! --apply-bump` sets it. The rewrite goes through `toml_edit`, so comments,
//! key order, spacing and the string's quoting stay as they were.

use anyhow::{Context, Result, bail};
use semver::Version;
use toml_edit::{DocumentMut, Item, Value};

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
    // toml_edit writes `\n` line ends; a file written with `\r\n` keeps them.
    let text = doc.to_string();
    Ok(if cargo_toml.contains("\r\n") {
        text.replace('\n', "\r\n")
    } else {
        text
    })
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
