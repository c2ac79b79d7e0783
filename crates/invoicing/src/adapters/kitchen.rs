//! Kitchen (kitchen.co): `GET /invoices` by page number, newest first,
//! and `GET /invoices/{id}`, on the workspace's own subdomain.

use std::fmt::Display;

use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_kitchen::builder::ListInvoices;
use invoicing_kitchen::types;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use invoicing_runtime::{Auth, Number};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, decode_body, map_item, required_setting};
use super::vendor::{Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Amount, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::Kitchen;
const GET: &str = "get_invoice";
/// The setting naming the workspace, for [`Kitchen::from_vars`].
const WORKSPACE_VAR: &str = "KITCHEN_WORKSPACE";
/// The largest `per_page` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Kitchen workspace.
///
/// The buyer is a [`Party`] with the client's id ([`Party::id`]) and the
/// billing profile's ([`Party::account_ref`]); where the vendor sends those
/// expanded (`expand[]`), their name, email, address and tax id fill the
/// rest. There is no seller. Tax is the sum of the tax items (derived).
///
/// Built for a workspace with [`Kitchen::with_auth`] or
/// [`Kitchen::from_env`]; [`Kitchen::state`] chooses archived invoices.
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends nothing for it (`None`
/// or empty).
///
/// | model | Kitchen |
/// |---|---|
/// | `id` | `id` |
/// | `number` | `number` |
/// | `kind` | `type` |
/// | `status` | `status`: `draft`, `open`, `paid`, `void`, `uncollectible`; others → `Other(value)` |
/// | `vendor_status` | `status` |
/// | `issued_at`, `issue_date` | `issue_date` |
/// | `due_at`, `due_date` | `due_date` |
/// | `created_at` | `created_at` |
/// | `paid_at` | `paid_at` |
/// | `currency` | `currency` |
/// | `totals.subtotal` | `amount` |
/// | `totals.discount` | `discount_amount` |
/// | `totals.shipping` | `shipping_amount` |
/// | `totals.net` | — |
/// | `totals.tax` | *derived*: sum of `tax_items[].amount` (— if none, or one has no amount) |
/// | `totals.gross` | `total_amount` |
/// | `totals.amount_due` | — |
/// | `totals.amount_paid`, `totals.amount_remaining` | — |
/// | `lines` | `items[]`: `id`, `title` → `name`, `description`, `quantity` (decimal string), `amount` |
/// | `seller` | — |
/// | `buyer` | `client` → `id`, `billing_profile` → `account_ref` |
/// | `description` | `memo` |
/// | `hosted_url`, `pdf_url` | — |
/// | `credit_note` | always `false`: the API lists no credit notes |
/// | `raw` | the object of `data[]` / `data` |
///
/// Items and tax items without a currency of their own are in the
/// invoice's currency. `client` and `billing_profile` are ids, or objects
/// when listed with `expand[]`; from the objects the buyer also gets
/// `name` and `email` (the billing profile's first), and from the billing
/// profile `address`, `city`, `postal_code`, `country` → `country_code`
/// and `tax_id` → `vat_id`.
///
/// [`Source::get`](crate::Source::get) fetches one invoice with `get_invoice`.
///
/// # Paging
///
/// Pages by `page` from 1 up to `meta.last_page`, newest first. Exactly once: invoices already delivered that invoices created between two page reads push onto the next page are skipped (proven by the set of ids delivered); invoices deleted before the position, seen by `meta.total` changing, are recovered by reading once the page where the last invoice taken now is; without `meta.total` (the spec allows it), each page is read again once the next one is taken, and invoices shifted onto it are listed then (one request more per page). Limits: when it is not found there, the listing ends with an error item saying the vendor's list changed, and at which page, never the end of the list; an invoice never listed that comes ahead of listed ones on a page without the list having grown by as many (the list was reordered) is an error item too, never skipped; changes that keep `meta.total` equal and the order intact are not seen; a server that ignores `page` (`meta.current_page` differs) is an error item.
pub type Kitchen = Adapter<KitchenApi>;

/// The Kitchen API, as [`Kitchen`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct KitchenApi;

/// Which Kitchen invoices to list, by archived state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KitchenState {
    /// Not archived (Kitchen's default).
    Active,
    /// Archived only.
    Archived,
    /// Active and archived.
    All,
}

impl Kitchen {
    /// Reads from workspace `workspace` (the subdomain of
    /// `https://{workspace}.kitchen.co/api`) with `auth`, usually
    /// `Auth::bearer(api_key)`.
    pub fn with_auth(workspace: &str, auth: Auth) -> Self {
        Self::with_base_url(&invoicing_kitchen::server_url(workspace), auth)
    }

    /// Reads from workspace `workspace` with credentials from the
    /// environment, as [`invoicing_kitchen::auth_from_env`](::invoicing_kitchen::auth_from_env)
    /// reads them.
    ///
    /// # Errors
    /// [`Error::Api`](crate::Error::Api) with
    /// [`invoicing_runtime::Error::Config`] when the variable is not set.
    pub fn from_env(workspace: &str) -> Result<Self> {
        Ok(Self::with_auth(
            workspace,
            invoicing_kitchen::auth_from_env()?,
        ))
    }

    /// Lists only invoices in `state`; without it Kitchen lists the active
    /// (not archived) ones.
    pub fn state(mut self, state: KitchenState) -> Self {
        self.options_mut().state = Some(state);
        self
    }
}

/// What a [`Kitchen`] adapter is set to.
#[derive(Clone, Debug, Default)]
pub(crate) struct KitchenOptions {
    state: Option<KitchenState>,
}

/// What every page of one listing sends.
pub(crate) struct KitchenRequest {
    per_page: Option<u64>,
    state: Option<types::ListInvoicesState>,
}

impl Vendor for KitchenApi {
    type Client = invoicing_kitchen::Client;
}

impl VendorApi for KitchenApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "list_invoices", "id");
    const PAGING: Rules = ListInvoices::PAGING;
    type Options = KitchenOptions;
    type Request = KitchenRequest;
    type Listed = types::Invoice;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_kitchen::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, options: &KitchenOptions) -> KitchenRequest {
        KitchenRequest {
            per_page: query.page_size_up_to(MAX_PAGE_SIZE),
            state: options.state.map(|state| match state {
                KitchenState::Active => types::ListInvoicesState::Active,
                KitchenState::Archived => types::ListInvoicesState::Archived,
                KitchenState::All => types::ListInvoicesState::All,
            }),
        }
    }

    fn page<'a>(
        client: &'a invoicing_kitchen::Client,
        request: &'a KitchenRequest,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let mut list = client.list_invoices();
        if let Some(per_page) = request.per_page {
            list = list.per_page(per_page);
        }
        if let Some(state) = request.state.clone() {
            list = list.state(state);
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        ListInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields, _: &KitchenOptions) -> Invoice {
        map(v, raw, fields)
    }

    /// Also reads `KITCHEN_WORKSPACE` (the workspace whose server is
    /// read), needed unless `base_url` is given.
    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        let auth = invoicing_kitchen::auth_from_vars(var)?;
        let server;
        let base_url = match base_url {
            Some(base_url) => base_url,
            None => {
                let why = "the workspace whose server is read";
                let workspace = required_setting(PROVIDER, var, WORKSPACE_VAR, why)?;
                server = invoicing_kitchen::server_url(&workspace);
                &server
            }
        };
        Ok(Adapter::with_base_url(base_url, auth))
    }

    fn get<'a>(
        client: &'a invoicing_kitchen::Client,
        _: &'a KitchenOptions,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

async fn get(client: &invoicing_kitchen::Client, id: &str) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        data: Box<RawValue>,
    }
    let response = match client.get_invoice().id(id).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let envelope: Envelope = decode_body(PROVIDER, GET, &response.into_inner())?;
    map_item(
        ItemShape::new(PROVIDER, GET, "id"),
        None,
        envelope.data,
        map,
    )
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
        parts.and_then(|parts| {
            fields.sum(
                |i| format!("tax_items[{i}].amount"),
                &parts.iter().collect::<Vec<_>>(),
            )
        })
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
