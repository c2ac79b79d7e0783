//! Every cross-crate test, as one test binary: linking one binary per file
//! is slow on a small machine, and one binary shares one build of every
//! crate. Each module is one concern; the `*_support` modules are what
//! several of them share.

mod facade_support;
mod paging_support;
mod seeds;

mod contract_examples;
mod credentials_from_env;
mod facade_amounts_prop;
mod facade_api_failures;
mod facade_coinbase;
mod facade_integrity;
mod facade_kitchen;
mod facade_lago;
mod facade_merged;
mod facade_mollie;
mod facade_paging;
mod facade_paypal_invoicing_v2;
mod facade_prism;
mod facade_sendcloud_v2;
mod facade_sendcloud_v3;
mod facade_square;
mod facade_stripe;
mod facade_xero_accounting;
mod forward_compat;
mod generated_clients;
mod generated_paging;
mod read_ahead;
mod request_checks;
