//! Several providers' invoices as one stream.

use std::sync::Arc;

#[cfg(feature = "coinbase-business")]
use crate::adapters::CoinbaseBusiness;
#[cfg(feature = "kitchen")]
use crate::adapters::Kitchen;
#[cfg(feature = "mollie")]
use crate::adapters::Mollie;
#[cfg(feature = "sendcloud-v2")]
use crate::adapters::SendcloudV2;
#[cfg(feature = "sendcloud-v3")]
use crate::adapters::SendcloudV3;
#[cfg(feature = "xero-accounting")]
use crate::adapters::XeroAccounting;
use crate::checkpoint::Checkpoint;
use crate::error::{Error, Result};
use crate::model::{Invoice, Provider};
use crate::query::ListQuery;
use crate::source::Source;
use crate::stream::InvoiceStream;

/// The invoices of several provider accounts together.
///
/// ```no_run
/// # async fn demo() -> Result<(), invoicing::Error> {
/// use invoicing::adapters::{Kitchen, SendcloudV3};
/// use invoicing::{Invoices, ListQuery};
///
/// let all = Invoices::builder()
///     .sendcloud_v3(SendcloudV3::from_env()?)
///     .kitchen(Kitchen::from_env("my-workspace")?)
///     .build();
/// let stream = all.list(&ListQuery::new());
/// # drop(stream);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Invoices {
    sources: Vec<Arc<dyn Source>>,
}

impl Invoices {
    /// Starts an empty set of sources.
    pub fn builder() -> InvoicesBuilder {
        InvoicesBuilder::default()
    }

    /// The configured sources, in the order they were added.
    pub fn sources(&self) -> impl Iterator<Item = &dyn Source> {
        self.sources.iter().map(|source| source.as_ref())
    }

    /// Every source's invoices as one stream.
    ///
    /// The sources are listed concurrently: each one's next page is
    /// requested while the others' are in flight, and invoices are yielded
    /// as they arrive, interleaved across providers (within one provider
    /// they keep the vendor's order). Each invoice's
    /// [`Invoice::provider`] says where it came from, and so does each
    /// error ([`Error::provider`]). A failure of one provider ends only that
    /// provider's part of the stream; [`InvoiceStream::checkpoint`] keeps
    /// each provider's position.
    pub fn list(&self, query: &ListQuery) -> InvoiceStream {
        self.list_from(query, &Checkpoint::start())
    }

    /// The listing of [`Invoices::list`] resumed from `from`, a checkpoint
    /// of a stream of the same sources, added in the same order: every
    /// invoice not taken before it comes through exactly once, and a
    /// provider whose listing had ended is not asked again.
    ///
    /// A checkpoint of other sources is one
    /// [`Error::CheckpointMismatch`] item.
    pub fn list_from(&self, query: &ListQuery, from: &Checkpoint) -> InvoiceStream {
        let providers: Vec<Provider> = self.sources.iter().map(|s| s.provider()).collect();
        match from.split(&providers) {
            Ok(positions) => {
                InvoiceStream::merge(self.sources.iter().zip(positions).map(|(source, at)| {
                    source.list_from(query, &Checkpoint::of([(source.provider(), at)]))
                }))
            }
            Err(err) => InvoiceStream::refused(from, err),
        }
    }

    /// One invoice of `provider` by the vendor's id.
    ///
    /// With several accounts of one provider, each is asked in the order
    /// added until one has the invoice.
    ///
    /// # Errors
    /// [`Error::NotConfigured`] when no source of `provider` was added, the
    /// last account's not-found error when none has it, and any other error
    /// as soon as it happens.
    pub async fn get(&self, provider: Provider, id: &str) -> Result<Invoice> {
        let mut last = Error::NotConfigured { provider };
        for source in self.sources.iter().filter(|s| s.provider() == provider) {
            match source.get(id).await {
                Err(Error::Api(err @ invoicing_runtime::Error::NotFound { .. })) => {
                    last = Error::Api(err);
                }
                other => return other,
            }
        }
        Err(last)
    }
}

/// Collects the sources of an [`Invoices`].
#[derive(Debug, Default)]
pub struct InvoicesBuilder {
    sources: Vec<Arc<dyn Source>>,
}

impl InvoicesBuilder {
    /// Adds a Sendcloud API v2 account.
    #[cfg(feature = "sendcloud-v2")]
    pub fn sendcloud_v2(self, source: SendcloudV2) -> Self {
        self.source(source)
    }

    /// Adds a Sendcloud API v3 account.
    #[cfg(feature = "sendcloud-v3")]
    pub fn sendcloud_v3(self, source: SendcloudV3) -> Self {
        self.source(source)
    }

    /// Adds a Kitchen workspace.
    #[cfg(feature = "kitchen")]
    pub fn kitchen(self, source: Kitchen) -> Self {
        self.source(source)
    }

    /// Adds a Coinbase Business account.
    #[cfg(feature = "coinbase-business")]
    pub fn coinbase_business(self, source: CoinbaseBusiness) -> Self {
        self.source(source)
    }

    /// Adds a Mollie account's sales invoices.
    #[cfg(feature = "mollie")]
    pub fn mollie(self, source: Mollie) -> Self {
        self.source(source)
    }

    /// Adds a Xero organisation.
    #[cfg(feature = "xero-accounting")]
    pub fn xero_accounting(self, source: XeroAccounting) -> Self {
        self.source(source)
    }

    /// Adds any [`Source`]: the methods above do the same for each adapter;
    /// this one also takes a caller's wrapper around an adapter.
    pub fn source(mut self, source: impl Source + 'static) -> Self {
        self.sources.push(Arc::new(source));
        self
    }

    /// Adds a source already shared, as
    /// [`adapters::source_from_vars`](crate::adapters::source_from_vars)
    /// returns one.
    pub fn shared_source(mut self, source: Arc<dyn Source>) -> Self {
        self.sources.push(source);
        self
    }

    /// The finished set of sources.
    pub fn build(self) -> Invoices {
        Invoices {
            sources: self.sources,
        }
    }
}
