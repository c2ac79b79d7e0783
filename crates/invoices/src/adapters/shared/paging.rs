//! Cursor and token checks shared by the adapters that page with them.

use crate::error::{Error, Result};
use crate::model::Provider;

/// The cursor or token of the next page given the one just used: `None`
/// (last page) when the vendor sent none or an empty one.
///
/// # Errors
/// [`Error::Paging`] when the vendor sends back the token it was just
/// given: following it would request the same page forever.
pub(crate) fn next_token(
    provider: Provider,
    operation: &'static str,
    current: Option<&str>,
    next: Option<String>,
) -> Result<Option<String>> {
    match next {
        None => Ok(None),
        Some(next) if next.is_empty() => Ok(None),
        Some(next) if Some(next.as_str()) == current => Err(Error::Paging {
            origin: provider.origin(operation),
            detail: format!("the next page's cursor {next:?} is the one just used"),
        }),
        Some(next) => Ok(Some(next)),
    }
}
