//! Coinbase Business invoicing: `GET /api/v1/invoices`, paged by
//! `nextPageToken`. The API has no endpoint for one invoice.

use std::fmt::Display;

use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_coinbase_business::builder::ListInvoices;
use invoicing_coinbase_business::types;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::{Error, Result};
use crate::model::{Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::CoinbaseBusiness;
/// The largest `pageSize` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Coinbase Business account.
///
/// Every request carries a fresh JWT signed with the account's CDP secret
/// API key ([`Auth::coinbase_cdp`]; `from_env` reads it as
/// [`invoicing_coinbase_business::auth_from_env`](::invoicing_coinbase_business::auth_from_env)
/// does). The seller is the issuing entity
/// (`entityName`, `entityAddress`), the buyer the contact (`contactName`,
/// `contactEmail`, `contactAddress`). Coinbase sends the amount due, not a
/// gross total: [`Totals::amount_due`](crate::Totals::amount_due).
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends nothing for it (`None`
/// or empty).
///
/// | model | Coinbase Business |
/// |---|---|
/// | `id` | `uuid` |
/// | `number` | `invoiceNumber` |
/// | `kind` | — |
/// | `status` | `status`: `DRAFT`, `OPEN`, `SCHEDULED`, `PAID`, `VOID`, `OVERDUE`; others → `Other(value)` |
/// | `vendor_status` | `status` |
/// | `issued_at`, `issue_date` | `invoiceDate` |
/// | `due_at`, `due_date` | `dueDate` |
/// | `created_at` | `createdAt` |
/// | `paid_at` | — |
/// | `currency` | `totalAmountDue.currency` |
/// | `totals.subtotal` | — |
/// | `totals.discount` | `discount` |
/// | `totals.shipping` | — |
/// | `totals.net` | — |
/// | `totals.tax` | `tax` |
/// | `totals.gross` | — |
/// | `totals.amount_due` | `totalAmountDue` |
/// | `totals.amount_paid`, `totals.amount_remaining` | — |
/// | `lines` | `lineItems[]`: `itemName` → `name`, `quantity`, `unitPrice`; `amount` *derived* = `quantity × unitPrice` |
/// | `seller` | `entityName`, `entityAddress` |
/// | `buyer` | `contactName`, `contactEmail`, `contactAddress` |
/// | `description` | `memo` |
/// | `hosted_url`, `pdf_url` | — |
/// | `credit_note` | always `false`: the API lists no credit notes |
/// | `raw` | the object of `invoices[]` |
///
/// [`Source::get`](crate::Source::get) is [`Error::Unsupported`](crate::Error::Unsupported): the API
/// has no operation that fetches one invoice.
///
/// # Paging
///
/// Pages by `pageToken` from `nextPageToken`, until it is absent or empty. Exactly once: as Sendcloud v3: the token keeps the place. Limits: a token followed before, an empty page with a token, pages that repeat: error items.
pub type CoinbaseBusiness = Adapter<CoinbaseBusinessApi>;

/// The Coinbase Business invoicing API, as [`CoinbaseBusiness`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct CoinbaseBusinessApi;

/// What every page of one listing sends.
pub(crate) struct CoinbaseRequest {
    page_size: Option<u64>,
    status: Option<types::InvoiceStatus>,
}

impl Vendor for CoinbaseBusinessApi {
    type Client = invoicing_coinbase_business::Client;
}

impl VendorApi for CoinbaseBusinessApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "list_invoices", "uuid");
    const PAGING: Rules = ListInvoices::PAGING;
    type Options = ();
    type Request = CoinbaseRequest;
    type Listed = types::InvoiceResponse;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_coinbase_business::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, _: &()) -> CoinbaseRequest {
        // Filtering on the server saves pages; the stream filters again
        // after mapping, which keeps statuses Coinbase lacks consistent. A
        // status the spec does not list is filtered here only: the
        // generated client refuses to send a value outside the parameter's
        // enum.
        let status = query.status.as_ref().and_then(|status| match status {
            Status::Draft => Some(types::InvoiceStatus::Draft),
            Status::Open => Some(types::InvoiceStatus::Open),
            Status::Scheduled => Some(types::InvoiceStatus::Scheduled),
            Status::Paid => Some(types::InvoiceStatus::Paid),
            Status::Void => Some(types::InvoiceStatus::Void),
            Status::Overdue => Some(types::InvoiceStatus::Overdue),
            Status::Other(_) | Status::Uncollectible | Status::Unknown => None,
        });
        CoinbaseRequest {
            page_size: query.page_size_up_to(MAX_PAGE_SIZE),
            status,
        }
    }

    fn page<'a>(
        client: &'a invoicing_coinbase_business::Client,
        request: &'a CoinbaseRequest,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let mut list = client.list_invoices();
        if let Some(page_size) = request.page_size {
            list = list.page_size(page_size);
        }
        if let Some(status) = request.status.clone() {
            list = list.status(status);
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        ListInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: types::InvoiceResponse, raw: Box<RawValue>, fields: &Fields, _: &()) -> Invoice {
        map(v, raw, fields)
    }

    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        Self::fixed_from_vars(base_url, var)
    }

    fn get<'a>(
        _: &'a invoicing_coinbase_business::Client,
        _: &'a (),
        _: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        Box::pin(async {
            Err(Error::Unsupported {
                provider: PROVIDER,
                operation: "get",
                reason: "the Coinbase Business API has no endpoint for one invoice; find it with `list`",
            })
        })
    }
}

impl FixedServer for CoinbaseBusinessApi {
    const SERVER_URL: &'static str = invoicing_coinbase_business::SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_coinbase_business::auth_from_vars(var)
    }
}

fn map(v: types::InvoiceResponse, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let money = |field: &dyn Display, amount: &types::Amount| {
        fields.money(field, &amount.value, &amount.currency)
    };
    let amount_due = money(&"totalAmountDue", &v.total_amount_due);
    let totals = Totals {
        tax: v.tax.as_ref().and_then(|tax| money(&"tax", tax)),
        discount: v
            .discount
            .as_ref()
            .and_then(|discount| money(&"discount", discount)),
        amount_due: amount_due.clone(),
        ..Totals::default()
    };
    let items = fields.read("lineItems", v.line_items).unwrap_or_default();
    let lines = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let quantity = fields.number(format_args!("lineItems[{i}].quantity"), &item.quantity);
            let unit_price = money(&format_args!("lineItems[{i}].unitPrice"), &item.unit_price);
            let amount = quantity
                .zip(unit_price.as_ref())
                .and_then(|(quantity, unit_price)| {
                    fields.product(
                        format_args!("lineItems[{i}].quantity * lineItems[{i}].unitPrice"),
                        quantity,
                        unit_price,
                    )
                });
            Line {
                name: fields.read(format_args!("lineItems[{i}].itemName"), item.item_name),
                quantity,
                unit_price,
                amount,
                ..Line::default()
            }
        })
        .collect();

    let mut invoice = Invoice::new(PROVIDER, v.uuid.to_string(), raw);
    invoice.number = fields.read("invoiceNumber", v.invoice_number);
    if let Some(status) = fields.read("status", v.status) {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = match status {
            types::InvoiceStatus::Draft => Status::Draft,
            types::InvoiceStatus::Open => Status::Open,
            types::InvoiceStatus::Scheduled => Status::Scheduled,
            types::InvoiceStatus::Paid => Status::Paid,
            types::InvoiceStatus::Void => Status::Void,
            types::InvoiceStatus::Overdue => Status::Overdue,
            types::InvoiceStatus::Unknown(other) => Status::Other(other),
            // A value a later spec adds (the enum is non_exhaustive) is still
            // one we do not normalise yet.
            other => Status::Other(other.to_string()),
        };
    }
    invoice.set_issued(v.invoice_date.map(|at| Timestamp::from(at.0)));
    invoice.set_due(v.due_date.map(|at| Timestamp::from(at.0)));
    invoice.created_at = fields
        .read("createdAt", v.created_at)
        .map(|at| Timestamp::from(at.0));
    invoice.currency = amount_due.and_then(|amount| amount.currency);
    invoice.totals = totals;
    invoice.lines = lines;
    invoice.seller = Some(with_address(
        fields,
        "entityAddress",
        Party {
            name: fields.read("entityName", v.entity_name),
            ..Party::default()
        },
        v.entity_address,
    ));
    invoice.buyer = Some(with_address(
        fields,
        "contactAddress",
        Party {
            name: fields.read("contactName", v.contact_name),
            email: fields.read("contactEmail", v.contact_email),
            ..Party::default()
        },
        v.contact_address,
    ));
    invoice.description = v.memo;
    invoice
}

/// `party` with the `address` the vendor sent at `field`, if any.
fn with_address(
    fields: &Fields,
    field: &str,
    mut party: Party,
    address: Option<types::Address>,
) -> Party {
    if let Some(address) = address {
        party.address_lines = fields
            .read(format_args!("{field}.addressLine1"), address.address_line1)
            .into_iter()
            .chain(address.address_line2)
            .collect();
        party.city = fields.read(format_args!("{field}.city"), address.city);
        party.postal_code = address.postal_code;
        party.region = address.state;
        party.country_code = fields.read(format_args!("{field}.country"), address.country);
    }
    party
}
