//! Sendcloud API v2: `GET /user/invoices` (every invoice in one response)
//! and `GET /user/invoices/{id}`.

use std::sync::LazyLock;

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use futures::FutureExt;
use futures::future::BoxFuture;
use invoicing_runtime::paging::{self, Fetched, Position, Rules, PagingStyle};
use invoicing_runtime::{Auth, Number};
use invoicing_sendcloud_v2::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::adapter::Adapter;
use super::shared::{
    Fields, ItemShape, api_error, decode_body, excerpt, invalid_id, map_item, setting,
    unusable_setting,
};
use super::vendor::{FixedServer, Vendor, VendorApi};
use crate::error::{Error, Result};
use crate::model::{Amount, Currency, Invoice, Line, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;

const PROVIDER: Provider = Provider::SendcloudV2;
const LIST: &str = "list_invoices";
const GET: &str = "get_invoice";
/// The setting holding the account's billing currency, for
/// [`SendcloudV2::from_vars`].
const CURRENCY_VAR: &str = "SENDCLOUD_V2_CURRENCY";
const DETAIL: ItemShape = ItemShape::new(PROVIDER, GET, "id");
/// The zone-less form of `date` the list (and the detail's own example)
/// sends, e.g. `08-06-2022 11:39:36`, parsed once: chrono would otherwise
/// re-read the format string for every invoice.
static NAIVE_DATE_FORMAT: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| {
    StrftimeItems::new("%d-%m-%Y %H:%M:%S")
        .parse()
        .expect("a valid strftime format")
});

/// The invoices of one Sendcloud account through API v2.
///
/// The API sends no currency: amounts have none unless one is set with
/// [`SendcloudV2::currency`] (the account's billing currency, which the
/// caller knows and this crate does not guess). Status comes from the
/// boolean `isPayed`: [`Status::Paid`] or [`Status::Open`]. The list sends
/// lines only as a URL, so listed invoices have none; `get` returns them.
/// Credentials are HTTP Basic or OAuth2 client credentials; `from_env`
/// reads them as [`invoicing_sendcloud_v2::auth_from_env`](::invoicing_sendcloud_v2::auth_from_env)
/// does.
///
/// # Where each field comes from
///
/// Vendor field names as in its JSON; *derived*: computed by this crate
/// ([`Amount::derived`](crate::Amount::derived)); "—": the vendor sends nothing for it (`None`
/// or empty).
///
/// | model | Sendcloud v2 |
/// |---|---|
/// | `id` | `id` |
/// | `number` | `ref` |
/// | `kind` | `type` |
/// | `status` | `isPayed`: `true` → `Paid`, `false` → `Open` (absent in a detail → `Unknown`) |
/// | `vendor_status` | — (a boolean) |
/// | `issued_at`, `issue_date` | `date`, RFC 3339 or `dd-mm-yyyy hh:mm:ss` (no zone: [`Timestamp::Naive`]) |
/// | `due_at`, `due_date` | — |
/// | `created_at` | `date` |
/// | `paid_at` | — |
/// | `currency` | none, unless set with [`SendcloudV2::currency`] |
/// | `totals.subtotal` | — |
/// | `totals.discount` | — |
/// | `totals.shipping` | — |
/// | `totals.net` | `price_excl` |
/// | `totals.tax` | *derived*: `price_incl - price_excl` |
/// | `totals.gross` | `price_incl` |
/// | `totals.amount_due` | — |
/// | `totals.amount_paid`, `totals.amount_remaining` | — |
/// | `lines` | list: — (`items` is a URL); `get`: `items[]` → `id`, `name` |
/// | `seller` | — |
/// | `buyer` | — |
/// | `description` | — |
/// | `hosted_url`, `pdf_url` | — |
/// | `credit_note` | always `false`: the API lists no credit notes |
/// | `raw` | the invoice object of `invoices[]` / `invoice` |
///
/// [`Source::get`](crate::Source::get) fetches one invoice with `get_invoice`.
///
/// # Paging
///
/// Pages by one response, no paging. Exactly once: every invoice of the response, an id repeated in it once. Limits: —.
pub type SendcloudV2 = Adapter<SendcloudV2Api>;

/// The Sendcloud API v2, as [`SendcloudV2`] reads it.
#[derive(Clone, Copy, Debug)]
pub struct SendcloudV2Api;

impl SendcloudV2 {
    /// The currency of every amount of this account (the API sends none).
    pub fn currency(mut self, currency: Currency) -> Self {
        self.options_mut().currency = Some(currency);
        self
    }
}

/// What a [`SendcloudV2`] adapter is set to.
#[derive(Clone, Debug, Default)]
pub(crate) struct SendcloudV2Options {
    currency: Option<Currency>,
}

impl Vendor for SendcloudV2Api {
    type Client = invoicing_sendcloud_v2::Client;
}

impl VendorApi for SendcloudV2Api {
    const PROVIDER: Provider = PROVIDER;
    const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "id");
    /// The API does not page: one response holds every invoice, a single
    /// page with no next one.
    const PAGING: Rules = Rules::new(invoicing_sendcloud_v2::PROVIDER, LIST, PagingStyle::Cursor);
    type Options = SendcloudV2Options;
    type Request = ();
    type Listed = types::Invoice;

    fn client(base_url: &str, auth: Auth) -> Self::Client {
        invoicing_sendcloud_v2::Client::with_auth(base_url, auth)
    }

    fn request(_: &ListQuery, _: &SendcloudV2Options) {}

    fn page<'a>(
        client: &'a invoicing_sendcloud_v2::Client,
        (): &'a (),
        at: Position,
    ) -> BoxFuture<'a, Result<Fetched<Box<RawValue>>, invoicing_runtime::Error>> {
        async move {
            let response = match client.list_invoices().send_raw().await {
                Ok(response) => response,
                Err(err) => {
                    return Err(err.with_origin(Self::PAGING.origin(&at)));
                }
            };
            read_list(&at, &response.into_inner())
        }
        .boxed()
    }

    fn read_page(body: &[u8]) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
        read_list(&Position::Start, body)
    }

    fn map(
        v: types::Invoice,
        raw: Box<RawValue>,
        fields: &Fields,
        options: &SendcloudV2Options,
    ) -> Invoice {
        map_listed(v, raw, fields, options.currency.as_ref())
    }

    /// Also reads `SENDCLOUD_V2_CURRENCY`, the account's billing currency
    /// (optional: the API sends none; see [`SendcloudV2::currency`]).
    fn from_vars(
        base_url: Option<&str>,
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Adapter<Self>> {
        let adapter = Self::fixed_from_vars(base_url, var)?;
        match setting(var, CURRENCY_VAR) {
            None => Ok(adapter),
            Some(code) => match Currency::new(code) {
                Ok(currency) => Ok(adapter.currency(currency)),
                Err(e) => Err(unusable_setting(PROVIDER, format!("{CURRENCY_VAR}: {e}"))),
            },
        }
    }

    fn get<'a>(
        client: &'a invoicing_sendcloud_v2::Client,
        options: &'a SendcloudV2Options,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Invoice>> {
        get(client, options.currency.as_ref(), id).boxed()
    }
}

impl FixedServer for SendcloudV2Api {
    const SERVER_URL: &'static str = invoicing_sendcloud_v2::SERVER_URL;

    fn auth_from_vars(
        var: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Auth, invoicing_runtime::Error> {
        invoicing_sendcloud_v2::auth_from_vars(var)
    }
}

/// The list response: `{"invoices": [...]}`, or Sendcloud's error object,
/// which it may send with a `200`. An account without invoices is
/// `{"invoices": []}`; a body without the list is an error, never an empty
/// page.
fn read_list(
    at: &Position,
    body: &[u8],
) -> Result<Fetched<Box<RawValue>>, invoicing_runtime::Error> {
    #[derive(Deserialize)]
    struct ListEnvelope {
        invoices: Option<Vec<Box<RawValue>>>,
        error: Option<Box<RawValue>>,
    }
    let rules = SendcloudV2Api::PAGING;
    let envelope: ListEnvelope = rules.decode(at, body)?;
    let invoices = paging::list_of(
        "invoices",
        envelope.invoices,
        envelope.error.as_deref(),
        body,
    )
    .map_err(|problem| rules.error(at, problem))?;
    Ok(Fetched::new(invoices))
}

async fn get(
    client: &invoicing_sendcloud_v2::Client,
    currency: Option<&Currency>,
    id: &str,
) -> Result<Invoice> {
    #[derive(Deserialize)]
    struct Envelope {
        invoice: Option<Box<RawValue>>,
    }
    let numeric: u64 = id.parse().map_err(|_| invalid_id(PROVIDER, GET, id))?;
    let response = match client.get_invoice().id(numeric).send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, GET, err)),
    };
    let body = response.into_inner();
    let envelope: Envelope = decode_body(PROVIDER, GET, &body)?;
    let Some(raw) = envelope.invoice else {
        return Err(Error::Decode {
            origin: PROVIDER.origin(GET),
            item: None,
            detail: "no `invoice` in the response".to_owned(),
            excerpt: excerpt(&body),
            raw: None,
        });
    };
    map_item(DETAIL, None, raw, |v, raw, fields| {
        map_detail(v, raw, fields, id, currency)
    })
}

fn map_listed(
    v: types::Invoice,
    raw: Box<RawValue>,
    fields: &Fields,
    currency: Option<&Currency>,
) -> Invoice {
    let issued = fields
        .read("date", v.date.as_str())
        .and_then(|date| parse_date(fields, date));
    let mut invoice = Invoice::new(PROVIDER, v.id.to_string(), raw);
    invoice.number = fields.read("ref", v.ref_);
    invoice.kind = fields.read("type", v.type_).map(|kind| kind.to_string());
    invoice.status = paid_status(fields.read("isPayed", v.is_payed));
    invoice.created_at = issued;
    invoice.set_issued(issued);
    invoice.currency = currency.cloned();
    invoice.totals = totals(fields, Some(&v.price_excl), Some(&v.price_incl), currency);
    invoice
}

/// The detail has every field optional: an absent id is the one asked for.
fn map_detail(
    v: types::InvoiceDetail,
    raw: Box<RawValue>,
    fields: &Fields,
    requested_id: &str,
    currency: Option<&Currency>,
) -> Invoice {
    let id =
        v.id.map_or_else(|| requested_id.to_owned(), |id| id.to_string());
    let issued = v.date.as_deref().and_then(|date| parse_date(fields, date));
    let mut invoice = Invoice::new(PROVIDER, id, raw);
    invoice.number = v.ref_;
    invoice.kind = v.type_.map(|kind| kind.to_string());
    invoice.status = paid_status(v.is_payed);
    invoice.created_at = issued;
    invoice.set_issued(issued);
    invoice.currency = currency.cloned();
    invoice.totals = totals(
        fields,
        v.price_excl.as_ref(),
        v.price_incl.as_ref(),
        currency,
    );
    invoice.lines = v
        .items
        .into_iter()
        .map(|item| Line {
            id: item.id.map(|id| id.to_string()),
            name: item.name,
            ..Line::default()
        })
        .collect();
    invoice
}

/// `isPayed` is the only status Sendcloud v2 has.
fn paid_status(is_payed: Option<bool>) -> Status {
    match is_payed {
        Some(true) => Status::Paid,
        Some(false) => Status::Open,
        None => Status::Unknown,
    }
}

/// Net and gross as sent; tax is their exact difference (derived).
fn totals(
    fields: &Fields,
    excl: Option<&Number>,
    incl: Option<&Number>,
    currency: Option<&Currency>,
) -> Totals {
    let net = fields.amount("price_excl", excl, currency);
    let gross = fields.amount("price_incl", incl, currency);
    let tax = match (&gross, &net) {
        (Some(gross), Some(net)) => fields.difference("price_incl - price_excl", gross, net),
        _ => None::<Amount>,
    };
    Totals {
        net,
        tax,
        gross,
        ..Totals::default()
    }
}

/// Sendcloud v2 `date`: `dd-mm-yyyy hh:mm:ss` with no zone (kept naive,
/// since the API does not say which zone) or RFC 3339.
fn parse_date(fields: &Fields, text: &str) -> Option<Timestamp> {
    if let Some(at) = zero_padded(text) {
        return Some(Timestamp::Naive(at));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Timestamp::WithOffset(at));
    }
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, NAIVE_DATE_FORMAT.iter())
        .and_then(|()| parsed.to_naive_datetime_with_offset(0))
        .map(Timestamp::Naive)
        .map_err(|_| {
            fields.problem(
                "date",
                serde_json::to_string(text).ok(),
                "neither `dd-mm-yyyy hh:mm:ss` nor RFC 3339",
            );
        })
        .ok()
}

/// `dd-mm-yyyy hh:mm:ss` exactly as the list sends it, every field
/// zero-padded, read by position. Hand-written because chrono's
/// format-driven parser costs ten times as much, a tenth of the whole
/// decode of a Sendcloud v2 invoice; every other form (unpadded fields, a
/// leap second) is left to it, which reads them as before.
fn zero_padded(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let separators = [(2, b'-'), (5, b'-'), (10, b' '), (13, b':'), (16, b':')];
    if bytes.len() != 19 || separators.iter().any(|&(at, sep)| bytes[at] != sep) {
        return None;
    }
    let number = |at: usize, len: usize| {
        bytes[at..at + len].iter().try_fold(0u32, |n, digit| {
            digit
                .is_ascii_digit()
                .then(|| n * 10 + u32::from(digit - b'0'))
        })
    };
    let year = i32::try_from(number(6, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(3, 2)?, number(0, 2)?)?;
    let time = NaiveTime::from_hms_opt(number(11, 2)?, number(14, 2)?, number(17, 2)?)?;
    Some(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms_and_nothing_else() {
        let fields = Fields::new(Vec::new(), Vec::new());
        assert_eq!(
            parse_date(&fields, "08-06-2022 11:39:36").unwrap(),
            Timestamp::Naive(
                NaiveDateTime::parse_from_str("2022-06-08 11:39:36", "%Y-%m-%d %H:%M:%S").unwrap()
            )
        );
        let at = parse_date(&fields, "2021-11-09T00:00:00+02:00").unwrap();
        assert_eq!(at.date().to_string(), "2021-11-09");
        let bad = [
            "2022-06-08 11:39:36",
            "31-02-2022 10:00:00",
            "08-06-2022",
            "",
        ];
        for text in bad {
            assert_eq!(parse_date(&fields, text), None, "{text}");
        }
        // The zero-padded form is read by position, anything else by
        // chrono: both agree wherever both read.
        let chrono_reads = |text: &str| {
            let mut parsed = Parsed::new();
            chrono::format::parse(&mut parsed, text, NAIVE_DATE_FORMAT.iter())
                .and_then(|()| parsed.to_naive_datetime_with_offset(0))
                .ok()
        };
        for text in [
            "08-06-2022 11:39:36",
            "29-02-2024 23:59:59",
            "29-02-2023 10:00:00",
            "31-04-2022 10:00:00",
            "08-06-2022 24:00:00",
            "08-06-2022 11:39:60",
            "8-6-2022 11:39:36",
            "08-06-2022T11:39:36",
            "0a-06-2022 11:39:36",
            "08-06-+022 11:39:36",
        ] {
            let read = match zero_padded(text) {
                Some(at) => Some(at),
                None => chrono_reads(text),
            };
            assert_eq!(read, chrono_reads(text), "{text}");
        }
        assert!(zero_padded("8-6-2022 11:39:36").is_none());
        let problems = fields.into_problems();
        assert_eq!(problems.len(), bad.len());
        assert_eq!(
            problems[0].to_string(),
            r#"`date` = "2022-06-08 11:39:36": neither `dd-mm-yyyy hh:mm:ss` nor RFC 3339"#
        );
    }
}
