//! Memory bounds, measured rather than guessed: each scenario runs in a child
//! process (this test binary again, told so by an environment variable),
//! which reports how far its peak resident set (`VmHWM`) rose above what it
//! used before the request.

#![cfg(target_os = "linux")]

use std::process::Command;

use invoicing_runtime::test_util::{FaultServer, Step, response_head};
use invoicing_runtime::{Auth, ClientContext, Error, Limits, ProviderId};

/// Set in the child: the scenario to run.
const SCENARIO: &str = "INVOICING_MEMORY_SCENARIO";

/// Runs `scenario` in a child process; the rise of its peak memory in KiB.
fn peak_rise_kib(test: &str, scenario: &str) -> u64 {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(SCENARIO, scenario)
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The harness prints the test's name on the same line.
    stdout
        .split("peak-rise-kib: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or_else(|| panic!("no measurement in {stdout}"))
}

/// A field of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// In the child: sends one GET to a server that answers with `head` and
/// then `body_bytes` of body, with `limits`; prints the peak rise and
/// returns the error.
fn measure(head: Vec<u8>, body_bytes: u64, limits: Limits) -> Error {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = FaultServer::start(move |_, _| {
            vec![Step::Send(head.clone()), Step::Stream { total: body_bytes }]
        })
        .await;
        let context = ClientContext::new(ProviderId::new("flood"), Auth::none())
            .with_retry(invoicing_runtime::RetryPolicy::never())
            .with_limits(limits);
        let client = invoicing_runtime::http_client();
        let request = client.get(server.uri()).build().unwrap();
        let before = status_kib("VmRSS");
        let err = context
            .send(&client, request, "list_invoices")
            .await
            .unwrap_err();
        println!(
            "peak-rise-kib: {}",
            status_kib("VmHWM").saturating_sub(before)
        );
        err
    })
}

#[test]
fn a_flood_without_a_length_is_held_to_the_body_limit() {
    const TEST: &str = "a_flood_without_a_length_is_held_to_the_body_limit";
    if std::env::var(SCENARIO).as_deref() == Ok(TEST) {
        // 1 GiB offered, 16 MiB allowed.
        let limits = Limits {
            max_body_bytes: 16 << 20,
            ..Limits::default()
        };
        let err = measure(response_head(200, &[]), 1 << 30, limits);
        assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
        return;
    }
    let rise = peak_rise_kib(TEST, TEST);
    // The limit, plus growing the buffer that holds it, plus chunks in
    // flight: well under 3x the limit, and nowhere near the 1 GiB offered.
    assert!(rise < 48 << 10, "peak rose by {rise} KiB");
}

#[test]
fn a_huge_error_page_costs_neither_memory_nor_a_huge_message() {
    const TEST: &str = "a_huge_error_page_costs_neither_memory_nor_a_huge_message";
    if std::env::var(SCENARIO).as_deref() == Ok(TEST) {
        // A 256 MiB error page that says so, against the default limits.
        let head = response_head(500, &[("content-length", "268435456")]);
        let err = measure(head, 256 << 20, Limits::default());
        assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
        assert!(err.to_string().len() < 300, "{err}");
        return;
    }
    let rise = peak_rise_kib(TEST, TEST);
    assert!(rise < 16 << 10, "peak rose by {rise} KiB");
}

/// In the child: lists `count` items with ids (pages of 1,000 by cursor,
/// made on the fly, so only the paging loop keeps anything) and prints the
/// peak rise: the set that proves no id comes twice, and two pages.
fn measure_listing(count: u64) {
    use futures::TryStreamExt;
    use invoicing_runtime::paging::{
        Fetched, Listing, ListingCheckpoint, PagingStyle, Position, Rules,
    };

    const PAGE: u64 = 1_000;
    let rules = Rules::new(
        ProviderId::new("many"),
        "list_invoices",
        PagingStyle::Cursor,
    );
    let listing = Listing::new(rules, ListingCheckpoint::start(), move |at| {
        let page = match at {
            Position::Cursor(cursor) => cursor.parse::<u64>().unwrap(),
            _ => 0,
        };
        let items: Vec<String> = (page * PAGE..(page + 1) * PAGE)
            .map(|n| format!("in_{n:012}"))
            .collect();
        let next = ((page + 1) * PAGE < count).then(|| (page + 1).to_string());
        std::future::ready(Ok(Fetched::new(items).next(Ok(next))))
    })
    .with_ids(|id: &String| Some(id.clone()))
    .max_pages(u64::MAX);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let before = status_kib("VmRSS");
    let taken = runtime.block_on(listing.try_fold(0u64, |n, _| async move { Ok(n + 1) }));
    assert_eq!(taken.unwrap(), count);
    println!(
        "peak-rise-kib: {}",
        status_kib("VmHWM").saturating_sub(before)
    );
}

#[test]
fn proving_no_id_comes_twice_costs_about_18_mib_per_million_invoices() {
    const TEST: &str = "proving_no_id_comes_twice_costs_about_18_mib_per_million_invoices";
    match std::env::var(SCENARIO).as_deref() {
        Ok("100000") => return measure_listing(100_000),
        Ok("1000000") => return measure_listing(1_000_000),
        _ => {}
    }
    let hundred_thousand = peak_rise_kib(TEST, "100000");
    let million = peak_rise_kib(TEST, "1000000");
    eprintln!("peak rise: {hundred_thousand} KiB for 100,000 ids, {million} KiB for 1,000,000");
    // A hash set of 8-byte hashes: 9 bytes a slot, slots a power of two at
    // most 7/8 full, and the old table beside the new one while it grows.
    assert!(hundred_thousand < 4 << 10, "{hundred_thousand} KiB");
    assert!(million < 40 << 10, "{million} KiB");
}
