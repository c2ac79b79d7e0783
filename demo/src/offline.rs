//! `--offline`: one local vendor-shaped server per provider (127.0.0.1,
//! ephemeral ports), and an [`Invoices`] pointed at them, each adapter
//! built from its mock's variables as `--live` builds it from the
//! environment.

use std::time::Duration;

use invoicing::adapters::source_from_vars;
use invoicing::{Invoices, Provider};
use invoicing_mock_vendors::server::{self, MockVendor};
use invoicing_mock_vendors::shape::Shape;
use invoicing_mock_vendors::vendors;

/// What each local server holds: `(provider's mock, invoices, invoices per
/// page)`, for every provider of this build. Every paged vendor gets
/// several pages; an unpaged one (Sendcloud v2) sends its whole list in one
/// response, as the vendor does.
pub fn catalogue() -> Vec<(&'static dyn Shape, usize, usize)> {
    vendors::ALL
        .iter()
        .copied()
        .filter(|shape| shape.name().parse::<Provider>().is_ok())
        .enumerate()
        .map(|(k, shape)| {
            if shape.unpaged() {
                (shape, 40, 40)
            } else {
                (shape, 150 + 20 * (k % 5), 25)
            }
        })
        .collect()
}

/// The running servers and the [`Invoices`] that reads them; the servers
/// stop when this is dropped.
pub struct Offline {
    /// Every provider, each pointed at its local server.
    pub invoices: Invoices,
    _servers: Vec<MockVendor>,
}

/// Starts one server per provider of [`catalogue`], each adding `latency`
/// before every response (as a network would).
///
/// # Errors
/// When an adapter refuses its mock's variables (it never does; the error
/// is passed on rather than hidden).
pub async fn start(latency: Duration) -> invoicing::Result<Offline> {
    let mut builder = Invoices::builder();
    let mut servers = Vec::new();
    for (shape, total, per_page) in catalogue() {
        let options = server::Options {
            latency,
            distinct: true,
        };
        let vendor = server::start_with(shape, total, per_page, options).await;
        let provider: Provider = shape.name().parse().expect("the catalogue's providers");
        let vars = shape.offline_vars();
        let var = |name: &str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
        };
        builder = builder.shared_source(source_from_vars(provider, Some(&vendor.base_url), var)?);
        servers.push(vendor);
    }
    Ok(Offline {
        invoices: builder.build(),
        _servers: servers,
    })
}

/// How many invoices the servers of [`catalogue`] hold in all.
pub fn total_invoices() -> usize {
    catalogue().iter().map(|(_, total, _)| total).sum()
}
