//! Kitchen (kitchen.co): `GET /invoices` by page number and
//! `GET /invoices/{id}`, on the workspace's own subdomain.

use std::fmt::Display;
use std::sync::Arc;

use futures::future::BoxFuture;
use invoicing_runtime::{Auth, Number};
use kitchen::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::shared::{
    Fields, ItemShape, ListShape, api_error, decode_body, list_of, map_item, map_items,
};
use crate::error::{Error, Result};
use crate::model::{Amount, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::{KitchenState, ListQuery};
use crate::source::Source;
use crate::stream::{InvoiceStream, Page, paged};

const PROVIDER: Provider = Provider::Kitchen;
const LIST: &str = "list_invoices";
const GET: &str = "get_invoice";
const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "id");
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "id");
/// The largest `per_page` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Kitchen workspace.
///
/// The buyer is a [`Party`] with the client's id ([`Party::id`]) and the
/// billing profile's ([`Party::account_ref`]); where the vendor sends those
/// expanded (`expand[]`), their name, email, address and tax id fill the
/// rest. There is no seller. Tax is the sum of the tax items (derived).
#[derive(Clone, Debug)]
pub struct Kitchen {
    client: Arc<kitchen::Client>,
}

impl Kitchen {
    /// Reads through `client`. A client built with
    /// `kitchen::Client::new_with_client` gets the header Kitchen requires
    /// from `kitchen::context(auth)`, as `kitchen::Client::with_auth` does.
    pub fn new(client: kitchen::Client) -> Self {
        Self {
            client: Arc::new(client),
        }
    }

    /// Reads from workspace `workspace` (the subdomain of
    /// `https://{workspace}.kitchen.co/api`) with `auth`, usually
    /// `Auth::bearer(api_key)`.
    pub fn with_auth(workspace: &str, auth: Auth) -> Self {
        Self::with_base_url(&kitchen::server_url(workspace), auth)
    }

    /// Reads from `base_url` (a proxy, a test server) with `auth`.
    pub fn with_base_url(base_url: &str, auth: Auth) -> Self {
        Self::new(kitchen::Client::with_auth(base_url, auth))
    }

    /// Reads from workspace `workspace` with credentials from the
    /// environment, as [`kitchen::auth_from_env`](::kitchen::auth_from_env)
    /// reads them.
    ///
    /// # Errors
    /// [`Error::Api`](crate::Error::Api) with
    /// [`invoicing_runtime::Error::Config`] when the variable is not set.
    pub fn from_env(workspace: &str) -> Result<Self> {
        Ok(Self::with_auth(workspace, kitchen::auth_from_env()?))
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
        decode_list(body, None).map(|(invoices, _)| invoices)
    }
}

impl Source for Kitchen {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    fn list(&self, query: &ListQuery) -> InvoiceStream {
        let client = Arc::clone(&self.client);
        let per_page = query.page_size_up_to(MAX_PAGE_SIZE);
        let state = query.kitchen_state.map(|state| match state {
            KitchenState::Active => types::ListInvoicesState::Active,
            KitchenState::Archived => types::ListInvoicesState::Archived,
            KitchenState::All => types::ListInvoicesState::All,
        });
        paged(1, query.status.clone(), move |page| {
            list_page(Arc::clone(&client), per_page, state.clone(), page)
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Invoice>> {
        Box::pin(get(&self.client, id))
    }
}

/// A list page: the invoices left raw, decoded one by one later, the
/// paging metadata, and Kitchen's error message, should one come with a
/// `200`.
#[derive(Deserialize)]
struct ListEnvelope {
    data: Option<Vec<Box<RawValue>>>,
    meta: Option<Meta>,
    message: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct Meta {
    current_page: i64,
    last_page: i64,
}

/// A list page body: its invoices, each read or failed on its own, and the
/// vendor's paging metadata. An empty page is `{"data": [], "meta": ...}`;
/// a body without the list is an error. `page` names the page for that
/// error.
fn decode_list(body: &[u8], page: Option<String>) -> Result<(Vec<Result<Invoice>>, Option<Meta>)> {
    let envelope: ListEnvelope = decode_body(PROVIDER, LIST, body)?;
    let shape = ListShape {
        provider: PROVIDER,
        operation: LIST,
        list: "data",
    };
    let raws = list_of(&shape, page, body, envelope.data, envelope.message)?;
    Ok((map_items(LISTED, raws, map), envelope.meta))
}

/// Page `page` (from 1), and the next page number until the last page.
async fn list_page(
    client: Arc<kitchen::Client>,
    per_page: Option<u64>,
    state: Option<types::ListInvoicesState>,
    page: u64,
) -> Result<Page<u64>> {
    let mut request = client.list_invoices().page(page);
    if let Some(per_page) = per_page {
        request = request.per_page(per_page);
    }
    if let Some(state) = state {
        request = request.state(state);
    }
    let response = match request.send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, LIST, err).await),
    };
    let (mut invoices, meta) = decode_list(&response.into_inner(), Some(format!("page {page}")))?;
    let Some(meta) = meta else {
        // This page's invoices are good; without `meta` there is no
        // telling whether another page follows, so the listing ends here.
        invoices.push(Err(Error::Paging {
            origin: PROVIDER.origin(LIST),
            detail: format!("page {page} has no `meta`: cannot tell whether more pages follow"),
        }));
        return Ok((invoices, None));
    };
    // The page reached is the later of the one asked for and the one the
    // vendor says it sent, so a server that ignores `page` cannot make the
    // listing loop: it ends at `last_page` either way.
    let reached = meta
        .current_page
        .max(i64::try_from(page).unwrap_or(i64::MAX));
    let next = (reached < meta.last_page).then(|| reached as u64 + 1);
    Ok((invoices, next))
}

async fn get(client: &kitchen::Client, id: &str) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        data: Box<RawValue>,
    }
    let response = match client.get_invoice().id(id).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err).await),
    };
    let envelope: Envelope = decode_body(PROVIDER, GET, &response.into_inner())?;
    map_item(DETAIL, None, envelope.data, map)
}

fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    // Every amount is in the invoice's currency unless it names its own;
    // without a readable invoice currency those amounts are left empty.
    let currency = fields.currency("currency", &v.currency);
    let currency_of = |field: &dyn Display, code: &Option<types::Currency>| match code {
        Some(code) => fields.currency(field, code),
        None => currency.clone(),
    };
    let amount = |field: &str, number: Option<&Number>| {
        fields.amount(field, number, Some(currency.as_ref()?))
    };

    let tax = if v.tax_items.is_empty() || v.tax_items.iter().any(|item| item.amount.is_none()) {
        // No tax items, or one without an amount: the total tax is not known.
        None
    } else {
        let parts: Option<Vec<Amount>> = v
            .tax_items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let currency =
                    currency_of(&format_args!("tax_items[{i}].currency"), &item.currency);
                let value =
                    fields.number(format_args!("tax_items[{i}].amount"), item.amount.as_ref()?);
                Some(Amount::new(value?, Some(currency?)))
            })
            .collect();
        parts.and_then(|parts| fields.sum("tax_items[].amount", &parts.iter().collect::<Vec<_>>()))
    };
    let totals = Totals {
        subtotal: amount("amount", v.amount.as_ref()),
        discount: amount("discount_amount", v.discount_amount.as_ref()),
        shipping: amount("shipping_amount", v.shipping_amount.as_ref()),
        tax,
        gross: amount("total_amount", v.total_amount.as_ref()),
        ..Totals::default()
    };
    let lines = v
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let currency = currency_of(&format_args!("items[{i}].currency"), &item.currency);
            Line {
                id: item.id.clone(),
                name: item.title.clone(),
                description: item.description.clone(),
                quantity: item.quantity.as_deref().and_then(|quantity| {
                    fields.decimal(format_args!("items[{i}].quantity"), quantity)
                }),
                unit_price: None,
                amount: currency.as_ref().and_then(|currency| {
                    fields.amount(
                        format_args!("items[{i}].amount"),
                        item.amount.as_ref(),
                        Some(currency),
                    )
                }),
            }
        })
        .collect();

    let mut invoice = Invoice::new(PROVIDER, v.id, raw);
    invoice.number = v.number;
    invoice.kind = v.type_.map(|kind| kind.to_string());
    if let Some(status) = fields.read("status", v.status) {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = match status {
            types::InvoiceStatus::Draft => Status::Draft,
            types::InvoiceStatus::Open => Status::Open,
            types::InvoiceStatus::Paid => Status::Paid,
            types::InvoiceStatus::Void => Status::Void,
            types::InvoiceStatus::Uncollectible => Status::Uncollectible,
            types::InvoiceStatus::Unknown(other) => Status::Other(other),
            // A value a later spec adds (the enum is non_exhaustive) is still
            // one we do not normalise yet.
            other => Status::Other(other.to_string()),
        };
    }
    invoice.set_issued(v.issue_date.map(Timestamp::from));
    invoice.set_due(v.due_date.map(Timestamp::from));
    invoice.created_at = v.created_at.map(Timestamp::from);
    invoice.paid_at = v.paid_at.map(Timestamp::from);
    invoice.currency = currency;
    invoice.totals = totals;
    invoice.lines = lines;
    invoice.buyer = buyer(v.client, v.billing_profile);
    invoice.description = v.memo;
    invoice
}

/// The client as a [`Party`]: ids, or what the expanded objects say. The
/// billing profile's name, email and address are the ones the invoice is
/// billed to, so they come before the client user's.
fn buyer(
    client: Option<types::InvoiceClient>,
    billing_profile: Option<types::InvoiceBillingProfile>,
) -> Option<Party> {
    let mut party = Party::default();
    match client {
        Some(types::InvoiceClient::String(id)) => party.id = Some(id),
        Some(types::InvoiceClient::User(user)) => {
            party.id = Some(user.id);
            party.name = user.name;
            party.email = user.email;
        }
        None => {}
    }
    match billing_profile {
        Some(types::InvoiceBillingProfile::String(id)) => party.account_ref = Some(id),
        Some(types::InvoiceBillingProfile::BillingProfile(profile)) => {
            party.account_ref = Some(profile.id);
            party.name = profile.name.or(party.name);
            party.email = profile.email.or(party.email);
            party.address_lines = profile.address.into_iter().collect();
            party.city = profile.city;
            party.postal_code = profile.postal_code;
            party.country_code = profile.country;
            party.vat_id = profile.tax_id;
        }
        None => {}
    }
    (!party.is_empty()).then_some(party)
}
