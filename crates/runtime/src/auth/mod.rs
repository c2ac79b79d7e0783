//! Credentials, and how each kind is put on a request.

#[cfg(feature = "coinbase-cdp")]
mod cdp;
mod env;
mod oauth2;
mod token_request;

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::error::Error;
use crate::origin::Origin;
#[cfg(feature = "coinbase-cdp")]
use crate::origin::ProviderId;
use crate::redact::Redactor;
use crate::secret::Secret;

#[cfg(feature = "coinbase-cdp")]
use cdp::CdpKey;
use oauth2::ClientCredentials;

pub use env::EnvCredentials;
pub use token_request::TokenPolicy;

/// Credentials for one provider.
///
/// Cheap to clone: clones share an OAuth2 token cache and a parsed key.
/// `Debug` shows the kind of credentials, never their secret parts.
#[derive(Clone)]
pub struct Auth(Kind);

#[derive(Clone)]
enum Kind {
    None,
    Basic {
        user: Secret,
        password: Secret,
    },
    Bearer(Secret),
    OAuth2(Arc<ClientCredentials>),
    #[cfg(feature = "coinbase-cdp")]
    CoinbaseCdp(Arc<CdpKey>),
}

impl Auth {
    /// No credentials (public endpoints, tests).
    pub fn none() -> Self {
        Self(Kind::None)
    }

    /// HTTP Basic: Sendcloud's public key as `user`, secret key as `password`.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Self(Kind::Basic {
            user: Secret::new(user),
            password: Secret::new(password),
        })
    }

    /// `Authorization: Bearer <token>` with a fixed token (Kitchen's API key).
    pub fn bearer(token: impl Into<String>) -> Self {
        Self(Kind::Bearer(Secret::new(token)))
    }

    /// OAuth2 client credentials (RFC 6749 §4.4), e.g. Sendcloud's
    /// `https://account.sendcloud.com/oauth2/token/` with scope `api`.
    ///
    /// The token is fetched on first use, cached and shared by clones of this
    /// `Auth`, fetched anew shortly before its `expires_in` runs out, and
    /// fetched anew once when a request is answered 401 (the request is then
    /// sent again once).
    ///
    /// Concurrent requests share one fetch and its result: fifty callers
    /// that need a token cause one request to the token endpoint, and a
    /// stalled endpoint costs each of them its own attempt timeout at most,
    /// not one timeout per caller ahead of it. By the default
    /// [`TokenPolicy`], a failed fetch is remembered for a short pause (1 s)
    /// and given to callers in that pause without asking again, a token
    /// request itself gives up after 30 s, and an `expires_in` under 60 s
    /// (`0` included) or none at all counts as 60 s, so a server that gives
    /// short-lived tokens does not cost a fetch per request. Change them
    /// with [`Auth::with_token_policy`].
    ///
    /// `token_url` is an absolute URL, or an absolute path
    /// (`/v1/oauth2/token`, as an OpenAPI `tokenUrl` relative to the server
    /// may be): then the token is requested from the server of the request
    /// that needs it, so one `Auth` serves a sandbox or the live server
    /// alike. Such an `Auth` is for one server: its token, once fetched, is
    /// sent to every server the `Auth` is used with.
    ///
    /// # Errors
    /// [`Error::Config`] when `token_url` is neither an absolute URL nor a
    /// path starting with `/`.
    pub fn oauth2_client_credentials(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        scope: Option<&str>,
    ) -> Result<Self, Error> {
        let credentials = ClientCredentials::new(
            token_url,
            Secret::new(client_id),
            Secret::new(client_secret),
            scope.map(str::to_owned),
        )?;
        Ok(Self(Kind::OAuth2(Arc::new(credentials))))
    }

    /// The same OAuth2 credentials with tokens requested and kept as
    /// `policy` says, and a token cache of their own. Other credentials have
    /// no tokens and are returned as they are.
    pub fn with_token_policy(self, policy: TokenPolicy) -> Self {
        match &self.0 {
            Kind::OAuth2(credentials) => {
                Self(Kind::OAuth2(Arc::new(credentials.with_policy(policy))))
            }
            _ => self,
        }
    }

    /// A Coinbase Developer Platform secret API key: a fresh JWT is signed for
    /// every request and every retry of it.
    ///
    /// `secret` is either the base64 of a 64-byte Ed25519 key (32-byte seed
    /// then 32-byte public key; JWTs use `EdDSA`) or an EC P-256 private key
    /// in PEM, SEC1 (`EC PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`); JWTs use
    /// `ES256`. PEM newlines written as `\n` (as in a downloaded JSON key
    /// file pasted into an environment variable) are accepted.
    ///
    /// Needs the `coinbase-cdp` feature (the `coinbase-business` crate
    /// turns it on), which brings the JWT and PEM code.
    ///
    /// # Errors
    /// [`Error::Config`] when the secret is neither kind of key; the message
    /// does not quote it.
    #[cfg(feature = "coinbase-cdp")]
    pub fn coinbase_cdp(
        key_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Result<Self, Error> {
        Self::coinbase_cdp_for(
            ProviderId::new("coinbase-cdp"),
            key_id.into(),
            Secret::new(secret),
        )
    }

    #[cfg(feature = "coinbase-cdp")]
    fn coinbase_cdp_for(
        provider: ProviderId,
        key_id: String,
        secret: Secret,
    ) -> Result<Self, Error> {
        let key = CdpKey::parse(key_id, &secret)
            .map_err(|message| Error::config(Origin::new(provider, None), message))?;
        Ok(Self(Kind::CoinbaseCdp(Arc::new(key))))
    }

    /// Puts the credentials on `request`, replacing any `Authorization`.
    ///
    /// # Errors
    /// [`Error::Config`] when the credentials cannot be put in a header or
    /// a JWT cannot be signed, [`Error::Token`] when the OAuth2 token
    /// endpoint gives no token.
    pub(crate) async fn authorize(
        &self,
        request: &mut reqwest::Request,
        origin: &Origin,
    ) -> Result<(), Error> {
        let value = match &self.0 {
            Kind::None => return Ok(()),
            Kind::Basic { user, password } => {
                let pair = basic_pair(user, password);
                sensitive(format!("Basic {}", BASE64.encode(pair.expose())))
            }
            Kind::Bearer(token) => sensitive(format!("Bearer {}", token.expose())),
            Kind::OAuth2(credentials) => Some(credentials.header(origin, request.url()).await?),
            #[cfg(feature = "coinbase-cdp")]
            Kind::CoinbaseCdp(key) => {
                let jwt = key
                    .sign(request.method(), request.url())
                    .map_err(|message| Error::config(origin.clone(), message))?;
                sensitive(format!("Bearer {jwt}"))
            }
        }
        .ok_or_else(|| {
            Error::config(
                origin.clone(),
                "the credentials contain characters an HTTP header cannot carry",
            )
        })?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }

    /// Whether a 401 may be cured by fetching new credentials.
    pub(crate) fn renews_on_unauthorized(&self) -> bool {
        matches!(self.0, Kind::OAuth2(_))
    }

    /// Drops cached credentials if they are the ones a refused request was
    /// sent with (`used`, its `Authorization`).
    pub(crate) fn forget(&self, used: Option<&HeaderValue>) {
        if let (Kind::OAuth2(credentials), Some(used)) = (&self.0, used) {
            credentials.forget(used);
        }
    }

    /// A redactor for what a server sends back to a request that carried
    /// `sent` as its `Authorization`: every credential these hold, and the
    /// token or encoded pair that was sent (a JWT signed for the request, an
    /// OAuth2 access token, Basic's base64).
    pub(crate) fn redactor(&self, sent: Option<&HeaderValue>) -> Redactor {
        let sent = sent
            .and_then(|value| value.to_str().ok())
            .map(|value| Secret::new(value.split_once(' ').map_or(value, |(_, token)| token)));
        let held = match &self.0 {
            Kind::None => Vec::new(),
            Kind::Basic { user, password } => {
                vec![user.clone(), password.clone(), basic_pair(user, password)]
            }
            Kind::Bearer(token) => vec![token.clone()],
            Kind::OAuth2(credentials) => credentials.secrets(),
            #[cfg(feature = "coinbase-cdp")]
            Kind::CoinbaseCdp(key) => vec![key.secret().clone()],
        };
        Redactor::new(held.iter().chain(&sent).map(Secret::expose))
    }
}

/// `user:password`, what HTTP Basic encodes.
fn basic_pair(user: &Secret, password: &Secret) -> Secret {
    Secret::new(format!("{}:{}", user.expose(), password.expose()))
}

/// A header value marked sensitive, so HTTP/2 never indexes it and `Debug`
/// of the header map hides it; `None` if the text cannot be a header value.
fn sensitive(text: String) -> Option<HeaderValue> {
    let text = Secret::new(text);
    let mut value = HeaderValue::from_str(text.expose()).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::None => f.write_str("Auth::None"),
            Kind::Basic { user, password } => f
                .debug_struct("Auth::Basic")
                .field("user", user)
                .field("password", password)
                .finish(),
            Kind::Bearer(token) => f.debug_tuple("Auth::Bearer").field(token).finish(),
            Kind::OAuth2(credentials) => credentials.fmt(f),
            #[cfg(feature = "coinbase-cdp")]
            Kind::CoinbaseCdp(key) => key.fmt(f),
        }
    }
}
