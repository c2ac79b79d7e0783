//! Reading and rewriting the `[package]` version of a crate's Cargo.toml.
//!
//! The rewrite edits the one `version = "..."` line as text, so comments,
//! key order and formatting stay as they were; the result is parsed again to
//! check the edit changed exactly the package version.

use anyhow::{Context, Result, bail};

use super::semver::Version;

/// The `[package]` version of a Cargo.toml.
pub fn package_version(cargo_toml: &str) -> Result<Version> {
    let table: toml::Table = toml::from_str(cargo_toml).context("Cargo.toml is not valid TOML")?;
    let version = table
        .get("package")
        .and_then(|p| p.get("version"))
        .context("Cargo.toml has no `[package]` version")?;
    let Some(version) = version.as_str() else {
        bail!(
            "the `[package]` version is not a string (inherited from the workspace?); it cannot be bumped per crate"
        );
    };
    version.parse::<Version>().map_err(anyhow::Error::msg)
}

/// `cargo_toml` with its `[package]` version set to `version`.
pub fn set_package_version(cargo_toml: &str, version: Version) -> Result<String> {
    let current = package_version(cargo_toml)?;
    let mut out = String::with_capacity(cargo_toml.len());
    let mut in_package = false;
    let mut replaced = false;
    for line in cargo_toml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_package = table_header(trimmed) == Some("package");
        } else if in_package
            && !replaced
            && let Some(new_line) = replace_version(line, &current, version)
        {
            out.push_str(&new_line);
            replaced = true;
            continue;
        }
        out.push_str(line);
    }
    if !replaced {
        bail!("no `version = \"{current}\"` line in the `[package]` table to rewrite");
    }
    let written = package_version(&out)?;
    if written != version {
        bail!("rewriting the version produced {written}, not {version}");
    }
    Ok(out)
}

/// `package` for `[package]` or `[ package ] # comment`; `None` for arrays
/// of tables and lines that are not headers.
fn table_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    if inner.starts_with('[') {
        return None;
    }
    let end = inner.find(']')?;
    Some(inner[..end].trim())
}

/// `line` with its version string replaced, if it is the `version = "x"` key
/// holding `current` (a basic or literal string).
fn replace_version(line: &str, current: &Version, version: Version) -> Option<String> {
    let rest = line.trim_start().strip_prefix("version")?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let old = format!("{quote}{current}{quote}");
    if !rest.starts_with(&old) {
        return None;
    }
    let start = line.len() - rest.len();
    Some(format!(
        "{}{quote}{version}{quote}{}",
        &line[..start],
        &rest[old.len()..]
    ))
}
