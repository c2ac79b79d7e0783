//! `--live`: the real vendors, each provider whose credentials and
//! settings are in the environment (the variables each adapter's
//! `from_vars` reads; the README lists them per provider).

use invoicing::adapters::source_from_vars;
use invoicing::{Invoices, Provider};

/// The providers found in the environment, and why each other one was
/// left out (a message naming the missing variable, never a value).
pub struct Live {
    /// The configured providers.
    pub invoices: Invoices,
    /// Why each provider left out was (the error names the provider).
    pub skipped: Vec<String>,
}

/// Every provider of this build whose variables are set.
pub fn from_env() -> Live {
    let mut builder = Invoices::builder();
    let mut skipped = Vec::new();
    for &provider in Provider::ALL {
        match source_from_vars(provider, None, |name| std::env::var(name).ok()) {
            Ok(source) => builder = builder.shared_source(source),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    Live {
        invoices: builder.build(),
        skipped,
    }
}
