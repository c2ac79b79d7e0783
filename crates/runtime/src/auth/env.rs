//! Credentials from environment variables.

use super::Auth;
use crate::error::Error;
use crate::origin::{Origin, ProviderId};
use crate::secret::Secret;

/// Sendcloud's OAuth2 token endpoint.
const SENDCLOUD_TOKEN_URL: &str = "https://account.sendcloud.com/oauth2/token/";

impl Auth {
    /// Credentials for `provider` from the process environment.
    ///
    /// | provider | variables |
    /// |---|---|
    /// | `sendcloud-*` | `SENDCLOUD_PUBLIC_KEY` and `SENDCLOUD_SECRET_KEY` (HTTP Basic), or `SENDCLOUD_CLIENT_ID` and `SENDCLOUD_CLIENT_SECRET` (OAuth2 client credentials, scope `api`; used when either is set) |
    /// | `kitchen` | `KITCHEN_API_KEY` |
    /// | `coinbase-*` | `COINBASE_CDP_KEY_ID` and `COINBASE_CDP_KEY_SECRET` |
    ///
    /// # Errors
    /// [`Error::Config`] naming the first missing or empty variable, or the
    /// provider if it is not one of the above.
    pub fn from_env(provider: ProviderId) -> Result<Self, Error> {
        Self::from_vars(provider, |name| std::env::var(name).ok())
    }

    /// Like [`Auth::from_env`], reading variables through `var` (a config
    /// file, a secrets manager, a test's map).
    pub fn from_vars(
        provider: ProviderId,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let origin = Origin::new(provider, None);
        let get = |name: &str| -> Result<String, Error> {
            var(name)
                .filter(|value| !value.trim().is_empty())
                .ok_or_else(|| {
                    Error::config(
                        origin.clone(),
                        format!("environment variable {name} is not set"),
                    )
                })
        };
        let name = provider.as_str();
        if name.starts_with("sendcloud") {
            let oauth2 = ["SENDCLOUD_CLIENT_ID", "SENDCLOUD_CLIENT_SECRET"];
            if oauth2.iter().any(|name| var(name).is_some()) {
                let (id, secret) = (get(oauth2[0])?, get(oauth2[1])?);
                return Self::oauth2_client_credentials(
                    SENDCLOUD_TOKEN_URL,
                    id,
                    secret,
                    Some("api"),
                );
            }
            Ok(Self::basic(
                get("SENDCLOUD_PUBLIC_KEY")?,
                get("SENDCLOUD_SECRET_KEY")?,
            ))
        } else if name.starts_with("kitchen") {
            Ok(Self::bearer(get("KITCHEN_API_KEY")?))
        } else if name.starts_with("coinbase") {
            let key_id = get("COINBASE_CDP_KEY_ID")?;
            let secret = Secret::new(get("COINBASE_CDP_KEY_SECRET")?);
            Self::coinbase_cdp_for(provider, key_id, secret)
        } else {
            Err(Error::config(
                origin,
                format!("no environment variables are known for provider {provider:?}"),
            ))
        }
    }
}
