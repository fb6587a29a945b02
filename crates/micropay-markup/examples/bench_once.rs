//! Runs one measurement of benches/extract.rs on one page of the corpus, a given number of
//! times, outside the harness: for instruction counts under callgrind, which repeat exactly
//! where wall-clock time on a shared machine does not.
//!
//! `cargo run --release -p micropay-markup --example bench_once -- VARIANT PAGE [TIMES]`
//!
//! VARIANT: floor-rcdom, floor-arena, scraper-naive, micropay. PAGE: a page name of the
//! corpus (`list` prints them). Under callgrind, the difference between TIMES=3 and TIMES=1
//! is the cost of two runs with the page generation taken out (scripts/instructions.sh).

#[path = "../benches/baselines/mod.rs"]
mod baselines;
#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::process::ExitCode;

use micropay_markup::{Extractor, Url};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("list") {
        for name in corpus::names() {
            println!("{name}");
        }
        return ExitCode::SUCCESS;
    }
    let [variant, name, rest @ ..] = args.as_slice() else {
        eprintln!("usage: bench_once VARIANT PAGE [TIMES] | bench_once list");
        return ExitCode::from(2);
    };
    let times: usize = rest.first().and_then(|t| t.parse().ok()).unwrap_or(1);
    let Some(page) = corpus::page(name) else {
        eprintln!("bench_once: no page {name}");
        return ExitCode::from(2);
    };
    let text = baselines::decoded(&page);
    let extractor = Extractor::new().document_url(Url::parse(corpus::DOCUMENT_URL).unwrap());
    let naive = baselines::Naive::new();
    for _ in 0..times {
        match variant.as_str() {
            "floor-rcdom" => drop(black_box(baselines::floor_rcdom(black_box(&text)))),
            "floor-arena" => {
                black_box(micropay_markup::bench_support::html_tree_nodes(black_box(
                    &text,
                )));
            }
            "scraper-naive" => drop(black_box(naive.extract(black_box(&text)))),
            "micropay" => drop(black_box(extractor.extract(black_box(&page.bytes)))),
            other => {
                eprintln!("bench_once: no variant {other}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
