//! The generated types decode what real vendors send, not only what their
//! specs promise: unknown enum values, values that break a constraint, new
//! fields, exact numbers, and date-times in the vendor's own offset.

use serde_json::json;

#[test]
fn an_unknown_status_decodes_and_round_trips() {
    use invoicing_coinbase_business::types::InvoiceStatus;
    let status: InvoiceStatus = serde_json::from_value(json!("PARTIALLY_PAID")).unwrap();
    assert_eq!(status, InvoiceStatus::Unknown("PARTIALLY_PAID".into()));
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        json!("PARTIALLY_PAID")
    );
    assert_eq!(status.to_string(), "PARTIALLY_PAID");
    assert_eq!("PARTIALLY_PAID".parse::<InvoiceStatus>().unwrap(), status);
    // Listed values still get their own variant.
    let paid: InvoiceStatus = serde_json::from_value(json!("PAID")).unwrap();
    assert_eq!(paid, InvoiceStatus::Paid);
    assert_eq!(paid.to_string(), "PAID");
}

fn coinbase_invoice(amount: &str) -> serde_json::Value {
    json!({
        "uuid": "750a84dd-2460-504c-8bb9-f6fa731a2361",
        "invoiceNumber": "INV-1234",
        "contactName": "John Doe",
        "contactEmail": "john.doe@example.com",
        "lineItems": [{"itemName": "Hours", "quantity": 0.5, "unitPrice": {"value": amount, "currency": "USDC"}}],
        "totalAmountDue": {"value": amount, "currency": "USDC"},
        "status": "REFUNDED",
        "createdAt": "2024-03-20T10:30:00Z",
        "updatedAt": "2024-03-20T10:30:00Z",
        "createdBy": "u1",
        "lastUpdatedBy": "u1",
        "entityName": "Acme",
        "recurringInvoicePlanId": "not-hex",
        "aFieldAddedLater": {"nested": true}
    })
}

#[test]
fn values_that_break_spec_constraints_still_decode() {
    use invoicing_coinbase_business::types::InvoiceResponse;
    // Six decimals and a sign break `^\d+(\.\d{1,2})?$`; the plan id breaks
    // its hex pattern; quantity 0.5 breaks `minimum: 1`. Response values are
    // their plain types (a bound the vendor changes changes no type), so
    // nothing checks these on receive.
    let invoice: InvoiceResponse = serde_json::from_value(coinbase_invoice("-1.234567")).unwrap();
    let value: &String = &invoice.total_amount_due.value;
    assert_eq!(value, "-1.234567");
    assert_eq!(invoice.line_items[0].quantity.as_str(), "0.5");
    assert_eq!(
        invoice.recurring_invoice_plan_id.as_deref(),
        Some("not-hex")
    );
}

#[test]
fn a_minimum_one_id_of_zero_decodes() {
    let list: invoicing_sendcloud_v2::types::ListInvoicesResponse = serde_json::from_str(
        r#"{"invoices":[{"id":0,"ref":"","type":"periodical","price_incl":0.1,"price_excl":675.65,
            "isPayed":false,"date":"08-06-2022 11:39:36","items":"https://example.test/1"}]}"#,
    )
    .unwrap();
    let invoice = &list.invoices[0];
    assert_eq!(invoice.id, 0);
    assert_eq!(
        invoice.ref_.as_str(),
        "",
        "minLength 1 is not enforced on receive"
    );
    assert_eq!(invoice.type_.to_string(), "periodical");
}

#[test]
fn json_numbers_keep_their_exact_text() {
    let body = r#"{"invoices":[{"id":1,"ref":"R","type":"other","price_incl":123456789012345678901234.5678,
        "price_excl":-0.10,"isPayed":true,"date":"2021-11-09T04:20:23Z","items":"u"}]}"#;
    let list: invoicing_sendcloud_v2::types::ListInvoicesResponse =
        serde_json::from_str(body).unwrap();
    assert_eq!(
        list.invoices[0].price_incl.as_str(),
        "123456789012345678901234.5678"
    );
    assert_eq!(list.invoices[0].price_excl.as_str(), "-0.10");
    let again = serde_json::to_string(&list.invoices[0].price_incl).unwrap();
    assert_eq!(again, "123456789012345678901234.5678");
}

#[test]
fn date_times_keep_the_vendors_offset() {
    let invoice: invoicing_kitchen::types::Invoice = serde_json::from_value(json!({
        "id": "in_1", "currency": "EUR", "status": "sent_reminder",
        "issue_date": "2024-07-12T00:00:00+02:00",
        "due_date": null
    }))
    .unwrap();
    let issued = invoice.issue_date.unwrap();
    assert_eq!(issued.offset().local_minus_utc(), 7200);
    assert_eq!(issued.date_naive().to_string(), "2024-07-12");
    assert_eq!(invoice.due_date, None);
    assert_eq!(
        invoice.status,
        invoicing_kitchen::types::InvoiceStatus::Unknown("sent_reminder".into())
    );
}

#[test]
fn nullable_fields_decode_as_none() {
    let page: invoicing_sendcloud_v3::types::InvoiceList =
        serde_json::from_value(json!({"data": [{
            "id": 5480, "reference": "INV-2026-000099", "created_at": "2026-05-01T00:00:00Z",
            "due_date": null, "price_taxable": {"value": "49.0000", "currency": "EUR"},
            "price_non_taxable": null, "tax": {"value": "10.2900", "currency": "EUR"},
            "description": null, "category": "fulfilment",
            "issuer": {"business_name": "Sendcloud B.V.", "vat_id": null, "coc_id": null}
        }]}))
        .unwrap();
    let invoice = &page.data[0];
    assert_eq!(invoice.due_date, None);
    assert_eq!(invoice.price_non_taxable, None);
    assert_eq!(invoice.description, None);
    assert_eq!(invoice.category.as_ref().unwrap().to_string(), "fulfilment");
}
