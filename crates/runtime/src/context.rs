//! Per-client context handed to generated clients as their inner value.

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::auth::Auth;
use crate::error::{Error, Origin};
use crate::retry::{self, ATTEMPTS_HEADER, RetryPolicy};

/// The `reqwest::Client` generated clients use by default: connect and
/// request timeouts set, TLS by rustls.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client with only timeouts set always builds")
}

/// What a generated client needs at run time besides its `reqwest::Client`:
/// the provider name for errors, credentials, headers every request carries,
/// and the retry policy.
///
/// Cheap to clone; clones share credentials (and so an OAuth2 token).
#[derive(Clone, Debug)]
pub struct Context {
    provider: &'static str,
    auth: Auth,
    headers: Vec<(HeaderName, HeaderValue)>,
    retry: RetryPolicy,
}

impl Context {
    /// A context for `provider` (the name used in errors) with `auth` and
    /// the default [`RetryPolicy`].
    pub fn new(provider: &'static str, auth: Auth) -> Self {
        Self {
            provider,
            auth,
            headers: Vec::new(),
            retry: RetryPolicy::default(),
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

    /// Replaces the retry policy.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The provider name errors carry.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// The retry policy [`Context::execute`] follows.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Adds default headers and credentials to a request before it is sent.
    ///
    /// # Errors
    /// [`Error::Config`] when credentials cannot be put in a header, and the
    /// errors of an OAuth2 token request ([`Error::Unauthorized`],
    /// [`Error::Transport`], ...).
    pub async fn prepare(&self, request: &mut reqwest::Request) -> Result<(), Error> {
        for (name, value) in &self.headers {
            request
                .headers_mut()
                .entry(name)
                .or_insert_with(|| value.clone());
        }
        self.auth.authorize(request, self.provider).await
    }

    /// Sends a prepared request, retrying reads as the [`RetryPolicy`] allows
    /// and renewing OAuth2 tokens once on 401.
    ///
    /// Every attempt after the first gets fresh credentials (a new Coinbase
    /// JWT, a possibly renewed OAuth2 token). The returned response is the
    /// last one received, whatever its status, with the
    /// [`ATTEMPTS_HEADER`] header added; errors are those of the last
    /// attempt. `operation_id` is accepted because the generated hook passes
    /// it; the operation reaches errors through [`Error::from_progenitor`].
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let _ = operation_id;
        let may_retry = retry::is_idempotent_read(request.method());
        let mut request = request;
        let mut attempts: u32 = 0;
        let mut reauthenticated = false;
        loop {
            // reqwest consumes the request, so the copy for a further attempt
            // is taken first. Streaming bodies cannot be copied; such a
            // request is sent once.
            let spare = request.try_clone();
            attempts += 1;
            let result = client.execute(request).await;
            let Some(mut again) = spare else {
                return counted(result, attempts);
            };
            let unauthorized =
                matches!(&result, Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED);
            let wait = if unauthorized && !reauthenticated && self.auth.renews_on_unauthorized() {
                // The token may have been revoked or expired early: one new
                // token, one more try, for any method (a 401 request did not
                // take effect).
                reauthenticated = true;
                self.auth.forget(&again).await;
                Duration::ZERO
            } else if may_retry
                && self.retry.allows_another(attempts)
                && retry::is_transient(&result)
            {
                let asked = result
                    .as_ref()
                    .ok()
                    .and_then(|r| retry::retry_after(r.headers()));
                self.retry.delay(attempts, asked)
            } else {
                return counted(result, attempts);
            };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            if self
                .auth
                .authorize(&mut again, self.provider)
                .await
                .is_err()
            {
                // Without credentials another attempt would only fail
                // differently; the caller sees the response that was real.
                return counted(result, attempts);
            }
            request = again;
        }
    }

    /// An [`Origin`] for `operation` of this context's provider.
    pub fn origin(&self, operation: &'static str) -> Origin {
        Origin::new(self.provider, Some(operation))
    }
}

/// Records on the response how many times its request was sent.
fn counted(
    result: reqwest::Result<reqwest::Response>,
    attempts: u32,
) -> reqwest::Result<reqwest::Response> {
    result.map(|mut response| {
        response
            .headers_mut()
            .insert(ATTEMPTS_HEADER, HeaderValue::from(attempts));
        response
    })
}
