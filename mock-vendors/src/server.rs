//! A vendor-shaped invoice server on loopback, in-process.
//!
//! wiremock records every request it receives, so its memory grows with the
//! number of pages served; this server keeps nothing per request, so the
//! harness's peak memory measures the client alone. Every invoice is its
//! own (a repeated id is a vendor fault the paging core skips, so a mock
//! that repeats ids would serve fewer invoices than it claims). For volume
//! runs each page is rendered when it is asked for, which keeps memory flat
//! whatever the total; with [`Options::distinct`] every page is rendered up
//! front instead (the demo).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::fixtures;
use crate::shape::{Page, Shape};

struct Catalogue {
    shape: &'static dyn Shape,
    total: usize,
    per_page: usize,
    last_page: usize,
    /// Items of full pages, rotated.
    full: Vec<String>,
    /// Items of the last page when it is not full.
    tail: String,
    base_url: String,
    /// Added before each response, standing in for the network.
    latency: Duration,
}

/// A running mock vendor; stops when dropped.
pub struct MockVendor {
    /// `http://127.0.0.1:<port>`, to pass as the client's base URL.
    pub base_url: String,
    accept: JoinHandle<()>,
}

impl Drop for MockVendor {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// How a mock vendor serves its pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Added before every response, standing in for the network.
    pub latency: Duration,
    /// Every page rendered up front, instead of each when it is asked for:
    /// memory grows with the total, the server's work per page is a copy.
    pub distinct: bool,
}

/// Serves `total` invoices of `shape` in pages of `per_page` (an unpaged
/// vendor: all in one response, as the vendor does), each page rendered
/// when it is asked for.
pub async fn start(shape: &'static dyn Shape, total: usize, per_page: usize) -> MockVendor {
    start_with(shape, total, per_page, Options::default()).await
}

/// Like [`start`], with `latency` added before every response.
pub async fn start_with_latency(
    shape: &'static dyn Shape,
    total: usize,
    per_page: usize,
    latency: Duration,
) -> MockVendor {
    let options = Options {
        latency,
        ..Options::default()
    };
    start_with(shape, total, per_page, options).await
}

/// Like [`start`], serving as `options` say.
pub async fn start_with(
    shape: &'static dyn Shape,
    total: usize,
    per_page: usize,
    options: Options,
) -> MockVendor {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("loopback is available");
    let base_url = format!("http://{}", listener.local_addr().expect("bound"));
    let per_page = if shape.unpaged() {
        total.max(1)
    } else {
        per_page
    };
    let last_page = total.div_ceil(per_page).max(1);
    let rendered = if options.distinct { last_page } else { 0 };
    let full = (0..rendered)
        .map(|k| fixtures::invoices(shape, k * per_page, per_page.min(total)))
        .collect();
    let tail_count = total - (last_page - 1) * per_page;
    let catalogue = Arc::new(Catalogue {
        shape,
        total,
        per_page,
        last_page,
        full,
        tail: fixtures::invoices(shape, (last_page - 1) * per_page, tail_count),
        base_url: base_url.clone(),
        latency: options.latency,
    });
    let accept = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let catalogue = catalogue.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| respond(catalogue.clone(), request));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    MockVendor { base_url, accept }
}

async fn respond(
    catalogue: Arc<Catalogue>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let c = &catalogue;
    if !c.latency.is_zero() {
        tokio::time::sleep(c.latency).await;
    }
    let query = request.uri().query().unwrap_or("");
    let number = c.shape.page_asked(query, c.per_page).max(1);
    let rendered_now;
    let items = if c.total == 0 || number > c.last_page {
        ""
    } else if number == c.last_page {
        &c.tail
    } else if let Some(page) = c.full.get(number - 1) {
        page
    } else {
        rendered_now = fixtures::invoices(c.shape, (number - 1) * c.per_page, c.per_page);
        &rendered_now
    };
    let served = c.shape.page(&Page {
        items,
        number,
        last: c.last_page,
        per_page: c.per_page,
        total: c.total,
        base_url: &c.base_url,
    });
    let mut response = json(served.body);
    for (name, value) in served.headers {
        response
            .headers_mut()
            .insert(name, value.parse().expect("an ASCII header value"));
    }
    Ok(response)
}

fn json(body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().expect("valid"));
    response
}
