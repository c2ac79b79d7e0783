//! PayPal Invoicing v2: `GET /v2/invoicing/invoices` by page number (with
//! `total_required=true`, so each page says the last page and the count),
//! and `GET /v2/invoicing/invoices/{invoice_id}`.

use std::fmt::Display;

use chrono::{DateTime, NaiveDate};
use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_paypal_invoicing_v2::builder::InvoicesList;
use invoicing_paypal_invoicing_v2::types;
use invoicing_runtime::Auth;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, map_item};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Amount, Currency, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::PaypalInvoicingV2;
const GET: &str = "invoices_get";
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "id");
/// The largest `page_size` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 100;
/// PayPal's live server. The document lists the sandbox first (its
/// `SERVER_URL`) and this one second; an adapter for an account's
/// invoices reads the live one unless given another base URL.
pub(crate) const LIVE_SERVER_URL: &str = "https://api-m.paypal.com";

/// The invoices of one PayPal business account through Invoicing v2.
///
/// Credentials are OAuth2 client credentials (`PAYPAL_CLIENT_ID`,
/// `PAYPAL_CLIENT_SECRET`), or an access token got elsewhere
/// (`PAYPAL_ACCESS_TOKEN`), as
/// [`invoicing_paypal_invoicing_v2::auth_from_vars`](::invoicing_paypal_invoicing_v2::auth_from_vars)
/// reads them; the token comes from `/v1/oauth2/token` on the server the
/// adapter reads: the live `https://api-m.paypal.com` by default (the
/// document lists the sandbox first, as the generated `SERVER_URL`), the
/// sandbox `https://api-m.sandbox.paypal.com` as a base URL. The seller is
/// the invoicer, the buyer the first recipient's billing information.
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends
/// nothing for it (`None` or empty).
///
/// | model | PayPal Invoicing v2 |
/// |---|---|
/// | `id` | `id` |
/// | `number` | `detail.invoice_number` |
/// | `kind` | — |
/// | `status` | `status`: `DRAFT` → `Draft`; `SENT`, `UNPAID`, `PARTIALLY_PAID`, `PAYMENT_PENDING` → `Open`; `SCHEDULED` → `Scheduled`; `PAID`, `MARKED_AS_PAID`, `PARTIALLY_REFUNDED` → `Paid`; `CANCELLED` → `Void`; `REFUNDED`, `MARKED_AS_REFUNDED` and values the document does not list → `Other(value)` |
/// | `vendor_status` | `status` |
/// | `issue_date` | `detail.invoice_date` (`YYYY-MM-DD`, no time: `issued_at` stays `None`) |
/// | `due_date` | `detail.payment_term.due_date` (`YYYY-MM-DD`; `due_at` stays `None`) |
/// | `created_at` | `detail.metadata.create_time` (RFC 3339, in its own offset) |
/// | `paid_at` | — (payments carry dates only: `payments.transactions[].payment_date`) |
/// | `currency` | `detail.currency_code` |
/// | `totals.subtotal` | `amount.breakdown.item_total` |
/// | `totals.discount` | `amount.breakdown.discount.invoice_discount.amount`, as a positive amount (PayPal writes it negative) |
/// | `totals.shipping` | `amount.breakdown.shipping.amount` |
/// | `totals.net` | — |
/// | `totals.tax` | `amount.breakdown.tax_total` |
/// | `totals.gross` | `amount` (its `value` and `currency_code`) |
/// | `totals.amount_due`, `totals.amount_remaining` | `due_amount` ("the balance amount outstanding after payments") |
/// | `totals.amount_paid` | `payments.paid_amount` |
/// | `lines` | `items[]`: `id`, `name`, `description`, `quantity` (decimal string), `unit_amount` → `unit_price`; `amount` *derived* = `quantity × unit_amount` (before the item's tax and discount) |
/// | `seller` | `invoicer`: `business_name` (else `name`) → `name`, `email_address` → `email`, `tax_id` → `vat_id`, `address` |
/// | `buyer` | `primary_recipients[0].billing_info`: `business_name` (else `name`) → `name`, `email_address` → `email`, `address` |
/// | `description` | `detail.note` (the note to the recipient) |
/// | `hosted_url` | `detail.metadata.recipient_view_url` (the page the recipient pays on) |
/// | `pdf_url` | — |
/// | `credit_note` | always `false`: PayPal has no credit notes (refunds are recorded on the invoice, `refunds`) |
/// | `raw` | the object of `items[]` / the `invoices.get` body |
///
/// Addresses: `address_line_1..3` → `address_lines`, `admin_area_2` →
/// `city`, `admin_area_1` → `region`, `postal_code`, `country_code`. A
/// person's name is `name.full_name`, else its `given_name`,
/// `middle_name` and `surname` joined by spaces. Amounts are PayPal's
/// decimal strings in major units, read exactly with their own
/// `currency_code` (`.5`, which PayPal's pattern allows, is `0.5`;
/// quantities too).
///
/// Only in the raw JSON: `parent_id`, `detail.reference`, `memo`,
/// `terms_and_conditions`, `attachments`, the rest of `metadata`
/// (`invoicer_view_url`, who created, sent or cancelled it and when),
/// `payment_term.term_type`, `configuration`, `gratuity`, the
/// transactions of `payments` and `refunds` (and `refunds.refund_amount`),
/// item-level `tax`, `discount`, `item_date` and `unit_of_measure`,
/// `amount.breakdown.custom`, `discount.item_discount`, the shipping tax,
/// every recipient after the first, shipping info, phones, websites and
/// logos, `additional_recipients` and `links`.
///
/// [`Source::get`](crate::Source::get) fetches one invoice with `invoices_get`.
///
/// # Paging
///
/// Pages by `page` from 1 up to `total_pages`, asked for with `total_required=true` (at most 100 invoices a page). Exactly once: the runtime's guarantee for page numbers ([the invariant](invoicing_runtime::paging#the-invariant)): invoices that new ones push onto the next page are skipped by id, and a change of `total_items` between pages makes the listing read again where the last invoice taken now is. Limits: PayPal serves pages 1 to 1,000 only (the document's bound on `page`): past 100,000 invoices the listing ends with an error item at page 1,001 (the generated client refuses the value), never silently; an empty page before `total_pages` is an error item; PayPal sends no page number back, so a server that ignores `page` shows only through its repeated invoices.
pub type PaypalInvoicingV2 = Adapter<PaypalInvoicingV2Api>;

/// The PayPal Invoicing v2 API, as [`PaypalInvoicingV2`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct PaypalInvoicingV2Api;

impl Vendor for PaypalInvoicingV2Api {
    type Client = invoicing_paypal_invoicing_v2::Client;
}

impl VendorApi for PaypalInvoicingV2Api {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, "invoices_list", "id");
    const PAGING: Rules = InvoicesList::PAGING;
    type Options = ();
    /// The page size.
    type Request = Option<u64>;
    type Listed = types::Invoice;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_paypal_invoicing_v2::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, _: &()) -> Option<u64> {
        query.page_size_up_to(MAX_PAGE_SIZE)
    }

    fn page<'a>(
        client: &'a invoicing_paypal_invoicing_v2::Client,
        page_size: &'a Option<u64>,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        // The totals make the last page known (no empty page read past it)
        // and show a list that changes while it is read.
        let mut list = client.invoices_list().total_required(true);
        if let Some(page_size) = *page_size {
            list = list.page_size(page_size);
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        InvoicesList::read_page(&Self::PAGING.style.first(), &Default::default(), body)
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
        client: &'a invoicing_paypal_invoicing_v2::Client,
        _: &'a (),
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

impl FixedServer for PaypalInvoicingV2Api {
    const SERVER_URL: &'static str = LIVE_SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_paypal_invoicing_v2::auth_from_vars(var)
    }
}

async fn get(client: &invoicing_paypal_invoicing_v2::Client, id: &str) -> Result<Invoice> {
    let response = match client.invoices_get().invoice_id(id).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    // The body is the invoice itself; it is read as one listed invoice is.
    let body = response.into_inner();
    let raw: Box<RawValue> = super::shared::decode_body(PROVIDER, GET, &body)?;
    map_item(DETAIL, None, raw, map)
}

fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let detail = fields.read("detail", v.detail);
    let currency = detail
        .as_ref()
        .and_then(|detail| iso_currency(fields, "detail.currency_code", &detail.currency_code));
    let breakdown = v.amount.as_ref().and_then(|a| a.breakdown.as_ref());
    let money = |field: &str, m: Option<&types::Money>| money(fields, field, m?);
    let gross = v.amount.as_ref().and_then(|amount| {
        match (&amount.value, &amount.currency_code) {
            (Some(value), Some(code)) => amount_of(fields, "amount", value, code),
            (None, None) => None,
            // A value without its currency (or the reverse) is not an amount.
            (value, code) => {
                fields.problem(
                    "amount",
                    Some(format!("value {value:?}, currency_code {code:?}")),
                    "the total needs both `value` and `currency_code`",
                );
                None
            }
        }
    });
    let due = money("due_amount", v.due_amount.as_ref());
    let totals = Totals {
        subtotal: money(
            "amount.breakdown.item_total",
            breakdown.and_then(|b| b.item_total.as_ref()),
        ),
        // PayPal writes the discount negative in responses (`-2.63`); the
        // model's is positive. Only the sign changes.
        discount: money(
            "amount.breakdown.discount.invoice_discount.amount",
            breakdown
                .and_then(|b| b.discount.as_ref())
                .and_then(|d| d.invoice_discount.as_ref())
                .and_then(|d| d.amount.as_ref()),
        )
        .map(|discount| Amount::new(discount.value.abs(), discount.currency)),
        shipping: money(
            "amount.breakdown.shipping.amount",
            breakdown
                .and_then(|b| b.shipping.as_ref())
                .and_then(|s| s.amount.as_ref()),
        ),
        tax: money(
            "amount.breakdown.tax_total",
            breakdown.and_then(|b| b.tax_total.as_ref()),
        ),
        gross,
        // PayPal's due amount is what is left after payments: both the
        // amount due for payment and the amount remaining.
        amount_due: due.clone(),
        amount_remaining: due,
        amount_paid: money(
            "payments.paid_amount",
            v.payments.as_ref().and_then(|p| p.paid_amount.as_ref()),
        ),
        ..Totals::default()
    };
    let lines = v
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| line(fields, i, item))
        .collect();

    let mut invoice = Invoice::new(PROVIDER, v.id.unwrap_or_default(), raw);
    if let Some(Some(status)) = fields.read("status", v.status) {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = status_of(status);
    }
    invoice.currency = currency;
    invoice.totals = totals;
    invoice.lines = lines;
    invoice.seller = v.invoicer.map(|invoicer| {
        let mut party = address_party(fields, "invoicer.address", invoicer.address.as_ref());
        party.name = invoicer
            .business_name
            .or_else(|| invoicer.name.as_ref().and_then(person_name));
        party.email = invoicer.email_address.map(|email| email.to_string());
        party.vat_id = invoicer.tax_id;
        party
    });
    invoice.buyer = v
        .primary_recipients
        .into_iter()
        .next()
        .and_then(|recipient| recipient.billing_info)
        .map(|billing| {
            let mut party = address_party(
                fields,
                "primary_recipients[0].billing_info.address",
                billing.address.as_ref(),
            );
            party.name = billing
                .business_name
                .or_else(|| billing.name.as_ref().and_then(person_name));
            party.email = billing.email_address.map(|email| email.to_string());
            party
        })
        .filter(|party| !party.is_empty());
    if let Some(detail) = detail {
        invoice.number = detail.invoice_number;
        invoice.issue_date = detail
            .invoice_date
            .and_then(|date| day(fields, "detail.invoice_date", &date));
        invoice.due_date = detail
            .payment_term
            .and_then(|term| term.due_date)
            .and_then(|date| day(fields, "detail.payment_term.due_date", &date));
        invoice.created_at = detail
            .metadata
            .as_ref()
            .and_then(|metadata| metadata.create_time.as_ref())
            .and_then(|at| instant(fields, "detail.metadata.create_time", at));
        invoice.hosted_url = detail
            .metadata
            .and_then(|metadata| metadata.recipient_view_url);
        invoice.description = detail.note;
    }
    invoice
}

/// PayPal's status in the common vocabulary.
fn status_of(status: types::InvoiceStatus) -> Status {
    use types::InvoiceStatus as S;
    match status {
        S::Draft => Status::Draft,
        S::Sent | S::Unpaid | S::PartiallyPaid | S::PaymentPending => Status::Open,
        S::Scheduled => Status::Scheduled,
        // Paid, then partly refunded: still a paid invoice.
        S::Paid | S::MarkedAsPaid | S::PartiallyRefunded => Status::Paid,
        S::Cancelled => Status::Void,
        // Refunded in full has no word of its own in the common vocabulary
        // (neither unpaid nor cancelled): kept as PayPal says it.
        S::Refunded | S::MarkedAsRefunded => Status::Other(status.to_string()),
        S::Unknown(other) => Status::Other(other),
        // A value a later spec adds (the enum is non_exhaustive).
        other => Status::Other(other.to_string()),
    }
}

/// One item as a [`Line`]; its amount is quantity × unit amount, before
/// the item's own tax and discount.
fn line(fields: &Fields, i: usize, item: &types::Item) -> Line {
    let quantity = decimal(fields, format_args!("items[{i}].quantity"), &item.quantity);
    let unit_price = money(
        fields,
        &format!("items[{i}].unit_amount"),
        &item.unit_amount,
    );
    let amount = quantity
        .zip(unit_price.as_ref())
        .and_then(|(quantity, unit)| {
            fields.product(
                format_args!("items[{i}].quantity * items[{i}].unit_amount"),
                quantity,
                unit,
            )
        });
    Line {
        id: item.id.clone(),
        name: fields.read(format_args!("items[{i}].name"), item.name.clone()),
        description: item.description.clone(),
        quantity,
        unit_price,
        amount,
    }
}

/// A PayPal `money` object.
fn money(fields: &Fields, field: &str, m: &types::Money) -> Option<Amount> {
    amount_of(fields, field, &m.value, &m.currency_code)
}

/// A decimal string and its currency code, exactly: empty when either
/// cannot be read.
fn amount_of(
    fields: &Fields,
    field: &str,
    value: &str,
    currency: &types::CurrencyCode,
) -> Option<Amount> {
    let value = decimal(fields, format_args!("{field}.value"), value);
    let currency = iso_currency(fields, format_args!("{field}.currency_code"), currency);
    Some(Amount::new(value?, Some(currency?)))
}

/// A currency code as PayPal's `currency_code` is: ISO 4217. A code ISO
/// 4217 does not list (with a minor unit) is a problem, never passed on as
/// if PayPal could bill in it.
fn iso_currency(fields: &Fields, field: impl Display + Copy, code: &str) -> Option<Currency> {
    let currency = fields.currency(field, code)?;
    if currency.minor_unit_exponent().is_none() {
        fields.problem(
            field,
            Some(format!("{code:?}")),
            "not an ISO 4217 currency code (with a minor unit), which PayPal's `currency_code` is",
        );
        return None;
    }
    Some(currency)
}

/// A PayPal decimal string, exactly. PayPal's pattern allows a fraction
/// without its integer part (`.5`, `-.5`), which is read as `0.5`.
fn decimal(fields: &Fields, field: impl Display + Copy, text: &str) -> Option<Decimal> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if unsigned.starts_with('.') {
        return fields.decimal(field, &text.replacen('.', "0.", 1));
    }
    fields.decimal(field, text)
}

/// A `YYYY-MM-DD` date.
fn day(fields: &Fields, field: impl Display + Copy, date: &types::DateNoTime) -> Option<NaiveDate> {
    let text = fields.read(field, date.as_str())?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|err| {
            fields.problem(
                field,
                Some(text.to_owned()),
                format!("not a YYYY-MM-DD date: {err}"),
            )
        })
        .ok()
}

/// An RFC 3339 date-time, in the offset PayPal wrote.
fn instant(fields: &Fields, field: impl Display + Copy, at: &types::DateTime) -> Option<Timestamp> {
    let text = fields.read(field, at.as_str())?;
    DateTime::parse_from_rfc3339(text)
        .map(Timestamp::from)
        .map_err(|err| {
            fields.problem(
                field,
                Some(text.to_owned()),
                format!("not an RFC 3339 date-time: {err}"),
            )
        })
        .ok()
}

/// A person's name: `full_name`, else its parts joined.
fn person_name(name: &types::Name) -> Option<String> {
    if let Some(full) = &name.full_name {
        return Some(full.clone());
    }
    let parts: Vec<&str> = [&name.given_name, &name.middle_name, &name.surname]
        .into_iter()
        .filter_map(|part| part.as_deref())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A [`Party`] with only the address (at vendor path `field`) filled.
fn address_party(fields: &Fields, field: &str, address: Option<&types::AddressPortable>) -> Party {
    let Some(address) = address else {
        return Party::default();
    };
    Party {
        address_lines: [
            &address.address_line_1,
            &address.address_line_2,
            &address.address_line_3,
        ]
        .into_iter()
        .filter_map(Clone::clone)
        .collect(),
        city: address.admin_area_2.clone(),
        region: address.admin_area_1.clone(),
        postal_code: address.postal_code.clone(),
        // Required by the schema: a stand-in when absent, so read through
        // `fields`.
        country_code: fields.read(
            format_args!("{field}.country_code"),
            address.country_code.to_string(),
        ),
        ..Party::default()
    }
}
