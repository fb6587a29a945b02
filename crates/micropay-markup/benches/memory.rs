//! Peak memory of one extraction of the 10 MB page with 10,000 links, next to its baselines.
//!
//! Each measurement runs in a process of its own (this binary again, with `--variant NAME`):
//! the page is generated, the kernel's peak-RSS mark is reset (`/proc/self/clear_refs`), the
//! variant runs once, and the new peak above the resident set before it is printed (for
//! `micropay`, also what stays resident while the Document is held: freed memory the allocator
//! keeps counts too). The baselines borrow the decoded text; micropay is handed the page's
//! bytes (`Extractor::extract_owned`), which become the Document's text. Both are resident
//! before the measurement. Linux only; elsewhere it says so and exits.
//!
//! `cargo bench -p micropay-markup --bench memory`

mod baselines;
mod corpus;

use std::hint::black_box;
use std::process::{Command, ExitCode};

use micropay_markup::{Extractor, Url};

const VARIANTS: [&str; 4] = ["floor-rcdom", "floor-arena", "scraper-naive", "micropay"];

/// A field of `/proc/self/status`, in KiB.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `variant` on the page and prints `variant peak_kib held_kib`.
fn measure(variant: &str) -> Option<()> {
    let page = corpus::big();
    let text = baselines::decoded(&page);
    let extractor = Extractor::new().document_url(Url::parse(corpus::DOCUMENT_URL).ok()?);
    let naive = baselines::Naive::new();
    // Reset the peak to the current resident set (Linux 4.0 and later).
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    let before = status_kib("VmRSS:")?;
    let held: Box<dyn std::any::Any> = match variant {
        "floor-rcdom" => Box::new(baselines::floor_rcdom(black_box(&text))),
        "floor-arena" => Box::new(micropay_markup::bench_support::html_tree_nodes(black_box(
            &text,
        ))),
        "scraper-naive" => Box::new(naive.extract(black_box(&text)).len()),
        "micropay" => Box::new(extractor.extract_owned(black_box(page.bytes)).ok()?),
        _ => return None,
    };
    let peak = status_kib("VmHWM:")?;
    let now = status_kib("VmRSS:")?;
    println!(
        "{variant} {} {}",
        peak.saturating_sub(before),
        now.saturating_sub(before)
    );
    drop(black_box(held));
    Some(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--variant") {
        return match args.get(at + 1).and_then(|v| measure(v)) {
            Some(()) => ExitCode::SUCCESS,
            None => ExitCode::FAILURE,
        };
    }
    if !std::path::Path::new("/proc/self/clear_refs").exists() {
        println!("memory: needs Linux's /proc/self/clear_refs; nothing measured");
        return ExitCode::SUCCESS;
    }
    // `cargo test --benches` runs this binary too: measuring there would only slow the tests.
    if !args.iter().any(|a| a == "--bench") {
        return ExitCode::SUCCESS;
    }
    let page = corpus::big();
    let input_kib = page.bytes.len() / 1024;
    println!(
        "peak memory of one run on {} ({input_kib} KiB, {} links), in KiB above the resident set before it",
        page.name, page.links
    );
    println!("{:<14} {:>10} {:>11}", "variant", "peak", "peak/input");
    let Ok(exe) = std::env::current_exe() else {
        return ExitCode::FAILURE;
    };
    let mut peaks = Vec::new();
    for variant in VARIANTS {
        let Ok(out) = Command::new(&exe).args(["--variant", variant]).output() else {
            return ExitCode::FAILURE;
        };
        let line = String::from_utf8_lossy(&out.stdout);
        let numbers: Vec<usize> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|n| n.parse().ok())
            .collect();
        let [peak, held] = numbers[..] else {
            println!("{variant}: not measured ({})", line.trim());
            continue;
        };
        #[allow(clippy::cast_precision_loss)] // KiB counts far below 2^52
        let ratio = peak as f64 / input_kib as f64;
        println!("{variant:<14} {peak:>10} {ratio:>11.2}");
        peaks.push((variant, peak, held));
    }
    // What extraction adds to its own tree, and what the result holds, per link.
    let of = |name: &str| {
        peaks
            .iter()
            .find(|(v, ..)| *v == name)
            .map(|&(_, p, h)| (p, h))
    };
    if let (Some((tree, _)), Some((peak, held))) = (of("floor-arena"), of("micropay")) {
        println!(
            "micropay: {held} KiB resident while the Document is held; per link, {} B of peak \
             above floor-arena",
            peak.saturating_sub(tree) * 1024 / page.links,
        );
    }
    ExitCode::SUCCESS
}
