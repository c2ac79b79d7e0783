//! The version bump a crate needs for its API changes.
//!
//! Cargo treats `0.x` versions as if the minor number were the major one: a
//! `0.3` release may break `0.2` users, a `0.2.1` release may not. So before
//! 1.0 a breaking change bumps the minor number and an additive one the
//! patch number; from 1.0 on, major and minor.

use std::fmt;
use std::str::FromStr;

use super::api::Impact;

/// A release version `major.minor.patch` (generated crates carry no
/// pre-release or build suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// Patch number.
    pub patch: u64,
}

impl FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let numbers: Vec<&str> = s.split('.').collect();
        let [major, minor, patch] = numbers.as_slice() else {
            return Err(format!(
                "version `{s}` is not of the form `major.minor.patch`"
            ));
        };
        let number = |part: &str| {
            // `01` or `+1` are not semver numbers, and `1-beta` is a
            // pre-release these crates do not use.
            if part.is_empty()
                || !part.bytes().all(|b| b.is_ascii_digit())
                || (part.len() > 1 && part.starts_with('0'))
            {
                return Err(format!(
                    "version `{s}` is not of the form `major.minor.patch`"
                ));
            }
            part.parse::<u64>()
                .map_err(|e| format!("version `{s}`: {e}"))
        };
        Ok(Version {
            major: number(major)?,
            minor: number(minor)?,
            patch: number(patch)?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

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
    pub fn for_change(version: Version, impact: Option<Impact>) -> Bump {
        let stable = version.major >= 1;
        match (impact, stable) {
            (None, _) => Bump::None,
            (Some(Impact::Breaking), true) => Bump::Major,
            (Some(Impact::Breaking), false) => Bump::Minor,
            (Some(Impact::Additive), true) => Bump::Minor,
            (Some(Impact::Additive), false) => Bump::Patch,
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

impl Version {
    /// This version with `bump` applied.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version {
            major,
            minor,
            patch,
        } = self;
        match bump {
            Bump::None => self,
            Bump::Patch => Version {
                major,
                minor,
                patch: patch + 1,
            },
            Bump::Minor => Version {
                major,
                minor: minor + 1,
                patch: 0,
            },
            Bump::Major => Version {
                major: major + 1,
                minor: 0,
                patch: 0,
            },
        }
    }
}
