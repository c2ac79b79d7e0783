//! What every end-to-end client does with each invoice it lists, so that
//! they all do the same: count it, and optionally wait after each batch,
//! standing in for a caller's own work (a batch written to a database).

use std::hint::black_box;
use std::time::Duration;

/// Takes the invoices of one listing.
#[derive(Debug, Default)]
pub struct Consumer {
    taken: usize,
    /// Invoices per batch, and the wait after each batch (none if zero).
    batch: usize,
    pause: Duration,
}

impl Consumer {
    /// A consumer that only counts.
    pub fn counting() -> Self {
        Self::default()
    }

    /// A consumer that waits `pause` after every `batch` invoices.
    pub fn pausing(batch: usize, pause: Duration) -> Self {
        Self {
            taken: 0,
            batch: batch.max(1),
            pause,
        }
    }

    /// Takes one invoice.
    pub async fn take<T>(&mut self, item: T) {
        black_box(&item);
        self.taken += 1;
        if !self.pause.is_zero() && self.taken.is_multiple_of(self.batch) {
            tokio::time::sleep(self.pause).await;
        }
    }

    /// How many invoices were taken.
    pub fn taken(&self) -> usize {
        self.taken
    }
}
