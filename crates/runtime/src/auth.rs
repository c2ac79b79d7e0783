//! Credentials, and how each kind is put on a request.

mod cdp;
mod env;
mod oauth2;

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::error::{Error, Origin};
use crate::secret::Secret;

use cdp::CdpKey;
use oauth2::ClientCredentials;

/// Credentials for one provider.
///
/// Cheap to clone: clones share an OAuth2 token cache and a parsed key.
/// `Debug` shows the kind of credentials, never their secret parts.
#[derive(Clone)]
pub struct Auth(Kind);

#[derive(Clone)]
enum Kind {
    None,
    Basic { user: Secret, password: Secret },
    Bearer(Secret),
    OAuth2(Arc<ClientCredentials>),
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
    /// # Errors
    /// [`Error::Config`] when `token_url` is not an absolute URL.
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

    /// A Coinbase Developer Platform secret API key: a fresh JWT is signed for
    /// every request and every retry of it.
    ///
    /// `secret` is either the base64 of a 64-byte Ed25519 key (32-byte seed
    /// then 32-byte public key; JWTs use `EdDSA`) or an EC P-256 private key
    /// in PEM, SEC1 (`EC PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`); JWTs use
    /// `ES256`. PEM newlines written as `\n` (as in a downloaded JSON key
    /// file pasted into an environment variable) are accepted.
    ///
    /// # Errors
    /// [`Error::Config`] when the secret is neither kind of key; the message
    /// does not quote it.
    pub fn coinbase_cdp(
        key_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Result<Self, Error> {
        Self::coinbase_cdp_for("coinbase-cdp", key_id.into(), Secret::new(secret))
    }

    fn coinbase_cdp_for(
        provider: &'static str,
        key_id: String,
        secret: Secret,
    ) -> Result<Self, Error> {
        let key = CdpKey::parse(key_id, &secret)
            .map_err(|message| Error::config(Origin::new(provider, None), message))?;
        Ok(Self(Kind::CoinbaseCdp(Arc::new(key))))
    }

    /// Puts the credentials on `request`, replacing any `Authorization`.
    pub(crate) async fn authorize(
        &self,
        request: &mut reqwest::Request,
        provider: &'static str,
    ) -> Result<(), Error> {
        let origin = Origin::new(provider, None);
        let value = match &self.0 {
            Kind::None => return Ok(()),
            Kind::Basic { user, password } => {
                let pair = format!("{}:{}", user.expose(), password.expose());
                let pair = Secret::new(pair);
                sensitive(format!("Basic {}", BASE64.encode(pair.expose())))
            }
            Kind::Bearer(token) => sensitive(format!("Bearer {}", token.expose())),
            Kind::OAuth2(credentials) => return credentials.authorize(request, origin).await,
            Kind::CoinbaseCdp(key) => {
                let jwt = key
                    .sign(request.method(), request.url())
                    .map_err(|message| Error::config(origin, message))?;
                sensitive(format!("Bearer {jwt}"))
            }
        }
        .ok_or_else(|| {
            Error::config(
                origin,
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

    /// Drops cached credentials if they are the ones `request` was sent with.
    pub(crate) async fn forget(&self, request: &reqwest::Request) {
        if let Kind::OAuth2(credentials) = &self.0 {
            credentials
                .forget(request.headers().get(AUTHORIZATION))
                .await;
        }
    }
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
            Kind::CoinbaseCdp(key) => key.fmt(f),
        }
    }
}
