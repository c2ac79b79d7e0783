//! What `cargo xtask diff` found for one crate.

use std::path::PathBuf;

use super::api::{ApiDiff, Impact};
use semver::Version;

use super::bump::Bump;
use super::spec::SpecChange;
use crate::surface::Surface;

/// The crate's API compared with the base revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiState {
    /// The crate has no surface file at the base revision.
    New,
    /// Changes from the base revision's surface.
    Compared(ApiDiff),
    /// The provider was in the manifest at the base revision and is no
    /// longer: the crate is not generated any more, which breaks its users.
    Removed,
}

impl ApiState {
    /// Compares a surface with the one at the base revision, if any.
    pub fn between(base: Option<&Surface>, current: &Surface) -> Self {
        match base {
            None => ApiState::New,
            Some(base) => ApiState::Compared(ApiDiff::between(base, current)),
        }
    }

    /// `2 additive, 1 breaking`, `no API change` or `new crate`.
    pub fn status(&self) -> String {
        match self {
            ApiState::New => "new crate".to_owned(),
            ApiState::Compared(diff) => diff.counts_text(),
            ApiState::Removed => "removed".to_owned(),
        }
    }

    /// The API changes; `None` for a new or removed crate.
    pub fn diff(&self) -> Option<&ApiDiff> {
        match self {
            ApiState::New | ApiState::Removed => None,
            ApiState::Compared(diff) => Some(diff),
        }
    }

    /// Whether the change breaks users: a breaking API change, or the
    /// crate removed.
    pub fn is_breaking(&self) -> bool {
        match self {
            ApiState::New => false,
            ApiState::Compared(diff) => diff.impact() == Some(Impact::Breaking),
            ApiState::Removed => true,
        }
    }
}

/// The vendor's document compared with the base revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecState {
    /// The provider has no document at the base revision.
    New,
    /// Changes from the base revision's document.
    Compared(Vec<SpecChange>),
    /// The provider is no longer in the manifest.
    Removed,
}

impl SpecState {
    /// How many changes can make a caller's request fail.
    pub fn breaking_count(&self) -> usize {
        match self {
            SpecState::New | SpecState::Removed => 0,
            SpecState::Compared(changes) => changes
                .iter()
                .filter(|c| c.impact() == Some(Impact::Breaking))
                .count(),
        }
    }
}

/// The version the crate needs for its API changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionPlan {
    /// The crate's Cargo.toml.
    pub cargo_toml: PathBuf,
    /// Version at the base revision: the last release the changes are
    /// measured from.
    pub base: Version,
    /// Version in the working tree (before any rewrite).
    pub current: Version,
    /// The bump the changes call for, from `base`.
    pub bump: Bump,
    /// `base` with `bump` applied.
    pub target: Version,
    /// Whether Cargo.toml was rewritten to `target` (`--apply-bump`).
    pub applied: bool,
}

impl VersionPlan {
    /// The plan for a crate at `base` in the last release and `current` now.
    pub fn new(cargo_toml: PathBuf, base: Version, current: Version, bump: Bump) -> Self {
        VersionPlan {
            cargo_toml,
            target: bump.apply(&base),
            base,
            current,
            bump,
            applied: false,
        }
    }

    /// Whether Cargo.toml must change: the working tree is behind the
    /// target. Bumping an already bumped crate again would skip a release.
    pub fn needs_rewrite(&self) -> bool {
        self.bump != Bump::None && self.current < self.target
    }
}

/// Everything `cargo xtask diff` reports for one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateReport {
    /// The provider (crate) name.
    pub provider: String,
    /// API changes.
    pub api: ApiState,
    /// Vendor document changes.
    pub spec: SpecState,
    /// Version advice; `None` for a crate that is new or removed since the
    /// base.
    pub version: Option<VersionPlan>,
}

impl CrateReport {
    /// Whether any API change is breaking, or any spec change breaks
    /// callers.
    pub fn is_breaking(&self) -> bool {
        self.spec.breaking_count() > 0 || self.api.is_breaking()
    }

    /// The API status, and the spec changes that break callers when the
    /// API diff does not already say breaking:
    /// `no API change; 1 spec change breaks callers`.
    pub fn status(&self) -> String {
        let api_breaking = self.api.is_breaking();
        match self.spec.breaking_count() {
            _ if api_breaking => self.api.status(),
            0 => self.api.status(),
            1 => format!("{}; 1 spec change breaks callers", self.api.status()),
            n => format!("{}; {n} spec changes break callers", self.api.status()),
        }
    }
}

/// `sendcloud-v3: 2 additive, 1 breaking`, `sendcloud-v3: no API change` or
/// `sendcloud-v3: new crate`: what `regen` prints per crate.
pub fn summary_line(provider: &str, api: &ApiState) -> String {
    format!("{provider}: {}", api.status())
}
