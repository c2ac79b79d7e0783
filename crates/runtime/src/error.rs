//! The one error type of every invoicing client.

mod message;

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub use message::ApiMessage;
pub(crate) use message::excerpt;

use crate::retry::{ATTEMPTS_HEADER, retry_after};

/// Which provider and operation an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The provider name a [`Context`](crate::Context) was built with, e.g.
    /// `sendcloud-v3`.
    pub provider: &'static str,
    /// The OpenAPI operation id, when the error belongs to one call (not to
    /// building credentials).
    pub operation: Option<&'static str>,
}

impl Origin {
    /// An origin for `provider`, optionally inside `operation`.
    pub fn new(provider: &'static str, operation: Option<&'static str>) -> Self {
        Self {
            provider,
            operation,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            Some(operation) => write!(f, "{} {operation}", self.provider),
            None => f.write_str(self.provider),
        }
    }
}

/// Everything that can go wrong calling an invoicing API.
///
/// Messages name the provider and operation and quote the vendor's own
/// explanation when its error body had one; they never contain credentials.
#[derive(Debug, thiserror::Error)]
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

    /// 429 on the last attempt the retry policy allowed.
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

    /// A 5xx status on the last attempt the retry policy allowed.
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
        /// What did not match (e.g. the JSON decoding error).
        detail: String,
        /// The first ~300 characters of the body.
        excerpt: String,
    },

    /// The request did not reach the vendor or its response did not arrive:
    /// DNS, connection, TLS, timeout, or a body cut short.
    #[error("{origin}: transport error: {source}")]
    Transport {
        /// Where the error happened.
        origin: Origin,
        /// The underlying HTTP error.
        #[source]
        source: reqwest::Error,
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
    /// [`paging::Problem`](crate::paging::Problem)).
    #[error("{origin}: cannot follow pages at {page}: {problem}")]
    Paging {
        /// Where the error happened.
        origin: Origin,
        /// The page, in the vendor's terms (`page 3`, `cursor "cD0x"`).
        page: String,
        /// What is wrong.
        problem: crate::paging::Problem,
    },

    /// Credentials, keys or environment variables are missing or unusable,
    /// or credentials could not be obtained before sending.
    #[error("{origin}: {message}")]
    Config {
        /// Where the error happened.
        origin: Origin,
        /// What was wrong; never contains the secret itself.
        message: String,
    },
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

impl Error {
    /// Maps an error of a generated client to this type.
    ///
    /// Async because an undocumented response still has its body unread; the
    /// vendor's message is parsed from it. A documented error response
    /// ([`progenitor_client::Error::ErrorResponse`]) has already been decoded
    /// into `E`, so only its status and headers are used here; use
    /// [`Error::from_progenitor_with_body`] where `E` is serializable to keep
    /// the vendor's message too.
    pub async fn from_progenitor<E>(
        provider: &'static str,
        operation: &'static str,
        err: progenitor_client::Error<E>,
    ) -> Error {
        let origin = Origin::new(provider, Some(operation));
        match err {
            progenitor_client::Error::ErrorResponse(value) => {
                Self::from_status(origin, value.status(), value.headers(), None)
            }
            other => Self::from_other(origin, other).await,
        }
    }

    /// Like [`Error::from_progenitor`], and also reads the vendor's message
    /// from a documented error body (e.g. Coinbase's `errorMessage`).
    pub async fn from_progenitor_with_body<E: serde::Serialize>(
        provider: &'static str,
        operation: &'static str,
        err: progenitor_client::Error<E>,
    ) -> Error {
        let origin = Origin::new(provider, Some(operation));
        match err {
            progenitor_client::Error::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                // Serializing the typed body gives back the vendor's JSON keys.
                let body = serde_json::to_vec(&value.into_inner()).ok();
                Self::from_status(origin, status, &headers, body.as_deref())
            }
            other => Self::from_other(origin, other).await,
        }
    }

    async fn from_other<E>(origin: Origin, err: progenitor_client::Error<E>) -> Error {
        use progenitor_client::Error as P;
        match err {
            P::InvalidRequest(message) => Error::InvalidRequest { origin, message },
            P::CommunicationError(source)
            | P::InvalidUpgrade(source)
            | P::ResponseBodyError(source) => Error::Transport { origin, source },
            P::ErrorResponse(value) => {
                Self::from_status(origin, value.status(), value.headers(), None)
            }
            P::InvalidResponsePayload(body, err) => Error::InvalidResponse {
                origin,
                status: None,
                detail: err.to_string(),
                excerpt: excerpt(&body),
            },
            P::UnexpectedResponse(response) => Self::from_response(origin, response).await,
            P::Custom(message) => {
                // The generated `pre` hook turns our own prepare error into a
                // string, which starts with the provider; drop that repeat.
                let prefix = format!("{}: ", origin.provider);
                let message = message.strip_prefix(&prefix).unwrap_or(&message).to_owned();
                Error::Config { origin, message }
            }
        }
    }

    /// Maps a response that is not what the operation expects, reading its
    /// body for the vendor's message.
    pub async fn from_response(origin: Origin, response: reqwest::Response) -> Error {
        let status = response.status();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => Self::from_status(origin, status, &headers, Some(&body)),
            Err(source) => Error::Transport { origin, source },
        }
    }

    /// Maps a status, the response headers and (when read) the body.
    pub fn from_status(
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
    pub fn origin(&self) -> Origin {
        match self {
            Error::Unauthorized { origin, .. }
            | Error::Forbidden { origin, .. }
            | Error::NotFound { origin, .. }
            | Error::RateLimited { origin, .. }
            | Error::Server { origin, .. }
            | Error::Rejected { origin, .. }
            | Error::InvalidResponse { origin, .. }
            | Error::Transport { origin, .. }
            | Error::InvalidRequest { origin, .. }
            | Error::Paging { origin, .. }
            | Error::Config { origin, .. } => *origin,
        }
    }

    /// The HTTP status of the response that failed, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Forbidden { .. } => Some(StatusCode::FORBIDDEN),
            Error::NotFound { .. } => Some(StatusCode::NOT_FOUND),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Server { status, .. } | Error::Rejected { status, .. } => Some(*status),
            Error::InvalidResponse { status, .. } => *status,
            Error::Transport { source, .. } => source.status(),
            Error::InvalidRequest { .. } | Error::Paging { .. } | Error::Config { .. } => None,
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
            | Error::Rejected { message, .. } => message.as_deref(),
            _ => None,
        }
    }

    /// Whether sending the same request later may succeed: rate limits,
    /// server errors and transport failures.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. } | Error::Server { .. } | Error::Transport { .. }
        )
    }

    pub(crate) fn config(origin: Origin, message: impl Into<String>) -> Error {
        Error::Config {
            origin,
            message: message.into(),
        }
    }
}
