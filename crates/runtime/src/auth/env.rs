//! Credentials from environment variables.
//!
//! Which variables a provider reads, and what they hold, is the provider's
//! own fact: it is written once in `specs/providers.toml` (with token URLs
//! and scopes from the spec) and each generated crate passes it here as a
//! list of [`EnvCredentials`] (`<crate>::auth_from_env()`). This file
//! knows how to read such a list, not any provider.

use super::Auth;
use crate::error::Error;
use crate::origin::{Origin, ProviderId};
#[cfg(feature = "coinbase-cdp")]
use crate::secret::Secret;

/// One kind of credentials and the environment variables that hold them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnvCredentials {
    /// HTTP Basic ([`Auth::basic`]).
    Basic {
        /// The variable holding the user name.
        user: &'static str,
        /// The variable holding the password.
        password: &'static str,
    },
    /// A fixed bearer token ([`Auth::bearer`]).
    Bearer {
        /// The variable holding the token.
        token: &'static str,
    },
    /// OAuth2 client credentials ([`Auth::oauth2_client_credentials`]).
    OAuth2ClientCredentials {
        /// The token endpoint.
        token_url: &'static str,
        /// The scope to ask for (space-separated), if any.
        scope: Option<&'static str>,
        /// The variable holding the client id.
        client_id: &'static str,
        /// The variable holding the client secret.
        client_secret: &'static str,
    },
    /// A Coinbase Developer Platform key ([`Auth::coinbase_cdp`]).
    CdpKey {
        /// The variable holding the key id.
        key_id: &'static str,
        /// The variable holding the key secret.
        secret: &'static str,
    },
}

impl EnvCredentials {
    /// The variables, in the order the constructor takes them.
    pub fn variables(&self) -> Vec<&'static str> {
        match *self {
            EnvCredentials::Basic { user, password } => vec![user, password],
            EnvCredentials::Bearer { token } => vec![token],
            EnvCredentials::OAuth2ClientCredentials {
                client_id,
                client_secret,
                ..
            } => vec![client_id, client_secret],
            EnvCredentials::CdpKey { key_id, secret } => vec![key_id, secret],
        }
    }

    /// The credentials from `values`, one per [`variables`](Self::variables).
    fn auth(&self, provider: ProviderId, values: Vec<String>) -> Result<Auth, Error> {
        let mut values = values.into_iter();
        let mut next = || values.next().unwrap_or_default();
        match *self {
            EnvCredentials::Basic { .. } => Ok(Auth::basic(next(), next())),
            EnvCredentials::Bearer { .. } => Ok(Auth::bearer(next())),
            EnvCredentials::OAuth2ClientCredentials {
                token_url, scope, ..
            } => Auth::oauth2_client_credentials(token_url, next(), next(), scope),
            #[cfg(feature = "coinbase-cdp")]
            EnvCredentials::CdpKey { .. } => {
                Auth::coinbase_cdp_for(provider, next(), Secret::new(next()))
            }
            // The variables are set but cannot be used: say what to turn on
            // rather than fail later.
            #[cfg(not(feature = "coinbase-cdp"))]
            EnvCredentials::CdpKey { .. } => Err(Error::config(
                Origin::new(provider, None),
                "Coinbase CDP keys need invoicing-runtime's `coinbase-cdp` feature",
            )),
        }
    }
}

impl Auth {
    /// Credentials for `provider` from the process environment: the first of
    /// `options` that any variable is set for (then all of its variables
    /// must be). Generated crates call this as `auth_from_env()`, with the
    /// options their crate docs list.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first missing variable of the chosen
    /// option, every option's variables when none is set, or the reason the
    /// values make no credentials (never the values themselves).
    pub fn from_env(provider: ProviderId, options: &[EnvCredentials]) -> Result<Self, Error> {
        Self::from_vars(provider, options, |name| std::env::var(name).ok())
    }

    /// Like [`Auth::from_env`], reading variables through `var` (a config
    /// file, a secrets manager, a test's map). A variable that is empty or
    /// blank counts as not set.
    pub fn from_vars(
        provider: ProviderId,
        options: &[EnvCredentials],
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let origin = || Origin::new(provider, None);
        let get = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let chosen = options
            .iter()
            .find(|option| option.variables().iter().any(|name| get(name).is_some()));
        let Some(option) = chosen else {
            let alternatives: Vec<String> = options
                .iter()
                .map(|option| option.variables().join(" and "))
                .collect();
            let message = if alternatives.is_empty() {
                "no environment variables are known for this provider".to_owned()
            } else {
                format!(
                    "no credentials in the environment: set {}",
                    alternatives.join(", or ")
                )
            };
            return Err(Error::config(origin(), message));
        };
        let values = option
            .variables()
            .into_iter()
            .map(|name| {
                get(name).ok_or_else(|| {
                    Error::config(origin(), format!("environment variable {name} is not set"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        option.auth(provider, values)
    }
}
