//! Realistic invoices for each provider, shaped after the specs' examples,
//! with values that vary per invoice (amounts, dates, statuses) so no decode
//! path sees the same bytes twice.

/// How a vendor pages its invoice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// Sendcloud v2: one response with every invoice.
    SendcloudV2,
    /// Sendcloud v3: `Link: <...?cursor=...>; rel="next"`.
    SendcloudV3,
    /// Kitchen: `?page=N`, `meta.last_page`.
    Kitchen,
    /// Coinbase Business: `?pageToken=...`, `nextPageToken`.
    Coinbase,
}

impl Style {
    /// The paged styles, for the volume runs (Sendcloud v2 has no paging).
    pub const PAGED: [Style; 3] = [Style::SendcloudV3, Style::Kitchen, Style::Coinbase];
    /// Every style.
    pub const ALL: [Style; 4] = [
        Style::SendcloudV2,
        Style::SendcloudV3,
        Style::Kitchen,
        Style::Coinbase,
    ];

    /// The provider name, as in `specs/providers.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Style::SendcloudV2 => "sendcloud-v2",
            Style::SendcloudV3 => "sendcloud-v3",
            Style::Kitchen => "kitchen",
            Style::Coinbase => "coinbase-business",
        }
    }

    /// The list path under the server's base URL.
    pub fn list_path(self) -> &'static str {
        match self {
            Style::SendcloudV2 => "/user/invoices",
            Style::SendcloudV3 | Style::Kitchen => "/invoices",
            Style::Coinbase => "/api/v1/invoices",
        }
    }
}

/// `i` as an amount with cents, e.g. `1234.56`, varying with `i`.
fn amount(i: usize) -> String {
    format!("{}.{:02}", (i * 7919) % 100_000, (i * 31) % 100)
}

fn day(i: usize) -> String {
    format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28)
}

/// One invoice of provider `style`, number `i`, as JSON text.
pub fn invoice(style: Style, i: usize) -> String {
    let (a, b, d) = (amount(i), amount(i + 1), day(i));
    match style {
        Style::SendcloudV2 => format!(
            r#"{{"id":{id},"ref":"EU-CENTRAL-1-0-22-NL{i:07}","type":"{ty}","price_incl":{a},"price_excl":{b},"isPayed":{paid},"date":"{dd:02}-{mm:02}-2022 11:39:36","items":"https://panel.sendcloud.sc/api/v2/user/invoices/{id}"}}"#,
            id = 1_000_000 + i,
            ty = [
                "periodic",
                "forced",
                "initial_payment",
                "credit_limit",
                "other"
            ][i % 5],
            paid = !i.is_multiple_of(3),
            dd = 1 + i % 28,
            mm = 1 + i % 12,
        ),
        Style::SendcloudV3 => format!(
            r#"{{"id":{id},"reference":"INV-2026-{i:06}","created_at":"{d}T00:00:00Z","due_date":{due},"price_taxable":{{"value":"{a}00","currency":"EUR"}},"price_non_taxable":{{"value":"0.0000","currency":"EUR"}},"tax":{{"value":"{b}00","currency":"EUR"}},"description":"Shipping charges {i}","category":"{cat}","issuer":{{"business_name":"Sendcloud B.V.","address":"Stationsplein 32","postal_code":"5611 AC","city":"Eindhoven","country_name":"Netherlands","vat_id":"NL852587582B01","coc_id":"57500015"}}}}"#,
            id = 5000 + i,
            due = if i.is_multiple_of(4) {
                "null".to_string()
            } else {
                format!("\"{d}T00:00:00Z\"")
            },
            cat = if i.is_multiple_of(2) {
                "transactional"
            } else {
                "subscription"
            },
        ),
        Style::Kitchen => format!(
            r#"{{"archived_at":null,"amount":{a},"billing_profile":"bp_0123bc88a70c86ed9d1feb73","charge_automatically":false,"client":"u_62988d0392da49247a831d35","created_at":"{d}T09:16:53+00:00","creator":"u_c13cc0aee4b5af7a42951898","currency":"USD","discount_amount":1.5,"discounts":[{{"amount":1.5,"currency":"USD","id":"invti_81c4288ef04117d38e29b22c","title":"Discount","type":"percentage"}}],"due_date":"{d}T23:59:59+00:00","due_date_in_days":8,"due_reminder_message":"The reminder message","due_reminder_send_date":null,"due_reminder_send_days":2,"due_reminder_sent_at":null,"file":null,"finalized_at":null,"footer_notes":null,"id":"in_{i:024x}","is_external":false,"issue_date":"{d}T00:00:00+00:00","items":[{{"amount":{a},"currency":"USD","description":"Work","id":"invi_{i:024x}","quantity":"1.00","title":"Item"}}],"language":"en_US","marked_uncollectible_at":null,"memo":null,"meta":null,"number":"PREFIX-{i:05}","paid_at":null,"payment_gateways":[],"recurring_invoice":null,"status":"{st}","tax_items":[{{"amount":{b},"currency":"USD","id":"invti_{i:024x}","title":"VAT"}}],"shipping_amount":19.99,"total_amount":{a},"type":"invoice","updated_at":"{d}T09:16:53+00:00","voided_at":null,"visibility":"shared"}}"#,
            st = ["paid", "open", "draft", "void", "uncollectible"][i % 5],
        ),
        Style::Coinbase => format!(
            r#"{{"uuid":"750a84dd-2460-504c-8bb9-{i:012x}","invoiceNumber":"INV-{i}","contactName":"John Doe","contactEmail":"john.doe@example.com","contactAddress":{{"addressLine1":"123 Main Street","city":"San Francisco","state":"CA","country":"US","postalCode":"94103"}},"dueDate":"{d}T10:30:00Z","invoiceDate":"{d}T10:30:00Z","lineItems":[{{"itemName":"Web Development Services","quantity":10,"unitPrice":{{"value":"{b}","currency":"USDC"}}}}],"tax":{{"value":"1.00","currency":"USDC"}},"totalAmountDue":{{"value":"{a}","currency":"USDC"}},"status":"{st}","createdAt":"{d}T10:30:00Z","updatedAt":"{d}T10:30:00Z","createdBy":"u1","lastUpdatedBy":"u1","entityName":"Acme Corporation","entityAddress":{{"addressLine1":"1 Infinite Loop","city":"Cupertino","country":"US"}}}}"#,
            st = ["OPEN", "PAID", "DRAFT", "OVERDUE", "VOID", "SCHEDULED"][i % 6],
        ),
    }
}

/// The invoices `first..first + count` joined as a JSON array's contents.
pub fn invoices(style: Style, first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| invoice(style, i))
        .collect::<Vec<_>>()
        .join(",")
}

/// A whole page body as the vendor sends it; `next` is the next page's
/// token, page number or cursor, if any.
pub fn page(
    style: Style,
    items: &str,
    page_number: usize,
    last_page: usize,
    per_page: usize,
) -> String {
    match style {
        Style::SendcloudV2 => format!(r#"{{"invoices":[{items}]}}"#),
        Style::SendcloudV3 => format!(r#"{{"data":[{items}]}}"#),
        Style::Kitchen => format!(
            r#"{{"data":[{items}],"links":{{"first":"/api/invoices?page=1","last":"/api/invoices?page={last_page}","prev":null,"next":null}},"meta":{{"current_page":{page_number},"from":1,"last_page":{last_page},"links":[],"path":"/api/invoices","per_page":{per_page},"to":1,"total":1}}}}"#
        ),
        Style::Coinbase if page_number < last_page => {
            format!(
                r#"{{"invoices":[{items}],"nextPageToken":"t{}"}}"#,
                page_number + 1
            )
        }
        Style::Coinbase => format!(r#"{{"invoices":[{items}]}}"#),
    }
}
