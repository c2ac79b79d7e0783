//! One request to an OAuth2 token endpoint, and what its answer means.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::Deserialize;

use crate::body::{self, BodyError};
use crate::error::{ApiMessage, Error};
use crate::origin::Origin;
use crate::redact::Redactor;
use crate::retry::retry_after;
use crate::secret::Secret;

/// The largest token response read; a real one is a few hundred bytes.
const TOKEN_BODY_LIMIT: usize = 64 << 10;
/// The longest a token is renewed before its lifetime runs out.
const RENEW_EARLY: Duration = Duration::from_secs(30);

/// How OAuth2 tokens are requested and kept; set it with
/// [`Auth::with_token_policy`](crate::Auth::with_token_policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenPolicy {
    /// How long one token request may take, connection included. Default
    /// 30 s. (Each caller waits at most its own attempt timeout for it.)
    pub request_timeout: Duration,
    /// The shortest time a token is used, whatever `expires_in` says (also
    /// when it says `0` or nothing), so short-lived tokens do not cost a
    /// fetch per request. Default 60 s.
    pub min_lifetime: Duration,
    /// How long a failed token request is remembered and given to every
    /// caller without asking the endpoint again. Default 1 s.
    pub failure_pause: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            min_lifetime: Duration::from_secs(60),
            failure_pause: Duration::from_secs(1),
        }
    }
}

/// Where tokens are requested: an absolute URL, or a path on the server
/// of the request that needs the token.
///
/// OpenAPI lets a `tokenUrl` be relative to the server (PayPal's
/// `/v1/oauth2/token`); a vendor with several servers (sandbox and live)
/// then has its token endpoint on each, so the path is resolved against
/// the request's own URL rather than fixed when the credentials are made.
#[derive(Clone, Debug)]
pub(crate) enum TokenUrl {
    /// A token endpoint of its own.
    Absolute(Url),
    /// An absolute path (`/v1/oauth2/token`) on the API's server.
    Path(String),
}

impl TokenUrl {
    /// An absolute URL, or a path starting with one `/`.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        match Url::parse(text) {
            Ok(url) => Ok(Self::Absolute(url)),
            // `//host/...` would name another host: not a path.
            Err(_) if text.starts_with('/') && !text.starts_with("//") => {
                let base = Url::parse("http://server.invalid/").expect("a valid URL");
                base.join(text).map_err(|err| err.to_string())?;
                Ok(Self::Path(text.to_owned()))
            }
            Err(err) => Err(err.to_string()),
        }
    }

    /// The endpoint for a request to `request`: a path goes to the
    /// request's scheme, host and port.
    pub(crate) fn resolve(&self, request: &Url) -> Url {
        match self {
            Self::Absolute(url) => url.clone(),
            Self::Path(path) => request
                .join(path)
                .expect("checked to join onto any base in `parse`"),
        }
    }

    /// As written.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Self::Absolute(url) => url.as_str(),
            Self::Path(path) => path,
        }
    }
}

/// Where and with what client credentials tokens are requested.
#[derive(Clone)]
pub(crate) struct TokenEndpoint {
    pub(crate) url: TokenUrl,
    pub(crate) client_id: Secret,
    pub(crate) client_secret: Secret,
    pub(crate) scope: Option<String>,
    pub(crate) http: reqwest::Client,
    pub(crate) policy: TokenPolicy,
}

/// An access token, ready to send.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) header: HeaderValue,
    /// When to fetch a new one.
    pub(crate) renew_at: Instant,
}

/// Why the token endpoint gave no token, shared by every caller that
/// waited for the same request; each gets it as [`Error::Token`] with its
/// own origin.
#[derive(Clone, Debug)]
pub(crate) struct TokenFailure {
    status: Option<StatusCode>,
    transient: bool,
    retry_after: Option<Duration>,
    reason: String,
    message: Option<Box<ApiMessage>>,
}

impl TokenFailure {
    fn new(status: Option<StatusCode>, transient: bool, reason: impl Into<String>) -> Self {
        Self {
            status,
            transient,
            retry_after: None,
            reason: reason.into(),
            message: None,
        }
    }

    /// The same failure, asking callers to wait `wait` before trying again.
    pub(crate) fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// The failure as the error of the operation at `origin`.
    pub(crate) fn into_error(self, origin: &Origin) -> Error {
        Error::Token {
            origin: origin.clone(),
            status: self.status,
            transient: self.transient,
            retry_after: self.retry_after,
            reason: self.reason,
            message: self.message,
        }
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

impl TokenEndpoint {
    /// Every credential the token request carries, for scrubbing echoes.
    pub(crate) fn secrets(&self) -> Vec<Secret> {
        let pair = self.encoded_pair();
        let basic = Secret::new(BASE64.encode(pair.expose()));
        vec![
            self.client_id.clone(),
            self.client_secret.clone(),
            pair,
            basic,
        ]
    }

    /// Requests a token from `url` (this endpoint's, resolved for the
    /// request that needs it): client credentials grant, HTTP Basic client
    /// authentication.
    pub(crate) async fn fetch(&self, url: Url) -> Result<Token, TokenFailure> {
        // Built in its own scope: the serializer is not `Sync`, and keeping it
        // alive across an await would make this future not `Send`.
        let form = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials");
            if let Some(scope) = &self.scope {
                form.append_pair("scope", scope);
            }
            form.finish()
        };
        let sent_at = Instant::now();
        let response = self
            .http
            .post(url)
            .header(AUTHORIZATION, self.basic_header()?)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .timeout(self.policy.request_timeout)
            .body(form)
            .send()
            .await
            .map_err(|err| unreachable(err, self.policy.request_timeout))?;
        let status = response.status();
        let wait = retry_after(response.headers());
        let body = body::read(response, TOKEN_BODY_LIMIT)
            .await
            .map_err(|err| match err {
                BodyError::TooLarge { .. } => TokenFailure::new(
                    Some(status),
                    false,
                    format!("the token endpoint's answer is larger than {TOKEN_BODY_LIMIT} bytes"),
                ),
                BodyError::Cut(err) => unreachable(err, self.policy.request_timeout),
            })?;
        // The endpoint may quote the credentials it was sent (or was
        // refused); nothing below sees them.
        let body = Redactor::new(self.secrets().iter().map(Secret::expose)).scrub(body);
        if !status.is_success() {
            let mut failure = refused(status);
            failure.retry_after = wait;
            failure.message = ApiMessage::from_body(&body).map(Box::new);
            return Err(failure);
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|err| {
            // The body holds the token: say where decoding failed, but quote
            // neither the body nor serde's message, which can echo it.
            TokenFailure::new(
                Some(status),
                false,
                format!(
                    "the token endpoint's answer is not an OAuth2 token response \
                     ({:?} error at line {} column {})",
                    err.classify(),
                    err.line(),
                    err.column()
                ),
            )
        })?;
        let token = Secret::new(parsed.access_token);
        let mut header =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                TokenFailure::new(
                    Some(status),
                    false,
                    "the access token cannot be sent in an HTTP header",
                )
            })?;
        header.set_sensitive(true);
        let lifetime = parsed
            .expires_in
            .map_or(Duration::ZERO, Duration::from_secs)
            .max(self.policy.min_lifetime);
        // Renew early by a tenth of the lifetime, at most 30 s, so a token
        // does not expire between being read and being checked.
        let renew_at = sent_at + lifetime - (lifetime / 10).min(RENEW_EARLY);
        Ok(Token { header, renew_at })
    }

    /// The client id and secret form-encoded and joined, as RFC 6749 §2.3.1
    /// asks (a no-op for the usual alphanumeric credentials).
    fn encoded_pair(&self) -> Secret {
        let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        Secret::new(format!(
            "{}:{}",
            encode(self.client_id.expose()),
            encode(self.client_secret.expose())
        ))
    }

    fn basic_header(&self) -> Result<HeaderValue, TokenFailure> {
        let encoded = Secret::new(BASE64.encode(self.encoded_pair().expose()));
        let mut value =
            HeaderValue::from_str(&format!("Basic {}", encoded.expose())).map_err(|_| {
                TokenFailure::new(None, false, "the client credentials cannot be encoded")
            })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

/// The failure for a token request that got no whole answer within
/// `timeout`.
fn unreachable(err: reqwest::Error, timeout: Duration) -> TokenFailure {
    let reason = if err.is_timeout() {
        format!("the token endpoint did not answer within {timeout:?}")
    } else {
        let mut reason = format!("the token endpoint could not be reached: {err}");
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            reason.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        reason
    };
    TokenFailure::new(None, true, reason)
}

/// The failure for a token endpoint that answered `status`.
fn refused(status: StatusCode) -> TokenFailure {
    match status {
        StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            TokenFailure::new(
                Some(status),
                false,
                format!("the token endpoint refused the client credentials ({status})"),
            )
        }
        StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT => TokenFailure::new(
            Some(status),
            true,
            format!("the token endpoint is busy ({status})"),
        ),
        s if s.is_server_error() => TokenFailure::new(
            Some(status),
            true,
            format!("the token endpoint failed ({status})"),
        ),
        _ => TokenFailure::new(
            Some(status),
            false,
            format!("the token endpoint answered {status}"),
        ),
    }
}
