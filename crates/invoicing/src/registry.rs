//! Every provider the facade reads, once. Written by `cargo xtask regen`
//! from `specs/providers.toml` (its `facade = true` entries): do not edit.

/// Calls macro `$then` with one row per provider, in the manifest's
/// order: `(feature, Type, module, generated_crate, "title")`. `Type` is
/// the `Provider` variant and the adapter (`adapters::<Type>`, its vendor
/// `<Type>Api`); `module` is the adapter's file and builder method.
macro_rules! with_providers {
    ($then:ident) => {
        $then! {
            ("sendcloud-v2", SendcloudV2, sendcloud_v2, invoicing_sendcloud_v2, "Sendcloud API v2"),
            ("sendcloud-v3", SendcloudV3, sendcloud_v3, invoicing_sendcloud_v3, "Sendcloud API v3 (beta)"),
            ("kitchen", Kitchen, kitchen, invoicing_kitchen, "Kitchen (kitchen.co)"),
            ("coinbase-business", CoinbaseBusiness, coinbase_business, invoicing_coinbase_business, "Coinbase Business"),
            ("stripe", Stripe, stripe, invoicing_stripe, "Stripe"),
            ("lago", Lago, lago, invoicing_lago, "Lago"),
            ("paypal-invoicing-v2", PaypalInvoicingV2, paypal_invoicing_v2, invoicing_paypal_invoicing_v2, "PayPal Invoicing v2"),
            ("square", Square, square, invoicing_square, "Square Invoices"),
            ("mollie", Mollie, mollie, invoicing_mollie, "Mollie (sales invoices)"),
            ("xero-accounting", XeroAccounting, xero_accounting, invoicing_xero_accounting, "Xero Accounting"),
        }
    };
}

pub(crate) use with_providers;
