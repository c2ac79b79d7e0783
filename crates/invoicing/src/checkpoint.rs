//! Where a listing is, for one source or several: what the consumer has
//! taken, to resume from.

use std::fmt;

use invoicing_runtime::paging;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Provider;

/// What the consumer of an [`InvoiceStream`](crate::InvoiceStream) has
/// taken so far: for each source listed, the runtime's
/// [`paging::ListingCheckpoint`] (the page, how much of it was taken, the ids the
/// next page is checked against).
///
/// Small and serialisable (`serde`, e.g. to JSON in a database); take it
/// with [`InvoiceStream::checkpoint`](crate::InvoiceStream::checkpoint)
/// after handling an invoice, and resume with
/// [`Source::list_from`](crate::Source::list_from) (one source) or
/// [`Invoices::list_from`](crate::Invoices::list_from) (the same sources in
/// the same order): every invoice not taken before comes through exactly
/// once, under the guarantees of each provider (see the crate docs).
/// [`Checkpoint::default`] is the start.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    sources: Vec<SourceCheckpoint>,
}

/// One source's part: its provider (to catch a checkpoint resumed against
/// other sources) and its position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct SourceCheckpoint {
    provider: String,
    at: paging::ListingCheckpoint,
}

impl Checkpoint {
    /// The start of a listing (the same as `Checkpoint::default()`).
    pub fn start() -> Self {
        Self::default()
    }

    /// Whether every source's listing was read to its end.
    pub fn is_done(&self) -> bool {
        !self.sources.is_empty() && self.sources.iter().all(|source| source.at.is_done())
    }

    /// Each source's provider and position, in the order listed.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &paging::ListingCheckpoint)> {
        self.sources
            .iter()
            .map(|source| (source.provider.as_str(), &source.at))
    }

    /// The checkpoint of sources of `providers` at `positions`.
    pub(crate) fn of(
        parts: impl IntoIterator<Item = (Provider, paging::ListingCheckpoint)>,
    ) -> Self {
        Self {
            sources: parts
                .into_iter()
                .map(|(provider, at)| SourceCheckpoint {
                    provider: provider.as_str().to_owned(),
                    at,
                })
                .collect(),
        }
    }

    /// The position of one source of `provider`.
    ///
    /// # Errors
    /// [`Error::CheckpointMismatch`] when the checkpoint is of other
    /// sources.
    pub(crate) fn of_source(&self, provider: Provider) -> Result<paging::ListingCheckpoint> {
        Ok(self
            .split(&[provider])?
            .pop()
            .expect("one position per source"))
    }

    /// One position per source of `providers`, in order: all at the start
    /// for [`Checkpoint::start`].
    ///
    /// # Errors
    /// [`Error::CheckpointMismatch`] when the checkpoint is of other sources
    /// (another number, another provider at some place).
    pub(crate) fn split(&self, providers: &[Provider]) -> Result<Vec<paging::ListingCheckpoint>> {
        if self.sources.is_empty() {
            return Ok(vec![paging::ListingCheckpoint::start(); providers.len()]);
        }
        let matches = self.sources.len() == providers.len()
            && self
                .sources
                .iter()
                .zip(providers)
                .all(|(source, provider)| source.provider == provider.as_str());
        if !matches {
            return Err(Error::CheckpointMismatch {
                detail: format!(
                    "the checkpoint is of the sources [{}], not of [{}]",
                    self.provider_list(),
                    providers
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        Ok(self
            .sources
            .iter()
            .map(|source| source.at.clone())
            .collect())
    }

    fn provider_list(&self) -> String {
        self.sources
            .iter()
            .map(|source| source.provider.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sources.is_empty() {
            return f.write_str("the start of the listing");
        }
        for (index, source) in self.sources.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", source.provider, source.at)?;
        }
        Ok(())
    }
}

// Two providers to tell apart: the default build's.
#[cfg(all(test, feature = "kitchen", feature = "sendcloud-v3"))]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_resumes_only_the_sources_it_was_taken_from() {
        let start = Checkpoint::start();
        assert_eq!(start.split(&[Provider::Kitchen]).unwrap().len(), 1);
        let taken = Checkpoint::of([
            (Provider::Kitchen, paging::ListingCheckpoint::start()),
            (Provider::SendcloudV3, paging::ListingCheckpoint::start()),
        ]);
        let json = serde_json::to_string(&taken).unwrap();
        assert_eq!(
            json,
            r#"{"sources":[{"provider":"kitchen","at":{}},{"provider":"sendcloud-v3","at":{}}]}"#
        );
        let back: Checkpoint = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.split(&[Provider::Kitchen, Provider::SendcloudV3])
                .unwrap()
                .len(),
            2
        );
        let err = back.of_source(Provider::Kitchen).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot resume: the checkpoint is of the sources [kitchen, sendcloud-v3], not of [kitchen]"
        );
        assert!(
            back.split(&[Provider::SendcloudV3, Provider::Kitchen])
                .is_err()
        );
    }
}
