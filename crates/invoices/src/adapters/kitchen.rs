//! Kitchen (kitchen.co): `GET /invoices` by page number and
//! `GET /invoices/{id}`, on the workspace's own subdomain.

use std::fmt::Display;
use std::sync::Arc;

use futures::future::BoxFuture;
use invoicing_runtime::Auth;
use kitchen::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::shared::{Fields, api_error, decode_body, map_item, map_items};
use crate::error::Result;
use crate::model::{Amount, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::{KitchenState, ListQuery};
use crate::source::Source;
use crate::stream::{InvoiceStream, Page, paged};

const PROVIDER: Provider = Provider::Kitchen;
const LIST: &str = "list_invoices";
const GET: &str = "get_invoice";
/// The largest `per_page` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Kitchen workspace.
///
/// Kitchen sends only ids for the client and billing profile: the buyer is
/// a [`Party`] with [`Party::id`] and [`Party::account_ref`] and nothing
/// else, and there is no seller. Tax is the sum of the tax items (derived).
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
    /// is not the vendor's.
    pub fn decode_page(&self, body: &[u8]) -> Result<Vec<Result<Invoice>>> {
        decode_list(body).map(|(invoices, _)| invoices)
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

/// A list page: the invoices left raw, decoded one by one later.
#[derive(Deserialize)]
struct ListEnvelope {
    data: Vec<Box<RawValue>>,
    meta: Meta,
}

#[derive(Deserialize)]
struct Meta {
    current_page: i64,
    last_page: i64,
}

/// A list page body: its invoices, each read or failed on its own, and the
/// vendor's paging metadata.
fn decode_list(body: &[u8]) -> Result<(Vec<Result<Invoice>>, Meta)> {
    let envelope: ListEnvelope = decode_body(PROVIDER, LIST, body)?;
    Ok((map_items(PROVIDER, LIST, envelope.data, map), envelope.meta))
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
    let (invoices, meta) = decode_list(&response.into_inner())?;
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
    map_item(PROVIDER, GET, None, envelope.data, map)
}

fn map(v: types::Invoice, raw: Box<RawValue>) -> Result<Invoice> {
    let fields = Fields::new(PROVIDER, &v.id);
    let currency = fields.currency("currency", &v.currency)?;
    // Items and tax items may name their own currency; without one they
    // are in the invoice's.
    let currency_of = |field: &dyn Display, code: &Option<String>| match code {
        Some(code) => fields.currency(field, code),
        None => Ok(currency.clone()),
    };
    let amount = |field: &str, number| fields.amount(field, number, Some(&currency));

    let tax = if v.tax_items.is_empty() || v.tax_items.iter().any(|item| item.amount.is_none()) {
        // No tax items, or one without an amount: the total tax is not known.
        None
    } else {
        let parts = v
            .tax_items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| item.amount.as_ref().map(|number| (i, item, number)))
            .map(|(i, item, number)| {
                let currency =
                    currency_of(&format_args!("tax_items[{i}].currency"), &item.currency)?;
                let value = fields.number(format_args!("tax_items[{i}].amount"), number)?;
                Ok(Amount::new(value, Some(currency)))
            })
            .collect::<Result<Vec<_>>>()?;
        Some(fields.sum("tax_items[].amount", &parts)?)
    };
    let totals = Totals {
        subtotal: amount("amount", v.amount.as_ref())?,
        discount: amount("discount_amount", v.discount_amount.as_ref())?,
        shipping: amount("shipping_amount", v.shipping_amount.as_ref())?,
        tax,
        gross: amount("total_amount", v.total_amount.as_ref())?,
        ..Totals::default()
    };
    let lines = v
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let currency = currency_of(&format_args!("items[{i}].currency"), &item.currency)?;
            Ok(Line {
                id: item.id.clone(),
                name: item.title.clone(),
                description: item.description.clone(),
                quantity: item
                    .quantity
                    .as_deref()
                    .map(|quantity| fields.decimal(format_args!("items[{i}].quantity"), quantity))
                    .transpose()?,
                unit_price: None,
                amount: fields.amount(
                    format_args!("items[{i}].amount"),
                    item.amount.as_ref(),
                    Some(&currency),
                )?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut invoice = Invoice::new(PROVIDER, v.id, raw);
    invoice.number = v.number;
    invoice.kind = v.type_.map(|kind| kind.to_string());
    invoice.vendor_status = Some(v.status.to_string());
    invoice.status = match v.status {
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
    invoice.set_issued(v.issue_date.map(Timestamp::from));
    invoice.set_due(v.due_date.map(Timestamp::from));
    invoice.created_at = v.created_at.map(Timestamp::from);
    invoice.paid_at = v.paid_at.map(Timestamp::from);
    invoice.currency = Some(currency);
    invoice.totals = totals;
    invoice.lines = lines;
    if v.client.is_some() || v.billing_profile.is_some() {
        invoice.buyer = Some(Party {
            id: v.client,
            account_ref: v.billing_profile,
            ..Party::default()
        });
    }
    invoice.description = v.memo;
    Ok(invoice)
}
