//! Stripe: `GET /v1/invoices`, paged by `starting_after` (the last
//! invoice's id) while `has_more`, newest first, and
//! `GET /v1/invoices/{invoice}` (with the rest of its lines from
//! `GET /v1/invoices/{invoice}/lines`).

use chrono::DateTime;
use futures::future::BoxFuture;
use futures::{FutureExt, TryStreamExt};
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{ListingCheckpoint, Fetched, Listing, Position, Rules};
use invoicing_stripe::builder::{GetInvoices, GetInvoicesInvoiceLines};
use invoicing_stripe::types;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, decode_body, map_item};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Amount, Currency, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::Stripe;
const GET: &str = "get_invoices_invoice";
const LINES: &str = "get_invoices_invoice_lines";
/// The largest `limit` the vendor accepts (its description says 1 to 100).
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Stripe account.
///
/// Amounts are integers in the currency's minor unit, converted by the
/// currency's ISO 4217 exponent (`1999` `usd` is 19.99, `1999` `jpy` is
/// 1999); a currency with no ISO 4217 minor unit leaves them empty, with a
/// field problem. Stripe writes currency codes in lower case (its API
/// reference: "Three-letter ISO currency code, in lowercase"), read here
/// in upper case. Times are Unix seconds, in UTC.
///
/// Built with [`Adapter::with_auth`] or [`Adapter::from_env`]
/// (`STRIPE_SECRET_KEY`, sent as a bearer token).
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends nothing for it (`None`
/// or empty).
///
/// | model | Stripe |
/// |---|---|
/// | `id` | `id` (an invoice without one is an error item) |
/// | `number` | `number` (null for drafts) |
/// | `kind` | `billing_reason` |
/// | `status` | `status`: `draft`, `open`, `paid`, `void`, `uncollectible`; others → `Other(value)`; null → `Unknown` |
/// | `vendor_status` | `status` |
/// | `issued_at`, `issue_date` | `effective_at` (the date the invoice is in effect, its finalisation unless set) |
/// | `due_at`, `due_date` | `due_date` (null when charged automatically) |
/// | `created_at` | `created` |
/// | `paid_at` | `status_transitions.paid_at` |
/// | `currency` | `currency`, upper-cased |
/// | `totals.subtotal` | `subtotal` |
/// | `totals.discount` | *derived*: sum of `total_discount_amounts[].amount` (— if none) |
/// | `totals.shipping` | `amount_shipping` |
/// | `totals.net` | `total_excluding_tax` |
/// | `totals.tax` | `tax` |
/// | `totals.gross` | `total` |
/// | `totals.amount_due` | `amount_due` |
/// | `totals.amount_paid`, `totals.amount_remaining` | `amount_paid`, `amount_remaining` |
/// | `lines` | `lines.data[]`: `id`, `price.nickname` → `name`, `description`, `quantity`, `price.unit_amount` → `unit_price`, `amount`, each in the line's `currency` |
/// | `seller` | `account_name` → `name`, `account_country` → `country_code` |
/// | `buyer` | `customer` (an id, or the expanded customer's `id`) → `id`; `customer_name`, `customer_email`, `customer_address` (`line1`, `line2`, `city`, `postal_code`, `state` → `region`, `country` → `country_code`), the first `customer_tax_ids[]` of a `*_vat` type → `vat_id`; from an expanded customer, its `name` and `email` where the snapshots are null |
/// | `description` | `description` |
/// | `hosted_url`, `pdf_url` | `hosted_invoice_url`, `invoice_pdf` |
/// | `credit_note` | always `false`: Stripe lists credit notes apart (`/v1/credit_notes`), and an invoice's negative total is still an invoice |
/// | `raw` | the object of `data[]` / the body |
///
/// Only in [`Invoice::raw`]: the collection method, the payment attempts
/// and payment intent, the subscription and its period
/// (`period_start`/`period_end`), balances (`starting_balance`,
/// `ending_balance`), credit-note amounts (`pre_payment_credit_notes_amount`,
/// `post_payment_credit_notes_amount`), tax breakdowns
/// (`total_tax_amounts`, lines' `tax_amounts`), other tax ids and the
/// lines' fractional `unit_amount_excluding_tax`.
///
/// **Lines.** A listed invoice embeds its first lines (`lines.data`); when
/// `lines.has_more` is true the rest are not in the list response, and the
/// invoice has a field problem `lines` saying so: [`Source::get`] lists
/// them all. [`Source::get`](crate::Source::get) fetches one invoice with
/// `get_invoices_invoice`, and the rest of its lines, page by page, with
/// `get_invoices_invoice_lines`.
///
/// **Paging.** `starting_after` is the id of the last invoice taken, so a
/// list that changes while it is read shifts nothing: the id keeps the
/// place. `has_more` true with an empty page, or a last invoice without an
/// id, is an error item; a cursor followed before is an error item too.
///
/// [`Source::get`]: crate::Source::get
pub type Stripe = Adapter<StripeApi>;

/// The Stripe API, as [`Stripe`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct StripeApi;

/// The members of a Stripe invoice the model reads, decoded with the
/// generated crate's enums (status, billing reason). Not the whole
/// generated `Invoice`: its expandable fields (`anyOf` of an id and an
/// object, no discriminator) are typed as structs that reject the id form
/// Stripe sends by default (`lines.data[].price.product`), which would
/// make every invoice with a priced line incomplete; what is not read here
/// stays in [`Invoice::raw`] as sent.
///
/// An invoice without an `id` (the document does not require one: only
/// upcoming-invoice previews lack it) cannot be told apart, so it is an
/// error item.
#[derive(Deserialize)]
#[serde(try_from = "Listed")]
pub(crate) struct Identified {
    id: String,
    invoice: Listed,
}

impl TryFrom<Listed> for Identified {
    type Error = &'static str;

    fn try_from(invoice: Listed) -> std::result::Result<Self, Self::Error> {
        match invoice.id.clone() {
            Some(id) if !id.is_empty() => Ok(Self { id, invoice }),
            _ => Err("a Stripe invoice without an `id`"),
        }
    }
}

/// `/components/schemas/invoice`, the members mapped (required as the
/// document requires them).
#[derive(Deserialize)]
pub(crate) struct Listed {
    id: Option<String>,
    number: Option<String>,
    billing_reason: Option<types::InvoiceBillingReason>,
    status: Option<types::InvoiceStatus>,
    effective_at: Option<i64>,
    due_date: Option<i64>,
    created: i64,
    status_transitions: StatusTransitions,
    currency: String,
    subtotal: i64,
    total_discount_amounts: Option<Vec<DiscountAmount>>,
    amount_shipping: i64,
    total_excluding_tax: Option<i64>,
    tax: Option<i64>,
    total: i64,
    amount_due: i64,
    amount_paid: i64,
    amount_remaining: i64,
    lines: EmbeddedLines,
    account_name: Option<String>,
    account_country: Option<String>,
    customer: Option<Customer>,
    customer_name: Option<String>,
    customer_email: Option<String>,
    customer_address: Option<Address>,
    customer_tax_ids: Option<Vec<TaxId>>,
    description: Option<String>,
    hosted_invoice_url: Option<String>,
    invoice_pdf: Option<String>,
}

/// `invoices_status_transitions`, the member mapped.
#[derive(Deserialize)]
struct StatusTransitions {
    paid_at: Option<i64>,
}

/// `discounts_resource_discount_amount`, the member mapped.
#[derive(Deserialize)]
struct DiscountAmount {
    amount: i64,
}

/// The invoice's `lines`: the first lines, and whether there are more.
#[derive(Deserialize)]
struct EmbeddedLines {
    data: Vec<LineItem>,
    has_more: bool,
}

/// `line_item`, the members mapped.
#[derive(Deserialize)]
pub(crate) struct LineItem {
    id: String,
    amount: i64,
    currency: String,
    description: Option<String>,
    quantity: Option<i64>,
    price: Option<LinePrice>,
}

/// `price`, the members a line reads.
#[derive(Deserialize)]
struct LinePrice {
    nickname: Option<String>,
    unit_amount: Option<i64>,
}

/// `address`.
#[derive(Deserialize)]
struct Address {
    line1: Option<String>,
    line2: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    state: Option<String>,
    country: Option<String>,
}

/// `invoices_resource_invoice_tax_id`: its type (`eu_vat`, `us_ein`, ...)
/// as sent, and its value.
#[derive(Deserialize)]
struct TaxId {
    #[serde(rename = "type")]
    kind: String,
    value: Option<String>,
}

/// `customer`: its id, or (expanded) the customer or deleted customer.
#[derive(Deserialize)]
#[serde(untagged)]
enum Customer {
    Id(String),
    Object {
        id: String,
        name: Option<String>,
        email: Option<String>,
    },
}

impl Vendor for StripeApi {
    type Client = invoicing_stripe::Client;
}

impl VendorApi for StripeApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "get_invoices", "id");
    const PAGING: Rules = GetInvoices::PAGING;
    type Options = ();
    /// The page size.
    type Request = Option<u64>;
    type Listed = Identified;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_stripe::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, _: &()) -> Option<u64> {
        query.page_size_up_to(MAX_PAGE_SIZE)
    }

    fn page<'a>(
        client: &'a invoicing_stripe::Client,
        limit: &'a Option<u64>,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let mut list = client.get_invoices();
        if let Some(limit) = *limit {
            // At most MAX_PAGE_SIZE: it fits.
            list = list.limit(i64::try_from(limit).unwrap_or(i64::from(MAX_PAGE_SIZE)));
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        GetInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: Identified, raw: Box<RawValue>, fields: &Fields, _: &()) -> Invoice {
        map(v, raw, fields, None)
    }

    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        Self::fixed_from_vars(base_url, var)
    }

    fn get<'a>(
        client: &'a invoicing_stripe::Client,
        _: &'a (),
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

impl FixedServer for StripeApi {
    const SERVER_URL: &'static str = invoicing_stripe::SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_stripe::auth_from_vars(var)
    }
}

/// One invoice, with every line: the embedded ones, or when Stripe says
/// there are more, all of them from the lines list.
async fn get(client: &invoicing_stripe::Client, id: &str) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Lines {
        has_more: Option<bool>,
    }
    #[derive(Deserialize)]
    struct More {
        lines: Option<Lines>,
    }
    let response = match client.get_invoices_invoice().invoice(id).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let raw: Box<RawValue> = decode_body(PROVIDER, GET, &response.into_inner())?;
    let more = serde_json::from_str::<More>(raw.get())
        .ok()
        .and_then(|more| more.lines?.has_more)
        == Some(true);
    let all_lines = match more {
        true => Some(all_lines(client, id).await?),
        false => None,
    };
    map_item(
        ItemShape::new(PROVIDER, GET, "id"),
        None,
        raw,
        |v: Identified, raw, fields: &Fields| map(v, raw, fields, all_lines),
    )
}

/// Every line of invoice `id`, page by page, through the generated
/// paging of the lines list (exactly once, guarded like any listing).
async fn all_lines(client: &invoicing_stripe::Client, id: &str) -> Result<Vec<LineItem>> {
    let request = client
        .get_invoices_invoice_lines()
        .invoice(id)
        .limit(i64::from(MAX_PAGE_SIZE));
    Listing::new(
        GetInvoicesInvoiceLines::PAGING,
        ListingCheckpoint::start(),
        move |at| request.clone().fetch_page::<LineItem>(at),
    )
    .with_ids(|line| Some(line.id.clone()))
    .try_collect()
    .await
    .map_err(|err| api_error(PROVIDER, LINES, err))
}

/// `all_lines`: every line of the invoice, when fetched apart from it.
fn map(
    v: Identified,
    raw: Box<RawValue>,
    fields: &Fields,
    all_lines: Option<Vec<LineItem>>,
) -> Invoice {
    let Identified { id, invoice: v } = v;
    let currency = fields
        .read("currency", v.currency.as_str())
        .and_then(|code| currency(fields, "currency", code));
    let units =
        |field: &'static str, units: i64| fields.minor_units(field, units, currency.as_ref());
    let optional_units = |field: &'static str, value: Option<i64>| units(field, value?);

    let discount = match &v.total_discount_amounts {
        Some(parts) if !parts.is_empty() => {
            let parts: Option<Vec<Amount>> = parts
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    fields.minor_units(
                        format_args!("total_discount_amounts[{i}].amount"),
                        part.amount,
                        currency.as_ref(),
                    )
                })
                .collect();
            parts.and_then(|parts| {
                fields.sum(
                    |i| format!("total_discount_amounts[{i}].amount"),
                    &parts.iter().collect::<Vec<_>>(),
                )
            })
        }
        _ => None,
    };
    let totals = Totals {
        subtotal: units("subtotal", v.subtotal),
        discount,
        shipping: units("amount_shipping", v.amount_shipping),
        net: optional_units("total_excluding_tax", v.total_excluding_tax),
        tax: optional_units("tax", v.tax),
        gross: units("total", v.total),
        amount_due: units("amount_due", v.amount_due),
        amount_paid: units("amount_paid", v.amount_paid),
        amount_remaining: units("amount_remaining", v.amount_remaining),
    };

    let lines = match (all_lines, fields.read("lines", v.lines)) {
        (Some(all), _) => lines(fields, "lines", &all),
        (None, Some(embedded)) => {
            if embedded.has_more {
                fields.problem(
                    "lines",
                    Some(format!("{} lines, has_more: true", embedded.data.len())),
                    "the list response embeds only the first lines; `get` lists them all",
                );
            }
            lines(fields, "lines.data", &embedded.data)
        }
        (None, None) => Vec::new(),
    };

    let mut invoice = Invoice::new(PROVIDER, id, raw);
    invoice.number = v.number;
    invoice.kind = v.billing_reason.map(|reason| reason.to_string());
    if let Some(status) = v.status {
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
    invoice.set_issued(
        v.effective_at
            .and_then(|at| unix(fields, "effective_at", at)),
    );
    invoice.set_due(v.due_date.and_then(|at| unix(fields, "due_date", at)));
    invoice.created_at = fields
        .read("created", v.created)
        .and_then(|at| unix(fields, "created", at));
    invoice.paid_at = fields
        .read("status_transitions", v.status_transitions)
        .and_then(|transitions| transitions.paid_at)
        .and_then(|at| unix(fields, "status_transitions.paid_at", at));
    invoice.currency = currency;
    invoice.totals = totals;
    invoice.lines = lines;
    invoice.seller = seller(v.account_name, v.account_country);
    invoice.buyer = buyer(
        v.customer,
        v.customer_name,
        v.customer_email,
        v.customer_address,
        v.customer_tax_ids,
    );
    invoice.description = v.description;
    invoice.hosted_url = v.hosted_invoice_url;
    invoice.pdf_url = v.invoice_pdf;
    invoice.credit_note = false;
    invoice
}

/// A Stripe currency code (lower case, as Stripe writes ISO codes) as a
/// [`Currency`]; a code that is not one is a problem with the vendor's
/// value.
fn currency(fields: &Fields, field: impl std::fmt::Display + Copy, code: &str) -> Option<Currency> {
    let upper = code.to_ascii_uppercase();
    match Currency::new(upper) {
        Ok(currency) if code.bytes().all(|b| b.is_ascii_lowercase()) => Some(currency),
        // Not Stripe's lower-case form: checked as sent, which reports it.
        _ => fields.currency(field, code),
    }
}

/// Unix seconds as a UTC timestamp; out of range is a problem.
fn unix(fields: &Fields, field: &str, seconds: i64) -> Option<Timestamp> {
    match DateTime::from_timestamp(seconds, 0) {
        Some(at) => Some(Timestamp::from(at.fixed_offset())),
        None => {
            fields.problem(
                field,
                Some(seconds.to_string()),
                "Unix seconds out of the range of dates",
            );
            None
        }
    }
}

/// Stripe's line items (at `path` in the invoice) as [`Line`]s, each in
/// its own currency.
fn lines(fields: &Fields, path: &str, items: &[LineItem]) -> Vec<Line> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let currency = fields
                .read(format_args!("{path}[{i}].currency"), item.currency.as_str())
                .and_then(|code| currency(fields, format_args!("{path}[{i}].currency"), code));
            let unit_price = item.price.as_ref().and_then(|price| {
                fields.minor_units(
                    format_args!("{path}[{i}].price.unit_amount"),
                    price.unit_amount?,
                    currency.as_ref(),
                )
            });
            let amount = fields
                .read(format_args!("{path}[{i}].amount"), item.amount)
                .and_then(|amount| {
                    fields.minor_units(
                        format_args!("{path}[{i}].amount"),
                        amount,
                        currency.as_ref(),
                    )
                });
            Line {
                id: fields.read(format_args!("{path}[{i}].id"), item.id.clone()),
                name: item.price.as_ref().and_then(|price| price.nickname.clone()),
                description: item.description.clone(),
                quantity: item.quantity.map(Decimal::from),
                unit_price,
                amount,
            }
        })
        .collect()
}

/// The issuing account as a [`Party`].
fn seller(name: Option<String>, country: Option<String>) -> Option<Party> {
    let party = Party {
        name,
        country_code: country,
        ..Party::default()
    };
    (!party.is_empty()).then_some(party)
}

/// The customer as a [`Party`]: the invoice's snapshots of name, email,
/// address and tax ids, and the customer's id (or expanded object).
fn buyer(
    customer: Option<Customer>,
    name: Option<String>,
    email: Option<String>,
    address: Option<Address>,
    tax_ids: Option<Vec<TaxId>>,
) -> Option<Party> {
    let mut party = Party {
        name,
        email,
        ..Party::default()
    };
    match customer {
        Some(Customer::Id(id)) => party.id = Some(id),
        Some(Customer::Object { id, name, email }) => {
            party.id = Some(id);
            party.name = party.name.or(name);
            party.email = party.email.or(email);
        }
        None => {}
    }
    if let Some(address) = address {
        party.address_lines = [address.line1, address.line2]
            .into_iter()
            .flatten()
            .collect();
        party.city = address.city;
        party.postal_code = address.postal_code;
        party.region = address.state;
        party.country_code = address.country;
    }
    party.vat_id = tax_ids
        .into_iter()
        .flatten()
        .find_map(|tax_id| tax_id.kind.ends_with("_vat").then_some(tax_id.value).flatten());
    (!party.is_empty()).then_some(party)
}
