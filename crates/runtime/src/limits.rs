//! How long an operation may take and how much of a response it may read.

use std::time::Duration;

/// Bounds on every operation of a client: no wait and no buffer is
/// unbounded, whatever the server does.
///
/// Set them with [`ClientContext::with_limits`](crate::ClientContext::with_limits):
///
/// ```
/// use std::time::Duration;
/// use invoicing_runtime::{Auth, ClientContext, Limits, ProviderId};
///
/// let context = ClientContext::new(ProviderId::new("kitchen"), Auth::none()).with_limits(Limits {
///     deadline: Duration::from_secs(300),
///     ..Limits::default()
/// });
/// assert_eq!(context.limits().attempt_timeout, Duration::from_secs(30));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest one attempt may take: getting credentials (an OAuth2
    /// token), the response's status and headers, and its whole body.
    /// Default 30 s.
    pub attempt_timeout: Duration,
    /// The longest the whole operation may take: every attempt and every
    /// wait between them. Default 60 s.
    pub deadline: Duration,
    /// The most bytes read from one response body. A body that declares
    /// more (`Content-Length`) is not read at all; one that grows past it is
    /// read no further. Default 64 MiB.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            attempt_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
            max_body_bytes: 64 << 20,
        }
    }
}
