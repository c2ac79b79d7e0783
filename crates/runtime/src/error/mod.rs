//! The one error type of every invoicing client.

mod message;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub use message::ApiMessage;

use crate::internal_headers::{ATTEMPTS_HEADER, REQUEST_ID_HEADER};
use crate::origin::Origin;
use crate::quote::{bounded, excerpt};
use crate::retry::retry_after;

/// Everything that can go wrong calling an invoicing API.
///
/// Messages name the provider and operation (and the page, when code that
/// pages adds it with [`Error::on_page`]) and quote the vendor's own
/// explanation when its error body had one, cut to about 1 KiB. They never
/// contain credentials: what servers send back is scrubbed of every
/// credential sent before anything reads it.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401: the credentials were refused.
    #[error("{origin}: unauthorized (401){}", said(message))]
    Unauthorized {
        /// Where the error happened.
        origin: Origin,
        /// The vendor's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// 403: the credentials lack a permission or scope.
    #[error("{origin}: forbidden (403){}", said(message))]
    Forbidden {
        /// Where the error happened.
        origin: Origin,
        /// The vendor's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// 404: no such resource.
    #[error("{origin}: not found (404){}", said(message))]
    NotFound {
        /// Where the error happened.
        origin: Origin,
        /// The vendor's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// 429 on the last attempt the retry policy and the deadline allowed.
    #[error(
        "{origin}: rate limited (429) after {attempts} attempt(s){}{}",
        wait(retry_after),
        said(message)
    )]
    RateLimited {
        /// Where the error happened.
        origin: Origin,
        /// How long the vendor asked to wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// How many times the request was sent.
        attempts: u32,
        /// The vendor's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// A 5xx status on the last attempt the retry policy and the deadline
    /// allowed.
    #[error(
        "{origin}: server error ({status}) after {attempts} attempt(s){}",
        said(message)
    )]
    Server {
        /// Where the error happened.
        origin: Origin,
        /// The status of the last response.
        status: StatusCode,
        /// How many times the request was sent.
        attempts: u32,
        /// The vendor's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// Another 4xx status: the vendor rejected the request as sent.
    #[error("{origin}: request rejected ({status}){}", said(message))]
    Rejected {
        /// Where the error happened.
        origin: Origin,
        /// The response status.
        status: StatusCode,
        /// The vendor's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// A response this client cannot read: a body that does not match the
    /// spec, or a status the spec does not list.
    #[error(
        "{origin}: invalid response{}: {detail}; body starts {excerpt:?}",
        status_note(status)
    )]
    InvalidResponse {
        /// Where the error happened.
        origin: Origin,
        /// The response status, when known.
        status: Option<StatusCode>,
        /// What did not match, with the JSON path of the failing value
        /// when the body did not decode (``at `data[3].amount`: ...``).
        detail: String,
        /// The start of the body (about 1 KiB).
        excerpt: String,
    },

    /// The response body is larger than
    /// [`Limits::max_body_bytes`](crate::Limits::max_body_bytes): it was not
    /// read further.
    #[error(
        "{origin}: the response body ({status}) is larger than the limit of {limit} bytes{}; \
         it was not read further",
        declared_note(declared)
    )]
    BodyTooLarge {
        /// Where the error happened.
        origin: Origin,
        /// The response status.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// The size the response declared (`Content-Length`), if any.
        declared: Option<u64>,
    },

    /// The operation ran out of time: its last attempt hit the attempt
    /// timeout or the operation's deadline.
    #[error(
        "{origin}: timed out after {} {phase} ({attempts} attempt(s)){}",
        human(elapsed),
        why_final(not_retried)
    )]
    Timeout {
        /// Where the error happened.
        origin: Origin,
        /// How long the whole operation ran, retries included.
        elapsed: Duration,
        /// What the last attempt was waiting for.
        phase: Phase,
        /// How many times the request was sent (or tried to be).
        attempts: u32,
        /// Why a read would have been retried here and this request was
        /// not.
        not_retried: Option<NotRetried>,
    },

    /// The request did not reach the vendor or its response was cut short:
    /// DNS, connection refused or reset, TLS, a body that ended early.
    #[error(
        "{origin}: transport error after {attempts} attempt(s): {}{}",
        chain(source),
        why_final(not_retried)
    )]
    Transport {
        /// Where the error happened.
        origin: Origin,
        /// How many times the request was sent (or tried to be).
        attempts: u32,
        /// Why a read would have been retried here and this request was
        /// not.
        not_retried: Option<NotRetried>,
        /// The underlying HTTP error (shared, so the error can be cloned).
        #[source]
        source: Arc<reqwest::Error>,
    },

    /// The OAuth2 token endpoint gave no access token, so the request was
    /// not sent. Client credentials it refused (400, 401, 403) and answers
    /// that are no token are not transient; its server errors, 429,
    /// timeouts and connection failures are.
    #[error("{origin}: no OAuth2 access token: {reason}{}", said(message))]
    Token {
        /// Where the error happened (the operation that needed the token).
        origin: Origin,
        /// The token endpoint's status, when it answered.
        status: Option<StatusCode>,
        /// Whether asking again later may succeed.
        transient: bool,
        /// How long to wait before asking again: the endpoint's
        /// `Retry-After`, or the rest of the pause after a failed fetch.
        retry_after: Option<Duration>,
        /// What happened, e.g. `the token endpoint refused the client
        /// credentials (401 Unauthorized)`.
        reason: String,
        /// The token endpoint's explanation.
        message: Option<Box<ApiMessage>>,
    },

    /// The generated client refused to build the request (e.g. a header
    /// value it cannot send).
    #[error("{origin}: invalid request: {message}")]
    InvalidRequest {
        /// Where the error happened.
        origin: Origin,
        /// What was wrong.
        message: String,
    },

    /// A listing cannot go on without skipping or repeating items: the
    /// vendor's paging is faulty, or the page budget is used up (see
    /// [`paging::Problem`](crate::paging::Problem)). The origin names the
    /// page.
    #[error("{origin}: cannot follow pages: {problem}")]
    Paging {
        /// Where the error happened, page included.
        origin: Origin,
        /// What is wrong.
        problem: crate::paging::problem::Problem,
    },

    /// Credentials, keys or environment variables are missing or unusable.
    #[error("{origin}: {message}")]
    Config {
        /// Where the error happened.
        origin: Origin,
        /// What was wrong; never contains the secret itself.
        message: String,
    },
}

/// Why a failure the [`RetryPolicy`](crate::RetryPolicy) retries for a read
/// ended the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRetried {
    /// A write whose operation takes no idempotency key, and whose request
    /// may have reached the server: sending it again could apply it twice
    /// (create a second invoice).
    WriteWithoutKey,
}

impl fmt::Display for NotRetried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotRetried::WriteWithoutKey => {
                "not retried: the write has no idempotency key and may have reached the \
                 server, so sending it again could apply it twice"
            }
        })
    }
}

fn why_final(not_retried: &Option<NotRetried>) -> String {
    not_retried
        .map(|why| format!("; {why}"))
        .unwrap_or_default()
}

/// What an attempt was waiting for when it ran out of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// Credentials: an OAuth2 token from the token endpoint.
    Credentials,
    /// A connection to the server (the request was not sent).
    Connect,
    /// The response's status and headers.
    Response,
    /// The rest of the response body.
    Body,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Credentials => "waiting for an access token",
            Phase::Connect => "connecting to the server",
            Phase::Response => "waiting for the response",
            Phase::Body => "reading the response body",
        })
    }
}

fn said(message: &Option<Box<ApiMessage>>) -> String {
    message
        .as_ref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

fn wait(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!(", retry after {}s", d.as_secs()))
        .unwrap_or_default()
}

fn status_note(status: &Option<StatusCode>) -> String {
    status.map(|s| format!(" ({s})")).unwrap_or_default()
}

fn declared_note(declared: &Option<u64>) -> String {
    declared
        .map(|n| format!(" (it declares {n})"))
        .unwrap_or_default()
}

/// A duration to the millisecond, e.g. `1.204s` or `300ms`.
fn human(duration: &Duration) -> String {
    let millis = u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
    format!("{:?}", Duration::from_millis(millis))
}

/// An error and its sources, `: `-separated: reqwest's own message names
/// the URL but not the cause (`connection refused`, `connection reset`).
fn chain(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    bounded(&text).into_owned()
}

/// The origin every variant holds, borrowed as the error is (`&` or
/// `&mut`): the one list of variants, so a new variant is added once.
///
/// The origin stays a field of each variant rather than `Error` becoming a
/// struct of origin and kind: callers match variants directly, also nested
/// (`invoicing::Error::Api(invoicing_runtime::Error::NotFound { .. })`).
macro_rules! origin_of {
    ($error:expr) => {
        match $error {
            Error::Unauthorized { origin, .. }
            | Error::Forbidden { origin, .. }
            | Error::NotFound { origin, .. }
            | Error::RateLimited { origin, .. }
            | Error::Server { origin, .. }
            | Error::Rejected { origin, .. }
            | Error::InvalidResponse { origin, .. }
            | Error::BodyTooLarge { origin, .. }
            | Error::Timeout { origin, .. }
            | Error::Transport { origin, .. }
            | Error::Token { origin, .. }
            | Error::InvalidRequest { origin, .. }
            | Error::Paging { origin, .. }
            | Error::Config { origin, .. } => origin,
        }
    };
}

impl Error {
    /// Maps a whole response the operation did not expect: its status, its
    /// headers and (when there is one) its body, from which the vendor's
    /// message is read.
    pub(crate) fn from_status(
        origin: Origin,
        status: StatusCode,
        headers: &HeaderMap,
        body: Option<&[u8]>,
    ) -> Error {
        // Boxed: the message is the largest part and most errors have none,
        // so `Result<_, Error>` stays small.
        let message = body.and_then(ApiMessage::from_body).map(Box::new);
        let attempts = headers
            .get(ATTEMPTS_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let origin = match headers.get(REQUEST_ID_HEADER) {
            Some(id) => origin.with_request_id(&String::from_utf8_lossy(id.as_bytes())),
            None => origin,
        };
        match status {
            StatusCode::UNAUTHORIZED => Error::Unauthorized { origin, message },
            StatusCode::FORBIDDEN => Error::Forbidden { origin, message },
            StatusCode::NOT_FOUND => Error::NotFound { origin, message },
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
                origin,
                retry_after: retry_after(headers),
                attempts,
                message,
            },
            s if s.is_server_error() => Error::Server {
                origin,
                status,
                attempts,
                message,
            },
            s if s.is_client_error() => Error::Rejected {
                origin,
                status,
                message,
            },
            _ => Error::InvalidResponse {
                origin,
                status: Some(status),
                detail: "status not documented for this operation".to_owned(),
                excerpt: body.map(excerpt).unwrap_or_default(),
            },
        }
    }

    /// Where the error happened.
    pub fn origin(&self) -> &Origin {
        origin_of!(self)
    }

    fn origin_mut(&mut self) -> &mut Origin {
        origin_of!(self)
    }

    /// The same error, placed on a page of a listing: `page` describes it in
    /// the vendor's terms (`page 3`, `cursor "cD0xMjM="`). Code that pages
    /// calls this on every error of a page fetch, so the message says where
    /// the listing stopped.
    pub fn on_page(mut self, page: &str) -> Self {
        let origin = self.origin_mut();
        *origin = origin.clone().on_page(page);
        self
    }

    /// The same error with `origin` in place of its own: for code that
    /// knows better where it happened (a listing's page, a facade's
    /// operation). The vendor's request id is kept when `origin` has none.
    pub fn with_origin(mut self, mut origin: Origin) -> Self {
        let own = self.origin_mut();
        if origin.request_id.is_none() {
            origin.request_id = own.request_id.take();
        }
        *own = origin;
        self
    }

    /// The vendor's id of the request that failed, when its generated crate
    /// declares the header and the response had it (see [`Origin::request_id`]).
    pub fn request_id(&self) -> Option<&str> {
        self.origin().request_id()
    }

    /// The HTTP status of the response that failed, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Error::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Server { status, .. }
            | Error::Rejected { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::InvalidResponse { status, .. } | Error::Token { status, .. } => *status,
            Error::Transport { source, .. } => source.status(),
            Error::Timeout { .. }
            | Error::Paging { .. }
            | Error::InvalidRequest { .. }
            | Error::Config { .. } => None,
        }
    }

    /// The vendor's own explanation, when its error body had one.
    pub fn api_message(&self) -> Option<&ApiMessage> {
        match self {
            Error::Unauthorized { message, .. }
            | Error::Forbidden { message, .. }
            | Error::NotFound { message, .. }
            | Error::RateLimited { message, .. }
            | Error::Server { message, .. }
            | Error::Rejected { message, .. }
            | Error::Token { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// Why the call ended on this error although a read would have been
    /// sent again, if that is so.
    pub fn not_retried_because(&self) -> Option<NotRetried> {
        match self {
            Error::Timeout { not_retried, .. } | Error::Transport { not_retried, .. } => {
                *not_retried
            }
            _ => None,
        }
    }

    /// This error, saying why it was not retried (a timeout or transport
    /// error; other errors are kept as they are).
    pub(crate) fn not_retried(mut self, why: NotRetried) -> Self {
        if let Error::Timeout { not_retried, .. } | Error::Transport { not_retried, .. } = &mut self
        {
            *not_retried = Some(why);
        }
        self
    }

    /// Whether sending the same request later may succeed: rate limits,
    /// server errors, timeouts, transport failures and token endpoint
    /// outages.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::RateLimited { .. }
            | Error::Server { .. }
            | Error::Timeout { .. }
            | Error::Transport { .. } => true,
            Error::Token { transient, .. } => *transient,
            _ => false,
        }
    }

    pub(crate) fn config(origin: Origin, message: impl Into<String>) -> Error {
        Error::Config {
            origin,
            message: message.into(),
        }
    }
}
