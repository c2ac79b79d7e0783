//! Several providers' invoices as one stream.

use std::sync::Arc;

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

/// One builder method per provider of the registry, named as its adapter's
/// module (`kitchen`, `sendcloud_v3`).
macro_rules! builder_methods {
    ($(($feature:literal, $type:ident, $module:ident, $krate:ident, $title:literal),)*) => {
        impl InvoicesBuilder {
            $(
                #[doc = concat!("Adds an account of ", $title, ".")]
                #[cfg(feature = $feature)]
                pub fn $module(self, source: crate::adapters::$type) -> Self {
                    self.source(source)
                }
            )*
        }
    };
}

crate::registry::with_providers!(builder_methods);

impl InvoicesBuilder {
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
