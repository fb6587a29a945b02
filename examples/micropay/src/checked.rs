//! What a run of `check` found, document by document and in total, and the trait each output
//! format (human, JSON, SARIF, GitHub) implements to print it.

use std::io::Write;
use std::path::Path;

use micropay_markup::{Diagnostic, Document};

/// Counts over a whole run, after the allow-lists of micropay.toml.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Totals {
    pub(crate) files: usize,
    pub(crate) links: usize,
    pub(crate) valid_links: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    /// Errors dropped by an `[[allow]]` entry.
    pub(crate) allowed_errors: usize,
    /// Warnings dropped by an `[[allow]]` entry.
    pub(crate) allowed_warnings: usize,
    /// Whether some document fails the run (errors, or warnings where they are denied).
    pub(crate) failing: bool,
}

/// One checked document and the diagnostics to report for it.
pub(crate) struct Checked<'a> {
    /// The path as the user named it (`-` for standard input).
    pub(crate) path: &'a str,
    /// The file, unless standard input.
    pub(crate) file: Option<&'a Path>,
    pub(crate) doc: &'a Document,
    /// What survives the allow-list and `--quiet`, in document order.
    pub(crate) diagnostics: Vec<&'a Diagnostic>,
}

/// A way of printing the results of a run.
pub(crate) trait Report {
    /// Prints one document.
    fn file(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> std::io::Result<()>;
    /// Prints what follows the last document.
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> std::io::Result<()>;
}
