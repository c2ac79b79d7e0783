//! End-to-end runs over loopback: N invoices listed from a vendor-shaped
//! mock server (answering each page after a set latency) by five clients:
//! the facade and a loop over the generated crate's typed `.stream()`, each
//! with read ahead on and off, and the hand-written reqwest + serde_json
//! loop; the peak memory of each; and four providers listed together
//! versus one after another.
//!
//! `cargo run --release -p invoicing-bench --bin e2e` (add `-- --quick` for a
//! smoke run; set `INVOICING_BENCH_TRACE=1` to run every client under a
//! `tracing` subscriber that takes every span and event of every level,
//! to measure the runtime's tracing against the default of none). Each measurement runs in a child process of its own, so its
//! peak resident memory is its own; the clients are built before the clock
//! starts, as a caller builds them once.

use std::process::Command;
use std::time::{Duration, Instant};

use invoicing::ListQuery;
use invoicing_bench::benched::Benched;
use invoicing_bench::consumer::Consumer;
use invoicing_bench::typed::TypedClient;
use invoicing_bench::{baseline, facade, server};

/// Invoices a page holds: every paged vendor accepts 100.
const PAGE_SIZE: usize = 100;

/// One way of listing, as a user would write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Client {
    /// `Invoices::list` of the facade.
    Facade { read_ahead: bool },
    /// A loop over the generated crate's typed `.stream()`.
    Typed { read_ahead: bool },
    /// reqwest, serde_json into the few fields needed, and a paging loop.
    Hand,
}

impl Client {
    const ALL: [Client; 5] = [
        Client::Facade { read_ahead: true },
        Client::Facade { read_ahead: false },
        Client::Typed { read_ahead: true },
        Client::Typed { read_ahead: false },
        Client::Hand,
    ];

    /// The name the child process is told.
    fn name(self) -> &'static str {
        match self {
            Client::Facade { read_ahead: true } => "facade",
            Client::Facade { read_ahead: false } => "facade-serial",
            Client::Typed { read_ahead: true } => "typed",
            Client::Typed { read_ahead: false } => "typed-serial",
            Client::Hand => "hand-written",
        }
    }

    /// The name in the tables.
    fn label(self) -> &'static str {
        match self {
            Client::Facade { read_ahead: true } => "facade",
            Client::Facade { read_ahead: false } => "facade, no read ahead",
            Client::Typed { read_ahead: true } => "typed `.stream()`",
            Client::Typed { read_ahead: false } => "typed `.stream()`, no read ahead",
            Client::Hand => "hand-written loop",
        }
    }

    fn named(name: &str) -> Client {
        *Client::ALL
            .iter()
            .find(|client| client.name() == name)
            .expect("a known client")
    }
}

/// What the vendor and the consumer do in one table of runs.
struct Scenario {
    /// How long the server takes to answer each page.
    latency: Duration,
    /// How long the consumer waits after each page's worth of invoices.
    pause: Duration,
    providers: &'static [Benched],
    /// Each N with the number of runs per client.
    runs: &'static [(usize, usize)],
}

const KITCHEN: &[Benched] = &[Benched::Kitchen];

/// Every table of the full run. Runs with latency cost N / 100 pages times
/// the latency each, so the slow ones run for Kitchen (the largest invoices
/// to decode) and fewer times: at 100 ms, N = 100,000 would take 100 s a
/// run.
const FULL: &[Scenario] = &[
    Scenario {
        latency: Duration::ZERO,
        pause: Duration::ZERO,
        providers: &Benched::PAGED,
        runs: &[(10_000, 3), (100_000, 3)],
    },
    Scenario {
        latency: Duration::from_millis(20),
        pause: Duration::ZERO,
        providers: &Benched::PAGED,
        runs: &[(10_000, 3)],
    },
    Scenario {
        latency: Duration::from_millis(20),
        pause: Duration::ZERO,
        providers: KITCHEN,
        runs: &[(100_000, 1)],
    },
    Scenario {
        latency: Duration::from_millis(100),
        pause: Duration::ZERO,
        providers: KITCHEN,
        runs: &[(10_000, 1)],
    },
    Scenario {
        latency: Duration::from_millis(20),
        pause: Duration::from_millis(10),
        providers: KITCHEN,
        runs: &[(10_000, 3)],
    },
];

/// A smoke run of every client and scenario kind, in seconds.
const QUICK: &[Scenario] = &[
    Scenario {
        latency: Duration::ZERO,
        pause: Duration::ZERO,
        providers: &Benched::PAGED,
        runs: &[(1_000, 1), (10_000, 1)],
    },
    Scenario {
        latency: Duration::from_millis(20),
        pause: Duration::from_millis(10),
        providers: KITCHEN,
        runs: &[(1_000, 1)],
    },
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        if std::env::var_os("INVOICING_BENCH_TRACE").is_some() {
            tracing::subscriber::set_global_default(invoicing_bench::trace::Counting::default())
                .expect("the first subscriber of the process");
        }
        let number = |i: usize| args[i].parse().expect("a number");
        child(
            Client::named(&args[2]),
            &args[3],
            number(4),
            Duration::from_millis(number(5) as u64),
            Duration::from_millis(number(6) as u64),
        );
        return;
    }
    let started = Instant::now();
    let quick = args.iter().any(|a| a == "--quick");
    for scenario in if quick { QUICK } else { FULL } {
        table(scenario);
    }
    fan_out(if quick { 1_000 } else { 5_000 }, if quick { 1 } else { 3 });
    println!(
        "\nWhole run: {:.0} s of wall time.",
        started.elapsed().as_secs_f64()
    );
}

/// One measurement: prints `count seconds peak_rss_kib`.
fn child(client: Client, provider: &str, n: usize, latency: Duration, pause: Duration) {
    let style = *Benched::ALL
        .iter()
        .find(|s| s.name() == provider)
        .expect("a known provider");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut consumer = match pause.is_zero() {
        true => Consumer::counting(),
        false => Consumer::pausing(PAGE_SIZE, pause),
    };
    let (count, elapsed) = runtime.block_on(async {
        let vendor = server::start_with_latency(style.shape(), n, PAGE_SIZE, latency).await;
        let base_url = vendor.base_url.clone();
        match client {
            Client::Facade { read_ahead } => {
                let invoices = facade::invoices(&[(style, base_url)]);
                let query = ListQuery::new()
                    .page_size(PAGE_SIZE as u32)
                    .read_ahead(read_ahead);
                let started = Instant::now();
                let count = facade::list_all(&invoices, &query, &mut consumer).await;
                (count.expect("the facade lists"), started.elapsed())
            }
            Client::Typed { read_ahead } => {
                let typed = TypedClient::new(style, &base_url).expect("a paged provider");
                let started = Instant::now();
                let count = typed
                    .list_all(PAGE_SIZE as u64, read_ahead, &mut consumer)
                    .await;
                (count.expect("the typed loop lists"), started.elapsed())
            }
            Client::Hand => {
                let client = reqwest::Client::new();
                let started = Instant::now();
                let count =
                    baseline::list_all(&client, style, &base_url, PAGE_SIZE, &mut consumer).await;
                (
                    count.expect("the hand-written loop lists"),
                    started.elapsed(),
                )
            }
        }
    });
    assert_eq!(count, n, "every invoice listed");
    println!("{count} {} {}", elapsed.as_secs_f64(), peak_rss_kib());
}

/// `VmHWM`: the process's peak resident set, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

struct Sample {
    seconds: f64,
    rss_kib: u64,
}

fn run_child(client: Client, style: Benched, n: usize, scenario: &Scenario) -> Sample {
    let exe = std::env::current_exe().expect("own path");
    let millis = |d: Duration| d.as_millis().to_string();
    let out = Command::new(exe)
        .args(["--child", client.name(), style.name(), &n.to_string()])
        .args([millis(scenario.latency), millis(scenario.pause)])
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "{} {} {n}: {}",
        client.name(),
        style.name(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let fields: Vec<&str> = text.split_whitespace().collect();
    Sample {
        seconds: fields[1].parse().expect("seconds"),
        rss_kib: fields[2].parse().expect("rss"),
    }
}

fn median(values: &[f64]) -> f64 {
    let mut values = values.to_vec();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `median [min, max]`, with `decimals` decimals.
fn spread(values: &[f64], decimals: usize) -> String {
    let (lo, hi) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
    match values.len() {
        1 => format!("{:.decimals$}", values[0]),
        _ => format!(
            "{:.decimals$} [{lo:.decimals$}, {hi:.decimals$}]",
            median(values)
        ),
    }
}

fn table(scenario: &Scenario) {
    let reps: Vec<String> = scenario
        .runs
        .iter()
        .map(|(n, reps)| format!("N = {n}: {reps} run(s)"))
        .collect();
    let consumer = match scenario.pause.is_zero() {
        true => "the consumer only counts".to_owned(),
        false => format!(
            "the consumer waits {} ms after every {PAGE_SIZE} invoices",
            scenario.pause.as_millis()
        ),
    };
    println!(
        "## {} ms per page, {consumer} (pages of {PAGE_SIZE}; {})\n",
        scenario.latency.as_millis(),
        reps.join(", ")
    );
    println!(
        "| provider | N | client | time (s), median [min, max] | invoices/s | time / hand-written | peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|");
    for &style in scenario.providers {
        // Peak RSS per client and N, for the growth rows.
        let mut peaks: Vec<(Client, usize, u64)> = Vec::new();
        for &(n, reps) in scenario.runs {
            let mut seconds = vec![Vec::new(); Client::ALL.len()];
            let mut rss = vec![0u64; Client::ALL.len()];
            for rep in 0..reps {
                // Each round starts with another client, so that a drift of
                // the machine does not always favour the same one.
                for k in 0..Client::ALL.len() {
                    let i = (k + rep) % Client::ALL.len();
                    let sample = run_child(Client::ALL[i], style, n, scenario);
                    seconds[i].push(sample.seconds);
                    rss[i] = rss[i].max(sample.rss_kib);
                }
            }
            let hand = Client::ALL.len() - 1;
            let hand_time = median(&seconds[hand]);
            for (i, client) in Client::ALL.iter().enumerate() {
                let time = median(&seconds[i]);
                println!(
                    "| {} | {n} | {} | {} | {:.0} | {:.2} | {:.1} MiB |",
                    style.name(),
                    client.label(),
                    spread(&seconds[i], 3),
                    n as f64 / time,
                    time / hand_time,
                    rss[i] as f64 / 1024.0,
                );
                peaks.push((*client, n, rss[i]));
            }
        }
        if let [(first, _), .., (last, _)] = scenario.runs {
            for client in Client::ALL {
                let peak = |n| {
                    peaks
                        .iter()
                        .find(|(c, at, _)| *c == client && *at == n)
                        .map(|(_, _, kib)| *kib as f64)
                        .expect("measured")
                };
                println!(
                    "| {} | {last} vs {first} | {} | | | | {:+.1}% |",
                    style.name(),
                    client.label(),
                    (peak(*last) / peak(*first) - 1.0) * 100.0
                );
            }
        }
    }
    println!();
}

fn fan_out(per_provider: usize, reps: usize) {
    let latency = Duration::from_millis(20);
    println!(
        "## Fan-out: four providers, {per_provider} invoices each, {} ms per page served ({reps} runs, median)\n",
        latency.as_millis()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut servers = Vec::new();
        let mut vendors = Vec::new();
        for style in Benched::ALL {
            let vendor =
                server::start_with_latency(style.shape(), per_provider, PAGE_SIZE, latency).await;
            vendors.push((style, vendor.base_url.clone()));
            servers.push(vendor);
        }
        let query = ListQuery::new().page_size(PAGE_SIZE as u32);
        let alone: Vec<_> = vendors
            .iter()
            .map(|vendor| facade::invoices(std::slice::from_ref(vendor)))
            .collect();
        let together = facade::invoices(&vendors);
        let mut singles = vec![Vec::new(); vendors.len()];
        let mut sequential = Vec::new();
        let mut concurrent = Vec::new();
        for _ in 0..reps {
            let mut sum = 0.0;
            for (i, invoices) in alone.iter().enumerate() {
                let started = Instant::now();
                let count = facade::list_all(invoices, &query, &mut Consumer::counting())
                    .await
                    .expect("lists");
                let seconds = started.elapsed().as_secs_f64();
                assert_eq!(count, per_provider);
                singles[i].push(seconds);
                sum += seconds;
            }
            sequential.push(sum);
            let started = Instant::now();
            let count = facade::list_all(&together, &query, &mut Consumer::counting())
                .await
                .expect("lists");
            let seconds = started.elapsed().as_secs_f64();
            assert_eq!(count, per_provider * vendors.len());
            concurrent.push(seconds);
        }
        println!("| run | seconds |\n|---|---|");
        for (i, (style, _)) in vendors.iter().enumerate() {
            println!("| {} alone | {:.3} |", style.name(), median(&singles[i]));
        }
        let slowest = singles.iter().map(|s| median(s)).fold(0.0, f64::max);
        println!("| one after another | {:.3} |", median(&sequential));
        println!("| all four together | {:.3} |", median(&concurrent));
        println!(
            "| together / slowest alone | {:.2} |",
            median(&concurrent) / slowest
        );
    });
}
