//! The one adapter: a generated client of any [`Vendor`], listed through
//! the runtime's paging loop and mapped invoice by invoice.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::Listing;

use super::shared::{lenient_id, map_item};
use super::vendor::{FixedServer, VendorApi};
use crate::checkpoint::Checkpoint;
use crate::error::{Error, Result};
use crate::model::{Invoice, Provider};
use crate::query::ListQuery;
use crate::source::Source;
use crate::stream::InvoiceStream;

/// The invoices of one account of one vendor: [`Kitchen`](super::Kitchen),
/// [`SendcloudV2`](super::SendcloudV2), [`SendcloudV3`](super::SendcloudV3)
/// and [`CoinbaseBusiness`](super::CoinbaseBusiness) are this type for
/// their vendor.
///
/// Built from a generated client ([`Adapter::new`]), a base URL and
/// credentials ([`Adapter::with_base_url`]), the vendor's server
/// (`with_auth`) or the environment (`from_env`). Cheap to clone: clones
/// share the client.
// The vendor trait is internal on purpose (adapters exist only for the
// generated crates this crate depends on); its bound keeps every
// constructor in one place.
#[allow(private_bounds)]
pub struct Adapter<V: VendorApi> {
    client: Arc<V::Client>,
    options: V::Options,
}

#[allow(private_bounds)]
impl<V: VendorApi> Adapter<V> {
    /// Reads through `client`, e.g. one built with the generated crate's
    /// `Client::new_with_client` and `context(auth)` for its own retry
    /// policy or limits.
    pub fn new(client: V::Client) -> Self {
        Self {
            client: Arc::new(client),
            options: V::Options::default(),
        }
    }

    /// Reads from `base_url` (a sandbox, a proxy, a test server) with
    /// `auth`, through the generated crate's `Client::with_auth`.
    pub fn with_base_url(base_url: &str, auth: Auth) -> Self {
        Self::new(V::client(base_url, auth))
    }

    /// Built from variables, the way the environment configures it
    /// ([`source_from_vars`](super::source_from_vars) does this for a
    /// provider chosen at run time; pass `|name| std::env::var(name).ok()`
    /// for the environment, or a config file's or secrets manager's lookup): the credentials the generated crate's `auth_from_vars`
    /// reads, and the vendor's own settings (`KITCHEN_WORKSPACE`,
    /// `SENDCLOUD_V2_CURRENCY`, ...; each adapter's docs list them). It
    /// reads from `base_url`, or with `None` from the vendor's server.
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::Config`] naming the
    /// missing variable or the unusable value (never the value of a
    /// credential).
    pub fn from_vars(base_url: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        V::from_vars(base_url, &var)
    }

    /// Decodes a list page body fetched some other way (a cache, a replay,
    /// a benchmark), as [`Source::list`] decodes each page: one bad invoice
    /// is one `Err` item.
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::InvalidResponse`]
    /// when the body is not the vendor's page; [`Error::MissingList`] when
    /// it has no list or carries the vendor's error.
    pub fn decode_page(&self, body: &[u8]) -> Result<Vec<Result<Invoice>>> {
        let page = V::read_page(body)?;
        Ok(page
            .map_items(|index, raw| map_invoice::<V>(&self.options, index, raw))
            .into_items())
    }

    /// The list operation's id (as the generated crate names its method)
    /// and its invoices' identity member: for the cross-crate tests, which
    /// check what a vendor serves against what the adapter delivers. Not
    /// part of the API.
    #[doc(hidden)]
    pub const __LISTED: (&'static str, &'static str) = (V::LISTED.operation, V::LISTED.identity);

    pub(crate) fn options_mut(&mut self) -> &mut V::Options {
        &mut self.options
    }
}

/// One listed invoice, decoded and mapped on its own.
fn map_invoice<V: VendorApi>(
    options: &V::Options,
    index: usize,
    raw: Box<serde_json::value::RawValue>,
) -> Result<Invoice> {
    map_item(V::LISTED, Some(index), raw, |listed, raw, fields| {
        V::map(listed, raw, fields, options)
    })
}

#[allow(private_bounds)]
impl<V: FixedServer> Adapter<V> {
    /// Reads from the vendor's server with `auth`.
    pub fn with_auth(auth: Auth) -> Self {
        Self::with_base_url(V::SERVER_URL, auth)
    }

    /// Reads from the vendor's server with credentials from the
    /// environment, as the generated crate's `auth_from_env` reads them
    /// (its docs list the variables).
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::Config`] naming the
    /// missing variable or the unusable key.
    pub fn from_env() -> Result<Self> {
        Ok(Self::with_auth(V::auth_from_vars(&|name| {
            std::env::var(name).ok()
        })?))
    }
}

impl<V: VendorApi> Clone for Adapter<V> {
    fn clone(&self) -> Self {
        Self {
            client: Arc::clone(&self.client),
            options: self.options.clone(),
        }
    }
}

impl<V: VendorApi> fmt::Debug for Adapter<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Adapter")
            .field("provider", &V::PROVIDER)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The id of a listed item, for exactly-once delivery: the invoice's, or
/// for one that did not decode, the one its raw JSON has in the vendor's
/// identity member, if readable.
fn item_id<V: VendorApi>(item: &Result<Invoice>) -> Option<String> {
    match item {
        Ok(invoice) => Some(invoice.id.clone()),
        Err(Error::Decode { raw: Some(raw), .. }) => lenient_id(raw, V::LISTED.identity),
        Err(_) => None,
    }
}

impl<V: VendorApi> Source for Adapter<V> {
    fn provider(&self) -> Provider {
        V::PROVIDER
    }

    fn list_from(&self, query: &ListQuery, from: &Checkpoint) -> InvoiceStream {
        let start = match from.of_source(V::PROVIDER) {
            Ok(start) => start,
            Err(err) => return InvoiceStream::refused(from, err),
        };
        let client = Arc::clone(&self.client);
        let request = Arc::new(V::request(query, &self.options));
        let options = self.options.clone();
        let mut listing = Listing::new(V::PAGING, start, move |at| {
            let (client, request, options) =
                (Arc::clone(&client), Arc::clone(&request), options.clone());
            async move {
                let page = V::page(&client, &request, at).await?;
                // Each invoice is decoded and mapped on its own: one that
                // fails is one error item.
                Ok(page.map_items(|index, raw| map_invoice::<V>(&options, index, raw)))
            }
        })
        .with_ids(item_id::<V>)
        .read_ahead(query.read_ahead);
        if let Some(pages) = query.max_pages {
            listing = listing.max_pages(pages);
        }
        InvoiceStream::listing(V::PROVIDER, listing, query.status.clone())
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Invoice>> {
        V::get(&self.client, &self.options, id)
    }
}
