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
//! What that covers for each provider (how it pages, what exactly once
//! means there, and its limits) is in its adapter's docs, under "Paging".
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
//!   empty page is an empty list (`{"data": []}`, under the member the
//!   vendor's list has).
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
//! Each adapter's docs have its table, model field by model field, and
//! its paging: [`adapters::SendcloudV2`], ... one per provider in
//! [`adapters`]. Fields a vendor sends that the model has no place for
//! stay in [`Invoice::raw`]. Amounts that would have to be added across
//! different currencies are a [`FieldProblem`], not a sum.
//!
//! # Features: pay for the providers you use
//!
//! One cargo feature per provider, named as in `specs/providers.toml`
//! (`kitchen`, `sendcloud-v3`, ...), all on by default. Each brings its
//! adapter, its [`Provider`] variant, its builder method on
//! [`InvoicesBuilder`] and its generated crate, with that crate's auth
//! (only `coinbase-business` compiles the JWT signing of Coinbase
//! Developer Platform keys), and nothing of any other vendor:
//!
//! ```toml
//! [dependencies]
//! invoicing = { version = "0.1", default-features = false, features = ["kitchen"] }
//! ```
//!
//! [`Source::get`] fetches one invoice through each vendor's retrieve
//! operation, named in its adapter's docs; where the vendor has none
//! (Coinbase Business) it is [`Error::Unsupported`].

// With some providers' features off, the shared helpers only their adapters
// use are unused. Dead code is checked in the default build, which has
// every adapter (`cargo xtask regen` makes every provider a default
// feature); a build of fewer is checked for what it does use.
#![cfg_attr(not(feature = "default"), allow(dead_code, unused_imports))]

pub mod adapters;
mod checkpoint;
mod error;
mod invoices;
pub mod model;
mod query;
// Written by `cargo xtask regen`, whose bytes `regen --check` compares.
#[rustfmt::skip]
mod registry;
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
