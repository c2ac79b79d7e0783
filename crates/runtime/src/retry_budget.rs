//! A retry budget shared by every request of a client, so a vendor in
//! trouble sees a bounded extra load however many callers retry.
//!
//! The rule is smithy-rs's standard retry strategy (the AWS SDK's): a token
//! bucket per client; each retry spends tokens (more after a timeout, which
//! held a connection for the whole attempt timeout), each success puts a
//! few back, and a retry the bucket cannot pay is not made: the attempt's
//! outcome is final.

use std::sync::atomic::{AtomicU32, Ordering};

/// How much retrying a client may do across all its requests.
///
/// With the defaults (500 tokens, 5 per retry, 10 per retry after a
/// timeout, 1 back per success), a vendor that fails every request sees at
/// most 100 retries beyond the requests themselves from a full bucket, and
/// then one more retry for every 5 requests that succeed. Set it with
/// [`ClientContext::with_retry_budget`](crate::ClientContext::with_retry_budget).
///
/// ```
/// use invoicing_runtime::{Auth, ClientContext, ProviderId, RetryBudget};
///
/// let context = ClientContext::new(ProviderId::new("kitchen"), Auth::none())
///     .with_retry_budget(RetryBudget { capacity: 100, ..RetryBudget::default() });
/// assert_eq!(context.retry_tokens(), 100);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    /// Tokens in a full bucket (and in a new one). Default 500.
    pub capacity: u32,
    /// Tokens a retry costs. Default 5.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout costs. Default 10.
    pub timeout_retry_cost: u32,
    /// Tokens a success puts back (up to `capacity`). Default 1.
    pub success_refill: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refill: 1,
        }
    }
}

impl RetryBudget {
    /// A budget that never runs out: only the [`RetryPolicy`](crate::RetryPolicy)
    /// bounds retries (per request, not per client).
    pub fn unlimited() -> Self {
        Self {
            capacity: u32::MAX,
            retry_cost: 0,
            timeout_retry_cost: 0,
            success_refill: 0,
        }
    }
}

/// The bucket itself: shared (in an `Arc`) by the clones of a
/// [`ClientContext`](crate::ClientContext).
#[derive(Debug)]
pub(crate) struct TokenBucket {
    budget: RetryBudget,
    tokens: AtomicU32,
}

impl TokenBucket {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        Self {
            budget,
            tokens: AtomicU32::new(budget.capacity),
        }
    }

    /// Takes the tokens for one retry (`after_timeout`: the attempt timed
    /// out); `false`, taking nothing, when the bucket holds too few.
    pub(crate) fn try_retry(&self, after_timeout: bool) -> bool {
        let cost = if after_timeout {
            self.budget.timeout_retry_cost
        } else {
            self.budget.retry_cost
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_sub(cost)
            })
            .is_ok()
    }

    /// Puts back what a success earns, up to the capacity.
    pub(crate) fn succeeded(&self) {
        let (refill, capacity) = (self.budget.success_refill, self.budget.capacity);
        if refill == 0 {
            return;
        }
        // Never fails: the closure always returns a value.
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                Some(held.saturating_add(refill).min(capacity))
            });
    }

    /// The tokens held now.
    pub(crate) fn tokens(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(capacity: u32) -> TokenBucket {
        TokenBucket::new(RetryBudget {
            capacity,
            ..RetryBudget::default()
        })
    }

    #[test]
    fn retries_spend_until_the_bucket_cannot_pay() {
        let bucket = bucket(22);
        assert!(bucket.try_retry(false));
        assert!(bucket.try_retry(true));
        assert_eq!(bucket.tokens(), 7);
        assert!(!bucket.try_retry(true), "a timeout retry costs 10");
        assert_eq!(bucket.tokens(), 7, "a refused retry takes nothing");
        assert!(bucket.try_retry(false));
        assert!(!bucket.try_retry(false));
        assert_eq!(bucket.tokens(), 2);
    }

    #[test]
    fn successes_refill_up_to_the_capacity() {
        let bucket = bucket(10);
        assert!(bucket.try_retry(false));
        for _ in 0..4 {
            bucket.succeeded();
        }
        assert_eq!(bucket.tokens(), 9);
        bucket.succeeded();
        bucket.succeeded();
        assert_eq!(bucket.tokens(), 10);
    }

    #[test]
    fn an_unlimited_budget_never_refuses() {
        let bucket = TokenBucket::new(RetryBudget::unlimited());
        for _ in 0..1000 {
            assert!(bucket.try_retry(true));
        }
        bucket.succeeded();
        assert_eq!(bucket.tokens(), u32::MAX);
    }
}
