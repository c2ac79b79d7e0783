//! Sendcloud API v3 (beta): `GET /invoices`, paged by cursors in the `Link`
//! response header, and `GET /invoices/{invoice_id}`.

use std::sync::Arc;

use futures::future::BoxFuture;
use invoicing_runtime::{Auth, paging};
use sendcloud_v3::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::shared::{
    Fields, ItemShape, ListShape, api_error, decode_body, invalid_id, list_of, map_item, map_items,
    next_token,
};
use crate::error::{Error, Result};
use crate::model::{Amount, Invoice, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;
use crate::source::Source;
use crate::stream::{InvoiceStream, Page, paged};

const PROVIDER: Provider = Provider::SendcloudV3;
const LIST: &str = "list_invoices";
const GET: &str = "retrieve_invoice";
const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "id");
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "id");
/// The largest `page_size` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 500;

/// The invoices of one Sendcloud account through API v3.
///
/// Sendcloud v3 invoices have no status: [`Invoice::status`] is
/// [`Status::Unknown`] (not `Open`: the API does not say whether an invoice
/// is paid). Net and gross totals are derived: see the crate docs.
#[derive(Clone, Debug)]
pub struct SendcloudV3 {
    client: Arc<sendcloud_v3::Client>,
}

impl SendcloudV3 {
    /// Reads through `client`, e.g. one built with
    /// `sendcloud_v3::Client::new_with_client` for a custom retry policy.
    pub fn new(client: sendcloud_v3::Client) -> Self {
        Self {
            client: Arc::new(client),
        }
    }

    /// Reads from Sendcloud's server ([`sendcloud_v3::SERVER_URL`]) with
    /// `auth` (HTTP Basic or OAuth2 client credentials).
    pub fn with_auth(auth: Auth) -> Self {
        Self::with_base_url(sendcloud_v3::SERVER_URL, auth)
    }

    /// Reads from `base_url` (a sandbox, a proxy, a test server) with `auth`.
    pub fn with_base_url(base_url: &str, auth: Auth) -> Self {
        Self::new(sendcloud_v3::Client::with_auth(base_url, auth))
    }

    /// Reads from Sendcloud's server with credentials from the environment,
    /// as [`sendcloud_v3::auth_from_env`](::sendcloud_v3::auth_from_env)
    /// reads them.
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::Config`] naming the
    /// missing variable.
    pub fn from_env() -> Result<Self> {
        Ok(Self::with_auth(sendcloud_v3::auth_from_env()?))
    }
    /// Decodes a list page body fetched some other way (a cache, a replay,
    /// a benchmark), with the same per-invoice handling as
    /// [`Source::list`]: one bad invoice is one `Err` item.
    ///
    /// # Errors
    /// [`Error::Decode`](crate::Error::Decode) when the page envelope itself
    /// is not the vendor's, [`Error::MissingList`](crate::Error::MissingList)
    /// when it has no list or carries the vendor's error.
    pub fn decode_page(&self, body: &[u8]) -> Result<Vec<Result<Invoice>>> {
        decode_list(body, None)
    }
}

impl Source for SendcloudV3 {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    fn list(&self, query: &ListQuery) -> InvoiceStream {
        let client = Arc::clone(&self.client);
        let page_size = query.page_size_up_to(MAX_PAGE_SIZE);
        paged(None, query.status.clone(), move |cursor| {
            list_page(Arc::clone(&client), page_size, cursor)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Invoice>> {
        Box::pin(get(&self.client, id))
    }
}

/// A list page: the invoices left raw, decoded one by one later, and the
/// error object Sendcloud's other APIs send, should one come with a `200`.
#[derive(Deserialize)]
struct ListEnvelope {
    data: Option<Vec<Box<RawValue>>>,
    error: Option<Box<RawValue>>,
}

/// A list page body: its invoices, each read or failed on its own. An
/// empty page is `{"data": []}` (with no `next` link); a body without the
/// list is an error. `page` names the page for that error.
fn decode_list(body: &[u8], page: Option<String>) -> Result<Vec<Result<Invoice>>> {
    let envelope: ListEnvelope = decode_body(PROVIDER, LIST, body)?;
    let shape = ListShape {
        provider: PROVIDER,
        operation: LIST,
        list: "data",
    };
    let raws = list_of(&shape, page, body, envelope.data, envelope.error)?;
    Ok(map_items(LISTED, raws, map))
}

/// One page from `cursor` (`None` for the first), with the next cursor
/// taken from the `Link` header and passed back as received.
async fn list_page(
    client: Arc<sendcloud_v3::Client>,
    page_size: Option<u64>,
    cursor: Option<String>,
) -> Result<Page<Option<String>>> {
    let mut request = client.list_invoices();
    if let Some(page_size) = page_size {
        request = request.page_size(page_size);
    }
    if let Some(cursor) = &cursor {
        request = request.cursor(cursor.clone());
    }
    let response = match request.send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, LIST, err).await),
    };
    let next = next_cursor(paging::next_link(response.headers()), cursor.as_deref());
    let page = match &cursor {
        Some(cursor) => format!("page at cursor {cursor:?}"),
        None => "first page".to_owned(),
    };
    let mut invoices = decode_list(&response.into_inner(), Some(page))?;
    match next {
        Ok(next) => Ok((invoices, next.map(Some))),
        // This page's invoices are good; the listing ends after them.
        Err(err) => {
            invoices.push(Err(err));
            Ok((invoices, None))
        }
    }
}

/// The cursor of the page after the one read with `current`, from the
/// `next` link of its `Link` header (`None` on the last page).
fn next_cursor(link: Option<String>, current: Option<&str>) -> Result<Option<String>> {
    let Some(link) = link else {
        return Ok(None);
    };
    let Some(next) = paging::cursor_from_link(&link, "cursor") else {
        return Err(Error::Paging {
            origin: PROVIDER.origin(LIST),
            detail: format!("the `next` link {link:?} has no `cursor` parameter"),
        });
    };
    next_token(PROVIDER, LIST, current, Some(next))
}

async fn get(client: &sendcloud_v3::Client, id: &str) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        data: Box<RawValue>,
    }
    let numeric: u64 = id.parse().map_err(|_| invalid_id(PROVIDER, GET, id))?;
    let response = match client
        .retrieve_invoice()
        .invoice_id(numeric)
        .send_raw()
        .await
    {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err).await),
    };
    let envelope: Envelope = decode_body(PROVIDER, GET, &response.into_inner())?;
    map_item(DETAIL, None, envelope.data, map)
}

fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let money =
        |field: &str, price: &types::Price| fields.money(field, &price.value, &price.currency);
    let taxable = money("price_taxable", &v.price_taxable);
    let tax = money("tax", &v.tax);
    // Absent or null counts as zero (`Some(None)`); set aside or
    // unreadable (`None`) leaves the totals it is part of empty.
    let non_taxable = match fields.read("price_non_taxable", v.price_non_taxable.as_ref()) {
        Some(Some(price)) => money("price_non_taxable", price).map(Some),
        Some(None) => Some(None),
        None => None,
    };
    // The vendor sends the parts; the totals are their exact sums.
    let net = taxable
        .as_ref()
        .zip(non_taxable.as_ref())
        .and_then(|(taxable, non_taxable)| {
            let parts: Vec<&Amount> = std::iter::once(taxable).chain(non_taxable).collect();
            fields.sum("price_taxable + price_non_taxable", &parts)
        });
    let gross = match (&net, &tax) {
        (Some(net), Some(tax)) => {
            fields.sum("price_taxable + price_non_taxable + tax", &[net, tax])
        }
        _ => None,
    };

    let mut invoice = Invoice::new(PROVIDER, v.id.to_string(), raw);
    invoice.number = fields.read("reference", v.reference);
    invoice.kind = v.category.map(|category| category.to_string());
    invoice.status = Status::Unknown;
    let created = fields.read("created_at", v.created_at).map(Timestamp::from);
    invoice.created_at = created;
    invoice.set_issued(created);
    invoice.set_due(v.due_date.map(Timestamp::from));
    invoice.currency = taxable
        .as_ref()
        .and_then(|taxable| taxable.currency.clone());
    invoice.totals = Totals {
        net,
        tax,
        gross,
        ..Totals::default()
    };
    invoice.seller = v.issuer.map(|issuer| Party {
        name: issuer.business_name,
        vat_id: issuer.vat_id,
        registration_id: issuer.coc_id,
        address_lines: issuer.address.into_iter().collect(),
        postal_code: issuer.postal_code,
        city: issuer.city,
        country_name: issuer.country_name,
        ..Party::default()
    });
    invoice.description = v.description;
    invoice
}
