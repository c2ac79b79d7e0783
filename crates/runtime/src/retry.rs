//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Response header [`Context::execute`](crate::Context::execute) sets to the
/// number of times the request was sent, so an error built from the final
/// response can say that retries ran out.
pub const ATTEMPTS_HEADER: &str = "x-invoicing-attempts";

/// How often and how patiently a read is retried.
///
/// Only `GET` and `HEAD` are retried: a repeated `POST` could create an
/// invoice twice. They are retried on connection errors, timeouts and the
/// statuses 429, 502, 503 and 504, waiting as `Retry-After` asks or else an
/// exponential backoff with full jitter (a random wait between zero and
/// `base_delay * 2^retry`, capped at `max_delay`), so many clients that failed
/// together do not come back together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent at most, the first time included.
    /// `1` disables retries.
    pub max_attempts: u32,
    /// The backoff before the first retry, doubled for each further one.
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

impl RetryPolicy {
    /// A policy that sends every request once.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), given
    /// the `Retry-After` of the failed response.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(asked) = retry_after {
            return asked.min(self.max_delay);
        }
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self.base_delay.saturating_mul(factor).min(self.max_delay);
        ceiling.mul_f64(random_fraction())
    }

    /// Whether another attempt may follow attempt number `attempt` (1-based).
    pub(crate) fn allows_another(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }
}

/// Whether a request with `method` may be sent twice without harm.
pub(crate) fn is_idempotent_read(method: &Method) -> bool {
    *method == Method::GET || *method == Method::HEAD
}

/// Whether an attempt's outcome is worth another attempt.
pub(crate) fn is_transient(result: &reqwest::Result<reqwest::Response>) -> bool {
    match result {
        Ok(response) => matches!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        ),
        // A connection reset while the request is in flight surfaces as a
        // request error, not a connect error; a read can safely be resent.
        Err(err) => err.is_connect() || err.is_timeout() || err.is_request(),
    }
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

/// A uniformly random number in `[0, 1)`.
fn random_fraction() -> f64 {
    let mut bytes = [0u8; 8];
    // The OS random source failing is not worth failing a request over: a
    // fraction of one still waits, just without jitter.
    if aws_lc_rs::rand::fill(&mut bytes).is_err() {
        return 1.0;
    }
    // The top 53 bits fill an f64 mantissa exactly.
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        for _ in 0..50 {
            assert!(policy.delay(1, None) <= Duration::from_millis(100));
            assert!(policy.delay(2, None) <= Duration::from_millis(200));
            assert!(policy.delay(9, None) <= Duration::from_millis(500));
            assert!(policy.delay(u32::MAX, None) <= Duration::from_millis(500));
        }
        // Full jitter: 50 draws over [0, 500ms] are not all the same.
        let draws: std::collections::HashSet<_> = (0..50).map(|_| policy.delay(5, None)).collect();
        assert!(draws.len() > 1);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, Some(Duration::ZERO)), Duration::ZERO);
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3600))),
            policy.max_delay
        );
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
    fn only_reads_are_retried() {
        assert!(is_idempotent_read(&Method::GET));
        assert!(is_idempotent_read(&Method::HEAD));
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(!is_idempotent_read(&method), "{method}");
        }
    }
}
