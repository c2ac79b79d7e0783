//! Which vendor API an invoice came from.

use std::fmt;
use std::str::FromStr;

use invoicing_runtime::{Origin, ProviderId};

/// The enum and its lists, one row per provider of the registry.
macro_rules! provider_enum {
    ($(($feature:literal, $type:ident, $module:ident, $krate:ident, $title:literal),)*) => {
        /// A vendor API this crate reads invoices from.
        ///
        /// Each variant is one generated client crate, whose [`ProviderId`]
        /// (`invoicing_kitchen::PROVIDER`) names it in the errors of every
        /// layer: [`Provider::id`] and [`Provider::from_id`] go between the
        /// two.
        ///
        /// A variant exists when the crate's feature of that name is on (all
        /// are by default), so the enum is `non_exhaustive`: turning a
        /// feature on never breaks a `match` that compiled without it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Provider {
            $(
                #[doc = concat!($title, " (feature `", $feature, "`).")]
                #[cfg(feature = $feature)]
                $type,
            )*
        }

        impl Provider {
            /// Every provider this build has (one per feature turned on), in
            /// the manifest's order.
            pub const ALL: &'static [Provider] = &[
                $(
                    #[cfg(feature = $feature)]
                    Provider::$type,
                )*
            ];

            /// The generated crate's provider id, which errors carry.
            pub const fn id(self) -> ProviderId {
                match self {
                    $(
                        #[cfg(feature = $feature)]
                        Provider::$type => $krate::PROVIDER,
                    )*
                }
            }
        }
    };
}

crate::registry::with_providers!(provider_enum);

impl Provider {
    /// The provider with `id`, if it is one of this crate's.
    pub fn from_id(id: ProviderId) -> Option<Provider> {
        Provider::ALL
            .iter()
            .copied()
            .find(|provider| provider.id() == id)
    }

    /// The generated crate's name, e.g. `sendcloud-v3`.
    pub fn as_str(self) -> &'static str {
        self.id().as_str()
    }

    /// The [`Origin`] of errors in `operation` of this provider.
    pub fn origin(self, operation: &'static str) -> Origin {
        Origin::new(self.id(), Some(operation))
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text given to [`Provider::from_str`] names no provider.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no provider is named {0:?}")]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;

    /// Reads a crate name as [`Provider::as_str`] writes it.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .iter()
            .copied()
            .find(|provider| provider.as_str() == name)
            .ok_or_else(|| UnknownProvider(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_crate_names_and_read_back() {
        for &provider in Provider::ALL {
            assert_eq!(provider.to_string().parse::<Provider>(), Ok(provider));
            assert_eq!(Provider::from_id(provider.id()), Some(provider));
        }
        assert_eq!(Provider::from_id(ProviderId::new("acme")), None);
        assert!("sendcloud".parse::<Provider>().is_err());
    }
}
