//! API changes between surface pairs under `fixtures/diff/api`, with their
//! exact classification and wording.

use xtask::diff;
use xtask::surface;

use std::path::PathBuf;

use diff::Format;
use diff::api::{ApiDiff, Impact};
use diff::report::{ApiState, summary_line};

fn load(name: &str) -> surface::Surface {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    surface::parse(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn lines(case: &str) -> Vec<String> {
    let diff = ApiDiff::between(
        &load(&format!("api/{case}.old.md")),
        &load(&format!("api/{case}.new.md")),
    );
    diff.changes
        .iter()
        .map(|c| format!("{} {}", c.impact().label(), c.describe(Format::Markdown)))
        .collect()
}

#[test]
fn operations_parameters_and_client_functions() {
    assert_eq!(
        lines("operations"),
        [
            "additive added operation `create_invoice`",
            "breaking removed operation `delete_invoice`",
            "breaking operation `list_invoices`: return type changed from `InvoiceList` to `InvoicePage`",
            "breaking operation `list_invoices`: error body changed from `Error` to `Problem`",
            "breaking operation `list_invoices`: added required parameter `account` (`String`)",
            "breaking operation `list_invoices`: removed parameter `cursor`",
            "additive operation `list_invoices`: parameter `lang` became optional",
            "breaking operation `list_invoices`: parameter `page_size` changed type from `NonZeroU64` to `u32`",
            "additive operation `list_invoices`: parameter `per_page` changed type from `u64` to `i64`",
            "additive operation `list_invoices`: added optional parameter `since` (`chrono::DateTime<chrono::Utc>`)",
            "breaking operation `list_invoices`: parameter `status` became required",
            "breaking client function `new` changed from `new(baseurl: &str) -> Self` to \
             `new(baseurl: &str, inner: invoicing_runtime::Context) -> Self`",
            "breaking removed client function `new_with_client`",
            "additive added client function `with_retries(self, retries: u32) -> Self`",
        ]
    );
}

#[test]
fn a_declared_paging_is_an_added_stream_and_a_dropped_one_breaks() {
    assert_eq!(
        lines("streams"),
        [
            "breaking operation `list_credits`: removed `.stream()`",
            "additive operation `list_invoices`: added `.stream()` of `Invoice`",
            "breaking operation `list_payments`: `.stream()` items changed type from `Payment` to `PaymentResponse`",
        ]
    );
}

#[test]
fn structs_fields_newtypes_and_aliases() {
    assert_eq!(
        lines("structs"),
        [
            "breaking newtype `Amount`: inner type changed from `String` to `rust_decimal::Decimal`",
            "breaking struct `Contact`: added optional field `email` (`Option<String>`), \
             struct literals break (the struct is exhaustive)",
            "breaking alias `Id`: changed from `i64` to `u64`",
            "breaking struct `Invoice`: added required field `currency` (`String`)",
            "breaking struct `Invoice`: field `due` changed type from `Option<String>` to `String`, now required",
            "breaking struct `Invoice`: removed field `memo`",
            "additive struct `Invoice`: field `notes` became optional",
            "additive struct `Invoice`: added optional field `paid_at` (`Option<chrono::DateTime<chrono::Utc>>`)",
            "breaking struct `Invoice`: field `reference` changed wire name from `reference` to `invoice_reference`",
            "breaking struct `Invoice`: field `tags` became required",
            "breaking struct `Invoice`: field `total` changed type from `String` to `rust_decimal::Decimal`",
            "breaking type `Kind` changed from newtype to enum",
            "additive added struct `Line`",
            "breaking removed struct `Obsolete`",
            "breaking struct `Payment` became non-exhaustive: struct literals and exhaustive \
             patterns break, build it with `Payment::builder()`",
        ]
    );
}

#[test]
fn enum_variants_open_and_closed() {
    assert_eq!(
        lines("enums"),
        [
            "breaking enum `Amount`: variant `String` changed data from `String` to `rust_decimal::Decimal`",
            "breaking enum `Category`: added variant `Credit` (`credit`) to a closed enum, exhaustive matches break",
            "breaking enum `Level` became open: its new `Unknown` variant breaks exhaustive matches",
            "breaking enum `Mode` became closed: values it does not know now fail to deserialize",
            "breaking enum `Status`: variant `Paid` changed wire value from `PAID` to `paid`",
            "additive enum `Status`: added variant `Refunded` (`REFUNDED`)",
            "breaking enum `Status`: removed variant `Void` (`VOID`)",
        ]
    );
}

#[test]
fn identical_surfaces_have_no_change() {
    let s = load("api/enums.old.md");
    let diff = ApiDiff::between(&s, &s);
    assert!(diff.changes.is_empty());
    assert_eq!(diff.impact(), None);
    assert_eq!(
        summary_line("enums", &ApiState::Compared(diff)),
        "enums: no API change"
    );
}

#[test]
fn counts_and_summary_line() {
    let diff = ApiDiff::between(
        &load("api/operations.old.md"),
        &load("api/operations.new.md"),
    );
    assert_eq!(diff.count(Impact::Additive), 5);
    assert_eq!(diff.count(Impact::Breaking), 9);
    assert_eq!(diff.impact(), Some(Impact::Breaking));
    assert_eq!(
        summary_line("sendcloud-v3", &ApiState::Compared(diff)),
        "sendcloud-v3: 5 additive, 9 breaking"
    );

    let additive_only = ApiDiff::between(
        &load("surface/sendcloud-v3.API.md"),
        &load("surface/sendcloud-v3.new.API.md"),
    );
    assert_eq!(additive_only.impact(), Some(Impact::Additive));
    assert_eq!(
        summary_line("sendcloud-v3", &ApiState::Compared(additive_only)),
        "sendcloud-v3: 2 additive"
    );

    let new = load("surface/sendcloud-v3.API.md");
    assert_eq!(
        summary_line("sendcloud-v3", &ApiState::between(None, &new)),
        "sendcloud-v3: new crate"
    );
}
