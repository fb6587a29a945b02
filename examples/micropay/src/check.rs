//! `check` and `extract`: read documents in parallel, report them in path order.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Document, Extractor, Severity};
use rayon::prelude::*;

use crate::cli::{CheckArgs, DocumentOptions, ExtractArgs, Format};
use crate::inputs::{self, Input};
use crate::{human, json};

/// How many documents are read at once; output stays in path order and memory stays bounded.
const BATCH: usize = 64;

/// Counts over a whole run.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Totals {
    pub(crate) files: usize,
    pub(crate) links: usize,
    pub(crate) valid_links: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
}

impl Totals {
    fn add(&mut self, doc: &Document) {
        self.files += 1;
        self.links += doc.links().len();
        self.valid_links += doc.links().iter().filter(|l| l.is_valid()).count();
        self.errors += doc.count(Severity::Error);
        self.warnings += doc.count(Severity::Warning);
    }
}

/// A way of printing the results of a run.
pub(crate) trait Report {
    fn file(&mut self, out: &mut dyn Write, path: &str, doc: &Document) -> std::io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> std::io::Result<()>;
}

fn extractor(input: &Input, options: &DocumentOptions, now: OffsetDateTime) -> Extractor {
    let mut extractor = Extractor::new().now(now).syntax(input.syntax);
    if let Some(url) = &input.document_url {
        extractor = extractor.document_url(url.clone());
    }
    if let Some(label) = &options.charset {
        extractor = extractor.charset(label.clone());
    }
    extractor
}

fn read_and_extract(
    input: &Input,
    options: &DocumentOptions,
    now: OffsetDateTime,
) -> Result<Document, String> {
    let bytes = input.read()?;
    extractor(input, options, now)
        .extract(&bytes)
        .map_err(|e| format!("{}: {e}", input.display))
}

/// `micropay check`.
pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("spec-fixtures")]
    } else {
        args.paths.clone()
    };
    let inputs = inputs::collect(&paths, &args.document)?;
    let now = args.document.now.unwrap_or_else(OffsetDateTime::now_utc);
    let mut report: Box<dyn Report> = match args.format {
        Format::Human => Box::new(human::Human::new(args.quiet)),
        Format::Json => Box::new(json::Json::new(args.quiet)),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut totals = Totals::default();
    let mut unreadable = false;
    for batch in inputs.chunks(BATCH) {
        let results: Vec<_> = batch
            .par_iter()
            .map(|input| read_and_extract(input, &args.document, now))
            .collect();
        for (input, result) in batch.iter().zip(results) {
            match result {
                Ok(doc) => {
                    totals.add(&doc);
                    report
                        .file(&mut out, &input.display, &doc)
                        .map_err(write_error)?;
                }
                Err(message) => {
                    eprintln!("micropay: {message}");
                    unreadable = true;
                }
            }
        }
    }
    report.finish(&mut out, &totals).map_err(write_error)?;
    out.flush().map_err(write_error)?;
    Ok(if unreadable {
        ExitCode::from(2)
    } else if totals.errors > 0 || (args.deny_warnings && totals.warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `micropay extract`.
pub(crate) fn extract(args: &ExtractArgs) -> Result<ExitCode, String> {
    let inputs = inputs::collect(std::slice::from_ref(&args.path), &args.document)?;
    let [input] = inputs.as_slice() else {
        return Err(format!(
            "{} is not one document (extract reads exactly one file)",
            args.path.display()
        ));
    };
    let now = args.document.now.unwrap_or_else(OffsetDateTime::now_utc);
    let doc = read_and_extract(input, &args.document, now)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(
        &mut out,
        &json::FileReport::new(&input.display, &doc, false),
    )
    .map_err(|e| write_error(e.into()))?;
    writeln!(out).map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(write_error)`
fn write_error(error: std::io::Error) -> String {
    format!("cannot write the output: {error}")
}
