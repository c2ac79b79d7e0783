//! Lists every invoice of a Sendcloud account (API v3) and a Kitchen
//! workspace as one stream and prints number, status and total.
//!
//! With the credentials `invoicing_sendcloud_v3::auth_from_env` and
//! `invoicing_kitchen::auth_from_env` read (their crate docs list the variables) in
//! the environment:
//!
//! ```sh
//! cargo run -p invoices --example list_all -- my-kitchen-workspace
//! ```

use futures::StreamExt;
use invoicing::adapters::{Kitchen, SendcloudV3};
use invoicing::{Invoices, ListQuery};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("list_all: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let workspace = std::env::args()
        .nth(1)
        .ok_or("usage: list_all <kitchen-workspace>")?;
    let all = Invoices::builder()
        .sendcloud_v3(SendcloudV3::from_env()?)
        .kitchen(Kitchen::from_env(&workspace)?)
        .build();

    let mut stream = all.list(&ListQuery::new().page_size(100));
    while let Some(item) = stream.next().await {
        match item {
            Ok(invoice) => {
                let total = invoice
                    .totals
                    .total()
                    .map_or_else(|| "-".to_owned(), ToString::to_string);
                println!(
                    "{:<17} {:<24} {:<13} {total}",
                    invoice.provider,
                    invoice.number.as_deref().unwrap_or(&invoice.id),
                    invoice.status,
                );
            }
            // One invoice or one provider failing does not stop the others.
            Err(err) => eprintln!("error: {err}"),
        }
    }
    Ok(())
}
