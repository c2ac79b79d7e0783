//! The providers the benchmarks compare three clients on: each has a
//! hand-written baseline ([`baseline`](crate::baseline)) and a typed loop
//! ([`typed`](crate::typed)) besides the facade, so the list is of those
//! comparisons, not of every provider (the offline demo lists those).

use invoicing_mock_vendors::shape::Shape;
use invoicing_mock_vendors::vendors;

/// A provider the benchmarks measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Benched {
    /// Sendcloud v2: one response with every invoice.
    SendcloudV2,
    /// Sendcloud v3: `Link: <...?cursor=...>; rel="next"`.
    SendcloudV3,
    /// Kitchen: `?page=N`, `meta.last_page`.
    Kitchen,
    /// Coinbase Business: `?pageToken=...`, `nextPageToken`.
    Coinbase,
}

impl Benched {
    /// The paged ones, for the volume runs (Sendcloud v2 has no paging).
    pub const PAGED: [Benched; 3] = [Benched::SendcloudV3, Benched::Kitchen, Benched::Coinbase];
    /// Every one.
    pub const ALL: [Benched; 4] = [
        Benched::SendcloudV2,
        Benched::SendcloudV3,
        Benched::Kitchen,
        Benched::Coinbase,
    ];

    /// Its mock vendor.
    pub fn shape(self) -> &'static dyn Shape {
        match self {
            Benched::SendcloudV2 => &vendors::SendcloudV2,
            Benched::SendcloudV3 => &vendors::SendcloudV3,
            Benched::Kitchen => &vendors::Kitchen,
            Benched::Coinbase => &vendors::CoinbaseBusiness,
        }
    }

    /// The provider name, as in `specs/providers.toml`.
    pub fn name(self) -> &'static str {
        self.shape().name()
    }
}
