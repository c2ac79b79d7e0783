//! Vendor servers for the paging tests: a Kitchen list that changes between
//! page reads, and cursor pages scripted page by page (Sendcloud v3's
//! `Link` header, Coinbase's `nextPageToken`).

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A change to the list, run before a given request.
type Change = Box<dyn Fn(&mut Vec<String>) + Send>;

/// Kitchen's `GET /invoices`: a newest-first list by page number, with
/// `meta.current_page`, `meta.last_page` and `meta.total`.
#[derive(Clone)]
pub(crate) struct KitchenList {
    state: Arc<Mutex<KitchenState>>,
}

struct KitchenState {
    ids: Vec<String>,
    per_page: usize,
    requests: usize,
    changes: Vec<(usize, Change)>,
    ignore_page: bool,
    /// A page number answered with a 500 (every time, until healed).
    failing: Option<usize>,
    /// Leaves `meta.total` out (Kitchen's spec does not require it).
    without_total: bool,
}

impl KitchenList {
    /// `count` invoices `in_{count-1}` .. `in_0` (newest first), `per_page`
    /// a page unless the request says otherwise.
    pub(crate) fn new(count: usize, per_page: usize) -> Self {
        KitchenList {
            state: Arc::new(Mutex::new(KitchenState {
                ids: (0..count).rev().map(|n| format!("in_{n}")).collect(),
                per_page,
                requests: 0,
                changes: Vec::new(),
                ignore_page: false,
                failing: None,
                without_total: false,
            })),
        }
    }

    /// Serves the list at `GET /invoices` of `server`.
    pub(crate) async fn mount(&self, server: &MockServer) {
        Mock::given(method("GET"))
            .and(path("/invoices"))
            .respond_with(self.clone())
            .mount(server)
            .await;
    }

    /// Runs `change` on the list before request number `request` (from 0).
    pub(crate) fn before_request(
        &self,
        request: usize,
        change: impl Fn(&mut Vec<String>) + Send + 'static,
    ) {
        self.state
            .lock()
            .unwrap()
            .changes
            .push((request, Box::new(change)));
    }

    /// Answers page 1 whatever page is asked for.
    pub(crate) fn ignore_page(&self) {
        self.state.lock().unwrap().ignore_page = true;
    }

    /// Sends no `meta.total`.
    pub(crate) fn without_total(&self) {
        self.state.lock().unwrap().without_total = true;
    }

    /// Answers every request for page `page` with a 500 until healed.
    pub(crate) fn fail_page(&self, page: usize) {
        self.state.lock().unwrap().failing = Some(page);
    }

    /// Answers every page again.
    pub(crate) fn heal(&self) {
        self.state.lock().unwrap().failing = None;
    }

    /// The ids now, newest first.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.state.lock().unwrap().ids.clone()
    }

    /// How many requests were answered.
    pub(crate) fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }

    /// Replaces the list.
    pub(crate) fn set_ids(&self, ids: Vec<String>) {
        self.state.lock().unwrap().ids = ids;
    }
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

impl Respond for KitchenList {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let number = state.requests;
        state.requests += 1;
        let changes = std::mem::take(&mut state.changes);
        for (when, change) in &changes {
            if *when == number {
                change(&mut state.ids);
            }
        }
        state.changes = changes;
        let per_page = query(request, "per_page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(state.per_page);
        let asked: usize = query(request, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        if state.failing == Some(asked) {
            return ResponseTemplate::new(500);
        }
        let page = if state.ignore_page { 1 } else { asked };
        let total = state.ids.len();
        let data: Vec<Value> = state
            .ids
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|id| kitchen_invoice(id))
            .collect();
        let mut meta = json!({"current_page": page, "last_page": total.div_ceil(per_page).max(1),
                              "per_page": per_page, "total": total});
        if state.without_total {
            meta.as_object_mut().unwrap().remove("total");
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "data": data,
            "links": {"first": null, "last": null, "prev": null, "next": null},
            "meta": meta
        }))
    }
}

/// A Kitchen invoice with id `id`.
pub(crate) fn kitchen_invoice(id: &str) -> Value {
    json!({"id": id, "number": format!("N-{id}"), "currency": "USD", "status": "open",
           "total_amount": 10.5, "tax_items": [], "items": []})
}

/// A Sendcloud v3 invoice with id `id`.
pub(crate) fn sendcloud_v3_invoice(id: u64) -> Value {
    json!({"id": id, "reference": format!("INV-{id}"), "created_at": "2026-05-31T00:00:00Z",
           "price_taxable": {"value": "1.0000", "currency": "EUR"},
           "tax": {"value": "0.2100", "currency": "EUR"}})
}

/// A Coinbase invoice numbered `n`.
pub(crate) fn coinbase_invoice(n: u32) -> Value {
    json!({"uuid": format!("00000000-0000-4000-8000-{n:012}"), "invoiceNumber": format!("CB-{n}"),
           "status": "OPEN", "contactName": "Ada", "contactEmail": "ada@example.com",
           "entityName": "Acme Inc.", "createdAt": "2026-05-01T10:00:00Z",
           "updatedAt": "2026-05-01T10:00:00Z", "createdBy": "u1", "lastUpdatedBy": "u1",
           "lineItems": [], "totalAmountDue": {"value": "100.50", "currency": "USDC"}})
}

/// One scripted cursor page: the cursor it answers (`None`: the first
/// page), its body, and its `Link` header.
pub(crate) struct CursorPage {
    pub cursor: Option<&'static str>,
    pub body: Value,
    pub link: Option<String>,
}

/// Pages answered by the cursor query parameter `param`, counting requests.
#[derive(Clone)]
pub(crate) struct CursorPages {
    param: &'static str,
    pages: Arc<Vec<CursorPage>>,
    requests: Arc<Mutex<usize>>,
}

impl CursorPages {
    pub(crate) fn new(param: &'static str, pages: Vec<CursorPage>) -> Self {
        CursorPages {
            param,
            pages: Arc::new(pages),
            requests: Arc::default(),
        }
    }

    /// Serves the pages at `GET route` of `server`.
    pub(crate) async fn mount(&self, server: &MockServer, route: &str) {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(self.clone())
            .mount(server)
            .await;
    }

    pub(crate) fn requests(&self) -> usize {
        *self.requests.lock().unwrap()
    }
}

impl Respond for CursorPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        *self.requests.lock().unwrap() += 1;
        let cursor = query(request, self.param);
        let Some(page) = self
            .pages
            .iter()
            .find(|p| p.cursor.map(str::to_owned) == cursor)
        else {
            return ResponseTemplate::new(404).set_body_json(json!({"message": "no such page"}));
        };
        let mut response = ResponseTemplate::new(200).set_body_json(page.body.clone());
        if let Some(link) = &page.link {
            let link = link.replace("{base}", &format!("http://{}", request.url.authority()));
            response = response.insert_header("link", link.as_str());
        }
        response
    }
}

/// A Sendcloud v3 page of invoices `ids`, whose `Link` header points at
/// `next` (a cursor) when given; `{base}` in a raw link is the server.
pub(crate) fn sendcloud_v3_page(
    cursor: Option<&'static str>,
    ids: &[u64],
    next: Option<&str>,
) -> CursorPage {
    let data: Vec<Value> = ids.iter().map(|id| sendcloud_v3_invoice(*id)).collect();
    CursorPage {
        cursor,
        body: json!({ "data": data }),
        link: next.map(|next| {
            format!(r#"<{{base}}/invoices?cursor={next}&page_size=2>; rel="next", <{{base}}/invoices>; rel="first""#)
        }),
    }
}

/// A Coinbase page of invoices `numbers` with `nextPageToken` `next`.
pub(crate) fn coinbase_page(
    token: Option<&'static str>,
    numbers: &[u32],
    next: Option<&str>,
) -> CursorPage {
    let invoices: Vec<Value> = numbers.iter().map(|n| coinbase_invoice(*n)).collect();
    let mut body = json!({ "invoices": invoices });
    if let Some(next) = next {
        body["nextPageToken"] = json!(next);
    }
    CursorPage {
        cursor: token,
        body,
        link: None,
    }
}
