//! Xero accounting: `GET /Invoices` by page number (`pagination.pageCount`
//! says the last), and `GET /Invoices/{InvoiceID}`, for one organisation
//! (the `xero-tenant-id` header every request carries).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_runtime::paging::{Fetched, Position, Rules};
use invoicing_runtime::{Auth, Number};
use invoicing_xero_accounting::builder::GetInvoices;
use invoicing_xero_accounting::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{
    Fields, ItemShape, api_error, decode_body, excerpt, map_item, required_setting,
};
use super::vendor::{Vendor, VendorApi};
use crate::error::{Error, Result};
use crate::model::{Currency, Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::XeroAccounting;
const LIST: &str = "get_invoices";
const GET: &str = "get_invoice";
/// The setting naming the organisation, for [`XeroAccounting::from_vars`].
const TENANT_VAR: &str = "XERO_TENANT_ID";
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "InvoiceID");
/// The largest `pageSize` Xero serves (its FAQ: 100 at a time).
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices and bills of one Xero organisation.
///
/// Every request names the organisation in the `xero-tenant-id` header:
/// set it with [`XeroAccounting::tenant`] or build the adapter with
/// [`XeroAccounting::with_auth`] (the tenant ids of a connection are listed
/// by `GET https://api.xero.com/Connections`). Credentials are a custom
/// connection's client id and secret (OAuth2 client credentials) or an
/// access token, as
/// [`invoicing_xero_accounting::auth_from_env`](::invoicing_xero_accounting::auth_from_env)
/// reads them; `from_vars` also reads the tenant id from `XERO_TENANT_ID`.
///
/// `/Invoices` lists sales invoices (`ACCREC`) and bills (`ACCPAY`), and
/// their credit forms: the contact is the buyer of a sales invoice and the
/// seller of a bill.
///
/// Field by field ([`Invoice`] field ← Xero's invoice):
///
/// | model | Xero |
/// |---|---|
/// | `id` | `InvoiceID` (absent: a field problem, and the id is empty) |
/// | `number` | `InvoiceNumber` |
/// | `kind` | `Type` (`ACCREC`, `ACCPAY`, `ACCRECCREDIT`, ...) |
/// | `status`, `vendor_status` | `Status`: `DRAFT`, `SUBMITTED` (awaiting approval, not sent) → `Draft`; `AUTHORISED` → `Open`; `PAID` → `Paid`; `VOIDED`, `DELETED` → `Void`; others → `Other(value)` |
/// | `issued_at`, `issue_date` | `Date` |
/// | `due_at`, `due_date` | `DueDate` |
/// | `paid_at` | `FullyPaidOnDate` |
/// | `created_at` | — (Xero sends only `UpdatedDateUTC`) |
/// | `currency` | `CurrencyCode` (a code Xero's document does not list is a field problem) |
/// | `totals.discount` | `TotalDiscount` |
/// | `totals.net` | `SubTotal` (Xero: the total excluding taxes) |
/// | `totals.tax` | `TotalTax` |
/// | `totals.gross` | `Total` |
/// | `totals.amount_due` | `AmountDue` (what is left to pay) |
/// | `totals.amount_paid` | `AmountPaid` |
/// | `totals.amount_remaining` | `AmountDue` (Xero's amount due is what remains to be paid) |
/// | `lines` | `LineItems[]`: `LineItemID` → `id`, `Item.Name` (else `ItemCode`) → `name`, `Description`, `Quantity`, `UnitAmount` → `unit_price`, `LineAmount` → `amount` |
/// | `buyer` (`ACCREC`, `ACCRECCREDIT`, `AR...`) / `seller` (`ACCPAY`, `ACCPAYCREDIT`, `AP...`) | `Contact`: `ContactID` → `id`, `AccountNumber` → `account_ref`, `Name`, `EmailAddress`, `TaxNumber` → `vat_id`, `CompanyNumber` → `registration_id`, the `POBOX` address (else `STREET`): `AddressLine1`-`4`, `City`, `Region`, `PostalCode`, `Country` → `country_name`; another `Type` places it nowhere, a field problem |
/// | `credit_note` | `Type` is `ACCRECCREDIT` or `ACCPAYCREDIT` |
/// | `hosted_url`, `pdf_url` | — (Xero's online invoice is a call of its own, `get_online_invoice` in the generated crate; the PDF is the invoice's URL asked for as `application/pdf`) |
/// | `description` | — |
/// | `raw` | the object of `Invoices[]` |
///
/// Dates are Xero's `/Date(1539993600000+0000)/` (milliseconds since the
/// epoch, then the offset), kept in that offset; a plain `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM:SS` (the form the document describes) is a
/// [`Timestamp::Naive`]. Amounts are JSON numbers in major units, read
/// exactly. Only in [`Invoice::raw`]: `Reference`, `AmountCredited`,
/// `CurrencyRate`, `LineAmountTypes`, `UpdatedDateUTC`, `Payments`,
/// `CreditNotes`, `Prepayments`, `Overpayments`, `SentToContact`,
/// `BrandingThemeID`, `Url`, `HasAttachments`, line `TaxAmount`,
/// `AccountCode`, `TaxType`, `DiscountRate`, `Tracking`, and the contact's
/// other addresses and phones.
///
/// [`Source::get`](crate::Source::get) fetches one invoice with
/// `get_invoice` (the invoice id is a UUID).
///
/// # Paging
///
/// Pages by `page` from 1 up to `pagination.pageCount`. Exactly once: as
/// Kitchen's page numbers, with `pagination.itemCount` as the total and
/// `pagination.page` as the current page (see [`Kitchen`](super::Kitchen)).
/// Limits: as Kitchen's.
pub type XeroAccounting = Adapter<XeroAccountingApi>;

/// The Xero accounting API, as [`XeroAccounting`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct XeroAccountingApi;

impl XeroAccounting {
    /// Reads organisation `tenant_id` from Xero's server with `auth`.
    pub fn with_auth(tenant_id: &str, auth: Auth) -> Self {
        Self::with_base_url(invoicing_xero_accounting::SERVER_URL, auth).tenant(tenant_id)
    }

    /// Reads organisation `tenant_id` from Xero's server with credentials
    /// from the environment, as
    /// [`invoicing_xero_accounting::auth_from_env`](::invoicing_xero_accounting::auth_from_env)
    /// reads them.
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::Config`] when no
    /// credentials variable is set.
    pub fn from_env(tenant_id: &str) -> Result<Self> {
        Ok(Self::with_auth(
            tenant_id,
            invoicing_xero_accounting::auth_from_env()?,
        ))
    }

    /// Reads organisation `tenant_id` (sent as `xero-tenant-id`).
    pub fn tenant(mut self, tenant_id: &str) -> Self {
        self.options_mut().tenant_id = Some(tenant_id.to_owned());
        self
    }
}

/// What a [`XeroAccounting`] adapter is set to.
#[derive(Clone, Debug, Default)]
pub(crate) struct XeroOptions {
    /// The organisation; not a secret, but required on every request.
    tenant_id: Option<String>,
}

impl XeroOptions {
    /// The tenant id, or the error saying how to set it.
    fn tenant(&self, operation: &'static str) -> Result<&str, invoicing_runtime::Error> {
        self.tenant_id
            .as_deref()
            .ok_or_else(|| invoicing_runtime::Error::Config {
                origin: PROVIDER.origin(operation),
                message: "no Xero organisation: set its tenant id with `XeroAccounting::tenant` \
                          (or `XERO_TENANT_ID`)"
                    .to_owned(),
            })
    }
}

/// What every page of one listing sends.
pub(crate) struct XeroRequest {
    tenant_id: Option<String>,
    page_size: Option<u64>,
}

impl Vendor for XeroAccountingApi {
    type Client = invoicing_xero_accounting::Client;
}

impl VendorApi for XeroAccountingApi {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "InvoiceID");
    const PAGING: Rules = GetInvoices::PAGING;
    type Options = XeroOptions;
    type Request = XeroRequest;
    type Listed = types::Invoice;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_xero_accounting::Client::with_auth(base_url, auth)
    }

    fn request(query: &ListQuery, options: &XeroOptions) -> XeroRequest {
        XeroRequest {
            tenant_id: options.tenant_id.clone(),
            page_size: query.page_size_up_to(MAX_PAGE_SIZE),
        }
    }

    fn page<'a>(
        client: &'a invoicing_xero_accounting::Client,
        request: &'a XeroRequest,
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        async move {
            let tenant = XeroOptions {
                tenant_id: request.tenant_id.clone(),
            };
            let mut list = client.get_invoices().xero_tenant_id(tenant.tenant(LIST)?);
            if let Some(page_size) = request.page_size {
                // Bounded by MAX_PAGE_SIZE, so it fits.
                list = list.page_size(page_size as i64);
            }
            list.fetch_page(at).await
        }
        .boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        GetInvoices::read_page(&Self::PAGING.style.first(), &Default::default(), body)
    }

    fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields, _: &XeroOptions) -> Invoice {
        map(v, raw, fields)
    }

    /// Also reads `XERO_TENANT_ID`, the organisation every request names.
    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        let auth = invoicing_xero_accounting::auth_from_vars(var)?;
        let why = "the organisation every request names in `xero-tenant-id`";
        let tenant = required_setting(PROVIDER, var, TENANT_VAR, why)?;
        Ok(Adapter::with_base_url(
            base_url.unwrap_or(invoicing_xero_accounting::SERVER_URL),
            auth,
        )
        .tenant(&tenant))
    }

    fn get<'a>(
        client: &'a invoicing_xero_accounting::Client,
        options: &'a XeroOptions,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, options, id).boxed()
    }
}

/// One invoice: Xero answers with the list's envelope holding it alone.
async fn get(
    client: &invoicing_xero_accounting::Client,
    options: &XeroOptions,
    id: &str,
) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(rename = "Invoices")]
        invoices: Option<Vec<Box<RawValue>>>,
    }
    let tenant = options.tenant(GET)?;
    let uuid: uuid::Uuid = id.parse().map_err(|_| {
        Error::Api(invoicing_runtime::Error::InvalidRequest {
            origin: PROVIDER.origin(GET),
            message: format!("invoice id {id:?} is not a UUID"),
        })
    })?;
    let response = match client
        .get_invoice()
        .xero_tenant_id(tenant)
        .invoice_id(uuid)
        .send_raw()
        .await
    {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let body = response.into_inner();
    let envelope: Envelope = decode_body(PROVIDER, GET, &body)?;
    match envelope.invoices {
        Some(mut invoices) if invoices.len() == 1 => {
            map_item(DETAIL, None, invoices.remove(0), map)
        }
        other => Err(Error::Decode {
            origin: PROVIDER.origin(GET),
            item: None,
            detail: format!(
                "expected `Invoices` to hold the one invoice asked for, found {}",
                other.map_or_else(
                    || "none".to_owned(),
                    |list| format!("{} invoices", list.len())
                )
            ),
            excerpt: excerpt(&body),
            raw: None,
        }),
    }
}

fn map(v: types::Invoice, raw: Box<RawValue>, fields: &Fields) -> Invoice {
    let currency = v.currency_code.as_ref().and_then(|code| {
        let code = fields.read("CurrencyCode", code)?;
        currency(fields, "CurrencyCode", code)
    });
    let amount = |field: &str, number: &Option<Number>| {
        fields.amount(field, number.as_ref(), Some(currency.as_ref()?))
    };

    let id = match v.invoice_id {
        Some(id) => id.to_string(),
        None => {
            fields.problem("InvoiceID", None, "absent: the invoice has no id");
            String::new()
        }
    };
    let mut invoice = Invoice::new(PROVIDER, id, raw);
    invoice.number = v.invoice_number;
    let kind = fields.read("Type", v.type_).flatten();
    invoice.kind = kind.as_ref().map(ToString::to_string);
    invoice.credit_note = matches!(
        kind,
        Some(types::InvoiceType::Accreccredit | types::InvoiceType::Accpaycredit)
    );
    if let Some(status) = fields.read("Status", v.status).flatten() {
        invoice.vendor_status = Some(status.to_string());
        invoice.status = match status {
            types::InvoiceStatus::Draft | types::InvoiceStatus::Submitted => Status::Draft,
            types::InvoiceStatus::Authorised => Status::Open,
            types::InvoiceStatus::Paid => Status::Paid,
            types::InvoiceStatus::Voided | types::InvoiceStatus::Deleted => Status::Void,
            other => Status::Other(other.to_string()),
        };
    }
    invoice.set_issued(date(fields, "Date", v.date.as_deref()));
    invoice.set_due(date(fields, "DueDate", v.due_date.as_deref()));
    invoice.paid_at = date(fields, "FullyPaidOnDate", v.fully_paid_on_date.as_deref());
    let amount_due = amount("AmountDue", &v.amount_due);
    invoice.totals = Totals {
        discount: amount("TotalDiscount", &v.total_discount),
        net: amount("SubTotal", &v.sub_total),
        tax: amount("TotalTax", &v.total_tax),
        gross: amount("Total", &v.total),
        amount_paid: amount("AmountPaid", &v.amount_paid),
        amount_remaining: amount_due.clone(),
        amount_due,
        ..Totals::default()
    };
    invoice.lines = v
        .line_items
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let amount = |name: &str, number: &Option<Number>| {
                fields.amount(
                    format_args!("LineItems[{i}].{name}"),
                    number.as_ref(),
                    Some(currency.as_ref()?),
                )
            };
            Line {
                id: line.line_item_id.map(|id| id.to_string()),
                name: line.item.and_then(|item| item.name).or(line.item_code),
                description: line.description,
                quantity: line.quantity.as_ref().and_then(|quantity| {
                    fields.number(format_args!("LineItems[{i}].Quantity"), quantity)
                }),
                unit_price: amount("UnitAmount", &line.unit_amount),
                amount: amount("LineAmount", &line.line_amount),
            }
        })
        .collect();
    invoice.currency = currency;
    let contact = v.contact.map(party).filter(|party| !party.is_empty());
    if let Some(contact) = contact {
        use types::InvoiceType as T;
        match &kind {
            Some(T::Accrec | T::Accreccredit | T::Aroverpayment | T::Arprepayment) => {
                invoice.buyer = Some(contact);
            }
            Some(T::Accpay | T::Accpaycredit | T::Apoverpayment | T::Apprepayment) => {
                invoice.seller = Some(contact);
            }
            other => fields.problem(
                "Contact",
                other.as_ref().map(ToString::to_string),
                "the invoice's `Type` does not say whether the contact is the buyer or the seller",
            ),
        }
    }
    invoice
}

/// A currency code Xero's document lists; an `Unknown` one is a field
/// problem rather than a code taken on trust.
fn currency(fields: &Fields, field: &str, code: &types::CurrencyCode) -> Option<Currency> {
    if let types::CurrencyCode::Unknown(code) = code {
        fields.problem(
            field,
            Some(format!("{code:?}")),
            "not one of the currency codes Xero's document lists",
        );
        return None;
    }
    fields.currency(field, &code.to_string())
}

/// The contact as a [`Party`], with its postal (else street) address.
fn party(contact: types::Contact) -> Party {
    let address = contact
        .addresses
        .iter()
        .find(|a| {
            a.address_type
                .as_ref()
                .is_some_and(|t| t.to_string() == "POBOX")
        })
        .or_else(|| {
            contact.addresses.iter().find(|a| {
                a.address_type
                    .as_ref()
                    .is_some_and(|t| t.to_string() == "STREET")
            })
        });
    let mut party = Party {
        id: contact.contact_id.map(|id| id.to_string()),
        account_ref: contact.account_number,
        name: contact.name,
        email: contact.email_address,
        vat_id: contact.tax_number,
        registration_id: contact.company_number,
        ..Party::default()
    };
    if let Some(address) = address {
        party.address_lines = [
            &address.address_line1,
            &address.address_line2,
            &address.address_line3,
            &address.address_line4,
        ]
        .into_iter()
        .flatten()
        .filter(|line| !line.is_empty())
        .cloned()
        .collect();
        party.city = address.city.clone().filter(|s| !s.is_empty());
        party.region = address.region.clone().filter(|s| !s.is_empty());
        party.postal_code = address.postal_code.clone().filter(|s| !s.is_empty());
        party.country_name = address.country.clone().filter(|s| !s.is_empty());
    }
    party
}

/// A Xero date: `None` for null or absent, a problem for text that is
/// none of its forms.
fn date(fields: &Fields, field: &str, text: Option<&str>) -> Option<Timestamp> {
    let text = fields.read(field, text?)?;
    parse_date(text)
        .map_err(|reason| fields.problem(field, Some(format!("{text:?}")), reason))
        .ok()
}

/// `/Date(1539993600000+0000)/` (milliseconds since the epoch, the offset
/// optional, UTC without one) in that offset; `2018-10-20` or
/// `2018-10-20T00:00:00`, which carry no zone, as [`Timestamp::Naive`].
pub(crate) fn parse_date(text: &str) -> std::result::Result<Timestamp, String> {
    if let Some(inner) = text
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        return ms_date(inner)
            .ok_or_else(|| format!("not a Xero date `/Date(milliseconds[+-HHMM])/`: {text:?}"));
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(Timestamp::Naive(at));
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Timestamp::Naive(day.and_time(chrono::NaiveTime::MIN)));
    }
    Err(format!(
        "not a Xero date (`/Date(milliseconds+HHMM)/`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`): {text:?}"
    ))
}

/// The inside of `/Date(...)/`: milliseconds, then an optional `+HHMM` or
/// `-HHMM`.
fn ms_date(inner: &str) -> Option<Timestamp> {
    // The sign of the milliseconds is at 0; an offset's sign comes later.
    let split = inner
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '+' || c == '-')
        .map_or(inner.len(), |(at, _)| at);
    let (millis, offset) = inner.split_at(split);
    let millis: i64 = millis.parse().ok()?;
    let offset = if offset.is_empty() {
        FixedOffset::east_opt(0)?
    } else {
        let (sign, digits) = offset.split_at(1);
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let hours: i32 = digits[..2].parse().ok()?;
        let minutes: i32 = digits[2..].parse().ok()?;
        if minutes >= 60 {
            return None;
        }
        let seconds = hours * 3600 + minutes * 60;
        FixedOffset::east_opt(if sign == "-" { -seconds } else { seconds })?
    };
    let at = DateTime::from_timestamp_millis(millis)?.with_timezone(&offset);
    Some(Timestamp::WithOffset(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xero_dates_keep_their_offset() {
        for (text, shown) in [
            ("/Date(1539993600000+0000)/", "2018-10-20T00:00:00+00:00"),
            ("/Date(1552326816230)/", "2019-03-11T17:53:36.230+00:00"),
            ("/Date(1539993600000+1300)/", "2018-10-20T13:00:00+13:00"),
            ("/Date(1539993600000-0530)/", "2018-10-19T18:30:00-05:30"),
            ("/Date(-86400000+0000)/", "1969-12-31T00:00:00+00:00"),
            ("2018-10-20T00:00:00", "2018-10-20T00:00:00"),
            ("2018-10-20", "2018-10-20T00:00:00"),
        ] {
            assert_eq!(parse_date(text).unwrap().to_string(), shown, "{text}");
        }
        let day = parse_date("/Date(1539993600000-0530)/").unwrap().date();
        assert_eq!(day.to_string(), "2018-10-19", "the date in Xero's offset");
    }

    #[test]
    fn other_text_is_not_a_date() {
        for text in [
            "",
            "/Date()/",
            "/Date(abc)/",
            "/Date(1539993600000+00)/",
            "/Date(1539993600000+0060)/",
            "/Date(1539993600000+0000)",
            "/Date(99999999999999999999)/",
            "20/10/2018",
            "2018-02-30",
        ] {
            assert!(parse_date(text).is_err(), "{text:?}");
        }
    }
}
