//! What a generated client does around each call, for tests without one.

#![allow(dead_code)] // Each test binary uses a different part.

use invoicing_runtime::{Context, Error, RetryPolicy};
use std::time::Duration;

/// A retry policy whose waits are a few milliseconds, so tests do not sleep.
pub fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    }
}

/// Runs `request` through `prepare` and `execute` as the generated
/// `ClientHooks` do, mapping a failed `prepare` the way the generated code
/// does (through `progenitor_client::Error::Custom`).
pub async fn call(
    context: &Context,
    request: reqwest::RequestBuilder,
    operation: &'static str,
) -> Result<reqwest::Response, Error> {
    let client = invoicing_runtime::http_client();
    let mut request = request.build().expect("test requests build");
    if let Err(err) = context.prepare(&mut request).await {
        let err = progenitor_client::Error::<()>::Custom(err.to_string());
        return Err(Error::from_progenitor(context.provider(), operation, err).await);
    }
    context
        .execute(&client, request, operation)
        .await
        .map_err(|source| Error::Transport {
            origin: context.origin(operation),
            source,
        })
}

/// The value of header `name` in a request the mock server received.
pub fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}
