//! Helpers for tests of this crate and of the crates built on it (feature
//! `test-util`): a retry policy that does not sleep, wiremock shortcuts, a
//! raw server that plays faults wiremock cannot, and the seeds of tests that
//! draw random data.

mod fault_server;
mod seeds;

use std::time::Duration;

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use fault_server::{FaultServer, Step, response, response_head};
pub use seeds::seeds;

use crate::RetryPolicy;

/// A retry policy of `max_attempts` whose waits are a few milliseconds, so
/// retry tests do not sleep.
pub fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    }
}

/// Answers every `GET` to `server` with `status` and the JSON `body`.
pub async fn serve(server: &MockServer, status: u16, body: &str) {
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(server)
        .await;
}

/// The value of header `name` in a request the mock server received.
pub fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("test headers are text").to_owned())
}

/// A variable reader for `Auth::from_vars` (and a generated crate's
/// `auth_from_vars`) that sees only `pairs`, not the process environment.
pub fn env_vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: std::collections::HashMap<String, String> = pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name: &str| map.get(name).cloned()
}
