//! `check` and `extract`: read documents in parallel, in batches of bounded size, and report
//! them in path order; each batch is dropped once printed, so memory does not grow with the
//! number of pages.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Diagnostic, Document, Extractor, Severity};
use rayon::prelude::*;

use crate::checked::{Checked, Report, Totals};
use crate::cli::{CheckArgs, ExtractArgs, Format};
use crate::config::Configs;
use crate::inputs::{self, Input, Settings};
use crate::{Failure, github, human, json, sarif};

/// At most this many documents are held at once ...
const BATCH_FILES: usize = 64;
/// ... and at most about this many bytes of them (a single larger file is a batch of its own).
const BATCH_BYTES: u64 = 32 << 20;
/// Runs over more files than this show progress on stderr when it is a terminal.
const PROGRESS_OVER: usize = 20;

fn extractor(input: &Input, now: OffsetDateTime) -> Extractor {
    let mut extractor = Extractor::new().now(now).syntax(input.syntax);
    if let Some(url) = &input.document_url {
        extractor = extractor.document_url(url.clone());
    }
    if let Some(label) = &input.charset {
        extractor = extractor.charset(label.clone());
    }
    extractor
}

fn read_and_extract(input: &Input, now: OffsetDateTime) -> Result<Document, String> {
    let bytes = input.read()?;
    extractor(input, now)
        .extract_owned(bytes)
        .map_err(|e| format!("{}: {e}", input.display))
}

/// Splits the inputs into batches of at most `BATCH_FILES` documents and about `BATCH_BYTES`.
fn batches(inputs: &[Input]) -> impl Iterator<Item = &[Input]> {
    let mut rest = inputs;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut end = 0;
        while end < rest.len() && end < BATCH_FILES && (end == 0 || bytes < BATCH_BYTES) {
            bytes += rest[end].size;
            end += 1;
        }
        let (batch, tail) = rest.split_at(end);
        rest = tail;
        Some(batch)
    })
}

/// Progress on stderr (`checked 120/10000 files`), only when stderr is a terminal.
struct Progress {
    total: usize,
    done: usize,
    active: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        Progress {
            total,
            done: 0,
            active: total > PROGRESS_OVER && std::io::stderr().is_terminal(),
        }
    }

    /// Clears the progress line, so that the report does not print over it.
    fn clear(&self) {
        if self.active {
            eprint!("\r\x1b[K");
        }
    }

    fn advance(&mut self, by: usize) {
        self.done += by;
        if self.active && self.done < self.total {
            eprint!("\rchecked {}/{} files", self.done, self.total);
        }
    }
}

/// Drops what `[[allow]]` allows, counts the rest and keeps what is to be shown.
fn select<'a>(
    input: &Input,
    doc: &'a Document,
    quiet: bool,
    totals: &mut Totals,
) -> Vec<&'a Diagnostic> {
    totals.files += 1;
    totals.links += doc.links().len();
    totals.valid_links += doc.links().iter().filter(|l| l.is_valid()).count();
    let mut shown = Vec::new();
    for d in doc.diagnostics() {
        let allowed = input.allowed.contains(&d.code());
        match (d.severity(), allowed) {
            (Severity::Error, true) => totals.allowed_errors += 1,
            (Severity::Warning, true) => totals.allowed_warnings += 1,
            (Severity::Error, false) => totals.errors += 1,
            (Severity::Warning, false) => totals.warnings += 1,
        }
        if allowed {
            continue;
        }
        let fails = d.severity() == Severity::Error || input.deny_warnings;
        totals.failing |= fails;
        // --quiet keeps what fails the run.
        if fails || !quiet {
            shown.push(d);
        }
    }
    shown
}

/// `micropay check`.
pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode, Failure> {
    // No path: the current directory, walked as any directory is.
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let stdin = Path::new("-");
    if args.config.as_deref() == Some(stdin) && paths.iter().any(|p| p == stdin) {
        return Err(Failure::Usage(
            "--config - and the page - cannot both read standard input".to_owned(),
        ));
    }
    let mut configs = Configs::new(
        args.config.as_deref(),
        args.no_config,
        args.document.limit.or_default(),
    )?;
    let settings = Settings {
        document: &args.document,
        deny_warnings: args.deny_warnings(),
    };
    let inputs = inputs::collect(&paths, &settings, &mut configs)?;
    // The format is one for the run: the option, else the configuration of the current
    // directory, else human.
    let format = match args.format {
        Some(format) => format,
        None => configs
            .for_dir(Path::new("."))?
            .and_then(|c| c.format)
            .unwrap_or(Format::Human),
    };
    let now = args.document.now.unwrap_or_else(OffsetDateTime::now_utc);
    let mut report: Box<dyn Report> = match format {
        Format::Human => Box::new(human::Human::new(args.quiet)),
        Format::Json => Box::new(json::Json::new()),
        Format::Sarif => Box::new(sarif::Sarif::new()),
        Format::Github => Box::new(github::Github::new(args.quiet)),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut totals = Totals::default();
    let mut unreadable = false;
    let mut progress = Progress::new(inputs.len());
    for batch in batches(&inputs) {
        let results: Vec<_> = batch
            .par_iter()
            .map(|input| read_and_extract(input, now))
            .collect();
        progress.clear();
        for (input, result) in batch.iter().zip(results) {
            match result {
                Ok(doc) => {
                    let diagnostics = select(input, &doc, args.quiet, &mut totals);
                    let checked = Checked {
                        path: &input.display,
                        file: input.path(),
                        doc: &doc,
                        diagnostics,
                    };
                    report.file(&mut out, &checked)?;
                }
                Err(message) => {
                    out.flush()?;
                    eprintln!("micropay: {}", crate::escape::terminal(&message));
                    unreadable = true;
                }
            }
        }
        if progress.active {
            out.flush()?;
        }
        progress.advance(batch.len());
    }
    report.finish(&mut out, &totals)?;
    out.flush()?;
    let allowed_errors = totals.allowed_errors;
    if allowed_errors > 0 && format != Format::Human {
        // The human summary says it; the machine formats have no place for it.
        eprintln!(
            "micropay: {allowed_errors} error{} allowed by micropay.toml",
            if allowed_errors == 1 { "" } else { "s" }
        );
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if totals.failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `micropay extract`.
pub(crate) fn extract(args: &ExtractArgs) -> Result<ExitCode, Failure> {
    let mut configs = Configs::new(None, false, args.document.limit.or_default())?;
    let settings = Settings {
        document: &args.document,
        deny_warnings: None,
    };
    let inputs = inputs::collect(std::slice::from_ref(&args.path), &settings, &mut configs)?;
    let [input] = inputs.as_slice() else {
        return Err(Failure::Usage(format!(
            "{} is not one document (extract reads exactly one file)",
            args.path.display()
        )));
    };
    let now = args.document.now.unwrap_or_else(OffsetDateTime::now_utc);
    let doc = read_and_extract(input, now)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let all: Vec<&Diagnostic> = doc.diagnostics().iter().collect();
    crate::escape::write_json(
        &mut out,
        &json::FileReport::new(&input.display, &doc, all),
        true,
    )?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_bounded_by_count_and_bytes() {
        let dir = std::path::Path::new(".");
        let sizes = [1u64, 1, BATCH_BYTES, 1, BATCH_BYTES / 2, BATCH_BYTES / 2, 1];
        let inputs: Vec<Input> = sizes.iter().map(|&s| Input::for_test(dir, s)).collect();
        let lengths: Vec<usize> = batches(&inputs).map(<[Input]>::len).collect();
        assert_eq!(lengths, [3, 3, 1]);
        let many: Vec<Input> = (0..150).map(|_| Input::for_test(dir, 1)).collect();
        let lengths: Vec<usize> = batches(&many).map(<[Input]>::len).collect();
        assert_eq!(lengths, [64, 64, 22]);
    }
}
