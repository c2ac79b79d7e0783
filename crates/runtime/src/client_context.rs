//! What a generated client carries besides its `reqwest::Client`: plain
//! configuration, read by [`crate::exchange`], which sends.

use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::Auth;
use crate::idempotency::IdempotencyKey;
use crate::limits::Limits;
use crate::origin::{Origin, ProviderId};
use crate::retry::RetryPolicy;
use crate::retry_budget::{RetryBudget, TokenBucket};

/// What a generated client needs at run time besides its `reqwest::Client`:
/// the provider's name for errors, credentials, headers every request
/// carries, the retry policy and the limits.
///
/// A generated crate builds one with its `context(auth)` function (which
/// adds the headers the vendor requires); change retries or limits on it
/// and pass it to the generated `Client::new_with_client`.
///
/// Cheap to clone; clones share credentials (and so an OAuth2 token) and
/// the retry budget.
#[derive(Clone, Debug)]
pub struct ClientContext {
    provider: ProviderId,
    auth: Auth,
    headers: Vec<(HeaderName, HeaderValue)>,
    retry: RetryPolicy,
    limits: Limits,
    request_id: Option<HeaderName>,
    idempotency_keys: Vec<(&'static str, IdempotencyKey)>,
    budget: Arc<TokenBucket>,
}

impl ClientContext {
    /// A context for `provider` with `auth`, the default [`RetryPolicy`]
    /// and the default [`Limits`].
    pub fn new(provider: ProviderId, auth: Auth) -> Self {
        Self {
            provider,
            auth,
            headers: Vec::new(),
            retry: RetryPolicy::default(),
            limits: Limits::default(),
            request_id: None,
            idempotency_keys: Vec::new(),
            budget: Arc::new(TokenBucket::new(RetryBudget::default())),
        }
    }

    /// Adds a header sent with every request (e.g. Kitchen's
    /// `X-Requested-With: XMLHttpRequest`) unless the request sets it itself.
    ///
    /// # Panics
    /// If `name` or `value` cannot be an HTTP header: both are fixed strings
    /// in the caller's code, so this is a bug there.
    pub fn with_header(mut self, name: &'static str, value: &'static str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("{name:?} is not a valid HTTP header name"));
        let value = HeaderValue::from_str(value)
            .unwrap_or_else(|_| panic!("{value:?} is not a valid HTTP header value"));
        self.headers.push((name, value));
        self
    }

    /// Names the response header in which the vendor sends its id of the
    /// request (e.g. `X-Request-Id`): every error of a request whose
    /// response had it carries it ([`Error::request_id`](crate::Error::request_id), shown in its
    /// `Display`). A generated crate's `context()` sets it when
    /// `specs/providers.toml` declares one for its vendor.
    ///
    /// # Panics
    /// If `name` cannot be an HTTP header name: it is a fixed string in the
    /// caller's code, so this is a bug there.
    pub fn with_request_id_header(mut self, name: &'static str) -> Self {
        self.request_id = Some(
            HeaderName::from_bytes(name.as_bytes())
                .unwrap_or_else(|_| panic!("{name:?} is not a valid HTTP header name")),
        );
        self
    }

    /// Declares that `operation` (progenitor's name of it, as errors show
    /// it) takes an idempotency key where `key` says: each call gets a new
    /// random key (a UUID) once, carried by every attempt, unless the caller
    /// set one (the header, or the body's member), and such a write is then
    /// retried on the same faults as a read. A generated crate's
    /// `context()` declares every operation its document declares.
    ///
    /// Any other write (any method but `GET` and `HEAD`) is sent again only
    /// when it certainly did not reach the server: its connection could
    /// not be made, or no credentials could be had for it.
    ///
    /// # Panics
    /// If a header name cannot be an HTTP header name: it is a fixed string
    /// in the caller's code, so this is a bug there.
    pub fn with_idempotency_key(mut self, operation: &'static str, key: IdempotencyKey) -> Self {
        if let IdempotencyKey::Header(name) = key {
            HeaderName::from_bytes(name.as_bytes())
                .unwrap_or_else(|_| panic!("{name:?} is not a valid HTTP header name"));
        }
        self.idempotency_keys.retain(|(op, _)| *op != operation);
        self.idempotency_keys.push((operation, key));
        self
    }

    /// Where `operation` takes an idempotency key, if it was declared.
    pub fn idempotency_key(&self, operation: &str) -> Option<IdempotencyKey> {
        self.idempotency_keys
            .iter()
            .find(|(op, _)| *op == operation)
            .map(|(_, key)| *key)
    }

    /// The response header holding the vendor's request id, if declared.
    pub fn request_id_header(&self) -> Option<&HeaderName> {
        self.request_id.as_ref()
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Replaces the retry budget shared by every request of this context
    /// and its clones (a full bucket of the new budget; see [`RetryBudget`]
    /// for the default).
    pub fn with_retry_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Arc::new(TokenBucket::new(budget));
        self
    }

    /// The tokens left in the retry budget now.
    pub fn retry_tokens(&self) -> u32 {
        self.budget.tokens()
    }

    pub(crate) fn budget(&self) -> &TokenBucket {
        &self.budget
    }

    /// Replaces the limits (timeouts, deadline, body size).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The provider errors name.
    pub fn provider(&self) -> ProviderId {
        self.provider
    }

    /// The retry policy every operation follows.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The limits every operation keeps to.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// An [`Origin`] for `operation` of this context's provider.
    pub fn origin(&self, operation: &'static str) -> Origin {
        Origin::new(self.provider, Some(operation))
    }

    /// The credentials put on every attempt.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The headers every request gets unless it sets them itself.
    pub(crate) fn default_headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }
}
