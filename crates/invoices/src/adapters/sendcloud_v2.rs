//! Sendcloud API v2: `GET /user/invoices` (every invoice in one response)
//! and `GET /user/invoices/{id}`.

use std::sync::{Arc, LazyLock};

use chrono::format::{Item, Parsed, StrftimeItems};

use chrono::DateTime;
use futures::future::BoxFuture;
use invoicing_runtime::{Auth, Number};
use sendcloud_v2::types;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::shared::{
    Fields, ItemShape, ListShape, api_error, decode_body, excerpt, invalid_id, list_of, map_item,
    map_items,
};
use crate::error::{Error, Result};
use crate::model::{Amount, Currency, Invoice, Line, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;
use crate::source::Source;
use crate::stream::{InvoiceStream, Page, paged};

const PROVIDER: Provider = Provider::SendcloudV2;
const LIST: &str = "list_invoices";
const GET: &str = "get_invoice";
const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "id");
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
/// lines only as a URL, so listed invoices have none; [`Source::get`]
/// returns them.
#[derive(Clone, Debug)]
pub struct SendcloudV2 {
    client: Arc<sendcloud_v2::Client>,
    currency: Option<Currency>,
}

impl SendcloudV2 {
    /// Reads through `client`, e.g. one built with
    /// `sendcloud_v2::Client::new_with_client` for a custom retry policy.
    pub fn new(client: sendcloud_v2::Client) -> Self {
        Self {
            client: Arc::new(client),
            currency: None,
        }
    }

    /// Reads from Sendcloud's server ([`sendcloud_v2::SERVER_URL`]) with
    /// `auth` (HTTP Basic or OAuth2 client credentials).
    pub fn with_auth(auth: Auth) -> Self {
        Self::with_base_url(sendcloud_v2::SERVER_URL, auth)
    }

    /// Reads from `base_url` (a sandbox, a proxy, a test server) with `auth`.
    pub fn with_base_url(base_url: &str, auth: Auth) -> Self {
        Self::new(sendcloud_v2::Client::with_auth(base_url, auth))
    }

    /// Reads from Sendcloud's server with credentials from the environment,
    /// as [`sendcloud_v2::auth_from_env`](::sendcloud_v2::auth_from_env)
    /// reads them.
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::Config`] naming the
    /// missing variable.
    pub fn from_env() -> Result<Self> {
        Ok(Self::with_auth(sendcloud_v2::auth_from_env()?))
    }

    /// The currency of every amount of this account (the API sends none).
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = Some(currency);
        self
    }
    /// Decodes a list page body fetched some other way (a cache, a replay,
    /// a benchmark), with the same per-invoice handling as
    /// [`Source::list`]: one bad invoice is one `Err` item.
    ///
    /// # Errors
    /// [`Error::Decode`](crate::Error::Decode) when the page envelope itself
    /// is not the vendor's, [`Error::MissingList`](crate::Error::MissingList)
    /// when it has no list or carries the vendor's error.
    pub fn decode_page(&self, body: &[u8]) -> Result<Vec<Result<Invoice>>> {
        decode_list(body, self.currency.as_ref())
    }
}

impl Source for SendcloudV2 {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    fn list(&self, query: &ListQuery) -> InvoiceStream {
        let client = Arc::clone(&self.client);
        let currency = self.currency.clone();
        // One response holds every invoice: a single "page".
        paged((), query.status.clone(), move |()| {
            list_all(Arc::clone(&client), currency.clone())
        })
    }

    fn get<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Invoice>> {
        Box::pin(get(&self.client, self.currency.as_ref(), id))
    }
}

/// The list response: the invoices left raw, decoded one by one later,
/// and the vendor's error object, which Sendcloud may send with a `200`.
#[derive(Deserialize)]
struct ListEnvelope {
    invoices: Option<Vec<Box<RawValue>>>,
    error: Option<Box<RawValue>>,
}

/// The list response body: its invoices, each read or failed on its own,
/// in `currency` if the caller configured one. The API does not page, so
/// an account without invoices is `{"invoices": []}`; a body without the
/// list is an error.
fn decode_list(body: &[u8], currency: Option<&Currency>) -> Result<Vec<Result<Invoice>>> {
    let envelope: ListEnvelope = decode_body(PROVIDER, LIST, body)?;
    let shape = ListShape {
        provider: PROVIDER,
        operation: LIST,
        list: "invoices",
    };
    let raws = list_of(&shape, None, body, envelope.invoices, envelope.error)?;
    Ok(map_items(LISTED, raws, |v, raw, fields| {
        map_listed(v, raw, fields, currency)
    }))
}

async fn list_all(
    client: Arc<sendcloud_v2::Client>,
    currency: Option<Currency>,
) -> Result<Page<()>> {
    let response = match client.list_invoices().send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, LIST, err).await),
    };
    Ok((
        decode_list(&response.into_inner(), currency.as_ref())?,
        None,
    ))
}

async fn get(
    client: &sendcloud_v2::Client,
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
        Err(err) => return Err(api_error(PROVIDER, GET, err).await),
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
    invoice.number = fields.read("ref", v.ref_).map(String::from);
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
    invoice.number = v.ref_.map(String::from);
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
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

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
        let problems = fields.into_problems();
        assert_eq!(problems.len(), bad.len());
        assert_eq!(
            problems[0].to_string(),
            r#"`date` = "2022-06-08 11:39:36": neither `dd-mm-yyyy hh:mm:ss` nor RFC 3339"#
        );
    }
}
