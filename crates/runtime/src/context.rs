//! Per-client context handed to generated clients as their inner value.

/// Credentials for one provider.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No credentials (public endpoints, tests).
    None,
}

/// The `reqwest::Client` generated clients use by default: connect and
/// request timeouts set, TLS by rustls.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("a client with only timeouts set always builds")
}

/// What a generated client needs at run time besides its `reqwest::Client`.
#[derive(Clone, Debug)]
pub struct Context {
    provider: &'static str,
    auth: Auth,
}

impl Context {
    /// A context for `provider` (the name used in errors) with `auth`.
    pub fn new(provider: &'static str, auth: Auth) -> Self {
        Self { provider, auth }
    }

    /// Adds a header sent with every request (e.g. Kitchen's
    /// `X-Requested-With: XMLHttpRequest`).
    pub fn with_header(self, _name: &'static str, _value: &'static str) -> Self {
        self
    }

    /// The provider name errors carry.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// Adds credentials and default headers to a request before it is sent.
    pub async fn prepare(&self, _request: &mut reqwest::Request) -> Result<(), String> {
        match self.auth {
            Auth::None => Ok(()),
        }
    }

    /// Sends a request.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        _operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        client.execute(request).await
    }
}
