//! Xero accounting: `GET /Invoices?page=N`, `pagination.pageCount`, for the
//! organisation the `xero-tenant-id` header names.

use crate::shape::{Page, Served, Shape, amount, param};

/// The Xero accounting mock.
pub struct XeroAccounting;

/// Milliseconds of a day since 2026-01-01 (`/Date(...)/` values).
const DAY_MS: u64 = 86_400_000;
/// 2026-01-01T00:00:00Z in milliseconds since the epoch.
const YEAR_START_MS: u64 = 1_767_225_600_000;

/// Day `n` of 2026 (from 0, within the year) as `2026-MM-DD`.
fn date_of(n: u64) -> String {
    const DAYS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut month, mut day) = (0, n);
    while day >= DAYS[month] {
        day -= DAYS[month];
        month += 1;
    }
    format!("2026-{:02}-{:02}", month + 1, day + 1)
}

impl Shape for XeroAccounting {
    fn name(&self) -> &'static str {
        "xero-accounting"
    }

    fn list_path(&self) -> &'static str {
        "/Invoices"
    }

    fn invoice(&self, i: usize) -> String {
        // Issued on day `i % 300` of 2026, due 30 days later (same year).
        let day = (i % 300) as u64;
        let (date, due) = (
            YEAR_START_MS + day * DAY_MS,
            YEAR_START_MS + (day + 30) * DAY_MS,
        );
        let (date_string, due_string) = (date_of(day), date_of(day + 30));
        let (status, paid, due_amount, paid_amount) = match i % 4 {
            0 => (
                "PAID",
                format!(r#""/Date({due}+0000)/""#),
                "0.00".to_owned(),
                amount(i),
            ),
            1 => (
                "AUTHORISED",
                "null".to_owned(),
                amount(i),
                "0.00".to_owned(),
            ),
            2 => ("DRAFT", "null".to_owned(), amount(i), "0.00".to_owned()),
            _ => (
                "VOIDED",
                "null".to_owned(),
                "0.00".to_owned(),
                "0.00".to_owned(),
            ),
        };
        format!(
            r#"{{"Type":"ACCREC","InvoiceID":"d4956132-ed94-4dd7-9eaa-{i:012x}","InvoiceNumber":"INV-{i:05}","Reference":"Red Fish, Blue Fish","Payments":[],"CreditNotes":[],"Prepayments":[],"Overpayments":[],"AmountDue":{due_amount},"AmountPaid":{paid_amount},"AmountCredited":0.00,"SentToContact":true,"CurrencyRate":1.000000,"HasErrors":false,"IsDiscounted":false,"HasAttachments":false,"RepeatingInvoiceID":"428c0d75-909f-4b04-8403-{i:012x}","Contact":{{"ContactID":"a3675fc4-f8dd-4f03-ba5b-f1870566bcd7","Name":"Barney Rubble-83203","Addresses":[],"Phones":[],"ContactGroups":[],"ContactPersons":[],"HasValidationErrors":false}},"DateString":"{date_string}T00:00:00","Date":"/Date({date}+0000)/","DueDateString":"{due_string}T00:00:00","DueDate":"/Date({due}+0000)/","Status":"{status}","LineAmountTypes":"NoTax","LineItems":[{{"Description":"Consulting","UnitAmount":{a},"TaxAmount":0.00,"LineAmount":{a},"AccountCode":"200","Quantity":1.0000,"LineItemID":"b18f39d9-7739-4246-9288-{i:012x}"}}],"SubTotal":{a},"TotalTax":0.00,"Total":{a},"UpdatedDateUTC":"/Date({date}+0000)/","UpdatedDateUTCString":"{date_string}T00:00:00Z","CurrencyCode":"NZD","FullyPaidOnDate":{paid}}}"#,
            a = amount(i),
        )
    }

    fn page_asked(&self, query: &str, _per_page: usize) -> usize {
        param(query, "page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }

    fn page(&self, page: &Page<'_>) -> Served {
        Served::json(format!(
            r#"{{"Id":"900c500b-e83c-4ce2-902a-b8ba04751748","Status":"OK","ProviderName":"invoicing offline demo","DateTimeUTC":"/Date(1767225600000)/","pagination":{{"page":{number},"pageSize":{per_page},"pageCount":{last},"itemCount":{total}}},"Invoices":[{items}]}}"#,
            items = page.items,
            number = page.number,
            per_page = page.per_page,
            last = page.last,
            total = page.total,
        ))
    }

    fn offline_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("XERO_ACCESS_TOKEN", "offline-xero-access-token".into()),
            (
                "XERO_TENANT_ID",
                "00000000-0000-4000-8000-00000000de70".into(),
            ),
        ]
    }
}
