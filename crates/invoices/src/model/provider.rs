//! Which vendor API an invoice came from.

use std::fmt;
use std::str::FromStr;

use invoicing_runtime::{Origin, ProviderId};

/// A vendor API this crate reads invoices from.
///
/// Each variant is one generated client crate, whose [`ProviderId`]
/// (`invoicing_kitchen::PROVIDER`) names it in the errors of every layer:
/// [`Provider::id`] and [`Provider::from_id`] go between the two.
///
/// A variant exists when the crate's feature of that name is on (all are by
/// default), so the enum is `non_exhaustive`: turning a feature on never
/// breaks a `match` that compiled without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Provider {
    /// Sendcloud API v2 (`sendcloud-v2`): `GET /user/invoices`.
    #[cfg(feature = "sendcloud-v2")]
    SendcloudV2,
    /// Sendcloud API v3, beta (`sendcloud-v3`): `GET /invoices`.
    #[cfg(feature = "sendcloud-v3")]
    SendcloudV3,
    /// Kitchen, kitchen.co (`kitchen`): `GET /invoices` of a workspace.
    #[cfg(feature = "kitchen")]
    Kitchen,
    /// Coinbase Business invoicing (`coinbase-business`): `GET /api/v1/invoices`.
    #[cfg(feature = "coinbase-business")]
    CoinbaseBusiness,
    /// Mollie (`mollie`): `GET /v2/sales-invoices`.
    #[cfg(feature = "mollie")]
    Mollie,
    /// Xero accounting (`xero-accounting`): `GET /Invoices` of an organisation.
    #[cfg(feature = "xero-accounting")]
    XeroAccounting,
}

impl Provider {
    /// Every provider this build has (one per feature turned on), in
    /// declaration order.
    pub const ALL: &'static [Provider] = &[
        #[cfg(feature = "sendcloud-v2")]
        Provider::SendcloudV2,
        #[cfg(feature = "sendcloud-v3")]
        Provider::SendcloudV3,
        #[cfg(feature = "kitchen")]
        Provider::Kitchen,
        #[cfg(feature = "coinbase-business")]
        Provider::CoinbaseBusiness,
        #[cfg(feature = "mollie")]
        Provider::Mollie,
        #[cfg(feature = "xero-accounting")]
        Provider::XeroAccounting,
    ];

    /// The generated crate's provider id, which errors carry.
    pub const fn id(self) -> ProviderId {
        match self {
            #[cfg(feature = "sendcloud-v2")]
            Provider::SendcloudV2 => invoicing_sendcloud_v2::PROVIDER,
            #[cfg(feature = "sendcloud-v3")]
            Provider::SendcloudV3 => invoicing_sendcloud_v3::PROVIDER,
            #[cfg(feature = "kitchen")]
            Provider::Kitchen => invoicing_kitchen::PROVIDER,
            #[cfg(feature = "coinbase-business")]
            Provider::CoinbaseBusiness => invoicing_coinbase_business::PROVIDER,
            #[cfg(feature = "mollie")]
            Provider::Mollie => invoicing_mollie::PROVIDER,
            #[cfg(feature = "xero-accounting")]
            Provider::XeroAccounting => invoicing_xero_accounting::PROVIDER,
        }
    }

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
    #[cfg(all(
        feature = "sendcloud-v2",
        feature = "sendcloud-v3",
        feature = "kitchen",
        feature = "coinbase-business",
        feature = "mollie",
        feature = "xero-accounting"
    ))]
    fn names_are_the_crate_names_and_read_back() {
        let names: Vec<_> = Provider::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "sendcloud-v2",
                "sendcloud-v3",
                "kitchen",
                "coinbase-business",
                "mollie",
                "xero-accounting"
            ]
        );
        for &provider in Provider::ALL {
            assert_eq!(provider.to_string().parse::<Provider>(), Ok(provider));
            assert_eq!(Provider::from_id(provider.id()), Some(provider));
        }
        assert_eq!(Provider::from_id(ProviderId::new("acme")), None);
        assert!("sendcloud".parse::<Provider>().is_err());
    }
}
