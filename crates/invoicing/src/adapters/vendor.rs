//! What each vendor supplies to the one generic [`Adapter`](super::Adapter):
//! its generated client, how a list page is fetched, how its invoice maps to
//! [`Invoice`], and how one invoice is fetched. Paging itself (guards,
//! exactly once, checkpoints) is the runtime's, driven by the generated
//! crate's paging rules.

use std::fmt::Debug;

use futures::future::BoxFuture;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::Adapter;
use super::shared::{Fields, ItemShape};
use crate::error::Result;
use crate::model::{Invoice, Provider};
use crate::query::ListQuery;

/// A vendor API an [`Adapter`](super::Adapter) reads:
/// [`SendcloudV2Api`](super::SendcloudV2Api),
/// [`SendcloudV3Api`](super::SendcloudV3Api), [`KitchenApi`](super::KitchenApi),
/// [`CoinbaseBusinessApi`](super::CoinbaseBusinessApi).
pub trait Vendor: Send + Sync + Sized + 'static {
    /// The generated client an adapter reads through, e.g. `invoicing_kitchen::Client`.
    type Client: Send + Sync + 'static;
}

/// What this crate knows of a vendor's API, as the adapter needs it.
/// Internal: adapters exist only for the generated crates this crate
/// depends on.
pub(crate) trait VendorApi: Vendor {
    /// The provider.
    const PROVIDER: Provider;
    /// The list operation's invoices: operation and identity member.
    const LISTED: ItemShape;
    /// How the list operation pages (the generated `PAGING`).
    const PAGING: Rules;

    /// Options only this vendor has (Kitchen's archived state, Sendcloud
    /// v2's currency), set on the adapter.
    type Options: Clone + Debug + Default + Send + Sync + 'static;
    /// What a list request sends besides its page, from the query and the
    /// options, computed once per listing.
    type Request: Send + Sync + 'static;
    /// The vendor's listed invoice, as its generated crate decodes it.
    type Listed: DeserializeOwned;

    /// The generated client for `base_url` with `auth`.
    fn client(base_url: &str, auth: Auth) -> Self::Client;

    /// What every page of a listing for `query` sends.
    fn request(query: &ListQuery, options: &Self::Options) -> Self::Request;

    /// The page at `at`, its invoices left as raw JSON.
    fn page<'a>(
        client: &'a Self::Client,
        request: &'a Self::Request,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>>;

    /// A list page body fetched some other way, read as [`Vendor::page`]
    /// reads one.
    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>;

    /// The vendor's listed invoice as an [`Invoice`]; what cannot be mapped
    /// goes to `fields` as a problem.
    fn map(
        listed: Self::Listed,
        raw: Box<RawValue>,
        fields: &Fields,
        options: &Self::Options,
    ) -> Invoice;

    /// The adapter built from variables, as [`Adapter::from_vars`]
    /// documents: credentials as the generated crate's `auth_from_vars`
    /// reads them, and this vendor's own settings.
    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>>;

    /// One invoice by the vendor's id.
    fn get<'a>(
        client: &'a Self::Client,
        options: &'a Self::Options,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>>;
}

/// A vendor with one server for every account, so that an adapter can be
/// built from credentials alone.
pub(crate) trait FixedServer: VendorApi {
    /// The vendor's server.
    const SERVER_URL: &'static str;

    /// Credentials read through `var`: the generated crate's
    /// `auth_from_vars`.
    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<invoicing_runtime::Auth, invoicing_runtime::Error>;

    /// [`VendorApi::from_vars`] of a vendor with no settings besides
    /// credentials.
    fn fixed_from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        let auth = Self::auth_from_vars(var)?;
        Ok(Adapter::with_base_url(
            base_url.unwrap_or(Self::SERVER_URL),
            auth,
        ))
    }
}
