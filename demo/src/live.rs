//! `--live`: the real vendors, each provider whose credentials are in the
//! environment (the variables the adapters' `from_env` read).

use invoicing::adapters::{CoinbaseBusiness, Kitchen, SendcloudV2, SendcloudV3};
use invoicing::{Currency, Invoices};

/// The providers found in the environment, and why each other one was
/// left out (a message naming the missing variable, never a value).
pub struct Live {
    /// The configured providers.
    pub invoices: Invoices,
    /// Why each provider left out was (the error names the provider).
    pub skipped: Vec<String>,
}

/// Every provider whose credentials are set: Sendcloud
/// (`SENDCLOUD_PUBLIC_KEY` and `SENDCLOUD_SECRET_KEY`, or OAuth2's
/// `SENDCLOUD_CLIENT_ID` and `SENDCLOUD_CLIENT_SECRET`; v2 also
/// `SENDCLOUD_V2_CURRENCY`, the account's billing currency, since the API
/// sends none), Kitchen (`KITCHEN_API_KEY` and `KITCHEN_WORKSPACE`) and
/// Coinbase Business (`COINBASE_CDP_KEY_ID` and `COINBASE_CDP_KEY_SECRET`).
pub fn from_env() -> Live {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let mut builder = Invoices::builder();
    let mut skipped = Vec::new();
    let mut skip = |why: String| skipped.push(why);

    match SendcloudV2::from_env() {
        Ok(source) => match var("SENDCLOUD_V2_CURRENCY").map(Currency::new).transpose() {
            Ok(Some(currency)) => builder = builder.sendcloud_v2(source.currency(currency)),
            Ok(None) => builder = builder.sendcloud_v2(source),
            Err(e) => skip(format!("sendcloud-v2: SENDCLOUD_V2_CURRENCY: {e}")),
        },
        Err(e) => skip(e.to_string()),
    }
    match SendcloudV3::from_env() {
        Ok(source) => builder = builder.sendcloud_v3(source),
        Err(e) => skip(e.to_string()),
    }
    match var("KITCHEN_WORKSPACE").map(|workspace| Kitchen::from_env(&workspace)) {
        Some(Ok(source)) => builder = builder.kitchen(source),
        Some(Err(e)) => skip(e.to_string()),
        None => skip("kitchen: KITCHEN_WORKSPACE is not set".to_owned()),
    }
    match CoinbaseBusiness::from_env() {
        Ok(source) => builder = builder.coinbase_business(source),
        Err(e) => skip(e.to_string()),
    }
    Live {
        invoices: builder.build(),
        skipped,
    }
}
