//! OAuth2 client credentials: one cached token per `Auth`, shared by clones.

use std::fmt;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::error::{Error, Origin};
use crate::secret::Secret;

/// The longest a token is renewed before its `expires_in` runs out.
const RENEW_EARLY: Duration = Duration::from_secs(30);

/// Client id and secret, where to trade them for a token, and the token.
pub(crate) struct ClientCredentials {
    token_url: Url,
    client_id: Secret,
    client_secret: Secret,
    scope: Option<String>,
    http: reqwest::Client,
    // A tokio mutex is held while a token is fetched, so concurrent requests
    // wait for one fetch instead of each starting their own.
    token: Mutex<Option<Token>>,
}

struct Token {
    header: HeaderValue,
    /// When to fetch a new token; `None` if the server gave no lifetime.
    renew_at: Option<Instant>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

impl ClientCredentials {
    pub(crate) fn new(
        token_url: &str,
        client_id: Secret,
        client_secret: Secret,
        scope: Option<String>,
    ) -> Result<Self, Error> {
        let token_url = Url::parse(token_url).map_err(|err| {
            Error::config(
                Origin::new("oauth2", None),
                format!("the OAuth2 token URL is not an absolute URL: {err}"),
            )
        })?;
        Ok(Self {
            token_url,
            client_id,
            client_secret,
            scope,
            http: crate::http_client(),
            token: Mutex::new(None),
        })
    }

    /// Puts a valid access token on `request`, fetching one if none is
    /// cached or the cached one is about to expire.
    pub(crate) async fn authorize(
        &self,
        request: &mut reqwest::Request,
        origin: Origin,
    ) -> Result<(), Error> {
        let mut slot = self.token.lock().await;
        let header = match slot.as_ref() {
            Some(token) if token.renew_at.is_none_or(|at| Instant::now() < at) => {
                token.header.clone()
            }
            _ => {
                let token = self.fetch(origin).await?;
                let header = token.header.clone();
                *slot = Some(token);
                header
            }
        };
        drop(slot);
        request.headers_mut().insert(AUTHORIZATION, header);
        Ok(())
    }

    /// Drops the cached token if it is `used`: after a 401 the next request
    /// fetches a new one, while a token another request already renewed
    /// stays.
    pub(crate) async fn forget(&self, used: Option<&HeaderValue>) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().map(|token| &token.header) == used {
            *slot = None;
        }
    }

    async fn fetch(&self, origin: Origin) -> Result<Token, Error> {
        let origin = Origin::new(origin.provider, Some("oauth2_token"));
        // Built in its own scope: the serializer is not `Sync`, and keeping it
        // alive across an await would make this future not `Send`.
        let body = {
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
            .post(self.token_url.clone())
            .header(AUTHORIZATION, self.basic_header(origin)?)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|source| Error::Transport { origin, source })?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::Transport { origin, source })?;
        if !status.is_success() {
            return Err(Error::from_status(origin, status, &headers, Some(&body)));
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|err| {
            // The body holds the token: describe where decoding failed, but
            // neither quote the body nor serde's message, which can echo it.
            Error::InvalidResponse {
                origin,
                status: Some(status),
                detail: format!(
                    "not an OAuth2 token response ({:?} error at line {} column {})",
                    err.classify(),
                    err.line(),
                    err.column()
                ),
                excerpt: String::new(),
            }
        })?;
        let token = Secret::new(parsed.access_token);
        let mut header =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                Error::config(origin, "the OAuth2 access token cannot be sent in a header")
            })?;
        header.set_sensitive(true);
        let renew_at = parsed.expires_in.map(|seconds| {
            let lifetime = Duration::from_secs(seconds);
            // Renew early by a tenth of the lifetime, at most 30 s, so a
            // token does not expire between being read and being checked.
            sent_at + lifetime - (lifetime / 10).min(RENEW_EARLY)
        });
        Ok(Token { header, renew_at })
    }

    /// HTTP Basic with id and secret form-encoded first, as RFC 6749 §2.3.1
    /// asks (a no-op for the usual alphanumeric credentials).
    fn basic_header(&self, origin: Origin) -> Result<HeaderValue, Error> {
        let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let pair = Secret::new(format!(
            "{}:{}",
            encode(self.client_id.expose()),
            encode(self.client_secret.expose())
        ));
        let mut value = HeaderValue::from_str(&format!("Basic {}", BASE64.encode(pair.expose())))
            .map_err(|_| {
            Error::config(origin, "the OAuth2 client credentials cannot be encoded")
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth::OAuth2ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}
