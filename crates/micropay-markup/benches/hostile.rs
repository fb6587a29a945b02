//! Time per megabyte of the hostile shapes of input (issue 25; `tests/linear.rs` counts their
//! work step by step), at 1, 4 and 16 MB, next to an ordinary news page of the same sizes in
//! the same run. Each is one whole extraction (`Extractor::extract` on the bytes): decoding,
//! parsing within the limits of P-1.8 (or the XHTML entity budget), diagnostics.
//!
//! Pages cut short by a limit stop early, so their time per MB falls as they grow; the pages
//! that stay within the limits (`at-depth-limit`, `repeated-attributes`) must keep a flat time
//! per MB, as the ordinary page does.
//!
//! `cargo bench -p micropay-markup --bench hostile` (docs/performance.md has a run).

mod corpus;

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use micropay_markup::{Extractor, Syntax, Url};

const MB: usize = 1_000_000;

const LINK: &str = "<object><param name=price value=1USD><param name=textlink value=t></object>";

/// `unit` repeated to about `size` bytes, between `head` and `tail`.
fn fill(head: &str, unit: &str, tail: &str, size: usize) -> String {
    let n = size.saturating_sub(head.len() + tail.len()) / unit.len();
    let mut page = String::with_capacity(size + unit.len());
    page.push_str(head);
    for _ in 0..n {
        page.push_str(unit);
    }
    page.push_str(tail);
    page
}

/// ` a0 a1 …`: `n` distinct attribute names.
fn names(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        write!(out, " a{i}").expect("a String takes any text");
    }
    out
}

/// One `object` with as many distinct attributes as fill `size` bytes.
fn distinct_attributes(size: usize) -> String {
    let mut page = String::from("<object");
    let mut i = 0;
    while page.len() < size {
        write!(page, " a{i}").expect("a String takes any text");
        i += 1;
    }
    page.push('>');
    page.push_str(LINK);
    page
}

/// The shapes, by name: the page of about `size` bytes, and its syntax.
fn shape(name: &str, size: usize) -> (String, Syntax) {
    let html = |page| (page, Syntax::Html);
    match name {
        "ordinary" => html(corpus::news(7, size, size / 20_000, false)),
        // The shapes, cut short by the limits.
        "dl-dd-past-the-limit" => html(fill(LINK, "<dl><dd>", "", size)),
        "div-past-the-limit" => html(fill("", "<div>", LINK, size)),
        "attributes-past-the-limit" => html(distinct_attributes(size)),
        // The worst within the limits: 250 elements deep, then tags that walk the stack.
        "at-depth-limit" => html(fill(&"<b>".repeat(250), "</p><li>", LINK, size)),
        // 1,023 distinct names, then the last one repeated: each repeat compared with all.
        "repeated-attributes" => html(fill(
            &format!("<object{}", names(1_023)),
            " a1022",
            &format!(">{LINK}"),
            size,
        )),
        "xhtml-entity-chain" => {
            let mut dtd = String::from("<!ENTITY e0 \"x\">");
            for i in 1..5_000 {
                write!(dtd, "<!ENTITY e{i} \"x&e{};\">", i - 1).expect("a String takes any text");
            }
            let head = format!(
                "<?xml version=\"1.0\"?><!DOCTYPE html [{dtd}]><html xmlns=\"http://www.w3.org/1999/xhtml\"><body>"
            );
            (
                fill(&head, "&e4999;", "</body></html>", size),
                Syntax::Xhtml,
            )
        }
        _ => unreachable!("a shape of SHAPES"),
    }
}

const SHAPES: [&str; 7] = [
    "ordinary",
    "dl-dd-past-the-limit",
    "div-past-the-limit",
    "attributes-past-the-limit",
    "at-depth-limit",
    "repeated-attributes",
    "xhtml-entity-chain",
];

fn benches(c: &mut Criterion) {
    for name in SHAPES {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
        for mb in [1, 4, 16] {
            let (page, syntax) = shape(name, mb * MB);
            let extractor = Extractor::new()
                .document_url(Url::parse(corpus::DOCUMENT_URL).expect("a valid URL"))
                .syntax(syntax);
            group.throughput(Throughput::Bytes(page.len() as u64));
            group.bench_function(BenchmarkId::from_parameter(format!("{mb}MB")), |b| {
                b.iter(|| drop(black_box(extractor.extract(black_box(page.as_bytes())))));
            });
        }
        group.finish();
    }
}

criterion_group!(hostile, benches);
criterion_main!(hostile);
