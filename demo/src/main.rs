//! `cargo run -p invoicing-demo [-- --live]`: see the crate docs.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use invoicing::ListQuery;
use invoicing_demo::progress::Progress;
use invoicing_demo::{live, offline, table};

/// Lists every invoice of every provider into one table: rows on stdout as
/// they arrive, progress and errors on stderr.
#[derive(Parser)]
#[command(name = "invoicing-demo")]
struct Args {
    /// Read from local vendor-shaped servers, no account needed (the default).
    #[arg(long, conflicts_with = "live")]
    offline: bool,
    /// Read from the real vendors, each whose credentials are in the
    /// environment (see the README).
    #[arg(long)]
    live: bool,
    /// Offline: milliseconds each local server waits before answering, as a
    /// network would, so rows and progress can be watched arriving.
    #[arg(long, value_name = "MS", default_value_t = 40)]
    latency_ms: u64,
    /// Invoices per page to ask each vendor for (default: the vendor's;
    /// the offline servers keep their own page sizes).
    #[arg(long, value_name = "N")]
    page_size: Option<u32>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut query = ListQuery::new();
    if let Some(size) = args.page_size {
        query = query.page_size(size);
    }
    // Offline, the servers run as long as `offline` lives.
    let offline;
    let live;
    let invoices = if args.live {
        live = live::from_env();
        for line in &live.skipped {
            eprintln!("skipped {line}");
        }
        if live.invoices.sources().next().is_none() {
            eprintln!("no provider's credentials are set: see the README's demo section");
            return ExitCode::FAILURE;
        }
        &live.invoices
    } else {
        offline = match offline::start(Duration::from_millis(args.latency_ms)).await {
            Ok(offline) => offline,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        &offline.invoices
    };
    let mut progress = Progress::stderr();
    let mut stdout = std::io::stdout().lock();
    match table::print_table(invoices, &query, &mut stdout, &mut progress).await {
        Ok(summary) if summary.errors == 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            // A closed pipe (`| head`) ends the demo quietly.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                let _ = writeln!(std::io::stderr(), "error: {e}");
            }
            ExitCode::FAILURE
        }
    }
}
