//! Runs one measurement of benches/extract.rs on one page of the corpus, a given number of
//! times, outside the harness: for instruction counts under callgrind, which repeat exactly
//! where wall-clock time on a shared machine does not.
//!
//! `cargo bench -p micropay-markup --bench once -- VARIANT PAGE [TIMES]`
//!
//! VARIANT: floor-rcdom, floor-arena, scraper-naive, scraper-bytes, micropay. PAGE: a page name of the
//! corpus (`list` prints them). What is measured is [`Setup::measured`]: micropay is handed
//! a copy of the page's bytes made before it (`Extractor::extract_owned`, as a server hands
//! over a body it has received), the baselines borrow the decoded text. Under callgrind,
//! counting in `Setup::measured` only, the difference between TIMES=3 and TIMES=1 is the cost
//! of two runs (scripts/instructions.sh).
//!
//! `once interleave PAGE [ROUNDS]` times the five variants in turn, round after round,
//! and prints each one's fastest and median run and the ratios of micropay's to the others'.
//! On a shared machine a neighbour's load only ever adds time, and interleaving spreads it
//! over all five; the fastest of many runs is the steadiest figure such a machine gives. Each
//! round takes the variants in an order of its own (a fixed pseudo-random sequence): what one
//! variant leaves behind in the allocator and the caches changes the time of the next by up to
//! 8 % on the small pages, so no variant may always follow the same one.

mod baselines;
mod corpus;
mod driver_args;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use micropay_markup::{Extractor, Url};

fn main() -> ExitCode {
    let Some(args) = driver_args::args() else {
        return ExitCode::SUCCESS;
    };
    if args.first().map(String::as_str) == Some("list") {
        for name in corpus::names() {
            println!("{name}");
        }
        return ExitCode::SUCCESS;
    }
    if let [mode, name, rest @ ..] = args.as_slice()
        && mode == "interleave"
    {
        let rounds = rest.first().and_then(|r| r.parse().ok()).unwrap_or(20);
        return interleave(name, rounds);
    }
    let [variant, name, rest @ ..] = args.as_slice() else {
        eprintln!("usage: once VARIANT PAGE [TIMES] | once interleave PAGE [ROUNDS] | once list");
        return ExitCode::from(2);
    };
    let times: usize = rest.first().and_then(|t| t.parse().ok()).unwrap_or(1);
    let Some(setup) = Setup::load(name) else {
        return ExitCode::from(2);
    };
    for _ in 0..times {
        if setup.run(variant).is_none() {
            eprintln!("once: no variant {variant}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

const VARIANTS: [&str; 5] = [
    "floor-rcdom",
    "floor-arena",
    "scraper-naive",
    "scraper-bytes",
    "micropay",
];

/// A page of the corpus and what the variants need to run on it.
struct Setup {
    page: corpus::Page,
    text: String,
    extractor: Extractor,
    naive: baselines::Naive,
}

impl Setup {
    fn load(name: &str) -> Option<Setup> {
        let Some(page) = corpus::page(name) else {
            eprintln!("once: no page {name}");
            return None;
        };
        Some(Setup {
            text: baselines::decoded(&page),
            page,
            extractor: Extractor::new().document_url(Url::parse(corpus::DOCUMENT_URL).unwrap()),
            naive: baselines::Naive::new(),
        })
    }

    /// One run of `variant`: the time [`Self::measured`] took, or `None` for an unknown
    /// variant.
    fn run(&self, variant: &str) -> Option<Duration> {
        let handed_over = (variant == "micropay").then(|| self.page.bytes.clone());
        let start = Instant::now();
        self.measured(variant, handed_over).then(|| start.elapsed())
    }

    /// What is measured of one run of `variant`, the dropping of its result included;
    /// micropay gets `handed_over`. False for an unknown variant.
    #[inline(never)]
    fn measured(&self, variant: &str, handed_over: Option<Vec<u8>>) -> bool {
        let text = self.text.as_str();
        match (variant, handed_over) {
            ("floor-rcdom", _) => drop(black_box(baselines::floor_rcdom(black_box(text)))),
            ("floor-arena", _) => {
                black_box(micropay_markup::bench_support::html_tree_nodes(black_box(
                    text,
                )));
            }
            ("scraper-naive", _) => drop(black_box(self.naive.extract(black_box(text)))),
            ("scraper-bytes", _) => drop(black_box(
                self.naive
                    .extract_bytes(black_box(&self.page.bytes), baselines::encoding(&self.page)),
            )),
            ("micropay", Some(bytes)) => {
                drop(black_box(self.extractor.extract_owned(black_box(bytes))));
            }
            _ => return false,
        }
        true
    }
}

/// The four variants timed in turn for `rounds` rounds (after one round of warm-up).
fn interleave(name: &str, rounds: usize) -> ExitCode {
    let Some(setup) = Setup::load(name) else {
        return ExitCode::from(2);
    };
    let mut times: [Vec<Duration>; 5] = Default::default();
    let mut order: [usize; 5] = std::array::from_fn(|i| i);
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    for round in 0..=rounds.max(1) {
        // Fisher-Yates with xorshift64: the same orders in every run of the program.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let j = usize::try_from(rng % (i as u64 + 1)).expect("below 5");
            order.swap(i, j);
        }
        for &v in &order {
            let took = setup.run(VARIANTS[v]);
            if round > 0 {
                times[v].extend(took);
            }
        }
    }
    let stats: Vec<(Duration, Duration)> = times
        .iter_mut()
        .map(|spent| {
            spent.sort_unstable();
            (spent[0], spent[spent.len() / 2])
        })
        .collect();
    println!("{name}: {} rounds; fastest / median", rounds.max(1));
    for (variant, (fastest, median)) in VARIANTS.iter().zip(&stats) {
        println!("  {variant:<14} {fastest:>12.2?} {median:>12.2?}");
    }
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let (mine, floor, scraper, scraper_bytes) = (stats[4], stats[0], stats[2], stats[3]);
    println!(
        "  micropay / floor-rcdom {:.2} / {:.2}; micropay / scraper-naive {:.2} / {:.2}; \
         micropay / scraper-bytes {:.2} / {:.2}",
        ratio(mine.0, floor.0),
        ratio(mine.1, floor.1),
        ratio(mine.0, scraper.0),
        ratio(mine.1, scraper.1),
        ratio(mine.0, scraper_bytes.0),
        ratio(mine.1, scraper_bytes.1),
    );
    ExitCode::SUCCESS
}
