//! The spec-level summary between fixture documents under `fixtures/diff/spec`.

use xtask::diff;

use std::path::PathBuf;

use diff::Format;
use diff::spec::spec_changes;

fn load(name: &str) -> openapiv3::OpenAPI {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff/spec")
        .join(format!("{name}.yaml"));
    serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn lines(old: &str, new: &str) -> Vec<String> {
    spec_changes(&load(old), &load(new))
        .iter()
        .map(|c| c.describe(Format::Markdown))
        .collect()
}

#[test]
fn every_kind_of_change() {
    assert_eq!(
        lines("changes.old", "changes.new"),
        [
            "added operation `GET /credit-notes` (`listCreditNotes`)",
            "`GET /invoices` (`listInvoices`): header parameter `X-Account` became required",
            "`GET /invoices` (`listInvoices`): removed query parameter `legacy`",
            "`GET /invoices` (`listInvoices`): added optional query parameter `since`",
            "`GET /invoices` (`listInvoices`): query parameter `status` became required",
            "`GET /invoices` (`listInvoices`): added required query parameter `tenant`",
            "`GET /invoices` (`listInvoices`): response `200` removed field `data[].customer.email`",
            "`GET /invoices` (`listInvoices`): response `200` removed field `data[].memo`",
            "`GET /invoices` (`listInvoices`): response `200` added field `data[].customer.vat_id`",
            "`GET /invoices` (`listInvoices`): response `200` added field `data[].payment`",
            "`GET /invoices` (`listInvoices`): response `200` added field `total`",
            "`GET /invoices` (`listInvoices`): response `400` added field `code`",
            "`GET /invoices` (`listInvoices`): removed response `410`",
            "`GET /invoices` (`listInvoices`): added response `429`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): operationId was `getInvoice`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): removed path parameter `id`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): added required path parameter `invoice_id`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): response `200` removed field `customer.email`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): response `200` removed field `memo`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): response `200` added field `customer.vat_id`",
            "`GET /invoices/{invoice_id}` (`retrieveInvoice`): response `200` added field `payment`",
            "removed operation `GET /reports` (`listReports`)",
            "`GET /invoices` (`listInvoices`) query parameter `status`: removed enum value `void`",
            "`GET /invoices` (`listInvoices`) query parameter `status`: added enum value `paid`",
            "schema `Invoice` field `lines[].kind`: added enum value `shipping`",
            "schema `Status`: removed enum value `void`",
            "schema `Status`: added enum value `refunded`",
        ]
    );
}

#[test]
fn coinbase_status_withdrawn() {
    assert_eq!(
        lines("coinbase-business", "coinbase-business.new"),
        ["schema `InvoiceStatus`: removed enum value `VOID`"]
    );
}

#[test]
fn sendcloud_field_added_to_invoice() {
    assert_eq!(
        lines("sendcloud-v3", "sendcloud-v3.new"),
        [
            "`GET /invoices` (`list_invoices`): response `200` added field `data[].payment_status`",
            "`GET /invoices/{invoice_id}` (`retrieve_invoice`): response `200` added field `data.payment_status`",
        ]
    );
}

#[test]
fn unchanged_document_has_no_change() {
    assert!(lines("sendcloud-v3", "sendcloud-v3").is_empty());
    assert!(lines("changes.new", "changes.new").is_empty());
}

#[test]
fn reversed_comparison_mirrors_the_changes() {
    let backwards = lines("coinbase-business.new", "coinbase-business");
    assert_eq!(
        backwards,
        ["schema `InvoiceStatus`: added enum value `VOID`"]
    );
}

/// Each change with its impact label, as the report prints it.
fn labelled(old: &str, new: &str) -> Vec<String> {
    spec_changes(&load(old), &load(new))
        .iter()
        .map(|c| match c.impact() {
            Some(impact) => format!("{} {}", impact.label(), c.describe(Format::Markdown)),
            None => c.describe(Format::Markdown),
        })
        .collect()
}

#[test]
fn field_facts_and_request_constraints() {
    assert_eq!(
        labelled("constraints.old", "constraints.new"),
        [
            "removed schema `Legacy`",
            "added schema `CreditNote`",
            // What callers send: tighter is breaking.
            "breaking `GET /invoices` (`listInvoices`) query parameter `limit`: `maximum` `100` became `50`",
            "breaking `GET /invoices` (`listInvoices`) query parameter `q`: `enum` none became `a, b`",
            // What callers receive: explained, classified by the API diff.
            "schema `Invoice` field `issued`: format `date` became `date-time`",
            "schema `Invoice` field `memo`: `maxLength` `100` became `200`",
            "schema `Invoice` field `note`: is no longer nullable",
            "schema `Invoice` field `total`: type `number` became `string`",
            "schema `Invoice` field `total`: became required",
            "schema `Kind`: removed enum value `legacy`",
            "breaking schema `NewInvoice` field `customer`: became required",
            "breaking schema `NewInvoice` field `lines`: `maxItems` none became `10`",
            "breaking schema `NewInvoice` field `reference`: `minLength` `1` became `3`",
            "breaking schema `NewInvoice` field `reference`: `pattern` none became `^[A-Z]`",
            "breaking schema `Status`: removed enum value `void`",
        ]
    );
    // Loosening what callers send breaks nothing; the way back changes a
    // type and a format on the response side only.
    let back = labelled("constraints.new", "constraints.old");
    assert_eq!(back.len(), 15, "{back:#?}");
    assert!(back.iter().all(|l| !l.starts_with("breaking")), "{back:#?}");
}
