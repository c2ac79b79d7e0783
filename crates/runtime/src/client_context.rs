//! What a generated client carries besides its `reqwest::Client`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::Auth;
use crate::error::Error;
use crate::exchange;
use crate::idempotency::IdempotencyKey;
use crate::limits::Limits;
use crate::origin::{Origin, ProviderId};
use crate::retry::RetryPolicy;
use crate::retry_budget::{RetryBudget, TokenBucket};

/// The `reqwest::Client` generated clients use by default: a 10 s connect
/// timeout and TLS by rustls.
///
/// It sets no overall timeout of its own: each attempt and each operation
/// are bounded by the [`Limits`] of the [`ClientContext`]. A client of your
/// own works too; its own timeouts then apply as well.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a client with only a connect timeout set always builds")
}

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
    pub(crate) auth: Auth,
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
    /// response had it carries it ([`Error::request_id`], shown in its
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

    /// Sends `request` as `operation` and reads its whole response, the way
    /// every generated client does (its `ClientHooks::exec` calls this):
    ///
    /// - the default headers and fresh credentials go on every attempt (a new
    ///   Coinbase JWT, a possibly renewed OAuth2 token, fetched anew once on
    ///   401);
    /// - each attempt gets the response and its whole body within
    ///   [`Limits::attempt_timeout`] and [`Limits::max_body_bytes`], and is
    ///   repeated as the [`RetryPolicy`] decides within [`Limits::deadline`]
    ///   while the client's [`RetryBudget`] can pay for the retry: a
    ///   connection reset or a body cut short is retried like any connection
    ///   error;
    /// - every credential sent is scrubbed from the response's headers and
    ///   body (replaced with `[redacted]`).
    ///
    /// The response returned is the last one received, whatever its status,
    /// with its body in memory, an `x-invoicing-attempts` header saying
    /// how many times the request was sent and, when the vendor's request id
    /// header is declared and was sent, an `x-invoicing-request-id` header
    /// with its value (both read back by
    /// [`Error::from_progenitor`] for the errors it maps).
    ///
    /// # Errors
    /// When no whole response arrived on the last attempt:
    /// [`Error::Timeout`], [`Error::Transport`], [`Error::BodyTooLarge`],
    /// [`Error::Token`] or [`Error::Config`].
    pub async fn send(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation: &'static str,
    ) -> Result<reqwest::Response, Error> {
        exchange::send(self, client, request, &self.origin(operation)).await
    }

    /// Adds the default headers the request does not set itself.
    pub(crate) fn add_default_headers(&self, request: &mut reqwest::Request) {
        for (name, value) in &self.headers {
            request
                .headers_mut()
                .entry(name)
                .or_insert_with(|| value.clone());
        }
    }
}
