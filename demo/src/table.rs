//! The listing itself: every invoice of an [`Invoices`] as one table row,
//! written the moment it arrives.

use std::collections::BTreeMap;
use std::io::{self, Write};

use futures::StreamExt;
use invoicing::{Invoice, Invoices, ListQuery, Provider};

use crate::progress::Progress;

/// The column titles, aligned as [`row`] aligns the values.
pub fn header() -> String {
    format!(
        "{:<17} {:<28} {:<13} {:<10} {:>24}",
        "provider", "number", "status", "issued", "total"
    )
}

/// One invoice as a table row: provider, number (the vendor's id when it
/// has none), status, issue date and total with its currency (`-` for
/// what the vendor did not send).
pub fn row(invoice: &Invoice) -> String {
    let number = invoice.number.as_deref().unwrap_or(&invoice.id);
    let issued = invoice
        .issue_date
        .map_or_else(|| "-".to_owned(), |date| date.to_string());
    let total = invoice
        .totals
        .total()
        .map_or_else(|| "-".to_owned(), ToString::to_string);
    format!(
        "{:<17} {number:<28} {:<13} {issued:<10} {total:>24}",
        invoice.provider.as_str(),
        invoice.status.as_str()
    )
}

/// What a listing printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows per provider.
    pub rows: BTreeMap<Provider, usize>,
    /// Error items (each printed on stderr).
    pub errors: usize,
}

/// Lists `invoices` into a table on `out`, one row per invoice as soon as
/// it arrives (each row is flushed, so the first page shows while the
/// rest are fetched), with error items and counts on `progress`.
///
/// # Errors
/// Only when writing fails; the listing's own errors are counted and shown.
pub async fn print_table<W: Write, P: Write>(
    invoices: &Invoices,
    query: &ListQuery,
    out: &mut W,
    progress: &mut Progress<P>,
) -> io::Result<Summary> {
    writeln!(out, "{}", header())?;
    out.flush()?;
    let mut stream = invoices.list(query);
    while let Some(item) = stream.next().await {
        match item {
            Ok(invoice) => {
                progress.before_output()?;
                writeln!(out, "{}", row(&invoice))?;
                out.flush()?;
                progress.row(invoice.provider)?;
            }
            Err(err) => progress.error(&err)?,
        }
    }
    progress.finish()?;
    Ok(progress.summary())
}
