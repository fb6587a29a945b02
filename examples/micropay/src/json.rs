//! `--format json`: the JSON contract of design.md, streamed file by file.

use std::io::Write;

use micropay_markup::{Diagnostic, Document, PerFeeLink, Severity, Syntax, Url};
use serde::Serialize;

use crate::check::{Report, Totals};

/// One element of `files`.
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
    pub(crate) fn new(path: &'a str, doc: &'a Document, errors_only: bool) -> Self {
        FileReport {
            path,
            document_url: doc.document_url(),
            syntax: doc.syntax(),
            encoding: doc.encoding(),
            links: doc.links(),
            diagnostics: doc
                .diagnostics()
                .iter()
                .filter(|d| !errors_only || d.severity == Severity::Error)
                .collect(),
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

pub(crate) struct Json {
    errors_only: bool,
    started: bool,
}

impl Json {
    pub(crate) fn new(errors_only: bool) -> Self {
        Json {
            errors_only,
            started: false,
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if !self.started {
            self.started = true;
            write!(out, "{{\"version\":1,\"files\":[")?;
        }
        Ok(())
    }
}

impl Report for Json {
    fn file(&mut self, out: &mut dyn Write, path: &str, doc: &Document) -> std::io::Result<()> {
        let first = !self.started;
        self.start(out)?;
        if !first {
            write!(out, ",")?;
        }
        serde_json::to_writer(&mut *out, &FileReport::new(path, doc, self.errors_only))?;
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
        serde_json::to_writer(&mut *out, &summary)?;
        writeln!(out, "}}")
    }
}
