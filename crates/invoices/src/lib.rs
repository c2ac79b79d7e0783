//! Every invoice from every supported invoicing API as one stream of one
//! [`Invoice`] type, with amounts exact to the last digit.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use invoicing::adapters::{Kitchen, SendcloudV3};
//! use invoicing::{Invoices, ListQuery};
//!
//! # async fn example() -> Result<(), invoicing::Error> {
//! let all = Invoices::builder()
//!     .sendcloud_v3(SendcloudV3::from_env()?)
//!     .kitchen(Kitchen::from_env("my-workspace")?)
//!     .build();
//! let mut stream = all.list(&ListQuery::new());
//! while let Some(invoice) = stream.try_next().await? {
//!     let total = invoice.totals.total().map(|t| t.to_string()).unwrap_or_default();
//!     println!("{} {:?} {} {total}", invoice.provider, invoice.number, invoice.status);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - [`adapters`]: one [`Source`] per provider, built from a generated
//!   client, a base URL and [`Auth`](invoicing_runtime::Auth), or the
//!   environment.
//! - [`Invoices`]: several sources listed concurrently into one
//!   [`InvoiceStream`], whose [`Checkpoint`] resumes it.
//! - [`model`]: [`Invoice`] and its parts. Amounts are
//!   [`rust_decimal::Decimal`] read from the vendor's exact text, never
//!   through `f64`; a value with more digits than a `Decimal` holds is a
//!   [field problem](FieldProblem), never rounded. Dates are in the
//!   vendor's own offset.
//! - [`Error`]: the runtime's API errors plus the facade's own.
//!
//! Listing is lazy and holds at most two pages per provider in memory:
//! the page being taken and the next one, fetched meanwhile
//! ([`ListQuery::read_ahead`]).
//! [`Invoice::raw`] keeps the vendor's JSON for the invoice byte for byte.
//!
//! # Every invoice exactly once, and listings that resume
//!
//! Each adapter lists through its generated crate's paging and the
//! runtime's paging loop ([`invoicing_runtime::paging`]), which keeps one
//! invariant whatever the vendor sends, stated there
//! ([the invariant](invoicing_runtime::paging#the-invariant)): every
//! invoice a page read forward serves is delivered, or was delivered
//! earlier in this listing, or the listing ends with an error item naming
//! the page; within one listing an invoice id never comes twice, however
//! far apart the pages that serve it; the vendor's paging faults (counts,
//! page numbers or last pages that are negative or contradict the page)
//! are error items or unknown facts, never a loop, a skip or a silent end.
//! What that covers, per provider:
//!
//! | provider | pages by | exactly once | limits |
//! |---|---|---|---|
//! | Sendcloud v2 | one response, no paging | every invoice of the response, an id repeated in it once | — |
//! | Sendcloud v3 | `Link: <...?cursor=...>; rel="next"`, the cursor passed back as received | the cursor keeps the vendor's place, so a list that changes shifts nothing; an id of the page before is not listed again | a cursor followed before (A -> B -> A), a `next` link that cannot be read, an empty page with a `next` link: error items |
//! | Kitchen | `page` from 1 up to `meta.last_page`, newest first | invoices already delivered that invoices created between two page reads push onto the next page are skipped (proven by the set of ids delivered); invoices deleted before the position, seen by `meta.total` changing, are recovered by reading once the page where the last invoice taken now is; without `meta.total` (the spec allows it), each page is read again once the next one is taken, and invoices shifted onto it are listed then (one request more per page) | when it is not found there, the listing ends with an error item saying the vendor's list changed, and at which page, never the end of the list; an invoice never listed that comes ahead of listed ones on a page without the list having grown by as many (the list was reordered) is an error item too, never skipped; changes that keep `meta.total` equal and the order intact are not seen; a server that ignores `page` (`meta.current_page` differs) is an error item |
//! | Coinbase Business | `pageToken` from `nextPageToken`, until it is absent or empty | as Sendcloud v3: the token keeps the place | a token followed before, an empty page with a token, pages that repeat: error items |
//! | Mollie | `_links.next.href`, the next page's URL (`from` = its first invoice's id), followed as received until null | as Sendcloud v3: the URL keeps the place | a URL followed before, one to another server, an empty page with a next URL: error items |
//! | Xero accounting | `page` from 1 up to `pagination.pageCount` | as Kitchen, with `pagination.itemCount` as the total and `pagination.page` as the current page | as Kitchen |
//!
//! The guarantee is for invoices that exist for the whole listing; one
//! created or deleted while it runs may or may not be listed, once at most.
//! Memory: two pages (one without [`ListQuery::read_ahead`]), the ids of
//! at most two pages, 8 bytes per cursor followed, and the hashes of the
//! ids delivered that prove "delivered earlier" (1.2 MiB per 100,000
//! invoices, 18 MiB per 1,000,000; bounded by
//! [`DEFAULT_MAX_IDS`](invoicing_runtime::paging::DEFAULT_MAX_IDS)). Reading ahead changes neither which invoices come
//! nor any checkpoint: a page fetched ahead counts only once it is taken.
//!
//! [`InvoiceStream::checkpoint`] says what the consumer has taken (down to
//! the invoice, in the middle of a page): a small `serde` value. Store it
//! after handling an invoice; after a crash or an error item,
//! [`Source::list_from`] (one source) or [`Invoices::list_from`] (the same
//! sources in the same order) delivers every invoice after it exactly
//! once, under the rules above:
//!
//! ```no_run
//! use futures::StreamExt;
//! use invoicing::adapters::Kitchen;
//! use invoicing::{Checkpoint, ListQuery, Source};
//!
//! # async fn example(saved: Option<String>) -> Result<(), Box<dyn std::error::Error>> {
//! let kitchen = Kitchen::from_env("my-workspace")?;
//! let from: Checkpoint = match saved {
//!     Some(json) => serde_json::from_str(&json)?,
//!     None => Checkpoint::start(),
//! };
//! let mut stream = kitchen.list_from(&ListQuery::new(), &from);
//! while let Some(item) = stream.next().await {
//!     let invoice = item?; // on an error, stop: the checkpoint resumes here
//!     println!("{}", invoice.id);
//!     let _saved = serde_json::to_string(&stream.checkpoint())?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Nothing lost: field problems and error items
//!
//! Every invoice a vendor lists comes through once, as an invoice or as an
//! `Err` item that says why:
//!
//! - **A field that cannot be mapped** leaves the invoice with that model
//!   field empty (`None`, never a default or a guess) and a
//!   [`FieldProblem`] in [`Invoice::problems`]: the vendor's field path
//!   (`items[2].quantity`), its value as sent, and why. The kinds are: a
//!   value that does not fit the vendor's own generated type (a date that
//!   is not RFC 3339, a string where the spec says number, a required field
//!   absent), a decimal that is not a number or has more digits than a
//!   `Decimal` holds, a currency that is not a code, a derived amount that
//!   does not fit, and amounts in different currencies that would have to
//!   be added. An amount whose value or currency cannot be read is empty as
//!   a whole, and so is every total derived from it. The rest of the
//!   invoice, and its raw JSON, come through as usual.
//!   [`Invoice::require_complete`] (one invoice) and
//!   [`InvoiceStream::require_complete`] (a stream) turn invoices with
//!   problems into [`Error::Incomplete`] items for callers that want only
//!   complete ones.
//! - **An invoice that does not decode at all** (not a JSON object, or its
//!   id unreadable) is an [`Error::Decode`] item naming provider, operation
//!   and position, with the invoice's whole JSON in its `raw` field; the
//!   rest of the page is still listed.
//! - **A list response without its list** (the list member missing or
//!   `null`), or with the vendor's error object in a `200`, is an
//!   [`Error::MissingList`] item naming provider, operation and page, and
//!   ends that provider's listing; it is never read as an empty page. An
//!   empty page is an empty list: `{"invoices": []}` (Sendcloud v2,
//!   Coinbase), `{"data": []}` (Sendcloud v3, Kitchen).
//! - **A failed request**, or a paging fault of the vendor, is an
//!   [`Error::Api`] item naming the page, and ends that provider's listing;
//!   its checkpoint resumes it.
//!
//! Derived amounts are exact: sums and differences have the larger scale
//! of their operands (`12.50 + 0.0000` is `12.5000`), products at least
//! that (`1.5 × "0.00"` is `0.00`), and zero is never `-0`.
//!
//! # Where each field comes from
//!
//! Vendor field names as in their JSON. *derived* means the amount is
//! computed by this crate ([`Amount::derived`] is `true`); "—" means the
//! vendor sends nothing for it and the field is `None` (or empty).
//!
//! | model | Sendcloud v2 | Sendcloud v3 | Kitchen | Coinbase Business |
//! |---|---|---|---|---|
//! | `id` | `id` | `id` | `id` | `uuid` |
//! | `number` | `ref` | `reference` | `number` | `invoiceNumber` |
//! | `kind` | `type` | `category` | `type` | — |
//! | `status` | `isPayed`: `true` → `Paid`, `false` → `Open` (absent in a detail → `Unknown`) | always `Unknown`: the API has no status | `status`: `draft`, `open`, `paid`, `void`, `uncollectible`; others → `Other(value)` | `status`: `DRAFT`, `OPEN`, `SCHEDULED`, `PAID`, `VOID`, `OVERDUE`; others → `Other(value)` |
//! | `vendor_status` | — (a boolean) | — | `status` | `status` |
//! | `issued_at`, `issue_date` | `date`, RFC 3339 or `dd-mm-yyyy hh:mm:ss` (no zone: [`Timestamp::Naive`]) | `created_at` | `issue_date` | `invoiceDate` |
//! | `due_at`, `due_date` | — | `due_date` | `due_date` | `dueDate` |
//! | `created_at` | `date` | `created_at` | `created_at` | `createdAt` |
//! | `paid_at` | — | — | `paid_at` | — |
//! | `currency` | none, unless set with [`SendcloudV2::currency`](adapters::SendcloudV2::currency) | `price_taxable.currency` | `currency` | `totalAmountDue.currency` |
//! | `totals.subtotal` | — | — | `amount` | — |
//! | `totals.discount` | — | — | `discount_amount` | `discount` |
//! | `totals.shipping` | — | — | `shipping_amount` | — |
//! | `totals.net` | `price_excl` | *derived*: `price_taxable + price_non_taxable` (null counts as 0) | — | — |
//! | `totals.tax` | *derived*: `price_incl - price_excl` | `tax` | *derived*: sum of `tax_items[].amount` (— if none, or one has no amount) | `tax` |
//! | `totals.gross` | `price_incl` | *derived*: `price_taxable + price_non_taxable + tax` | `total_amount` | — |
//! | `totals.amount_due` | — | — | — | `totalAmountDue` |
//! | `lines` | list: — (`items` is a URL); `get`: `items[]` → `id`, `name` | — | `items[]`: `id`, `title` → `name`, `description`, `quantity` (decimal string), `amount` | `lineItems[]`: `itemName` → `name`, `quantity`, `unitPrice`; `amount` *derived* = `quantity × unitPrice` |
//! | `seller` | — | `issuer`: `business_name`, `address`, `postal_code`, `city`, `country_name`, `vat_id`, `coc_id` → `registration_id` | — | `entityName`, `entityAddress` |
//! | `buyer` | — | — | `client` → `id`, `billing_profile` → `account_ref` | `contactName`, `contactEmail`, `contactAddress` |
//! | `description` | — | `description` | `memo` | `memo` |
//! | `raw` | the invoice object of `invoices[]` / `invoice` | the object of `data[]` / `data` | the object of `data[]` / `data` | the object of `invoices[]` |
//!
//! Mollie and Xero accounting have their field-by-field tables in their
//! adapters' docs ([`adapters::Mollie`], [`adapters::XeroAccounting`]).
//!
//! Amounts that would have to be added across different currencies are a
//! [`FieldProblem`], not a sum. Items and tax items without a currency of
//! their own are in the invoice's currency (Kitchen). Kitchen's `client`
//! and `billing_profile` are ids, or objects when listed with `expand[]`;
//! from the objects the buyer also gets `name` and `email` (the billing
//! profile's first), and from the billing profile `address`, `city`,
//! `postal_code`, `country` → `country_code` and `tax_id` → `vat_id`.
//!
//! # Features: pay for the providers you use
//!
//! One cargo feature per provider, all on by default: `sendcloud-v2`,
//! `sendcloud-v3`, `kitchen`, `coinbase-business`. Each brings its adapter,
//! its [`Provider`] variant, its builder method on [`InvoicesBuilder`] and
//! its generated crate, with that crate's auth (only `coinbase-business`
//! compiles the JWT signing of Coinbase Developer Platform keys):
//!
//! ```toml
//! [dependencies]
//! invoices = { version = "0.1", default-features = false, features = ["kitchen"] }
//! ```
//!
//! # Operations
//!
//! | provider | `get` |
//! |---|---|
//! | Sendcloud v2 | `get_invoice` |
//! | Sendcloud v3 | `retrieve_invoice` |
//! | Kitchen | `get_invoice` |
//! | Coinbase Business | [`Error::Unsupported`] |
//! | Mollie | `get_sales_invoice` |
//! | Xero accounting | `get_invoice` (the invoice id is a UUID) |

// With some providers' features off, the shared helpers only their adapters
// use are unused. Dead code is checked in the default build, which has
// every adapter; a build of fewer is checked for what it does use.
#![cfg_attr(
    not(all(
        feature = "sendcloud-v2",
        feature = "sendcloud-v3",
        feature = "kitchen",
        feature = "coinbase-business",
        feature = "mollie",
        feature = "xero-accounting"
    )),
    allow(dead_code, unused_imports)
)]

pub mod adapters;
mod checkpoint;
mod error;
mod invoices;
pub mod model;
mod query;
mod source;
mod stream;

pub use checkpoint::Checkpoint;
pub use error::{Error, Result};
pub use invoices::{Invoices, InvoicesBuilder};
pub use model::{
    Amount, Currency, FieldProblem, Invoice, Line, Party, Provider, Status, Timestamp, Totals,
};
pub use query::ListQuery;
pub use source::Source;
pub use stream::InvoiceStream;
