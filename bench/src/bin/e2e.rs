//! End-to-end runs over loopback: the facade streams N invoices from a
//! vendor-shaped mock server, against a hand-written reqwest + serde_json
//! loop over the same server; peak memory for N = 10,000 and 100,000; and
//! four providers listed together versus one after another.
//!
//! `cargo run --release -p invoicing-bench --bin e2e` (add `-- --quick` for a
//! smoke run). Each measurement runs in a child process of its own, so its
//! peak resident memory is its own.

use std::process::Command;
use std::time::{Duration, Instant};

use invoicing_bench::fixtures::Style;
use invoicing_bench::{baseline, facade, server};

/// Invoices a page holds: every paged vendor accepts 100.
const PAGE_SIZE: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], &args[3], args[4].parse().expect("N is a number"));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let (sizes, reps): (&[usize], usize) = if quick {
        (&[1_000, 10_000], 1)
    } else {
        (&[10_000, 100_000], 3)
    };
    volume(sizes, reps);
    fan_out(if quick { 1_000 } else { 5_000 }, reps);
}

/// One measurement: prints `count seconds peak_rss_kib`.
fn child(mode: &str, provider: &str, n: usize) {
    let style = *Style::ALL
        .iter()
        .find(|s| s.name() == provider)
        .expect("a known provider");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (count, seconds) = runtime.block_on(async {
        let vendor = server::start(style, n, PAGE_SIZE).await;
        let started = Instant::now();
        let count = match mode {
            "facade" => facade::list_all(&[(style, vendor.base_url.clone())], PAGE_SIZE as u32)
                .await
                .expect("facade lists"),
            "baseline" => {
                baseline::list_all(&reqwest::Client::new(), style, &vendor.base_url, PAGE_SIZE)
                    .await
                    .expect("baseline lists")
            }
            other => panic!("unknown mode {other}"),
        };
        (count, started.elapsed().as_secs_f64())
    });
    assert_eq!(count, n, "every invoice listed");
    println!("{count} {seconds} {}", peak_rss_kib());
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

fn run_child(mode: &str, style: Style, n: usize) -> Sample {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args(["--child", mode, style.name(), &n.to_string()])
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "{mode} {} {n}: {}",
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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn volume(sizes: &[usize], reps: usize) {
    println!(
        "## End to end over loopback (page size {PAGE_SIZE}, {reps} runs each, median [min, max])\n"
    );
    println!(
        "| provider | N | facade invoices/s | baseline invoices/s | facade time / baseline time | facade peak RSS | baseline peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|");
    for style in Style::PAGED {
        let mut peaks = Vec::new();
        for &n in sizes {
            let mut rates = [Vec::new(), Vec::new()];
            let mut times = [Vec::new(), Vec::new()];
            let mut rss = [0u64, 0u64];
            for _ in 0..reps {
                for (i, mode) in ["facade", "baseline"].iter().enumerate() {
                    let s = run_child(mode, style, n);
                    rates[i].push(n as f64 / s.seconds);
                    times[i].push(s.seconds);
                    rss[i] = rss[i].max(s.rss_kib);
                }
            }
            let spread = |v: &[f64]| {
                let (lo, hi) = v
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
                format!("{:.0} [{lo:.0}, {hi:.0}]", median(v.to_vec()))
            };
            let ratio = median(times[0].clone()) / median(times[1].clone());
            println!(
                "| {} | {n} | {} | {} | {ratio:.2} | {:.1} MiB | {:.1} MiB |",
                style.name(),
                spread(&rates[0]),
                spread(&rates[1]),
                rss[0] as f64 / 1024.0,
                rss[1] as f64 / 1024.0
            );
            peaks.push((n, rss[0]));
        }
        if let [(n0, a), .., (n1, b)] = peaks[..] {
            println!(
                "| {} | peak RSS N={n1} vs N={n0} | | | {:+.1}% | | |",
                style.name(),
                (b as f64 / a as f64 - 1.0) * 100.0
            );
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
        for style in Style::ALL {
            let vendor = server::start_with_latency(style, per_provider, PAGE_SIZE, latency).await;
            vendors.push((style, vendor.base_url.clone()));
            servers.push(vendor);
        }
        let mut singles = vec![Vec::new(); vendors.len()];
        let mut sequential = Vec::new();
        let mut concurrent = Vec::new();
        for _ in 0..reps {
            let mut sum = 0.0;
            for (i, vendor) in vendors.iter().enumerate() {
                let one = std::slice::from_ref(vendor);
                let started = Instant::now();
                let count = facade::list_all(one, PAGE_SIZE as u32)
                    .await
                    .expect("lists");
                let seconds = started.elapsed().as_secs_f64();
                assert_eq!(count, per_provider);
                singles[i].push(seconds);
                sum += seconds;
            }
            sequential.push(sum);
            let started = Instant::now();
            let count = facade::list_all(&vendors, PAGE_SIZE as u32)
                .await
                .expect("lists");
            let seconds = started.elapsed().as_secs_f64();
            assert_eq!(count, per_provider * vendors.len());
            concurrent.push(seconds);
        }
        println!("| run | seconds |\n|---|---|");
        for (i, (style, _)) in vendors.iter().enumerate() {
            println!(
                "| {} alone | {:.3} |",
                style.name(),
                median(singles[i].clone())
            );
        }
        let slowest = singles
            .iter()
            .map(|s| median(s.clone()))
            .fold(0.0, f64::max);
        println!("| one after another | {:.3} |", median(sequential));
        println!("| all four together | {:.3} |", median(concurrent.clone()));
        println!(
            "| together / slowest alone | {:.2} |",
            median(concurrent) / slowest
        );
    });
}
