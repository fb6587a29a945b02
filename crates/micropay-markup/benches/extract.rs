//! Extraction against its baselines, on the generated corpus (benches/corpus).
//!
//! For every page, five measurements in one run:
//! - `floor-rcdom`: html5ever parses the decoded text into markup5ever_rcdom, the standard
//!   tree; nothing else. The floor extraction rests on.
//! - `floor-arena`: html5ever into this crate's own arena, the way extraction drives it, and no
//!   extraction.
//! - `scraper-naive`: what a user would write instead: scraper parses the decoded text, selects
//!   `object, applet`, collects the direct `param` children and the first `a[href]`.
//! - `scraper-bytes`: the same from the bytes as served, as micropay gets them: decoded by
//!   encoding_rs with the page's declared charset first (scraper takes only text).
//! - `micropay`: `Extractor::extract_owned` on the bytes as served, handed over as a server
//!   hands over a body it has received (their copy is made outside the timing): decoding,
//!   parsing, carriers, every field parsed and checked, positions of every diagnostic.
//!
//! The floors and `scraper-naive` get the text already decoded; `scraper-bytes` and
//! `micropay` pay for their own decoding. Every
//! variant's result is dropped inside the timing.
//! `scripts/bench-report.py` turns the results into the ratio table of docs/performance.md.

mod baselines;
mod corpus;

use std::hint::black_box;
use std::time::Duration;

use baselines::{Naive, decoded, encoding, floor_rcdom};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use micropay_markup::{Extractor, Url};

fn benches(c: &mut Criterion) {
    let url = Url::parse(corpus::DOCUMENT_URL).expect("a valid URL");
    let extractor = Extractor::new().document_url(url);
    let naive = Naive::new();
    for page in corpus::pages() {
        let text = decoded(&page);
        // The same links, found every way (a wrong corpus would make the ratios meaningless).
        let doc = extractor.extract(&page.bytes).expect("the corpus extracts");
        assert_eq!(doc.links().len(), page.links, "{}", page.name);
        let naive_links = naive.extract(&text);
        assert_eq!(naive_links.len(), page.links, "{}", page.name);
        let charset = encoding(&page);
        assert_eq!(naive.extract_bytes(&page.bytes, charset).len(), page.links);
        assert!(
            naive_links
                .iter()
                .all(|l| !l.params.is_empty() && l.fallback_href.is_some())
        );

        let mut group = c.benchmark_group(page.name);
        group.throughput(Throughput::Bytes(page.bytes.len() as u64));
        if page.bytes.len() > 1_000_000 {
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(20));
        } else {
            group.measurement_time(Duration::from_secs(4));
        }
        group.warm_up_time(Duration::from_secs(1));
        group.bench_function("floor-rcdom", |b| {
            b.iter(|| floor_rcdom(black_box(&text)));
        });
        group.bench_function("floor-arena", |b| {
            b.iter(|| micropay_markup::bench_support::html_tree_nodes(black_box(&text)));
        });
        group.bench_function("scraper-naive", |b| {
            b.iter(|| naive.extract(black_box(&text)));
        });
        group.bench_function("scraper-bytes", |b| {
            b.iter(|| naive.extract_bytes(black_box(&page.bytes), charset));
        });
        group.bench_function("micropay", |b| {
            b.iter_batched(
                || page.bytes.clone(),
                |bytes| drop(black_box(extractor.extract_owned(black_box(bytes)))),
                BatchSize::LargeInput,
            );
        });
        group.finish();
    }
}

criterion_group!(extract, benches);
criterion_main!(extract);
