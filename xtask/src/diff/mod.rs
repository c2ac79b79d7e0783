//! `cargo xtask diff`: what the working tree changes in each generated
//! crate's API compared with a git revision, classified breaking or
//! additive, explained by the changes to the vendor's document, with the
//! version bump the crate needs.
//!
//! The comparison reads both sides as surfaces (see [`crate::surface`]): the
//! current one generated in memory from the working-tree spec, the base one
//! from the `API.md` committed at the base revision.

pub mod api;
pub mod bump;
pub mod declared;
pub mod format;
pub mod git;
pub mod op_name;
pub mod render;
pub mod report;
mod schema_walk;
pub mod spec;
pub mod workspace;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use self::api::Impact;
use self::bump::Bump;
pub use self::format::Format;
use self::report::{ApiState, CrateReport, SpecState, VersionPlan};
use crate::generate::cargo_toml;
use crate::spec::manifest;
use crate::surface;

/// Arguments of `cargo xtask diff`.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct DiffArgs {
    /// Git revision to compare the working tree with.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub base: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when any API change is breaking.
    #[arg(long)]
    pub deny_breaking: bool,
    /// Write the suggested version into each crate's Cargo.toml.
    #[arg(long)]
    pub apply_bump: bool,
    /// Providers to compare (default: all of specs/providers.toml).
    #[arg(value_name = "PROVIDER")]
    pub providers: Vec<String>,
}

/// Where `run` gets the two sides of each comparison; the generator
/// pipeline implements it over the repository.
pub trait DiffInputs {
    /// All provider names, in `specs/providers.toml` order.
    fn providers(&self) -> Vec<String>;
    /// The provider names in `specs/providers.toml` at `rev` (none if it
    /// had no manifest), in its order.
    fn base_providers(&self, rev: &str) -> Result<Vec<String>>;
    /// The surface file of the crate generated from the working-tree spec.
    fn current_surface(&self, provider: &str) -> Result<String>;
    /// `crates/<provider>/API.md` at `rev`; `None` if it did not exist.
    fn base_surface(&self, provider: &str, rev: &str) -> Result<Option<String>>;
    /// The working-tree spec, prepared as the generator reads it (loaded,
    /// overlaid, selected, normalised: [`crate::spec::files::prepare_provider`]).
    fn current_spec(&self, provider: &str) -> Result<openapiv3::OpenAPI>;
    /// The spec as of `rev`, with the manifest entry as of `rev`, prepared
    /// the same way; `None` if the provider had no spec then.
    fn base_spec(&self, provider: &str, rev: &str) -> Result<Option<openapiv3::OpenAPI>>;
    /// The crate's Cargo.toml in the working tree.
    fn cargo_toml_path(&self, provider: &str) -> PathBuf;
    /// The workspace's Cargo.toml, whose `[workspace.dependencies]` require
    /// each crate at its version.
    fn workspace_manifest_path(&self) -> PathBuf;
    /// The crate's Cargo.toml at `rev`; `None` if it did not exist. The
    /// version there is the release the bump is measured from, so running
    /// `--apply-bump` twice bumps once.
    fn base_cargo_toml(&self, provider: &str, rev: &str) -> Result<Option<String>>;
}

/// The result of `cargo xtask diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOutcome {
    /// One report per compared crate, in the order asked for, then one per
    /// provider removed since the base revision.
    pub reports: Vec<CrateReport>,
    /// The rendered output, to print as is.
    pub output: String,
    /// Whether `--deny-breaking` was given.
    pub deny_breaking: bool,
}

impl DiffOutcome {
    /// Whether any crate has a breaking API change.
    pub fn has_breaking(&self) -> bool {
        self.reports.iter().any(CrateReport::is_breaking)
    }
}

/// Process exit status for the result of [`run`]: 0 success, 1 breaking
/// changes under `--deny-breaking`, 2 when the comparison failed.
pub fn exit_code(result: &Result<DiffOutcome>) -> u8 {
    match result {
        Ok(outcome) if outcome.deny_breaking && outcome.has_breaking() => 1,
        Ok(_) => 0,
        Err(_) => 2,
    }
}

/// Compares the working tree with `args.base` for the providers asked for
/// (all by default), and with `--apply-bump` writes the suggested versions.
///
/// Nothing is written unless every comparison succeeded.
pub fn run(args: DiffArgs, inputs: &dyn DiffInputs) -> Result<DiffOutcome> {
    let known = inputs.providers();
    let mut removed = Vec::new();
    let providers = if args.providers.is_empty() {
        removed = inputs
            .base_providers(&args.base)
            .with_context(|| format!("reading {} at `{}`", manifest::PATH, args.base))?;
        removed.retain(|p| !known.contains(p));
        known
    } else {
        for p in &args.providers {
            if !known.contains(p) {
                bail!("unknown provider `{p}` (known: {})", known.join(", "));
            }
        }
        args.providers.clone()
    };

    let mut reports = providers
        .iter()
        .map(|p| {
            compare(p, &args.base, inputs)
                .with_context(|| format!("comparing `{p}` with `{}`", args.base))
        })
        .collect::<Result<Vec<_>>>()?;
    reports.extend(removed.into_iter().map(|provider| CrateReport {
        provider,
        api: ApiState::Removed,
        spec: SpecState::Removed,
        version: None,
    }));

    if args.apply_bump {
        let workspace = inputs.workspace_manifest_path();
        for plan in reports.iter_mut().filter_map(|r| r.version.as_mut()) {
            if plan.needs_rewrite() {
                apply(plan, &workspace)?;
            }
        }
    }

    Ok(DiffOutcome {
        output: render::render(&reports, &args.base, args.format),
        reports,
        deny_breaking: args.deny_breaking,
    })
}

fn compare(provider: &str, rev: &str, inputs: &dyn DiffInputs) -> Result<CrateReport> {
    let current = inputs.current_surface(provider)?;
    let current =
        surface::parse(&current).context("the API surface generated from the working tree")?;
    let base = inputs
        .base_surface(provider, rev)
        .with_context(|| format!("reading the API surface at `{rev}`"))?
        .map(|text| surface::parse(&text))
        .transpose()
        .with_context(|| format!("the API surface (API.md) at `{rev}`"))?;
    let api = ApiState::between(base.as_ref(), &current);

    let spec = match inputs
        .base_spec(provider, rev)
        .with_context(|| format!("reading the spec at `{rev}`"))?
    {
        None => SpecState::New,
        Some(base_spec) => {
            let current_spec = inputs
                .current_spec(provider)
                .context("reading the working-tree spec")?;
            SpecState::Compared(spec::spec_changes(&base_spec, &current_spec))
        }
    };

    // A spec change that breaks callers needs the bump a breaking API
    // change does.
    let spec_impact = (spec.breaking_count() > 0).then_some(Impact::Breaking);
    let version = match &api {
        ApiState::New | ApiState::Removed => None,
        ApiState::Compared(diff) => {
            version_plan(provider, rev, diff.impact().max(spec_impact), inputs)?
        }
    };

    Ok(CrateReport {
        provider: provider.to_owned(),
        api,
        spec,
        version,
    })
}

fn version_plan(
    provider: &str,
    rev: &str,
    impact: Option<Impact>,
    inputs: &dyn DiffInputs,
) -> Result<Option<VersionPlan>> {
    let Some(base_toml) = inputs
        .base_cargo_toml(provider, rev)
        .with_context(|| format!("reading Cargo.toml at `{rev}`"))?
    else {
        return Ok(None);
    };
    let base = cargo_toml::package_version(&base_toml)
        .with_context(|| format!("Cargo.toml at `{rev}`"))?;
    let path = inputs.cargo_toml_path(provider);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let current = cargo_toml::package_version(&text).with_context(|| path.display().to_string())?;
    let bump = Bump::for_change(&base, impact);
    Ok(Some(VersionPlan::new(path, base, current, bump)))
}

/// Writes the planned version into the crate's Cargo.toml and the
/// workspace's requirement on the crate, so the two never disagree. A
/// repository without a workspace manifest has no requirement to keep.
fn apply(plan: &mut VersionPlan, workspace: &Path) -> Result<()> {
    let path = &plan.cargo_toml;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let workspace_text = match std::fs::read_to_string(workspace) {
        Ok(workspace_text) => Some(require_version(&workspace_text, workspace, plan, &text)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", workspace.display())),
    };
    let text = cargo_toml::set_package_version(&text, &plan.target)
        .with_context(|| path.display().to_string())?;
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    if let Some(workspace_text) = workspace_text {
        std::fs::write(workspace, workspace_text)
            .with_context(|| format!("writing {}", workspace.display()))?;
    }
    plan.applied = true;
    Ok(())
}

/// `workspace_text` requiring the crate of `crate_toml` at the planned
/// version.
fn require_version(
    workspace_text: &str,
    workspace: &Path,
    plan: &VersionPlan,
    crate_toml: &str,
) -> Result<String> {
    let path = &plan.cargo_toml;
    let package =
        cargo_toml::package_name(crate_toml).with_context(|| path.display().to_string())?;
    let crate_dir = path
        .parent()
        .and_then(|dir| dir.strip_prefix(workspace.parent()?).ok())
        .with_context(|| format!("{} is outside the workspace", path.display()))?
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    cargo_toml::set_workspace_dependency(workspace_text, &package, &crate_dir, &plan.target)
        .with_context(|| workspace.display().to_string())
}
