//! One operation over the network, the one place that sends
//! ([`ClientContext::send`]): attempts with credentials, each read to the
//! end of its body within the limits, repeated as the retry policy decides.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, HeaderMap, HeaderValue};
use reqwest::{ResponseBuilderExt as _, StatusCode, Url, Version};
use tokio::time::timeout_at;
use tracing::Instrument as _;

use crate::body::{self, BodyError};
use crate::client_context::ClientContext;
use crate::error::{Error, NotRetried, Phase};
use crate::idempotency;
use crate::internal_headers::{ATTEMPTS_HEADER, REQUEST_ID_HEADER};
use crate::origin::Origin;
use crate::retry::{Attempt, Decision, Outcome, is_idempotent, random_fraction, retry_after};

/// A whole response: read to the end and scrubbed of credentials.
struct Received {
    status: StatusCode,
    version: Version,
    url: Url,
    headers: HeaderMap,
    body: Bytes,
    /// The `Authorization` the request carried, to forget it after a 401.
    authorization: Option<HeaderValue>,
}

impl ClientContext {
    /// Sends `request` as `operation` and reads its whole response, the way
    /// every generated client does (its `ClientHooks::exec` calls this):
    ///
    /// - the default headers and fresh credentials go on every attempt (a new
    ///   Coinbase JWT, a possibly renewed OAuth2 token, fetched anew once on
    ///   401);
    /// - each attempt gets the response and its whole body within
    ///   [`Limits::attempt_timeout`](crate::Limits::attempt_timeout) and [`Limits::max_body_bytes`](crate::Limits::max_body_bytes), and is
    ///   repeated as the [`RetryPolicy`](crate::RetryPolicy) decides within [`Limits::deadline`](crate::Limits::deadline)
    ///   while the client's [`RetryBudget`](crate::RetryBudget) can pay for the retry: a
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
        send(self, client, request, &self.origin(operation)).await
    }
}

/// Adds the context's default headers the request does not set itself.
fn add_default_headers(context: &ClientContext, request: &mut reqwest::Request) {
    for (name, value) in context.default_headers() {
        request
            .headers_mut()
            .entry(name)
            .or_insert_with(|| value.clone());
    }
}

/// Sends `request` for the operation at `origin` until the retry policy
/// stops: see [`ClientContext::send`].
async fn send(
    context: &ClientContext,
    client: &reqwest::Client,
    request: reqwest::Request,
    origin: &Origin,
) -> Result<reqwest::Response, Error> {
    // One span per operation: names only, never the URL (its query may
    // carry a vendor's cursor) nor any header.
    let span = tracing::info_span!(
        "invoicing.operation",
        provider = origin.provider.as_str(),
        operation = origin.operation.unwrap_or(""),
        method = request.method().as_str(),
    );
    send_in_span(context, client, request, origin)
        .instrument(span)
        .await
}

async fn send_in_span(
    context: &ClientContext,
    client: &reqwest::Client,
    mut request: reqwest::Request,
    origin: &Origin,
) -> Result<reqwest::Response, Error> {
    add_default_headers(context, &mut request);
    let started = Instant::now();
    let deadline = started + context.limits().deadline;
    let mut idempotent = is_idempotent(request.method());
    if !idempotent
        && let Some(declared) = origin
            .operation
            .and_then(|operation| context.idempotency_key(operation))
    {
        // One key per call, put on the request before the first attempt,
        // so every copy sent carries it.
        idempotent = idempotency::put_key(&mut request, declared);
        if !idempotent {
            tracing::warn!("the request body cannot carry the declared idempotency key");
        }
    }
    let mut renewed = false;
    let mut number = 0;
    loop {
        number += 1;
        // reqwest consumes the request, so the copy for a further attempt is
        // taken first. A streaming body cannot be copied; such a request is
        // sent once.
        let spare = request.try_clone();
        let copied = spare.is_some();
        let result = attempt(context, client, request, origin, number, started, deadline).await;
        trace_attempt(number, started, &result);
        let outcome = match &result {
            Ok(received) => Outcome::Response {
                status: received.status,
                retry_after: retry_after(&received.headers),
            },
            Err(err) => Outcome::Failed {
                transient: err.is_transient(),
                retry_after: match err {
                    Error::Token { retry_after, .. } => *retry_after,
                    _ => None,
                },
            },
        };
        let ended = Attempt {
            number,
            remaining: deadline.saturating_duration_since(Instant::now()),
            // A write without a key is sent again only when it certainly
            // did not reach the server.
            repeatable: (idempotent || not_sent(&result)) && copied,
            may_renew_credentials: !renewed && copied && context.auth().renews_on_unauthorized(),
            jitter: random_fraction(),
        };
        request = match (context.retry_policy().decide(&ended, &outcome), spare) {
            // Without a copy the policy was told the request is not
            // repeatable, so it stopped too.
            (Decision::Stop, _) | (_, None) => {
                tracing::debug!(attempts = number, "operation ended");
                // Say why a fault a read would have survived ended a write.
                let unsafe_write = !idempotent
                    && !not_sent(&result)
                    && copied
                    && matches!(
                        context.retry_policy().decide(
                            &Attempt {
                                repeatable: true,
                                ..ended
                            },
                            &outcome
                        ),
                        Decision::Retry { .. }
                    );
                let result = match result {
                    Err(err) if unsafe_write => Err(err.not_retried(NotRetried::WriteWithoutKey)),
                    other => other,
                };
                if let Ok(received) = &result
                    && received.status.is_success()
                {
                    context.budget().succeeded();
                }
                return result.map(|received| received.into_response(number));
            }
            (Decision::RenewCredentials, Some(next)) => {
                // The token may have been revoked or expired early: one new
                // token, one more try.
                renewed = true;
                tracing::info!(attempt = number, "401: renewing credentials, sending again");
                if let Ok(received) = &result {
                    context.auth().forget(received.authorization.as_ref());
                }
                next
            }
            (Decision::Retry { after }, Some(next)) => {
                // The client's budget, shared with its other requests, pays
                // for the retry or there is none: the outcome is final.
                let timed_out = matches!(result, Err(Error::Timeout { .. }));
                if !context.budget().try_retry(timed_out) {
                    tracing::warn!(
                        attempt = number,
                        tokens = context.retry_tokens(),
                        "retry budget spent: not retrying"
                    );
                    return result.map(|received| received.into_response(number));
                }
                tracing::info!(
                    attempt = number,
                    reason = %retry_reason(&result),
                    wait_ms = u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
                    "retrying"
                );
                tokio::time::sleep(after).await;
                next
            }
        };
    }
}

/// Whether an attempt failed before its request went out: no credentials
/// could be had for it, or no connection could be made (refused, DNS, TLS,
/// or timed out connecting). An attempt that timed out later, or whose
/// connection broke, may have reached the server.
fn not_sent(result: &Result<Received, Error>) -> bool {
    match result {
        Err(Error::Transport { source, .. }) => source.is_connect(),
        Err(Error::Timeout { phase, .. }) => matches!(phase, Phase::Credentials | Phase::Connect),
        Err(Error::Token { .. }) => true,
        _ => false,
    }
}

/// The event for an attempt that ended: its status or its error (whose
/// message the runtime keeps free of credentials), and the time since the
/// operation started.
fn trace_attempt(number: u32, started: Instant, result: &Result<Received, Error>) {
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(received) => tracing::debug!(
            attempt = number,
            status = received.status.as_u16(),
            elapsed_ms,
            "attempt answered"
        ),
        Err(err) => tracing::debug!(attempt = number, elapsed_ms, error = %err, "attempt failed"),
    }
}

/// Why an attempt is retried, in a few words.
fn retry_reason(result: &Result<Received, Error>) -> String {
    match result {
        Ok(received) => format!("status {}", received.status.as_u16()),
        Err(Error::Timeout { phase, .. }) => format!("timed out {phase}"),
        Err(Error::Transport { .. }) => "transport error".to_owned(),
        Err(Error::Token { .. }) => "no access token".to_owned(),
        Err(_) => "transient failure".to_owned(),
    }
}

/// One attempt: credentials, the response, its whole body, all before the
/// attempt's own deadline (the earlier of the attempt timeout and the
/// operation's deadline).
async fn attempt(
    context: &ClientContext,
    client: &reqwest::Client,
    mut request: reqwest::Request,
    origin: &Origin,
    number: u32,
    started: Instant,
    deadline: Instant,
) -> Result<Received, Error> {
    let limits = context.limits();
    let attempt_deadline = deadline.min(Instant::now() + limits.attempt_timeout);
    let timed_out = |phase| Error::Timeout {
        origin: origin.clone(),
        elapsed: started.elapsed(),
        phase,
        attempts: number,
        not_retried: None,
    };
    let failed = |err, phase| reqwest_failure(err, origin, number, started, phase);

    timeout_at(
        attempt_deadline.into(),
        context.auth().authorize(&mut request, origin),
    )
    .await
    .map_err(|_| timed_out(Phase::Credentials))??;
    let authorization = request.headers().get(AUTHORIZATION).cloned();
    let response = timeout_at(attempt_deadline.into(), client.execute(request))
        .await
        .map_err(|_| timed_out(Phase::Response))?
        .map_err(|err| failed(err, Phase::Response))?;
    // After redirects, the URL that answered.
    let url = response.url().clone();
    let status = response.status();
    let version = response.version();
    // Scrubbed before the body is read, so the errors of the body read can
    // carry the vendor's request id.
    let redactor = context.auth().redactor(authorization.as_ref());
    let mut headers = response.headers().clone();
    redactor.scrub_headers(&mut headers);
    let request_id = context
        .request_id_header()
        .and_then(|name| headers.get(name))
        .cloned();
    let origin = &match &request_id {
        Some(id) => origin
            .clone()
            .with_request_id(&String::from_utf8_lossy(id.as_bytes())),
        None => origin.clone(),
    };
    let timed_out = |phase| Error::Timeout {
        origin: origin.clone(),
        elapsed: started.elapsed(),
        phase,
        attempts: number,
        not_retried: None,
    };
    let failed = |err, phase| reqwest_failure(err, origin, number, started, phase);
    let body = timeout_at(
        attempt_deadline.into(),
        body::read(response, limits.max_body_bytes),
    )
    .await
    .map_err(|_| timed_out(Phase::Body))?
    .map_err(|err| match err {
        BodyError::TooLarge { declared } => Error::BodyTooLarge {
            origin: origin.clone(),
            status,
            limit: limits.max_body_bytes,
            declared,
        },
        BodyError::Cut(err) => failed(err, Phase::Body),
    })?;
    let body = redactor.scrub(body);
    if headers.contains_key(CONTENT_LENGTH) {
        // Scrubbing may have changed the length.
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    if let Some(id) = request_id {
        headers.insert(REQUEST_ID_HEADER, id);
    }
    Ok(Received {
        status,
        version,
        url,
        headers,
        body,
        authorization,
    })
}

/// The error for a request reqwest could not complete.
fn reqwest_failure(
    err: reqwest::Error,
    origin: &Origin,
    attempts: u32,
    started: Instant,
    phase: Phase,
) -> Error {
    let origin = origin.clone();
    if err.is_timeout() {
        // The `reqwest::Client`'s own timeout, when the caller set one: its
        // connect timeout means nothing was sent.
        Error::Timeout {
            origin,
            elapsed: started.elapsed(),
            phase: if err.is_connect() {
                Phase::Connect
            } else {
                phase
            },
            attempts,
            not_retried: None,
        }
    } else if err.is_builder() {
        Error::InvalidRequest {
            origin,
            message: err.to_string(),
        }
    } else {
        Error::Transport {
            origin,
            attempts,
            not_retried: None,
            source: Arc::new(err),
        }
    }
}

impl Received {
    /// The response handed on: status, version, URL and headers as received
    /// (scrubbed), the attempt count added, the body in memory.
    fn into_response(self, attempts: u32) -> reqwest::Response {
        let mut response = http::Response::builder()
            .status(self.status)
            .version(self.version)
            .url(self.url)
            .body(self.body)
            .expect("a status, version and URL of a real response always build");
        *response.headers_mut() = self.headers;
        response
            .headers_mut()
            .insert(ATTEMPTS_HEADER, HeaderValue::from(attempts));
        reqwest::Response::from(response)
    }
}
