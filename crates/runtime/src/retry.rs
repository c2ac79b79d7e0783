//! Whether and when to send a request again: one pure decision.
//!
//! [`RetryPolicy::decide`] looks at what an attempt came to and what is known
//! about the operation so far, and says what to do next. It reads no clock
//! and draws no random number (the jitter is an input), so every rule is a
//! row in a table test; the send loop in `exchange` only carries it out.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How often and how patiently a read is retried.
///
/// Reads (`GET`, `HEAD`) and writes carrying an idempotency key
/// ([`ClientContext::with_idempotency_key`](crate::ClientContext::with_idempotency_key))
/// are retried; any other write only when it certainly was not sent (no
/// connection could be made, or no credentials could be had for it), since
/// a repeated `POST` could create an invoice twice: its error then says so
/// ([`Error::not_retried_because`](crate::Error::not_retried_because)). They are retried when no whole response arrived (a
/// connection refused or reset, a body cut short, a timeout, a token
/// endpoint that failed) and on the statuses 429, 500, 502, 503 and 504,
/// waiting as `Retry-After` asks or else an exponential backoff with full
/// jitter (a random wait between zero and `base_delay * 2^(retry - 1)`,
/// capped at `max_delay`), so many clients that failed together do not come
/// back together. No wait runs past the operation's deadline
/// ([`Limits::deadline`](crate::Limits::deadline)): when the next wait would,
/// the last outcome is final.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first time included.
    /// `1` disables retries.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry, doubled for each further
    /// one.
    pub base_delay: Duration,
    /// The longest wait, also for a `Retry-After` that asks for more.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, 200 ms base delay, 20 s longest wait.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
        }
    }
}

/// What is known about an operation when an attempt has ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attempt {
    /// The attempt that just ended, 1 for the first.
    pub number: u32,
    /// Time left before the operation's deadline.
    pub remaining: Duration,
    /// Whether the request may be sent again without harm: a `GET` or
    /// `HEAD`, a write with an idempotency key, or a write that certainly
    /// was not sent (no connection, no credentials); and its body can be
    /// copied.
    pub repeatable: bool,
    /// Whether a 401 may be cured by new credentials (OAuth2) that have not
    /// been fetched yet for this operation.
    pub may_renew_credentials: bool,
    /// A uniformly random number in `[0, 1)` that scales the backoff (full
    /// jitter); the send loop draws it, tests fix it.
    pub jitter: f64,
}

/// What an attempt came to, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A whole response arrived: its status and the wait its `Retry-After`
    /// asks for.
    Response {
        /// The response status.
        status: StatusCode,
        /// The wait `Retry-After` asks for, if any.
        retry_after: Option<Duration>,
    },
    /// No whole response: the request failed before one arrived.
    Failed {
        /// Whether the same request may succeed later: connection failures,
        /// cut bodies, timeouts and token endpoint outages are; a body over
        /// the limit, refused credentials or an unusable request are not.
        transient: bool,
        /// How long the failure asks to wait (a token endpoint's
        /// `Retry-After`, the rest of a failed token fetch's backoff).
        retry_after: Option<Duration>,
    },
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// The outcome is final: hand it to the caller.
    Stop,
    /// Drop the credentials the 401 answered and send again at once with
    /// new ones.
    RenewCredentials,
    /// Send again after this wait.
    Retry {
        /// How long to wait first.
        after: Duration,
    },
}

impl RetryPolicy {
    /// A policy that sends every request once.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// What to do after `attempt` came to `outcome`.
    ///
    /// - A 401 while credentials may be renewed: renew once, for any method
    ///   (a refused request did not take effect).
    /// - Otherwise only a repeatable request is sent again, only while
    ///   attempts remain, only for a transient outcome (see
    ///   [`RetryPolicy`]), and only if the wait ends before the deadline.
    pub fn decide(&self, attempt: &Attempt, outcome: &Outcome) -> Decision {
        let retry_after = match *outcome {
            Outcome::Response { status, .. }
                if status == StatusCode::UNAUTHORIZED && attempt.may_renew_credentials =>
            {
                return if attempt.remaining.is_zero() {
                    Decision::Stop
                } else {
                    Decision::RenewCredentials
                };
            }
            Outcome::Response {
                status,
                retry_after,
            } if is_transient_status(status) => retry_after,
            Outcome::Failed {
                transient: true,
                retry_after,
            } => retry_after,
            _ => return Decision::Stop,
        };
        if !attempt.repeatable || attempt.number >= self.max_attempts {
            return Decision::Stop;
        }
        let after = self.delay(attempt.number, retry_after, attempt.jitter);
        if after >= attempt.remaining {
            return Decision::Stop;
        }
        Decision::Retry { after }
    }

    /// The wait before retry number `retry` (1 for the first retry): what
    /// `Retry-After` asked for, else the backoff ceiling scaled by `jitter`;
    /// never more than `max_delay`.
    fn delay(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max_delay);
        }
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self.base_delay.saturating_mul(factor).min(self.max_delay);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// The statuses worth another attempt of a read.
fn is_transient_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Whether a request with `method` may be sent twice without harm.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD
}

/// The wait a `Retry-After` header asks for: delay seconds or an HTTP date
/// (a date in the past means no wait).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A uniformly random number in `[0, 1)`, the jitter of one wait.
///
/// Jitter needs spread, not secrecy, so it comes from `fastrand`, not the
/// OS or aws-lc's random source: aws-lc seeds its generator on first use
/// with about 60 ms of CPU-jitter sampling, which every process paid on
/// its first request (one jitter is drawn per attempt).
pub(crate) fn random_fraction() -> f64 {
    fastrand::f64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            base_delay: MS(100),
            max_delay: MS(1000),
        }
    }

    /// Attempt `number` of a GET with plenty of time left and half jitter.
    fn get(number: u32) -> Attempt {
        Attempt {
            number,
            remaining: Duration::from_secs(60),
            repeatable: true,
            may_renew_credentials: false,
            jitter: 0.5,
        }
    }

    fn status(code: u16) -> Outcome {
        Outcome::Response {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
        }
    }

    fn failed(transient: bool) -> Outcome {
        Outcome::Failed {
            transient,
            retry_after: None,
        }
    }

    fn retry(ms: u64) -> Decision {
        Decision::Retry { after: MS(ms) }
    }

    #[test]
    fn decisions() {
        let post = Attempt {
            repeatable: false,
            ..get(1)
        };
        let oauth = Attempt {
            may_renew_credentials: true,
            ..get(1)
        };
        let late = Attempt {
            remaining: MS(40),
            ..get(1)
        };
        let asks = |status: u16, seconds: u64| Outcome::Response {
            status: StatusCode::from_u16(status).unwrap(),
            retry_after: Some(Duration::from_secs(seconds)),
        };
        let table: &[(&str, Attempt, Outcome, Decision)] = &[
            ("200 is final", get(1), status(200), Decision::Stop),
            ("404 is final", get(1), status(404), Decision::Stop),
            ("400 is final", get(1), status(400), Decision::Stop),
            ("429 backs off", get(1), status(429), retry(50)),
            ("500 backs off", get(1), status(500), retry(50)),
            ("502 backs off", get(1), status(502), retry(50)),
            ("503 backs off", get(1), status(503), retry(50)),
            ("504 backs off", get(1), status(504), retry(50)),
            ("501 is final", get(1), status(501), Decision::Stop),
            ("the ceiling doubles", get(2), status(503), retry(100)),
            (
                "until attempts run out",
                get(3),
                status(503),
                Decision::Stop,
            ),
            ("a cut connection", get(1), failed(true), retry(50)),
            ("a permanent failure", get(1), failed(false), Decision::Stop),
            ("POST is sent once", post, status(503), Decision::Stop),
            ("POST after a reset", post, failed(true), Decision::Stop),
            ("Retry-After is honoured", get(1), asks(429, 0), retry(0)),
            ("up to max_delay", get(1), asks(503, 3600), retry(1000)),
            (
                "a failure may ask to wait",
                get(1),
                Outcome::Failed {
                    transient: true,
                    retry_after: Some(MS(300)),
                },
                retry(300),
            ),
            (
                "no wait past the deadline",
                late,
                status(503),
                Decision::Stop,
            ),
            (
                "401 renews credentials",
                oauth,
                status(401),
                Decision::RenewCredentials,
            ),
            (
                "401 renews a POST too",
                Attempt {
                    repeatable: false,
                    ..oauth
                },
                status(401),
                Decision::RenewCredentials,
            ),
            ("401 without renewal", get(1), status(401), Decision::Stop),
            (
                "no renewal after the deadline",
                Attempt {
                    remaining: Duration::ZERO,
                    ..oauth
                },
                status(401),
                Decision::Stop,
            ),
        ];
        for (name, attempt, outcome, expected) in table {
            assert_eq!(
                policy().decide(attempt, outcome),
                *expected,
                "{name}: {attempt:?} {outcome:?}"
            );
        }
    }

    #[test]
    fn never_stops_after_the_first_attempt() {
        assert_eq!(
            RetryPolicy::never().decide(&get(1), &status(503)),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            ..policy()
        };
        let full = Attempt {
            jitter: 0.999_999,
            ..get(1)
        };
        for (number, ceiling) in [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1000)] {
            let Decision::Retry { after } =
                policy.decide(&Attempt { number, ..full }, &status(503))
            else {
                panic!("attempt {number} is retried");
            };
            assert!(
                after <= MS(ceiling) && after > MS(ceiling) * 99 / 100,
                "{after:?}"
            );
        }
        let last = Attempt {
            number: u32::MAX - 1,
            ..full
        };
        assert!(matches!(
            policy.decide(&last, &status(503)),
            Decision::Retry { after } if after <= MS(1000)
        ));
        let none = Attempt {
            jitter: 0.0,
            ..get(4)
        };
        assert_eq!(policy.decide(&none, &status(503)), retry(0));
    }

    #[test]
    fn jitter_is_spread_over_zero_to_one() {
        let draws: Vec<f64> = (0..64).map(|_| random_fraction()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(draws.iter().any(|d| *d < 0.5) && draws.iter().any(|d| *d >= 0.5));
    }

    #[test]
    fn reads_retry_after_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 7 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(110) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn only_reads_are_idempotent() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::HEAD));
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }
}
