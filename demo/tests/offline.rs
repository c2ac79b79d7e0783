//! The demo as a newcomer runs it: `invoicing-demo` (offline by default)
//! against its local vendor-shaped servers, and the table it prints.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use invoicing::{ListQuery, Provider};
use invoicing_demo::offline;
use invoicing_demo::progress::Progress;
use invoicing_demo::table;
use invoicing_mock_vendors::vendors;

/// Far above the second the demo takes, for a loaded 2-core machine.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// Runs the demo binary with `args` and none of the variables any
/// provider's adapter reads in its environment; `(status, stdout,
/// stderr)`. Killed and failed if it outlives [`RUN_LIMIT`].
fn run_demo(args: &[&str]) -> (std::process::ExitStatus, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_invoicing-demo"));
    for shape in vendors::ALL {
        for (name, _) in shape.offline_vars() {
            command.env_remove(name);
        }
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demo starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > RUN_LIMIT {
            child.kill().unwrap();
            panic!("the demo ran for over {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status,
        out.join().unwrap().unwrap(),
        err.join().unwrap().unwrap(),
    )
}

/// Every form of every offline variable that must never be printed: each
/// value, and each two values of one provider as HTTP Basic would join
/// them (plain and base64).
fn secrets() -> Vec<String> {
    let mut secrets = Vec::new();
    for shape in vendors::ALL {
        let values: Vec<String> = shape
            .offline_vars()
            .into_iter()
            .map(|(_, value)| value)
            .filter(|value| value.len() >= 8)
            .collect();
        for a in &values {
            for b in &values {
                let basic = format!("{a}:{b}");
                secrets.push(BASE64.encode(&basic));
                secrets.push(basic);
            }
        }
        secrets.extend(values);
    }
    secrets
}

#[test]
fn the_offline_demo_lists_every_invoice_of_every_provider_into_one_table() {
    let (status, stdout, stderr) = run_demo(&["--offline"]);
    assert!(status.success(), "{status}\n{stderr}");

    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some(table::header().as_str()));
    let mut numbers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let [provider, number, status, issued, value, currency] = cells[..] else {
            panic!("not a row of six cells: {line:?}");
        };
        // `-` where the vendor sends no issue date (Square), as `row` says.
        assert!(
            !status.is_empty() && (issued.len() == 10 || issued == "-"),
            "{line}"
        );
        assert!(
            value.matches('.').count() <= 1
                && value
                    .trim_start_matches('-')
                    .split('.')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())),
            "total {value:?} is not an exact decimal: {line}"
        );
        assert!(
            (3..=10).contains(&currency.len()) && currency.bytes().all(|b| b.is_ascii_uppercase()),
            "total without its currency: {line}"
        );
        let fresh = numbers
            .entry(provider.to_owned())
            .or_default()
            .insert(number.to_owned());
        assert!(fresh, "{provider} {number} listed twice");
    }
    // Every provider, and every invoice its server holds, exactly once.
    let expected: BTreeMap<String, usize> = offline::catalogue()
        .iter()
        .map(|(shape, total, _)| (shape.name().to_owned(), *total))
        .collect();
    let listed: BTreeMap<String, usize> = numbers
        .iter()
        .map(|(provider, numbers)| (provider.clone(), numbers.len()))
        .collect();
    assert_eq!(listed, expected);
    for provider in Provider::ALL {
        assert!(listed.contains_key(provider.as_str()), "{provider} missing");
    }

    // Off a terminal, stderr holds the final progress line only.
    let total = offline::total_invoices();
    assert_eq!(
        stderr.lines().filter(|l| !l.is_empty()).count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.starts_with("listed ") && stderr.contains(&format!("| {total} invoices, 0 errors")),
        "{stderr}"
    );
    for secret in secrets() {
        assert!(
            !stdout.contains(&secret) && !stderr.contains(&secret),
            "a credential was printed"
        );
    }
}

#[test]
fn live_without_credentials_names_what_to_set_and_lists_nothing() {
    let (status, stdout, stderr) = run_demo(&["--live"]);
    assert!(!status.success());
    assert_eq!(stdout, "");
    for needed in [
        "SENDCLOUD_PUBLIC_KEY",
        "KITCHEN_API_KEY",
        "COINBASE_CDP_KEY_SECRET",
    ] {
        assert!(stderr.contains(needed), "{needed} not named: {stderr}");
    }
    assert!(
        stderr.contains("no provider's credentials are set"),
        "{stderr}"
    );
}

/// A writer that notes when each line arrives.
#[derive(Clone, Default)]
struct Timed(Arc<Mutex<Vec<Instant>>>);

impl Write for Timed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let newlines = buf.iter().filter(|b| **b == b'\n').count();
        self.0
            .lock()
            .unwrap()
            .extend(std::iter::repeat_n(Instant::now(), newlines));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_are_written_as_they_arrive_not_at_the_end() {
    let latency = Duration::from_millis(40);
    let demo = offline::start(latency).await.unwrap();
    let mut out = Timed::default();
    let mut progress = Progress::new(Vec::new(), false);
    let summary = table::print_table(&demo.invoices, &ListQuery::new(), &mut out, &mut progress)
        .await
        .unwrap();
    let finished = Instant::now();
    assert_eq!(summary.errors, 0);
    assert_eq!(
        summary.rows.values().sum::<usize>(),
        offline::total_invoices()
    );
    // The longest listing has ten pages, each answered no sooner than
    // `latency` after it is asked for: after the first page's rows, at
    // least nine more waits remain. Rows held back to the end would all be
    // written within a moment of it.
    let lines = out.0.lock().unwrap();
    let first_row = lines[1];
    assert!(
        finished - first_row >= latency * 5,
        "the first row came {:?} before the end",
        finished - first_row
    );
}
