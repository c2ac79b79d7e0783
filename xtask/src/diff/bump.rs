//! The version bump a crate needs for its API changes.
//!
//! Cargo treats `0.x` versions as if the minor number were the major one: a
//! `0.3` release may break `0.2` users, a `0.2.1` release may not. So before
//! 1.0 a breaking change bumps the minor number and an additive one the
//! patch number; from 1.0 on, major and minor.

use semver::Version;

use super::api::Impact;

/// Which number of a version to increase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// No release needed for the API.
    None,
    /// `x.y.z` -> `x.y.(z+1)`.
    Patch,
    /// `x.y.z` -> `x.(y+1).0`.
    Minor,
    /// `x.y.z` -> `(x+1).0.0`.
    Major,
}

impl Bump {
    /// The bump a crate at `version` needs for changes of `impact` (the most
    /// severe of its changes; `None` when there are none).
    pub fn for_change(version: &Version, impact: Option<Impact>) -> Bump {
        let stable = version.major >= 1;
        match (impact, stable) {
            (None, _) => Bump::None,
            (Some(Impact::Breaking), true) => Bump::Major,
            (Some(Impact::Breaking), false) => Bump::Minor,
            (Some(Impact::Additive), true) => Bump::Minor,
            (Some(Impact::Additive), false) => Bump::Patch,
        }
    }

    /// `version` with this bump applied.
    pub fn apply(self, version: &Version) -> Version {
        let Version {
            major,
            minor,
            patch,
            ..
        } = *version;
        match self {
            Bump::None => version.clone(),
            Bump::Patch => Version::new(major, minor, patch + 1),
            Bump::Minor => Version::new(major, minor + 1, 0),
            Bump::Major => Version::new(major + 1, 0, 0),
        }
    }

    /// `none`, `patch`, `minor` or `major`.
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}
