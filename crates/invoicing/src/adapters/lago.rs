//! Lago: `GET /invoices` by page number up to `meta.total_pages`, and
//! `GET /invoices/{lago_id}` (with its fees as lines).

use chrono::{DateTime, FixedOffset, NaiveDate};
use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_lago::builder::FindAllInvoices;
use invoicing_lago::types;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, decode_body, map_item};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::Lago;
const GET: &str = "find_invoice";
/// Lago's page size by default ("in most cases", its pagination page);
/// the document states no maximum, so none larger is asked for.
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Lago organisation.
///
/// Amounts are integers "expressed in cents": the currency's minor unit,
/// converted by the currency's ISO 4217 exponent (`1999` `EUR` is 19.99,
/// `1999` `JPY` is 1999); a currency with no ISO 4217 minor unit leaves
/// them empty, with a field problem. Dates (`issuing_date`,
/// `payment_due_date`) are calendar dates, kept as such (no time, no
/// offset); `created_at` is UTC.
///
/// Built with [`Adapter::with_auth`] or [`Adapter::from_env`]
/// (`LAGO_API_KEY`, a bearer token) for Lago's US cluster
/// ([`invoicing_lago::SERVER_URL`]); the EU cluster
/// (`https://api.eu.getlago.com/api/v1`) and self-hosted instances
/// (their origin + `/api/v1`) through [`Adapter::with_base_url`] or
/// [`Adapter::from_vars`] with a base URL.
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; "—": the vendor sends nothing for
/// it (`None` or empty).
///
/// | model | Lago |
/// |---|---|
/// | `id` | `lago_id` |
/// | `number` | `number` |
/// | `kind` | `invoice_type` |
/// | `status` | `status` `draft` → `Draft`, `voided` → `Void`; `finalized` with `payment_status` `succeeded` → `Paid`, else with `payment_overdue` true → `Overdue`, else `Open`; `pending`, `failed`, `deleted` and others → `Other(value)` |
/// | `vendor_status` | `status` (its `payment_status` stays in `raw`) |
/// | `issue_date` | `issuing_date` (a date; `issued_at` —) |
/// | `due_date` | `payment_due_date` (a date; `due_at` —) |
/// | `created_at` | `created_at` |
/// | `paid_at` | — |
/// | `currency` | `currency` |
/// | `totals.subtotal` | `fees_amount_cents` |
/// | `totals.discount` | `coupons_amount_cents` |
/// | `totals.shipping` | — |
/// | `totals.net` | `sub_total_excluding_taxes_amount_cents` |
/// | `totals.tax` | `taxes_amount_cents` |
/// | `totals.gross` | `sub_total_including_taxes_amount_cents` |
/// | `totals.amount_due` | `total_amount_cents` (after credit notes and prepaid credits) |
/// | `totals.amount_paid`, `totals.amount_remaining` | — |
/// | `lines` | list: — (list items carry no fees); `get`: `fees[]`: `lago_id` → `id`, `item.invoice_display_name` (else `item.name`) → `name`, `description`, `units` (decimal string) → `quantity`, `amount_cents` in `amount_currency` → `amount` |
/// | `seller` | — |
/// | `buyer` | `customer`: `lago_id` → `id`, `external_id` → `account_ref`, `legal_name` (else `name`) → `name`, `email`, `address_line1`, `address_line2`, `city`, `zipcode` → `postal_code`, `state` → `region`, `country` → `country_code`, `tax_identification_number` → `vat_id`, `legal_number` → `registration_id` |
/// | `description` | — |
/// | `hosted_url` | `web_url` (the invoice's page in the Lago dashboard) |
/// | `pdf_url` | `file_url` |
/// | `credit_note` | always `false`: Lago lists credit notes apart (`/credit_notes`); its `credit` invoice type is a purchase of prepaid credits |
/// | `raw` | the object of `invoices[]` / `invoice` |
///
/// Only in [`Invoice::raw`]: `payment_status`, `payment_overdue`,
/// `payment_dispute_lost_at`, the credit amounts (`credit_notes_amount_cents`,
/// `prepaid_credit_amount_cents`, `progressive_billing_credit_amount_cents`),
/// `billing_entity_code`, `sequential_id`, `version_number`, `metadata`,
/// applied taxes, and the fees' precise amounts, unit amounts and tax
/// rates.
///
/// **Paging.** Page numbers from 1 up to `meta.total_pages`;
/// `meta.current_page` catches a server that ignores `page`, and
/// `meta.total_count` a list that changes while it is read (the runtime's
/// guarantees for page numbers, as for Kitchen).
/// [`Source::get`](crate::Source::get) fetches one invoice with
/// `find_invoice` (an id that is not a UUID, as Lago's are, is refused
/// before anything is sent).
pub type Lago = Adapter<LagoApi>;

/// The Lago API, as [`Lago`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct LagoApi;

/// `InvoiceObject` (a listed invoice) and `InvoiceObjectExtended` (one
/// fetched, with `fees`): the members mapped, required as the document
/// requires them, with the generated crate's status enums. One type for
/// both, where the generated crate has one each.
#[derive(Deserialize)]
pub(crate) struct Listed {
    lago_id: String,
    number: String,
    invoice_type: String,
    status: types::InvoiceObjectStatus,
    payment_status: types::InvoiceObjectPaymentStatus,
    payment_overdue: Option<bool>,
    /// Required by the document; optional here so that one that is not a
    /// date is set aside (a problem) rather than costing the invoice (no
    /// stand-in of a date type is tried).
    issuing_date: Option<NaiveDate>,
    payment_due_date: Option<NaiveDate>,
    created_at: DateTime<FixedOffset>,
    currency: String,
    fees_amount_cents: i64,
    coupons_amount_cents: i64,
    sub_total_excluding_taxes_amount_cents: i64,
    taxes_amount_cents: i64,
    sub_total_including_taxes_amount_cents: i64,
    total_amount_cents: i64,
    customer: Option<Customer>,
    file_url: Option<String>,
    web_url: Option<String>,
    fees: Option<Vec<Fee>>,
}

/// `CustomerObject`, the members mapped.
#[derive(Deserialize)]
struct Customer {
    lago_id: Option<String>,
    external_id: Option<String>,
    name: Option<String>,
    legal_name: Option<String>,
    legal_number: Option<String>,
    email: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    city: Option<String>,
    zipcode: Option<String>,
    state: Option<String>,
    country: Option<String>,
    tax_identification_number: Option<String>,
}

/// `FeeObject`, the members mapped.
#[derive(Deserialize)]
struct Fee {
    lago_id: Option<String>,
    amount_cents: i64,
    amount_currency: String,
    units: String,
    description: Option<String>,
    item: FeeItem,
}

/// `FeeObject.item`, the members mapped.
#[derive(Deserialize)]
struct FeeItem {
    name: String,
    invoice_display_name: Option<String>,
}

impl Vendor for LagoApi {
    type Client = invoicing_lago::Client;
}

impl VendorApi for LagoApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "find_all_invoices", "lago_id");
    const PAGING: Rules = FindAllInvoices::PAGING;
    type Options = ();
    /// The page size.
    type Request = Option<u64>;
    type Listed = Listed;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_lago::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, _: &()) -> Option<u64> {
        query.page_size_up_to(MAX_PAGE_SIZE)
    }

    fn page<'a>(
        client: &'a invoicing_lago::Client,
        per_page: &'a Option<u64>,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let mut list = client.find_all_invoices();
        if let Some(per_page) = *per_page {
            // At most MAX_PAGE_SIZE: it fits.
            list = list.per_page(i64::try_from(per_page).unwrap_or(i64::from(MAX_PAGE_SIZE)));
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        FindAllInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: Listed, raw: Box<RawValue>, fields: &Fields, _: &()) -> Invoice {
        map(v, raw, fields)
    }

    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        Self::fixed_from_vars(base_url, var)
    }

    fn get<'a>(
        client: &'a invoicing_lago::Client,
        _: &'a (),
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

impl FixedServer for LagoApi {
    const SERVER_URL: &'static str = invoicing_lago::SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_lago::auth_from_vars(var)
    }
}

async fn get(client: &invoicing_lago::Client, id: &str) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        invoice: Box<RawValue>,
    }
    let response = match client.find_invoice().lago_id(id).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let envelope: Envelope = decode_body(PROVIDER, GET, &response.into_inner())?;
    map_item(
        ItemShape::new(PROVIDER, GET, "lago_id"),
        None,
        envelope.invoice,
        map,
    )
}

fn map(v: Listed, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let currency = fields
        .read("currency", v.currency.as_str())
        .and_then(|code| fields.currency("currency", code));
    let cents = |field: &'static str, cents: i64| fields.minor_units(field, cents, currency.as_ref());
    let totals = Totals {
        subtotal: cents("fees_amount_cents", v.fees_amount_cents),
        discount: cents("coupons_amount_cents", v.coupons_amount_cents),
        net: cents(
            "sub_total_excluding_taxes_amount_cents",
            v.sub_total_excluding_taxes_amount_cents,
        ),
        tax: cents("taxes_amount_cents", v.taxes_amount_cents),
        gross: cents(
            "sub_total_including_taxes_amount_cents",
            v.sub_total_including_taxes_amount_cents,
        ),
        amount_due: cents("total_amount_cents", v.total_amount_cents),
        ..Totals::default()
    };

    let mut invoice = Invoice::new(PROVIDER, v.lago_id, raw);
    invoice.number = fields.read("number", v.number);
    invoice.kind = fields.read("invoice_type", v.invoice_type);
    let payment = fields.read("payment_status", v.payment_status);
    if let Some(status) = fields.read("status", v.status) {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = status_of(status, payment, v.payment_overdue);
    }
    invoice.issue_date = match fields.read("issuing_date", v.issuing_date) {
        Some(None) => {
            fields.problem("issuing_date", None, "absent or null, which the document does not allow");
            None
        }
        date => date.flatten(),
    };
    invoice.due_date = v.payment_due_date;
    invoice.created_at = fields
        .read("created_at", v.created_at)
        .map(Timestamp::from);
    invoice.currency = currency;
    invoice.totals = totals;
    invoice.lines = v
        .fees
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, fee)| line(fields, i, fee))
        .collect();
    invoice.buyer = v.customer.and_then(buyer);
    invoice.hosted_url = v.web_url;
    invoice.pdf_url = v.file_url;
    invoice.credit_note = false;
    invoice
}

/// The normalised status: Lago's invoice `status` with, for a finalized
/// invoice, its `payment_status` and `payment_overdue`.
fn status_of(
    status: types::InvoiceObjectStatus,
    payment: Option<types::InvoiceObjectPaymentStatus>,
    overdue: Option<bool>,
) -> Status {
    use types::InvoiceObjectPaymentStatus as Payment;
    use types::InvoiceObjectStatus as Lago;
    match status {
        Lago::Draft => Status::Draft,
        Lago::Voided => Status::Void,
        Lago::Finalized => match (payment, overdue) {
            (Some(Payment::Succeeded), _) => Status::Paid,
            // An unreadable payment status: finalized, but paid or not is
            // not known.
            (None, _) => Status::Other(Lago::Finalized.to_string()),
            (_, Some(true)) => Status::Overdue,
            _ => Status::Open,
        },
        Lago::Unknown(other) => Status::Other(other),
        // `pending`, `failed`, `deleted`, and values a later spec adds.
        other => Status::Other(other.to_string()),
    }
}

/// Fee `i` as a [`Line`], in its own currency.
fn line(fields: &Fields, i: usize, fee: &Fee) -> Line {
    let currency = fields
        .read(format_args!("fees[{i}].amount_currency"), fee.amount_currency.as_str())
        .and_then(|code| fields.currency(format_args!("fees[{i}].amount_currency"), code));
    let amount = fields
        .read(format_args!("fees[{i}].amount_cents"), fee.amount_cents)
        .and_then(|cents| {
            fields.minor_units(
                format_args!("fees[{i}].amount_cents"),
                cents,
                currency.as_ref(),
            )
        });
    Line {
        id: fee.lago_id.clone(),
        name: fields
            .read(format_args!("fees[{i}].item"), &fee.item)
            .map(|item| item.invoice_display_name.clone().unwrap_or_else(|| item.name.clone())),
        description: fee.description.clone(),
        quantity: fields.decimal(format_args!("fees[{i}].units"), &fee.units),
        unit_price: None,
        amount,
    }
}

/// The customer as a [`Party`].
fn buyer(customer: Customer) -> Option<Party> {
    let party = Party {
        id: customer.lago_id,
        account_ref: customer.external_id,
        name: customer.legal_name.or(customer.name),
        email: customer.email,
        vat_id: customer.tax_identification_number,
        registration_id: customer.legal_number,
        address_lines: [customer.address_line1, customer.address_line2]
            .into_iter()
            .flatten()
            .collect(),
        postal_code: customer.zipcode,
        city: customer.city,
        region: customer.state,
        country_code: customer.country,
        ..Party::default()
    };
    (!party.is_empty()).then_some(party)
}
