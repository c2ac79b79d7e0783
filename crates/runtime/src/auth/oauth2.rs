//! OAuth2 client credentials: one token per `Auth`, shared by clones and by
//! every concurrent request, fetched by one request at a time.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use reqwest::Url;
use reqwest::header::HeaderValue;

use super::token_request::{Token, TokenEndpoint, TokenFailure, TokenPolicy, TokenUrl};
use crate::error::Error;
use crate::origin::{Origin, ProviderId};
use crate::secret::Secret;

/// One token fetch, awaited by every caller that needs a token meanwhile.
type Fetch = Shared<BoxFuture<'static, Result<Token, TokenFailure>>>;

/// Client id and secret, where to trade them for a token, and the token.
pub(crate) struct ClientCredentials {
    endpoint: Arc<TokenEndpoint>,
    // A plain mutex, never held across an await: waiting is on the shared
    // fetch, so callers do not queue behind each other.
    state: Mutex<State>,
    fetches: AtomicU64,
}

enum State {
    Empty,
    Ready(Token),
    /// A fetch in flight; `id` tells it from a later one.
    Fetching {
        id: u64,
        fetch: Fetch,
    },
    Failed {
        failure: TokenFailure,
        until: Instant,
    },
}

impl ClientCredentials {
    pub(crate) fn new(
        token_url: &str,
        client_id: Secret,
        client_secret: Secret,
        scope: Option<String>,
    ) -> Result<Self, Error> {
        let url = TokenUrl::parse(token_url).map_err(|err| {
            Error::config(
                Origin::new(ProviderId::new("oauth2"), None),
                format!("the OAuth2 token URL is neither an absolute URL nor a path: {err}"),
            )
        })?;
        Ok(Self {
            endpoint: Arc::new(TokenEndpoint {
                url,
                client_id,
                client_secret,
                scope,
                http: crate::http_client(),
                policy: TokenPolicy::default(),
            }),
            state: Mutex::new(State::Empty),
            fetches: AtomicU64::new(0),
        })
    }

    /// The same credentials under `policy`, with a token cache of their own.
    pub(crate) fn with_policy(&self, policy: TokenPolicy) -> Self {
        let endpoint = TokenEndpoint {
            policy,
            ..(*self.endpoint).clone()
        };
        Self {
            endpoint: Arc::new(endpoint),
            state: Mutex::new(State::Empty),
            fetches: AtomicU64::new(0),
        }
    }

    /// The `Authorization` value of a valid access token: the cached one,
    /// the one being fetched, or a new fetch (from a token URL that is a
    /// path: on `request`'s server).
    ///
    /// # Errors
    /// [`Error::Token`] when the token endpoint gives no token (now, or
    /// within the policy's failure pause).
    pub(crate) async fn header(
        &self,
        origin: &Origin,
        request: &Url,
    ) -> Result<HeaderValue, Error> {
        let (id, fetch) = {
            let mut state = self.lock();
            let now = Instant::now();
            match &*state {
                State::Ready(token) if now < token.renew_at => return Ok(token.header.clone()),
                State::Failed { failure, until } if now < *until => {
                    tracing::debug!("the last OAuth2 token fetch failed: not asking again yet");
                    let failure = failure.clone().retry_after(*until - now);
                    return Err(failure.into_error(origin));
                }
                State::Fetching { id, fetch } => (*id, fetch.clone()),
                _ => {
                    tracing::debug!("fetching an OAuth2 access token");
                    let id = self.fetches.fetch_add(1, Ordering::Relaxed);
                    let endpoint = Arc::clone(&self.endpoint);
                    let url = endpoint.url.resolve(request);
                    let fetch = async move { endpoint.fetch(url).await }.boxed().shared();
                    *state = State::Fetching {
                        id,
                        fetch: fetch.clone(),
                    };
                    (id, fetch)
                }
            }
        };
        // If every caller gives up waiting (their own timeouts), the fetch
        // stays in `state` and the next caller resumes it; it ends by itself
        // within the policy's request timeout.
        let result = fetch.await;
        let mut state = self.lock();
        // The first waiter to get here records the result; later ones (and
        // waiters of a fetch already replaced) leave the state alone.
        if matches!(&*state, State::Fetching { id: current, .. } if *current == id) {
            *state = match &result {
                Ok(token) => {
                    let renew_in = token.renew_at.saturating_duration_since(Instant::now());
                    tracing::info!(
                        renew_in_s = renew_in.as_secs(),
                        "OAuth2 access token fetched"
                    );
                    State::Ready(token.clone())
                }
                Err(failure) => State::Failed {
                    failure: failure.clone(),
                    until: Instant::now() + self.endpoint.policy.failure_pause,
                },
            };
        }
        drop(state);
        if let Err(failure) = &result {
            // The error's message names no credential (the token endpoint's
            // answer is scrubbed before it is read).
            let error = failure.clone().into_error(origin);
            tracing::warn!(error = %error, "no OAuth2 access token");
        }
        result
            .map(|token| token.header)
            .map_err(|failure| failure.into_error(origin))
    }

    /// Drops the cached token if it is `used`: after a 401 the next request
    /// fetches a new one, while a token another request already renewed
    /// stays.
    pub(crate) fn forget(&self, used: &HeaderValue) {
        let mut state = self.lock();
        if matches!(&*state, State::Ready(token) if token.header == used) {
            *state = State::Empty;
        }
    }

    /// The client credentials in every form the token request carries them.
    pub(crate) fn secrets(&self) -> Vec<Secret> {
        self.endpoint.secrets()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves a state that is
        // still whole (every write is one assignment).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth::OAuth2ClientCredentials")
            .field("token_url", &self.endpoint.url.as_str())
            .field("client_id", &self.endpoint.client_id)
            .field("client_secret", &self.endpoint.client_secret)
            .field("scope", &self.endpoint.scope)
            .field("policy", &self.endpoint.policy)
            .finish_non_exhaustive()
    }
}
