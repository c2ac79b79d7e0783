//! Square Invoices: `GET /v2/invoices?location_id=...`, paged by the
//! body's `cursor`, and `GET /v2/invoices/{invoice_id}`.

use chrono::{DateTime, NaiveDate};
use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use invoicing_runtime::{Auth, Origin};
use invoicing_square::builder::ListInvoices;
use invoicing_square::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{Fields, ItemShape, api_error, decode_body, map_item, required_setting};
use super::vendor::{Vendor, VendorApi};
use crate::error::Result;
use crate::model::{Amount, Currency, Invoice, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::Square;
const LIST: &str = "list_invoices";
const GET: &str = "get_invoice";
/// The largest `limit` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 200;
/// The variable [`VendorApi::from_vars`] reads the location from.
const LOCATION_VAR: &str = "SQUARE_LOCATION_ID";

/// The invoices of one location of a Square seller.
///
/// Square lists invoices one location at a time: the location is
/// required, set with [`Square::location`] or read from
/// `SQUARE_LOCATION_ID` by `from_vars`. Credentials are an access token (a
/// personal access token for the seller's own account, or an OAuth access
/// token for another seller's) in `SQUARE_ACCESS_TOKEN`, as
/// [`invoicing_square::auth_from_vars`](::invoicing_square::auth_from_vars)
/// reads it. The server is `https://connect.squareup.com`; the sandbox
/// `https://connect.squareupsandbox.com` is a base URL.
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends
/// nothing for it (`None` or empty). Money is Square's `{amount, currency}`:
/// an integer in the currency's minor unit, scaled exactly by its ISO 4217
/// exponent (`1999` USD is `19.99`, `1999` JPY is `1999`, `1999` KWD is
/// `1.999`); a currency without one (`UNKNOWN_CURRENCY`, a code ISO 4217
/// does not list) is a field problem, never a guessed scale.
///
/// | model | Square |
/// |---|---|
/// | `id` | `id` |
/// | `number` | `invoice_number` |
/// | `kind` | — |
/// | `status` | `status`: `DRAFT` → `Draft`; `UNPAID`, `PARTIALLY_PAID`, `PAYMENT_PENDING` → `Open`; `SCHEDULED` → `Scheduled`; `PAID`, `PARTIALLY_REFUNDED` → `Paid`; `CANCELED` → `Void`; `REFUNDED`, `FAILED` and values the document does not list → `Other(value)` |
/// | `vendor_status` | `status` |
/// | `issued_at`, `issue_date` | — (Square has no invoice date; `sale_or_service_date` and `scheduled_at` stay in the raw JSON) |
/// | `due_date` | the latest `payment_requests[].due_date` (`YYYY-MM-DD` in the invoice's `timezone`; `due_at` stays `None`) |
/// | `created_at` | `created_at` (RFC 3339, in its own offset) |
/// | `paid_at` | — |
/// | `currency` | the currency of `payment_requests[0].computed_amount_money`, else of `next_payment_amount_money` |
/// | `totals.gross` | *derived*: the sum of `payment_requests[].computed_amount_money` (the requests split the invoice's total: one `BALANCE`, or a `DEPOSIT` and a `BALANCE`, or `INSTALLMENT`s) |
/// | `totals.amount_paid` | *derived*: the sum of `payment_requests[].total_completed_amount_money` |
/// | `totals.subtotal`, `discount`, `shipping`, `net`, `tax` | — (they are the order's: `order_id`) |
/// | `totals.amount_due`, `totals.amount_remaining` | — (`next_payment_amount_money` is only the next request's) |
/// | `lines` | — (the order's line items: `order_id`, through [`invoicing_square::Client::retrieve_order`]; listing them would cost a request per invoice) |
/// | `seller` | the location: `location_id` → `id` |
/// | `buyer` | `primary_recipient`: `customer_id` → `id`, `company_name` (else `given_name` and `family_name`) → `name`, `email_address` → `email`, `tax_ids.eu_vat` → `vat_id`, `address` |
/// | `description` | `description` |
/// | `hosted_url` | `public_url` (the page the customer pays on) |
/// | `pdf_url` | — |
/// | `credit_note` | always `false`: Square has no credit notes (refunds show only in `status`) |
/// | `raw` | the object of `invoices[]` / `invoice` |
///
/// Addresses: `address_line_1..3` → `address_lines`, `locality` → `city`,
/// `administrative_district_level_1` → `region`, `postal_code`,
/// `country` → `country_code`. An amount without its `amount` is left out
/// of a sum, which is then empty: never counted as zero.
///
/// Only in the raw JSON: `version`, `order_id`, `title`, `timezone`,
/// `scheduled_at`, `sale_or_service_date`, `updated_at`,
/// `next_payment_amount_money`, each payment request's type, method,
/// reminders, tipping and card, `delivery_method`,
/// `accepted_payment_methods`, `custom_fields`, `attachments`,
/// `subscription_id`, `payment_conditions`, `store_payment_method_enabled`,
/// `creator_team_member_id`, and the recipient's phone number.
///
/// [`Source::get`](crate::Source::get) fetches one invoice with `get_invoice`.
///
/// # Paging
///
/// Pages by the body's `cursor`, passed back as `cursor` until it is absent or empty (at most 200 invoices a page). Exactly once: the cursor keeps the vendor's place, so a list that changes shifts nothing; an id of the page before is not listed again. Limits: a cursor followed before, an empty page with a cursor, a page without its `invoices` list (Square's errors come in the body's `errors`): error items.
pub type Square = Adapter<SquareApi>;

/// The Square Invoices API, as [`Square`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct SquareApi;

impl Square {
    /// Lists the invoices of location `location_id` (Square lists one
    /// location at a time, and requires it).
    pub fn location(mut self, location_id: impl Into<String>) -> Self {
        self.options_mut().location_id = Some(location_id.into());
        self
    }
}

/// What a [`Square`] adapter is set to.
#[derive(Clone, Debug, Default)]
pub(crate) struct SquareOptions {
    location_id: Option<String>,
}

/// What every page of one listing sends.
pub(crate) struct SquareRequest {
    location_id: Option<String>,
    limit: Option<i64>,
}

impl Vendor for SquareApi {
    type Client = invoicing_square::Client;
}

impl VendorApi for SquareApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "id");
    const PAGING: Rules = ListInvoices::PAGING;
    type Options = SquareOptions;
    type Request = SquareRequest;
    type Listed = types::Invoice;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_square::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, options: &SquareOptions) -> SquareRequest {
        SquareRequest {
            location_id: options.location_id.clone(),
            limit: query
                .page_size_up_to(MAX_PAGE_SIZE)
                .map(|limit| limit as i64),
        }
    }

    fn page<'a>(
        client: &'a invoicing_square::Client,
        request: &'a SquareRequest,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        let Some(location_id) = request.location_id.clone() else {
            let error = invoicing_runtime::Error::Config {
                origin: Origin::new(PROVIDER.id(), Some(LIST)),
                message: format!(
                    "Square lists invoices of one location: set it with `Square::location` or {LOCATION_VAR}"
                ),
            };
            return futures::future::ready(Err(error)).boxed();
        };
        let mut list = client.list_invoices().location_id(location_id);
        if let Some(limit) = request.limit {
            list = list.limit(limit);
        }
        list.fetch_page(at).boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        ListInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields, _: &SquareOptions) -> Invoice {
        map(v, raw, fields)
    }

    /// Also reads `SQUARE_LOCATION_ID`, the location whose invoices are
    /// listed.
    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        let auth = invoicing_square::auth_from_vars(var)?;
        let why = "Square lists the invoices of one location";
        let location = required_setting(PROVIDER, var, LOCATION_VAR, why)?;
        Ok(
            Adapter::with_base_url(base_url.unwrap_or(invoicing_square::SERVER_URL), auth)
                .location(location),
        )
    }

    fn get<'a>(
        client: &'a invoicing_square::Client,
        _: &'a SquareOptions,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, id).boxed()
    }
}

async fn get(client: &invoicing_square::Client, id: &str) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        invoice: Box<RawValue>,
    }
    let response = match client.get_invoice().invoice_id(id).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let envelope: Envelope = decode_body(PROVIDER, GET, &response.into_inner())?;
    map_item(ItemShape::new(PROVIDER, GET, "id"), None, envelope.invoice, map)
}

fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let requests = v.payment_requests.unwrap_or_default();
    let currency = requests
        .first()
        .and_then(|request| request.computed_amount_money.as_ref())
        .map(|money| ("payment_requests[0].computed_amount_money", money))
        .or_else(|| {
            v.next_payment_amount_money
                .as_ref()
                .map(|money| ("next_payment_amount_money", money))
        })
        .and_then(|(field, money)| money_currency(fields, field, money));
    let gross = sum(fields, &requests, "computed_amount_money", |r| {
        r.computed_amount_money.as_ref()
    });
    let paid = sum(fields, &requests, "total_completed_amount_money", |r| {
        r.total_completed_amount_money.as_ref()
    });
    let due_date = requests
        .iter()
        .enumerate()
        .filter_map(|(i, request)| {
            let text = request.due_date.as_deref()?;
            day(fields, &format!("payment_requests[{i}].due_date"), text)
        })
        .max();

    let mut invoice = Invoice::new(PROVIDER, v.id.unwrap_or_default(), raw);
    invoice.number = v.invoice_number;
    if let Some(Some(status)) = fields.read("status", v.status) {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = status_of(status);
    }
    invoice.due_date = due_date;
    invoice.created_at = v
        .created_at
        .and_then(|at| instant(fields, "created_at", &at));
    invoice.currency = currency;
    invoice.totals = Totals {
        gross,
        amount_paid: paid,
        ..Totals::default()
    };
    invoice.seller = v.location_id.map(|id| Party {
        id: Some(id),
        ..Party::default()
    });
    invoice.buyer = v
        .primary_recipient
        .map(|recipient| buyer(fields, recipient))
        .filter(|party| !party.is_empty());
    invoice.description = v.description;
    invoice.hosted_url = v.public_url;
    invoice
}

/// Square's status in the common vocabulary.
fn status_of(status: types::InvoiceStatus) -> Status {
    use types::InvoiceStatus as S;
    match status {
        S::Draft => Status::Draft,
        S::Unpaid | S::PartiallyPaid | S::PaymentPending => Status::Open,
        S::Scheduled => Status::Scheduled,
        // Paid, then partly refunded: still a paid invoice.
        S::Paid | S::PartiallyRefunded => Status::Paid,
        S::Canceled => Status::Void,
        // Refunded in full, or failed: no word of their own in the common
        // vocabulary; kept as Square says them.
        S::Refunded | S::Failed => Status::Other(status.to_string()),
        S::Unknown(other) => Status::Other(other),
        other => Status::Other(other.to_string()),
    }
}

/// The currency of a Money, checked.
fn money_currency(fields: &Fields, field: &str, money: &types::Money) -> Option<Currency> {
    let code = money.currency.as_ref()?.to_string();
    fields.currency(format_args!("{field}.currency"), &code)
}

/// A Money in minor units, scaled by its currency's ISO 4217 exponent.
fn money(fields: &Fields, field: &str, money: &types::Money) -> Option<Amount> {
    let currency = money_currency(fields, field, money);
    let Some(units) = money.amount else {
        fields.problem(
            format_args!("{field}.amount"),
            None,
            "a Money without its amount",
        );
        return None;
    };
    fields.minor_units(format_args!("{field}.amount"), units, currency.as_ref())
}

/// The exact sum of one Money of every payment request, marked derived
/// (even for one request: the invoice's total is not a field Square
/// sends); empty when there are no requests or one's Money cannot be read.
fn sum(
    fields: &Fields,
    requests: &[types::InvoicePaymentRequest],
    member: &str,
    of: impl Fn(&types::InvoicePaymentRequest) -> Option<&types::Money>,
) -> Option<Amount> {
    let name = |i: usize| format!("payment_requests[{i}].{member}");
    let parts: Option<Vec<Amount>> = requests
        .iter()
        .enumerate()
        .map(|(i, request)| money(fields, &name(i), of(request)?))
        .collect();
    let parts = parts?;
    let refs: Vec<&Amount> = parts.iter().collect();
    fields.sum(name, &refs)
}

/// A `YYYY-MM-DD` date.
fn day(fields: &Fields, field: &str, text: &str) -> Option<NaiveDate> {
    let text = fields.read(field, text)?;
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

/// An RFC 3339 date-time, in the offset Square wrote.
fn instant(fields: &Fields, field: &str, text: &str) -> Option<Timestamp> {
    let text = fields.read(field, text)?;
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

/// The invoice's recipient as a [`Party`].
fn buyer(fields: &Fields, recipient: types::InvoiceRecipient) -> Party {
    let person: Vec<&str> = [&recipient.given_name, &recipient.family_name]
        .into_iter()
        .filter_map(|part| part.as_deref())
        .collect();
    let person = (!person.is_empty()).then(|| person.join(" "));
    let mut party = Party {
        id: recipient.customer_id,
        name: recipient.company_name.or(person),
        email: recipient.email_address,
        vat_id: recipient.tax_ids.and_then(|ids| ids.eu_vat),
        ..Party::default()
    };
    if let Some(address) = recipient.address {
        party.address_lines = [
            address.address_line_1,
            address.address_line_2,
            address.address_line_3,
        ]
        .into_iter()
        .flatten()
        .collect();
        party.city = address.locality;
        party.region = address.administrative_district_level_1;
        party.postal_code = address.postal_code;
        party.country_code = fields
            .read("primary_recipient.address.country", address.country)
            .flatten()
            .map(|country| country.to_string());
    }
    party
}
