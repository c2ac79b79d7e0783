//! The `reqwest::Client` generated clients use unless given one.

use std::time::Duration;

/// The `reqwest::Client` generated clients use by default: a 10 s connect
/// timeout and TLS by rustls.
///
/// It sets no overall timeout of its own: each attempt and each operation
/// are bounded by the [`Limits`](crate::Limits) of the [`ClientContext`](crate::ClientContext). A client of your
/// own works too; its own timeouts then apply as well.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("a client with only a connect timeout set always builds")
}
