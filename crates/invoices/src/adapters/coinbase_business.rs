//! Coinbase Business invoicing: `GET /api/v1/invoices`, paged by
//! `nextPageToken`. The API has no endpoint for one invoice.

use std::fmt::Display;
use std::sync::Arc;

use coinbase_business::types;
use futures::future::BoxFuture;
use invoicing_runtime::Auth;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::shared::{
    Fields, ItemShape, ListShape, api_error, decode_body, list_of, map_items, next_token,
};
use crate::error::{Error, Result};
use crate::model::{Invoice, Line, Party, Provider, Status, Timestamp, Totals};
use crate::query::ListQuery;
use crate::source::Source;
use crate::stream::{InvoiceStream, Page, paged};

const PROVIDER: Provider = Provider::CoinbaseBusiness;
const LIST: &str = "list_invoices";
const LISTED: ItemShape = ItemShape::new(PROVIDER, LIST, "uuid");
/// The largest `pageSize` the vendor accepts.
const MAX_PAGE_SIZE: u32 = 100;

/// The invoices of one Coinbase Business account.
///
/// Every request carries a fresh JWT signed with the account's CDP secret
/// API key ([`Auth::coinbase_cdp`]). The seller is the issuing entity
/// (`entityName`, `entityAddress`), the buyer the contact (`contactName`,
/// `contactEmail`, `contactAddress`). Coinbase sends the amount due, not a
/// gross total: [`Totals::amount_due`](crate::Totals::amount_due).
#[derive(Clone, Debug)]
pub struct CoinbaseBusiness {
    client: Arc<coinbase_business::Client>,
}

impl CoinbaseBusiness {
    /// Reads through `client`, e.g. one built with
    /// `coinbase_business::Client::new_with_client` for a custom retry policy.
    pub fn new(client: coinbase_business::Client) -> Self {
        Self {
            client: Arc::new(client),
        }
    }

    /// Reads from Coinbase's server ([`coinbase_business::SERVER_URL`])
    /// with `auth`, usually [`Auth::coinbase_cdp`].
    pub fn with_auth(auth: Auth) -> Self {
        Self::with_base_url(coinbase_business::SERVER_URL, auth)
    }

    /// Reads from `base_url` (a proxy, a test server) with `auth`.
    pub fn with_base_url(base_url: &str, auth: Auth) -> Self {
        Self::new(coinbase_business::Client::with_auth(base_url, auth))
    }

    /// Reads from Coinbase's server with the CDP key in the environment, as
    /// [`coinbase_business::auth_from_env`](::coinbase_business::auth_from_env)
    /// reads it.
    ///
    /// # Errors
    /// [`Error::Api`] with [`invoicing_runtime::Error::Config`] when a
    /// variable is missing or the secret is not a key.
    pub fn from_env() -> Result<Self> {
        Ok(Self::with_auth(coinbase_business::auth_from_env()?))
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
        decode_list(body, None).map(|(invoices, _)| invoices)
    }
}

impl Source for CoinbaseBusiness {
    fn provider(&self) -> Provider {
        PROVIDER
    }

    fn list(&self, query: &ListQuery) -> InvoiceStream {
        let client = Arc::clone(&self.client);
        let page_size = query.page_size_up_to(MAX_PAGE_SIZE);
        // Filtering on the server saves pages; `paged` filters again after
        // mapping, which keeps statuses Coinbase lacks consistent. A status
        // the spec does not list is filtered here only: the generated
        // client refuses to send a value outside the parameter's enum.
        let status = query.status.as_ref().and_then(|status| match status {
            Status::Draft => Some(types::InvoiceStatus::Draft),
            Status::Open => Some(types::InvoiceStatus::Open),
            Status::Scheduled => Some(types::InvoiceStatus::Scheduled),
            Status::Paid => Some(types::InvoiceStatus::Paid),
            Status::Void => Some(types::InvoiceStatus::Void),
            Status::Overdue => Some(types::InvoiceStatus::Overdue),
            Status::Other(_) | Status::Uncollectible | Status::Unknown => None,
        });
        paged(None, query.status.clone(), move |token| {
            list_page(Arc::clone(&client), page_size, status.clone(), token)
        })
    }

    fn get<'a>(&'a self, _id: &'a str) -> BoxFuture<'a, Result<Invoice>> {
        Box::pin(async {
            Err(Error::Unsupported {
                provider: PROVIDER,
                operation: "get",
                reason: "the Coinbase Business API has no endpoint for one invoice; find it with `list`",
            })
        })
    }
}

/// A list page: the invoices left raw, decoded one by one later, and the
/// fields of Coinbase's error body, should one come with a `200`.
#[derive(Deserialize)]
struct ListEnvelope {
    invoices: Option<Vec<Box<RawValue>>>,
    #[serde(rename = "nextPageToken")]
    next_page_token: Option<String>,
    #[serde(rename = "errorType")]
    error_type: Option<Box<RawValue>>,
    #[serde(rename = "errorMessage")]
    error_message: Option<Box<RawValue>>,
}

/// A list page body: its invoices, each read or failed on its own, and the
/// vendor's `nextPageToken`. An empty page is `{"invoices": []}` (the
/// vendor's own examples always send the list); a body without the list
/// is an error. `page` names the page for that error.
fn decode_list(
    body: &[u8],
    page: Option<String>,
) -> Result<(Vec<Result<Invoice>>, Option<String>)> {
    let envelope: ListEnvelope = decode_body(PROVIDER, LIST, body)?;
    let shape = ListShape {
        provider: PROVIDER,
        operation: LIST,
        list: "invoices",
    };
    let vendor_error = envelope.error_message.or(envelope.error_type);
    let raws = list_of(&shape, page, body, envelope.invoices, vendor_error)?;
    Ok((map_items(LISTED, raws, map), envelope.next_page_token))
}

/// One page from `token` (`None` for the first), and the next page's token.
async fn list_page(
    client: Arc<coinbase_business::Client>,
    page_size: Option<u64>,
    status: Option<types::InvoiceStatus>,
    token: Option<String>,
) -> Result<Page<Option<String>>> {
    let mut request = client.list_invoices();
    if let Some(page_size) = page_size {
        request = request.page_size(page_size);
    }
    if let Some(status) = status {
        request = request.status(status);
    }
    if let Some(token) = &token {
        request = request.page_token(token.clone());
    }
    let response = match request.send_raw().await {
        Ok(response) => response,
        Err(err) => return Err(api_error(PROVIDER, LIST, err).await),
    };
    let page = match &token {
        Some(token) => format!("page at token {token:?}"),
        None => "first page".to_owned(),
    };
    let (mut invoices, next_page_token) = decode_list(&response.into_inner(), Some(page))?;
    let next = next_token(PROVIDER, LIST, token.as_deref(), next_page_token);
    match next {
        Ok(next) => Ok((invoices, next.map(Some))),
        // This page's invoices are good; the listing ends after them.
        Err(err) => {
            invoices.push(Err(err));
            Ok((invoices, None))
        }
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
                        format_args!("lineItems[{i}].quantity * unitPrice"),
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
