//! Mollie: the account's sales invoices, `GET /v2/sales-invoices`, paged by
//! following `_links.next.href` (HAL), and `GET /v2/sales-invoices/{id}`.

use chrono::DateTime;
use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_mollie::builder::ListSalesInvoices;
use invoicing_mollie::types;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, decode_body, map_item};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Amount, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::Mollie;
const GET: &str = "get_sales_invoice";
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "id");
/// The largest `limit` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 250;

/// The sales invoices of one Mollie account (its invoices to its
/// customers).
///
/// Amounts are Mollie's `{currency, value}` decimal strings, read exactly.
/// The buyer is the invoice's `recipient` (and `customerId`); the seller is
/// known only by the website profile id. Credentials are a profile API key
/// (`live_...`/`test_...`) or an organisation access token, as bearer
/// tokens; `from_env` reads them as
/// [`invoicing_mollie::auth_from_env`](::invoicing_mollie::auth_from_env)
/// does (`from_vars`: `MOLLIE_API_KEY` or `MOLLIE_ACCESS_TOKEN`).
///
/// Field by field ([`Invoice`] field ← Mollie's sales invoice):
///
/// | model | Mollie |
/// |---|---|
/// | `id` | `id` (`invoice_...`) |
/// | `number` | `invoiceNumber` (set once issued) |
/// | `kind` | `resource` (`sales-invoice`) |
/// | `status`, `vendor_status` | `status`: `draft` → `Draft`, `issued` → `Open`, `paid` → `Paid`; others → `Other(value)` |
/// | `issued_at`, `issue_date` | `issuedAt` |
/// | `due_at`, `due_date` | `dueAt` |
/// | `created_at` | `createdAt` |
/// | `paid_at` | `paidAt` |
/// | `currency` | `totalAmount.currency` |
/// | `totals.subtotal` | `subtotalAmount` (before discounts, without VAT) |
/// | `totals.net` | `discountedSubtotalAmount` (after discounts, without VAT) |
/// | `totals.tax` | `totalVatAmount` |
/// | `totals.gross` | `totalAmount` |
/// | `totals.amount_due` | `amountDue` |
/// | `lines` | `lines[]`: `description`, `quantity`, `unitPrice`; `amount` *derived* = `quantity × unitPrice` for a line without its own `discount` (— for one with) |
/// | `buyer` | `customerId` → `id`, `recipient`: `organizationName` (else `givenName familyName`) → `name`, `email`, `vatNumber` → `vat_id`, `organizationNumber` → `registration_id`, `streetAndNumber`, `streetAdditional` → `address_lines`, `postalCode`, `city`, `region`, `country` → `country_code` |
/// | `seller` | `profileId` → `id` (the account's website profile) |
/// | `hosted_url` | `_links.invoicePayment.href` (where the customer pays) |
/// | `pdf_url` | `_links.pdfLink.href` |
/// | `credit_note` | always `false`: Mollie has no credit notes |
/// | `description` | `memo` |
/// | `raw` | the object of `_embedded.sales_invoices[]`, or the body of a `get` |
///
/// Only in [`Invoice::raw`]: `mode`, `vatScheme`, `vatMode`, `paymentTerm`,
/// `eInvoiceStatus`, `isEInvoice`, the invoice-level `discount` (a type and
/// a value, not an amount), line `vatRate` and `discount`, `paymentDetails`,
/// `emailDetails`, `mandateId`, `recipientIdentifier`, `metadata`, and
/// `currency` where it is sent (the schema does not have it).
///
/// Mollie's own invoices to the account (`GET /v2/invoices`, which needs
/// an organisation access token) are in the generated crate
/// ([`invoicing_mollie`](::invoicing_mollie), `list_invoices` with
/// `.stream()`), not listed by this adapter.
///
/// [`Source::get`](crate::Source::get) fetches one sales invoice with
/// `get_sales_invoice`.
///
/// # Paging
///
/// Pages by `_links.next.href`, the next page's URL (`from` = its first
/// invoice's id), followed as received until null. Exactly once: the URL
/// keeps the vendor's place, so a list that changes shifts nothing.
/// Limits: a URL followed before, one to another server, an empty page
/// with a next URL: error items.
pub type Mollie = Adapter<MollieApi>;

/// The Mollie API, as [`Mollie`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct MollieApi;

impl Vendor for MollieApi {
    type Client = invoicing_mollie::Client;
}

impl VendorApi for MollieApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "list_sales_invoices", "id");
    const PAGING: Rules = ListSalesInvoices::PAGING;
    type Options = ();
    /// The page size.
    type Request = Option<u64>;
    type Listed = types::ListSalesInvoiceResponse;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_mollie::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, _: &()) -> Option<u64> {
        query.page_size_up_to(MAX_PAGE_SIZE)
    }

    fn page<'a>(
        client: &'a invoicing_mollie::Client,
        limit: &'a Option<u64>,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let mut list = client.list_sales_invoices();
        if let Some(limit) = *limit {
            list = list.limit(limit);
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        ListSalesInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(
        v: types::ListSalesInvoiceResponse,
        raw: Box<RawValue>,
        fields: &Fields,
        _: &(),
    ) -> Invoice {
        map(v, raw, fields)
    }

    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        Self::fixed_from_vars(base_url, var)
    }

    fn get<'a>(
        client: &'a invoicing_mollie::Client,
        _: &'a (),
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

impl FixedServer for MollieApi {
    const SERVER_URL: &'static str = invoicing_mollie::SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_mollie::auth_from_vars(var)
    }
}

/// One sales invoice: the body is the invoice itself, read with the same
/// type (and so the same mapping) as a listed one.
async fn get(client: &invoicing_mollie::Client, id: &str) -> Result<Invoice> {
    let response = match client
        .get_sales_invoice()
        .sales_invoice_id(id)
        .send_raw()
        .await
    {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let raw: Box<RawValue> = decode_body(PROVIDER, GET, &response.into_inner())?;
    map_item(DETAIL, None, raw, map)
}

fn map(v: types::ListSalesInvoiceResponse, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let money = |field: &str, amount: &Option<types::Amount>| {
        let amount = fields.read(field, amount.as_ref())??;
        mollie_amount(fields, field, amount)
    };
    let gross = money("totalAmount", &v.total_amount);
    let currency = gross.as_ref().and_then(|gross| gross.currency.clone());

    let mut invoice = Invoice::new(PROVIDER, v.id.into(), raw);
    invoice.number = v.invoice_number;
    invoice.kind = Some(v.resource);
    if let Some(status) = fields.read("status", v.status).flatten() {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = match status {
            types::SalesInvoiceStatusResponse::Draft => Status::Draft,
            types::SalesInvoiceStatusResponse::Issued => Status::Open,
            types::SalesInvoiceStatusResponse::Paid => Status::Paid,
            other => Status::Other(other.to_string()),
        };
    }
    invoice.set_issued(timestamp(fields, "issuedAt", v.issued_at.as_deref()));
    invoice.set_due(timestamp(fields, "dueAt", v.due_at.as_deref()));
    invoice.created_at = timestamp(
        fields,
        "createdAt",
        v.created_at.as_ref().map(|at| at.as_str()),
    );
    invoice.paid_at = timestamp(fields, "paidAt", v.paid_at.as_deref());
    invoice.totals = Totals {
        subtotal: money("subtotalAmount", &v.subtotal_amount),
        net: money("discountedSubtotalAmount", &v.discounted_subtotal_amount),
        tax: money("totalVatAmount", &v.total_vat_amount),
        gross,
        amount_due: money("amountDue", &v.amount_due),
        ..Totals::default()
    };
    invoice.currency = currency;
    invoice.lines = v
        .lines
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let field = format!("lines[{i}].unitPrice");
            let unit_price = fields
                .read(&field, &line.unit_price)
                .and_then(|price| mollie_amount(fields, &field, price));
            let quantity = fields
                .read(format_args!("lines[{i}].quantity"), line.quantity)
                .map(Decimal::from);
            // The line's own discount changes its total in a way Mollie
            // does not spell out per line, so only an undiscounted line
            // has a derived amount.
            let amount = match (&quantity, &unit_price, &line.discount) {
                (Some(quantity), Some(unit_price), None) => {
                    fields.product(format_args!("lines[{i}].amount"), *quantity, unit_price)
                }
                _ => None,
            };
            Line {
                description: Some(line.description),
                quantity,
                unit_price,
                amount,
                ..Line::default()
            }
        })
        .collect();
    invoice.buyer = buyer(v.customer_id, v.recipient);
    invoice.seller = v.profile_id.map(|id| Party {
        id: Some(id),
        ..Party::default()
    });
    if let Some(links) = v.links {
        invoice.hosted_url = links.invoice_payment.map(|link| link.href);
        invoice.pdf_url = links.pdf_link.map(|link| link.href);
    }
    invoice.credit_note = false;
    invoice.description = v.memo;
    invoice
}

/// Mollie's `{currency, value}`: a decimal string in a currency ISO 4217
/// lists (Mollie's amounts are in ISO 4217 currencies), else a problem and
/// no amount rather than a value in a currency taken on trust.
fn mollie_amount(fields: &Fields, field: &str, amount: &types::Amount) -> Option<Amount> {
    let money = fields.money(field, &amount.value, &amount.currency)?;
    let currency = money.currency.as_ref()?;
    if currency.minor_unit_exponent().is_none() {
        fields.problem(
            format_args!("{field}.currency"),
            Some(format!("{:?}", amount.currency)),
            "not an ISO 4217 currency with a minor unit, which Mollie's amounts are in",
        );
        return None;
    }
    Some(money)
}

/// An ISO 8601 date-time with its offset, as Mollie sends them, kept in
/// that offset; `None` for null or absent, a problem for anything else.
fn timestamp(fields: &Fields, field: &str, text: Option<&str>) -> Option<Timestamp> {
    let text = fields.read(field, text?)?;
    DateTime::parse_from_rfc3339(text)
        .map(Timestamp::from)
        .map_err(|err| {
            fields.problem(
                field,
                Some(format!("{text:?}")),
                format!("not an RFC 3339 date-time: {err}"),
            )
        })
        .ok()
}

/// The recipient as a [`Party`], with the customer's id where given.
fn buyer(
    customer_id: Option<String>,
    recipient: Option<types::SalesInvoiceRecipientResponse>,
) -> Option<Party> {
    let mut party = Party {
        id: customer_id,
        ..Party::default()
    };
    if let Some(r) = recipient.and_then(|recipient| recipient.0) {
        let person = [r.given_name.as_deref(), r.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        party.name = r
            .organization_name
            .or_else(|| (!person.is_empty()).then_some(person));
        party.email = Some(r.email);
        party.vat_id = r.vat_number;
        party.registration_id = r.organization_number;
        party.address_lines = std::iter::once(r.street_and_number)
            .chain(r.street_additional)
            .collect();
        party.postal_code = Some(r.postal_code);
        party.city = Some(r.city);
        party.region = r.region;
        party.country_code = Some(r.country);
    }
    (!party.is_empty()).then_some(party)
}
