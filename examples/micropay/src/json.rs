//! `--format json`: the JSON report of docs/cli.md, streamed file by file.

use std::io::Write;

use micropay_markup::{Diagnostic, Document, PerFeeLink, Syntax, Url};
use serde::Serialize;

use crate::checked::{Checked, Report, Totals};

/// One element of `files` (and the output of `extract`).
#[derive(Serialize)]
pub(crate) struct FileReport<'a> {
    path: &'a str,
    document_url: Option<&'a Url>,
    syntax: Syntax,
    encoding: &'a str,
    links: &'a [PerFeeLink],
    diagnostics: Vec<&'a Diagnostic>,
}

impl<'a> FileReport<'a> {
    /// The report of `doc` with the given diagnostics (a selection of its own).
    pub(crate) fn new(path: &'a str, doc: &'a Document, diagnostics: Vec<&'a Diagnostic>) -> Self {
        FileReport {
            path,
            document_url: doc.document_url(),
            syntax: doc.syntax(),
            encoding: doc.encoding(),
            links: doc.links(),
            diagnostics,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    links: usize,
    valid_links: usize,
    errors: usize,
    warnings: usize,
}

/// Writes `{"version":1,"files":[` before the first file and the summary after the last.
pub(crate) struct Json {
    started: bool,
}

impl Json {
    pub(crate) fn new() -> Self {
        Json { started: false }
    }

    fn start(&mut self, out: &mut dyn Write) -> std::io::Result<bool> {
        let first = !self.started;
        if first {
            self.started = true;
            write!(out, "{{\"version\":1,\"files\":[")?;
        }
        Ok(first)
    }
}

impl Report for Json {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> std::io::Result<()> {
        if !self.start(out)? {
            write!(out, ",")?;
        }
        let report = FileReport::new(checked.path, checked.doc, checked.diagnostics.clone());
        crate::escape::write_json(out, &report, false)?;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> std::io::Result<()> {
        self.start(out)?;
        let summary = Summary {
            files: totals.files,
            links: totals.links,
            valid_links: totals.valid_links,
            errors: totals.errors,
            warnings: totals.warnings,
        };
        write!(out, "],\"summary\":")?;
        crate::escape::write_json(out, &summary, false)?;
        writeln!(out, "}}")
    }
}
