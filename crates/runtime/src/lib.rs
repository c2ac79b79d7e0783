//! Support code shared by every generated invoicing client.
//!
//! Generated crates call into this crate for what an OpenAPI document cannot
//! say: how to authenticate, when to retry, how long to wait, how much to
//! read, how to follow pages, and how to keep JSON numbers exact. A user who
//! depends on one generated crate gets all of it without the `invoicing`
//! facade.
//!
//! - [`Auth`] and [`ClientContext`]: credentials and default headers put on
//!   every attempt, retries, limits and token renewal around every send.
//! - [`RetryPolicy`], [`RetryBudget`] and [`Limits`]: which requests are
//!   retried, how much retrying a client may do across its requests, how
//!   long an attempt and an operation may take, how large a body may be.
//! - [`Error`]: one error type, naming provider, operation and page, with
//!   the vendor's own message; a generated `send()` returns it.
//! - [`IdempotencyKey`]: where a write takes its idempotency key (a header
//!   or a JSON body member); a write with one gets a new key per call, the
//!   same on every attempt, and is retried like a read.
//! - [`json`]: decoding that names the JSON path of a failing value.
//! - [`paging`]: `Link` headers, cursors and lazy page streams, keeping
//!   one invariant whatever the vendor sends ([stated there](paging#the-invariant)):
//!   every item a page read forward serves is delivered exactly once, or
//!   the listing ends with an error naming the page.
//! - [`constraints`]: request parameters checked against their schema before
//!   a request is sent.
//! - [`Number`]: JSON numbers kept exact.
//!
//! # Modules
//!
//! Modules depend one way, each only on modules listed before it
//! (`xtask/tests/layers.rs` holds the code to this list):
//!
//! 1. leaves, which name nothing else of this crate: `secret`, `quote`
//!    (bounded vendor text in errors), `redact` (credentials scrubbed from
//!    responses), `limits`, `number`, `query`, `constraints`, `body`
//!    (reading a body within its limit), `internal_headers` (what a
//!    response carries from sending to its error), `http_client`,
//!    `idempotency`, `retry_budget`, `retry` (the retry decision, a pure
//!    function), `open_enum` (serde for generated open enums),
//!    `json_path` (the JSON path at a decode error's position);
//! 2. `origin` (provider, operation, page and request id), `paging::problem`
//!    (what a vendor's paging did wrong), `json`;
//! 3. `error`: an origin and what went wrong;
//! 4. `auth`: credentials, and the tokens fetched for them;
//! 5. `client_context`: a client's configuration, plain data;
//! 6. `exchange`: the one module that sends ([`ClientContext::send`]);
//! 7. `progenitor`: what generated code calls around progenitor's;
//! 8. `paging`: listings and page streams over any of the above;
//! 9. `test_util`: fault servers for tests.
//!
//! # Defaults, and how to change them
//!
//! | what | default | change it with |
//! |---|---|---|
//! | attempts per read (`GET`, `HEAD`) or write with an idempotency key | 4 (other writes: 1, unless the request certainly was not sent: no connection, or no credentials) | [`RetryPolicy::max_attempts`], [`ClientContext::with_idempotency_key`] |
//! | retried on | 429, 500, 502, 503, 504; connection refused or reset; a body cut short; a timeout; a token endpoint outage | — |
//! | retry budget per client (shared by the clones of its [`ClientContext`]) | 500 tokens; a retry costs 5, 10 after a timeout; a 2xx response puts 1 back; no tokens, no retry (at most 100 retries beyond the requests from a full bucket while a vendor fails everything) | [`ClientContext::with_retry_budget`], [`RetryBudget`] |
//! | backoff | full jitter, ceiling 200 ms doubling per retry, at most 20 s; `Retry-After` honoured up to 20 s | [`RetryPolicy::base_delay`], [`RetryPolicy::max_delay`] |
//! | connect timeout | 10 s | the `reqwest::Client` ([`http_client`] sets it) |
//! | attempt timeout (credentials, headers and whole body) | 30 s | [`Limits::attempt_timeout`] |
//! | operation deadline (every attempt and wait) | 60 s | [`Limits::deadline`] |
//! | response body size | 64 MiB | [`Limits::max_body_bytes`] |
//! | vendor text quoted in errors | about 1 KiB each | — |
//! | OAuth2 token request | 30 s; one at a time per [`Auth`], shared by every caller waiting | [`TokenPolicy::request_timeout`] |
//! | OAuth2 failure pause | a failed token fetch is given to callers for 1 s without asking again | [`TokenPolicy::failure_pause`] |
//! | OAuth2 token lifetime | `expires_in` less a tenth (at most 30 s), at least 60 s (also when `expires_in` is `0` or missing); fetched anew once on 401 | [`TokenPolicy::min_lifetime`] |
//!
//! Set retries and limits on a [`ClientContext`] (a generated crate's
//! `context(auth)` gives one with its vendor's headers) and build the client
//! with it; set a [`TokenPolicy`] on the [`Auth`] with
//! [`Auth::with_token_policy`]:
//!
//! ```
//! use std::time::Duration;
//! use invoicing_runtime::{Auth, ClientContext, Limits, ProviderId, RetryPolicy, TokenPolicy};
//!
//! let auth = Auth::oauth2_client_credentials(
//!     "https://account.sendcloud.com/oauth2/token/",
//!     "client-id",
//!     "client-secret",
//!     Some("api"),
//! )?
//! .with_token_policy(TokenPolicy { failure_pause: Duration::from_secs(5), ..TokenPolicy::default() });
//! let context = ClientContext::new(ProviderId::new("sendcloud-v3"), auth)
//!     .with_retry(RetryPolicy { max_attempts: 6, ..RetryPolicy::default() })
//!     .with_limits(Limits {
//!         deadline: Duration::from_secs(300),
//!         max_body_bytes: 16 << 20,
//!         ..Limits::default()
//!     });
//! // let client = invoicing_sendcloud_v3::Client::new_with_client(url, invoicing_runtime::http_client(), context);
//! # let _ = context;
//! # Ok::<(), invoicing_runtime::Error>(())
//! ```
//!
//! # Tracing
//!
//! The runtime emits [`tracing`](https://docs.rs/tracing) spans and events;
//! without a subscriber they cost next to nothing. Install one (e.g.
//! `tracing_subscriber::fmt().with_env_filter("invoicing_runtime=debug").init()`)
//! to see them:
//!
//! | span or event | level | fields |
//! |---|---|---|
//! | span `invoicing.page`, around each page fetch of a listing | info | `provider`, `operation`, `page` (`page 3`, `cursor "…"`, as errors quote it) |
//! | span `invoicing.operation`, around each request with its retries | info | `provider`, `operation`, `method` |
//! | `attempt answered` / `attempt failed` | debug | `attempt`, `status` or `error`, `elapsed_ms` |
//! | `retrying` | info | `attempt`, `reason` (`status 503`, `timed out …`, `transport error`), `wait_ms` |
//! | `retry budget spent: not retrying` | warn | `attempt`, `tokens` |
//! | `the request body cannot carry the declared idempotency key` (not a JSON object, or the member is `null`: the write is not retried) | warn | — |
//! | `401: renewing credentials, sending again` | info | `attempt` |
//! | `fetching an OAuth2 access token`, `OAuth2 access token fetched`, `no OAuth2 access token` | debug, info, warn | `renew_in_s`, `error` |
//! | `page taken in` | debug | `page`, `items`, `delivered_from`, `skipped_as_delivered` |
//! | `the list changed: reading where the last item taken now is` (relocation) | info | `page`, `relocate_to`, `change` |
//! | `the listing cannot go on` (a vendor fault or a budget) | warn | `page`, `problem` |
//!
//! No span or event holds a credential, a URL, a header or a body: fields
//! are names, numbers, positions and the runtime's own error messages,
//! all taken from responses after they are scrubbed.
//!
//! # What a response looks like after the runtime
//!
//! Each attempt reads the whole body before the retry policy looks at it,
//! so a reset in the middle of a page is retried like a refused connection.
//! The response a generated client decodes has its body in memory, every
//! credential the request carried replaced with `[redacted]` in its body
//! and headers (servers and proxies that echo requests cannot leak them into
//! errors, decoded fields or kept raw JSON; credentials under 8 characters
//! are not searched for), and an `x-invoicing-attempts` header with the
//! number of times the request was sent.
//!
//! # Errors of one generated crate
//!
//! A generated `send()` or `send_raw()` returns this crate's [`Error`] (the
//! generated crate re-exports it as its `Error`), not progenitor's
//! `progenitor_client::Error<E>`, whose `Display` prints an unexpected
//! response's headers and any runtime failure as a bare `Communication
//! Error`. Printing it names provider, operation and cause, with the
//! vendor's message when its error body has one:
//!
//! ```text
//! kitchen list_invoices: not found (404): Invoice workspace p11-missing not found
//! ```
//!
//! When the vendor sends its own id of each request in a response header
//! and the generated crate declares it (`request_id` in
//! `specs/providers.toml`, passed to
//! [`ClientContext::with_request_id_header`]), every error of a request whose
//! response had it carries the id ([`Error::request_id`]) and shows it:
//! `acme list_invoices (request id req_8fQ2): not found (404): ...`. It is
//! scrubbed of credentials like the rest of the response.
//!
//! The documented error body's typed value is not returned: its message is
//! in [`Error::api_message`]. Code that drives progenitor's own methods maps
//! their errors with [`Error::from_progenitor`].

mod auth;
mod body;
mod client_context;
pub mod constraints;
mod error;
mod exchange;
mod http_client;
mod idempotency;
mod internal_headers;
pub mod json;
mod json_path;
mod limits;
mod number;
pub mod open_enum;
mod origin;
pub mod paging;
mod progenitor;
pub mod query;
mod quote;
mod redact;
mod retry;
mod retry_budget;
mod secret;
#[cfg(feature = "test-util")]
pub mod test_util;

pub use auth::{Auth, EnvCredentials, TokenPolicy};
pub use client_context::ClientContext;
pub use error::{ApiMessage, Error, NotRetried, Phase};
pub use http_client::http_client;
pub use idempotency::IdempotencyKey;
pub use limits::Limits;
pub use number::Number;
pub use origin::{Origin, ProviderId};
pub use progenitor::{decode_body, decode_response};
pub use quote::excerpt;
pub use redact::REDACTED;
pub use retry::{Attempt, Decision, Outcome, RetryPolicy, retry_after};
pub use retry_budget::RetryBudget;
pub use secret::Secret;
