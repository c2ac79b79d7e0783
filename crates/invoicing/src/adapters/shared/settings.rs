//! An adapter's own settings besides credentials (`KITCHEN_WORKSPACE`,
//! `SENDCLOUD_V2_CURRENCY`), read through the same `var` as credentials.

use invoicing_runtime::Origin;

use crate::error::{Error, Result};
use crate::model::Provider;

/// The setting `name`, when set to more than blanks.
pub(crate) fn setting(var: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    var(name).filter(|value| !value.trim().is_empty())
}

/// The setting `name`, required by `provider` for `why`.
///
/// # Errors
/// A configuration error naming the variable.
pub(crate) fn required_setting(
    provider: Provider,
    var: &dyn Fn(&str) -> Option<String>,
    name: &str,
    why: &str,
) -> Result<String> {
    setting(var, name).ok_or_else(|| {
        unusable_setting(
            provider,
            format!("environment variable {name} is not set ({why})"),
        )
    })
}

/// A configuration error of `provider` saying `message` (which names the
/// variable; settings are not secrets, but the message never quotes a
/// credential).
pub(crate) fn unusable_setting(provider: Provider, message: String) -> Error {
    Error::Api(invoicing_runtime::Error::Config {
        origin: Origin::new(provider.id(), None),
        message,
    })
}
