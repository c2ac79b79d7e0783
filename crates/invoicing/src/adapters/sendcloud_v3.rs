//! Sendcloud API v3 (beta): `GET /invoices`, paged by cursors in the `Link`
//! response header, and `GET /invoices/{invoice_id}`.

use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use invoicing_sendcloud_v3::builder::ListInvoices;
use invoicing_sendcloud_v3::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, decode_body, invalid_id, map_item};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Amount, Invoice, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::SendcloudV3;
const GET: &str = "retrieve_invoice";
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "id");
/// The largest `page_size` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 500;

/// The invoices of one Sendcloud account through API v3.
///
/// Sendcloud v3 invoices have no status: [`Invoice::status`] is
/// [`Status::Unknown`] (not `Open`: the API does not say whether an invoice
/// is paid). Net and gross totals are derived: see the crate docs.
/// Credentials are HTTP Basic or OAuth2 client credentials; `from_env`
/// reads them as [`invoicing_sendcloud_v3::auth_from_env`](::invoicing_sendcloud_v3::auth_from_env)
/// does.
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends nothing for it (`None`
/// or empty).
///
/// | model | Sendcloud v3 |
/// |---|---|
/// | `id` | `id` |
/// | `number` | `reference` |
/// | `kind` | `category` |
/// | `status` | always `Unknown`: the API has no status |
/// | `vendor_status` | — |
/// | `issued_at`, `issue_date` | `created_at` |
/// | `due_at`, `due_date` | `due_date` |
/// | `created_at` | `created_at` |
/// | `paid_at` | — |
/// | `currency` | `price_taxable.currency` |
/// | `totals.subtotal` | — |
/// | `totals.discount` | — |
/// | `totals.shipping` | — |
/// | `totals.net` | *derived*: `price_taxable + price_non_taxable` (null counts as 0) |
/// | `totals.tax` | `tax` |
/// | `totals.gross` | *derived*: `price_taxable + price_non_taxable + tax` |
/// | `totals.amount_due` | — |
/// | `totals.amount_paid`, `totals.amount_remaining` | — |
/// | `lines` | — |
/// | `seller` | `issuer`: `business_name`, `address`, `postal_code`, `city`, `country_name`, `vat_id`, `coc_id` → `registration_id` |
/// | `buyer` | — |
/// | `description` | `description` |
/// | `hosted_url`, `pdf_url` | — |
/// | `credit_note` | always `false`: the API lists no credit notes |
/// | `raw` | the object of `data[]` / `data` |
///
/// [`Source::get`](crate::Source::get) fetches one invoice with `retrieve_invoice`.
///
/// # Paging
///
/// Pages by `Link: <...?cursor=...>; rel="next"`, the cursor passed back as received. Exactly once: the cursor keeps the vendor's place, so a list that changes shifts nothing; an id of the page before is not listed again. Limits: a cursor followed before (A -> B -> A), a `next` link that cannot be read, an empty page with a `next` link: error items.
pub type SendcloudV3 = Adapter<SendcloudV3Api>;

/// The Sendcloud API v3, as [`SendcloudV3`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct SendcloudV3Api;

impl Vendor for SendcloudV3Api {
    type Client = invoicing_sendcloud_v3::Client;
}

impl VendorApi for SendcloudV3Api {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "list_invoices", "id");
    const PAGING: Rules = ListInvoices::PAGING;
    type Options = ();
    /// The page size.
    type Request = Option<u64>;
    type Listed = types::Invoice;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_sendcloud_v3::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, _: &()) -> Option<u64> {
        query.page_size_up_to(MAX_PAGE_SIZE)
    }

    fn page<'a>(
        client: &'a invoicing_sendcloud_v3::Client,
        page_size: &'a Option<u64>,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let mut list = client.list_invoices();
        if let Some(page_size) = *page_size {
            list = list.page_size(page_size);
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        ListInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields, _: &()) -> Invoice {
        map(v, raw, fields)
    }

    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        Self::fixed_from_vars(base_url, var)
    }

    fn get<'a>(
        client: &'a invoicing_sendcloud_v3::Client,
        _: &'a (),
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

impl FixedServer for SendcloudV3Api {
    const SERVER_URL: &'static str = invoicing_sendcloud_v3::SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_sendcloud_v3::auth_from_vars(var)
    }
}

async fn get(client: &invoicing_sendcloud_v3::Client, id: &str) -> Result<Invoice> {
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
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
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
            fields.sum(
                |i| ["price_taxable", "price_non_taxable"][i].to_owned(),
                &parts,
            )
        });
    let gross = match (&net, &tax) {
        (Some(net), Some(tax)) => {
            let names = ["price_taxable + price_non_taxable", "tax"];
            fields.sum(|i| names[i].to_owned(), &[net, tax])
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
