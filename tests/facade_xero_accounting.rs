//! The Xero accounting adapter against a local mock server.

use crate::facade_support::{collect, dec, invoices, only_error, query, xero};
use chrono::NaiveDate;
use invoicing::adapters::XeroAccounting;
use invoicing::{Error, Invoice, ListQuery, Provider, Source, Status};
use invoicing_runtime::Auth;
use invoicing_runtime::test_util::{header, serve};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "xero-access-token-123";
const TENANT: &str = "a3675fc4-0000-4f03-ba5b-f1870566bcd7";

/// The second invoice of Xero's `getInvoices` example, as JSON text.
const LIST_EXAMPLE: &str = r#"{"Type": "ACCREC", "InvoiceID": "046d8a6d-1ae1-4b4d-9340-5601bdf41b87",
  "InvoiceNumber": "INV-0002", "Reference": "Red Fish, Blue Fish",
  "Payments": [{"PaymentID": "99ea7f6b-c513-4066-bc27-b7c65dcd76c2", "Date": "/Date(1543449600000+0000)/",
    "Amount": 46.00, "CurrencyRate": 1.000000, "HasAccount": false, "HasValidationErrors": false}],
  "CreditNotes": [], "Prepayments": [], "Overpayments": [], "AmountDue": 0.00, "AmountPaid": 46.00,
  "AmountCredited": 0.00, "SentToContact": true, "CurrencyRate": 1.000000, "HasErrors": false,
  "IsDiscounted": false, "HasAttachments": false,
  "Contact": {"ContactID": "a3675fc4-f8dd-4f03-ba5b-f1870566bcd7", "Name": "Barney Rubble-83203",
    "Addresses": [], "Phones": [], "ContactGroups": [], "ContactPersons": [], "HasValidationErrors": false},
  "DateString": "2018-10-20T00:00:00", "Date": "/Date(1539993600000+0000)/",
  "DueDateString": "2018-12-30T00:00:00", "DueDate": "/Date(1546128000000+0000)/", "Status": "PAID",
  "LineAmountTypes": "Exclusive", "LineItems": [], "SubTotal": 40.00, "TotalTax": 6.00, "Total": 46.00,
  "UpdatedDateUTC": "/Date(1541176592690+0000)/", "UpdatedDateUTCString": "2018-11-02T16:36:32Z",
  "CurrencyCode": "NZD", "FullyPaidOnDate": "/Date(1543449600000+0000)/"}"#;

/// Xero's `getInvoice` example, shortened to what the model reads (the
/// contact's phones, groups and persons left out).
const GET_EXAMPLE: &str = r#"{"Type": "ACCREC", "InvoiceID": "a03ffcd2-5d91-4c7e-b483-318584e9e439",
  "InvoiceNumber": "INV-0006", "Reference": "Tour", "Prepayments": [], "Overpayments": [],
  "AmountDue": 0.00, "AmountPaid": 148062.76, "SentToContact": false, "CurrencyRate": 1.000000,
  "HasErrors": false, "IsDiscounted": false, "HasAttachments": true,
  "Contact": {"ContactID": "430fa14a-f945-44d3-9f97-5df5e28441b8", "ContactStatus": "ACTIVE",
    "Name": "Liam Gallagher", "FirstName": "Liam", "LastName": "Gallagher", "EmailAddress": "liam@rockstar.com",
    "BankAccountDetails": "",
    "Addresses": [{"AddressType": "STREET", "City": "", "Region": "", "PostalCode": "", "Country": "", "AttentionTo": ""},
      {"AddressType": "POBOX", "City": "Anytown", "Region": "NY", "PostalCode": "10101", "Country": "USA", "AttentionTo": ""}],
    "UpdatedDateUTC": "/Date(1551747281053+0000)/", "IsSupplier": true, "IsCustomer": true, "HasValidationErrors": false},
  "DateString": "2019-03-07T00:00:00", "Date": "/Date(1551916800000+0000)/",
  "DueDateString": "2019-03-13T00:00:00", "DueDate": "/Date(1552435200000+0000)/", "Status": "PAID",
  "LineAmountTypes": "Exclusive",
  "LineItems": [{"ItemCode": "123", "Description": "Guitars Fender Strat", "UnitAmount": 148062.76, "TaxType": "NONE",
    "TaxAmount": 0.00, "LineAmount": 148062.76, "AccountCode": "200", "Tracking": [], "Quantity": 1.0000,
    "LineItemID": "b18f39d9-7739-4246-9288-72afe939d2d5", "ValidationErrors": []}],
  "SubTotal": 148062.76, "TotalTax": 0.00, "Total": 148062.76, "UpdatedDateUTC": "/Date(1551981568133+0000)/",
  "UpdatedDateUTCString": "2019-03-07T17:59:28Z", "CurrencyCode": "NZD"}"#;

/// A list page as Xero sends it.
fn page(invoices: &[&str], page: u64, count: u64, items: u64) -> String {
    format!(
        r#"{{"Id": "900c500b-e83c-4ce2-902a-b8ba04751748", "Status": "OK", "ProviderName": "Provider Name Example",
            "DateTimeUTC": "/Date(1552326816230)/",
            "pagination": {{"page": {page}, "pageSize": 2, "pageCount": {count}, "itemCount": {items}}},
            "Invoices": [{}]}}"#,
        invoices.join(",")
    )
}

/// A small sales invoice number `n` for `total` in `currency`.
fn small(n: u32, status: &str, total: &str, currency: &str) -> String {
    format!(
        r#"{{"Type": "ACCREC", "InvoiceID": "00000000-0000-0000-0000-{n:012}", "InvoiceNumber": "INV-{n:04}",
            "Status": "{status}", "Date": "/Date(1539993600000+0000)/", "DueDate": null,
            "Total": {total}, "AmountDue": {total}, "CurrencyCode": "{currency}"}}"#
    )
}

fn uuid(n: u32) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

fn json(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

async fn list(server: &MockServer) -> Vec<Invoice> {
    invoices(xero(server, Auth::bearer(TOKEN), TENANT).list(&ListQuery::new())).await
}

#[tokio::test]
async fn the_list_example_maps_field_by_field_and_keeps_its_raw_bytes() {
    let server = MockServer::start().await;
    serve(&server, 200, &page(&[LIST_EXAMPLE], 1, 1, 1)).await;
    let listed = list(&server).await;
    let invoice = &listed[0];
    assert_eq!(invoice.raw.get(), LIST_EXAMPLE);
    assert_eq!(invoice.provider, Provider::XeroAccounting);
    assert_eq!(invoice.id, "046d8a6d-1ae1-4b4d-9340-5601bdf41b87");
    assert_eq!(invoice.number.as_deref(), Some("INV-0002"));
    assert_eq!(invoice.kind.as_deref(), Some("ACCREC"));
    assert!(!invoice.credit_note);
    assert_eq!(invoice.status, Status::Paid);
    assert_eq!(invoice.vendor_status.as_deref(), Some("PAID"));
    assert_eq!(invoice.issue_date, NaiveDate::from_ymd_opt(2018, 10, 20));
    assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2018, 12, 30));
    assert_eq!(
        invoice.issued_at.unwrap().to_string(),
        "2018-10-20T00:00:00+00:00"
    );
    assert_eq!(
        invoice.paid_at.unwrap().to_string(),
        "2018-11-29T00:00:00+00:00"
    );
    assert_eq!(invoice.created_at, None, "Xero sends no creation time");
    assert_eq!(invoice.currency.as_ref().unwrap().as_str(), "NZD");
    let totals = &invoice.totals;
    let value = |amount: &Option<invoicing::Amount>| amount.as_ref().unwrap().to_string();
    assert_eq!(value(&totals.net), "40.00 NZD");
    assert_eq!(value(&totals.tax), "6.00 NZD");
    assert_eq!(value(&totals.gross), "46.00 NZD");
    assert_eq!(value(&totals.amount_due), "0.00 NZD");
    assert_eq!(value(&totals.amount_paid), "46.00 NZD");
    assert_eq!(value(&totals.amount_remaining), "0.00 NZD");
    assert_eq!(totals.subtotal, None);
    assert!(invoice.lines.is_empty(), "list examples have no lines");
    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(
        buyer.id.as_deref(),
        Some("a3675fc4-f8dd-4f03-ba5b-f1870566bcd7")
    );
    assert_eq!(buyer.name.as_deref(), Some("Barney Rubble-83203"));
    assert!(invoice.seller.is_none());
    assert_eq!((&invoice.hosted_url, &invoice.pdf_url), (&None, &None));
    assert!(invoice.is_complete(), "{:?}", invoice.problems);
}

#[tokio::test]
async fn get_reads_the_one_invoice_of_its_envelope_with_lines_and_address() {
    let server = MockServer::start().await;
    let id = "a03ffcd2-5d91-4c7e-b483-318584e9e439";
    Mock::given(method("GET"))
        .and(path(format!("/Invoices/{id}")))
        .respond_with(json(format!(
            r#"{{"Id": "516f400a-b764-4c88-831b-12d2b210fa24", "Status": "OK", "Invoices": [{GET_EXAMPLE}]}}"#
        )))
        .expect(1)
        .mount(&server)
        .await;
    let source = xero(&server, Auth::bearer(TOKEN), TENANT);
    let invoice = source.get(id).await.unwrap();
    assert_eq!(invoice.raw.get(), GET_EXAMPLE);
    assert_eq!(invoice.id, id);
    let line = &invoice.lines[0];
    assert_eq!(
        line.id.as_deref(),
        Some("b18f39d9-7739-4246-9288-72afe939d2d5")
    );
    assert_eq!(line.name.as_deref(), Some("123"), "the item code");
    assert_eq!(line.description.as_deref(), Some("Guitars Fender Strat"));
    assert_eq!(line.quantity, Some(dec("1.0000")));
    assert_eq!(
        line.unit_price.as_ref().unwrap().to_string(),
        "148062.76 NZD"
    );
    assert_eq!(line.amount.as_ref().unwrap().to_string(), "148062.76 NZD");
    let buyer = invoice.buyer.as_ref().unwrap();
    assert_eq!(buyer.email.as_deref(), Some("liam@rockstar.com"));
    assert_eq!(buyer.city.as_deref(), Some("Anytown"), "the POBOX address");
    assert_eq!(buyer.region.as_deref(), Some("NY"));
    assert_eq!(buyer.postal_code.as_deref(), Some("10101"));
    assert_eq!(buyer.country_name.as_deref(), Some("USA"));
    assert!(invoice.is_complete(), "{:?}", invoice.problems);

    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(request, "xero-tenant-id").as_deref(), Some(TENANT));
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {TOKEN}"))
    );

    // An id Xero cannot take is refused before any request.
    let err = source.get("INV-0006").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"xero-accounting get_invoice: invalid request: invoice id "INV-0006" is not a UUID"#
    );
}

#[tokio::test]
async fn pages_are_read_up_to_the_page_count_with_the_tenant_on_each() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Invoices"))
        .respond_with(|request: &Request| {
            let body = match query(request, "page").as_deref() {
                Some("1") => page(
                    &[
                        &small(1, "DRAFT", "1.00", "EUR"),
                        &small(2, "SUBMITTED", "2.00", "EUR"),
                    ],
                    1,
                    3,
                    5,
                ),
                Some("2") => page(
                    &[
                        &small(3, "AUTHORISED", "3.00", "EUR"),
                        &small(4, "VOIDED", "4.00", "EUR"),
                    ],
                    2,
                    3,
                    5,
                ),
                Some("3") => page(&[&small(5, "DELETED", "5.00", "EUR")], 3, 3, 5),
                other => panic!("unexpected page {other:?}"),
            };
            json(body)
        })
        .expect(3)
        .mount(&server)
        .await;
    let source = xero(&server, Auth::bearer(TOKEN), TENANT);
    let listed = invoices(source.list(&ListQuery::new().page_size(2))).await;
    let ids: Vec<_> = listed.iter().map(|i| i.id.clone()).collect();
    assert_eq!(ids, (1..=5).map(uuid).collect::<Vec<_>>());
    let statuses: Vec<_> = listed.iter().map(|i| i.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            Status::Draft,
            Status::Draft,
            Status::Open,
            Status::Void,
            Status::Void
        ]
    );
    assert_eq!(listed[4].vendor_status.as_deref(), Some("DELETED"));
    for request in server.received_requests().await.unwrap() {
        assert_eq!(query(&request, "pageSize").as_deref(), Some("2"));
        assert_eq!(header(&request, "xero-tenant-id").as_deref(), Some(TENANT));
        assert_eq!(
            header(&request, "accept").as_deref(),
            Some("application/json"),
            "Xero answers in XML without it"
        );
    }
}

#[tokio::test]
async fn currencies_of_every_exponent_and_negative_amounts_are_exact() {
    let server = MockServer::start().await;
    let body = page(
        &[
            &small(1, "AUTHORISED", "1000", "JPY"),
            &small(2, "AUTHORISED", "15000", "KRW"),
            &small(3, "AUTHORISED", "1.234", "KWD"),
            &small(4, "AUTHORISED", "0.005", "BHD"),
            &small(5, "AUTHORISED", "-89.00", "EUR"),
            &small(6, "AUTHORISED", "1234567890123.10", "USD"),
        ],
        1,
        1,
        6,
    );
    serve(&server, 200, &body).await;
    let listed = list(&server).await;
    let totals: Vec<_> = listed
        .iter()
        .map(|invoice| {
            assert!(invoice.is_complete(), "{:?}", invoice.problems);
            invoice.totals.gross.as_ref().unwrap().to_string()
        })
        .collect();
    // Exact, with the scale as sent (never through f64, which would lose
    // the trailing zero and the last digits of the last one).
    assert_eq!(
        totals,
        [
            "1000 JPY",
            "15000 KRW",
            "1.234 KWD",
            "0.005 BHD",
            "-89.00 EUR",
            "1234567890123.10 USD"
        ]
    );
}

#[tokio::test]
async fn a_currency_xero_does_not_list_is_a_problem_not_a_guess() {
    let server = MockServer::start().await;
    serve(
        &server,
        200,
        &page(&[&small(1, "AUTHORISED", "10.00", "ZZZ")], 1, 1, 1),
    )
    .await;
    let invoice = &list(&server).await[0];
    assert_eq!(invoice.currency, None);
    assert_eq!(invoice.totals.gross, None);
    assert_eq!(
        invoice.problems[0].to_string(),
        r#"`CurrencyCode` = "ZZZ": not one of the currency codes Xero's document lists"#
    );
}

#[tokio::test]
async fn null_and_odd_dates_and_unknown_statuses() {
    let server = MockServer::start().await;
    let odd = r#"{"Type": "ACCRECCREDIT", "InvoiceID": "00000000-0000-0000-0000-000000000001",
        "Status": "ARCHIVED", "Date": "/Date(1539993600000+1300)/", "DueDate": "2018-12-30",
        "FullyPaidOnDate": "30/12/2018", "CurrencyCode": "NZD"}"#;
    let null_dates = r#"{"Type": "ACCPAY", "InvoiceID": "00000000-0000-0000-0000-000000000002",
        "Status": "AUTHORISED", "Date": null, "DueDate": null, "CurrencyCode": "NZD",
        "Contact": {"ContactID": "430fa14a-f945-44d3-9f97-5df5e28441b8", "Name": "Supplier"}}"#;
    serve(&server, 200, &page(&[odd, null_dates], 1, 1, 2)).await;
    let listed = list(&server).await;
    let credit = &listed[0];
    assert!(credit.credit_note);
    assert_eq!(credit.status, Status::Other("ARCHIVED".into()));
    assert_eq!(
        credit.issued_at.unwrap().to_string(),
        "2018-10-20T13:00:00+13:00"
    );
    assert_eq!(credit.due_date, NaiveDate::from_ymd_opt(2018, 12, 30));
    assert_eq!(credit.paid_at, None);
    assert_eq!(credit.problems.len(), 1, "{:?}", credit.problems);
    assert_eq!(credit.problems[0].field, "FullyPaidOnDate");
    assert_eq!(credit.problems[0].value.as_deref(), Some(r#""30/12/2018""#));

    let bill = &listed[1];
    assert_eq!((bill.issue_date, bill.due_date), (None, None));
    assert!(bill.buyer.is_none());
    assert_eq!(
        bill.seller.as_ref().unwrap().name.as_deref(),
        Some("Supplier"),
        "a bill's contact is its seller"
    );
    assert!(bill.is_complete(), "{:?}", bill.problems);
}

#[tokio::test]
async fn a_page_without_its_list_is_an_error_item_and_an_invoice_without_an_id_fails_alone() {
    let server = MockServer::start().await;
    let body = r#"{"Status": "OK", "pagination": {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 0}}"#;
    serve(&server, 200, body).await;
    let err = only_error(xero(&server, Auth::bearer(TOKEN), TENANT).list(&ListQuery::new())).await;
    assert!(matches!(err, Error::MissingList { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "xero-accounting get_invoices (page 1): the response has no `Invoices` list (missing or null); JSON starts {body:?}"
        )
    );

    let server = MockServer::start().await;
    let bad_id = r#"{"InvoiceID": "not-a-uuid", "Status": "PAID"}"#;
    let no_id = r#"{"Type": "ACCREC", "Status": "PAID", "CurrencyCode": "NZD"}"#;
    serve(
        &server,
        200,
        &page(&[&small(1, "PAID", "1.00", "NZD"), bad_id, no_id], 1, 1, 3),
    )
    .await;
    let items = collect(xero(&server, Auth::bearer(TOKEN), TENANT).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].as_ref().unwrap().id, uuid(1));
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Decode { raw: Some(raw), .. } if raw.get() == bad_id),
        "{err:?}"
    );
    // The error item names the invoice by Xero's identity member, so the
    // paging core knows it too: served twice, it comes once.
    assert!(err.to_string().contains(r#"(id "not-a-uuid")"#), "{err}");
    let unnamed = items[2].as_ref().unwrap();
    assert_eq!(unnamed.id, "");
    assert_eq!(
        unnamed.problems[0].to_string(),
        "`InvoiceID`: absent: the invoice has no id"
    );
}

#[tokio::test]
async fn without_a_tenant_nothing_is_sent_and_the_error_says_how_to_set_it() {
    let server = MockServer::start().await;
    let source = XeroAccounting::new(invoicing_xero_accounting::Client::new(
        &server.uri(),
        invoicing_xero_accounting::context(Auth::bearer(TOKEN)),
    ));
    let err = only_error(source.list(&ListQuery::new())).await;
    assert!(
        err.to_string()
            .contains("set its tenant id with `XeroAccounting::tenant`"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    // From variables, the tenant is required and named.
    let err = XeroAccounting::from_vars(Some(&server.uri()), |name| {
        (name == "XERO_ACCESS_TOKEN").then(|| TOKEN.to_owned())
    })
    .unwrap_err();
    assert!(err.to_string().contains("XERO_TENANT_ID"), "{err}");
    let source = XeroAccounting::from_vars(Some(&server.uri()), |name| match name {
        "XERO_ACCESS_TOKEN" => Some(TOKEN.to_owned()),
        "XERO_TENANT_ID" => Some(TENANT.to_owned()),
        _ => None,
    })
    .unwrap();
    serve(&server, 200, &page(&[], 1, 1, 0)).await;
    assert!(invoices(source.list(&ListQuery::new())).await.is_empty());
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(header(request, "xero-tenant-id").as_deref(), Some(TENANT));
}

#[tokio::test]
async fn an_invoice_that_does_not_decode_comes_once_however_often_it_is_served() {
    let server = MockServer::start().await;
    let bad_id = r#"{"InvoiceID": "not-a-uuid", "Status": "PAID"}"#;
    serve(&server, 200, &page(&[bad_id, bad_id], 1, 1, 2)).await;
    let items = collect(xero(&server, Auth::bearer(TOKEN), TENANT).list(&ListQuery::new())).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].is_err());
}
