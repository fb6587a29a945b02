//! `--format human`: one line per diagnostic, the source line with a caret, a hint, a summary.

use std::io::{IsTerminal, Write};

use micropay_markup::{Diagnostic, Document, Severity};

use crate::check::{Report, Totals};

pub(crate) struct Human {
    errors_only: bool,
    colour: bool,
}

impl Human {
    pub(crate) fn new(errors_only: bool) -> Self {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Human {
            errors_only,
            colour,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn diagnostic(
        &self,
        out: &mut dyn Write,
        path: &str,
        doc: &Document,
        d: &Diagnostic,
    ) -> std::io::Result<()> {
        let severity = match d.severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
        };
        writeln!(
            out,
            "{path}:{}:{}: {severity}[{}]: {}",
            d.line, d.column, d.code, d.message
        )?;
        if let Some(source) = doc.source_line(d.line) {
            let gutter = d.line.to_string();
            let pad = " ".repeat(gutter.len());
            // The caret sits under the column: count characters, keep tabs as tabs.
            let before: String = source
                .chars()
                .take(d.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, " {gutter} | {source}")?;
            writeln!(out, " {pad} | {before}{}", self.paint("1;36", "^"))?;
        }
        if let Some(hint) = &d.hint {
            writeln!(out, "   = hint: {hint}")?;
        }
        Ok(())
    }
}

impl Report for Human {
    fn file(&mut self, out: &mut dyn Write, path: &str, doc: &Document) -> std::io::Result<()> {
        for d in doc.diagnostics() {
            if self.errors_only && d.severity != Severity::Error {
                continue;
            }
            self.diagnostic(out, path, doc, d)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, t: &Totals) -> std::io::Result<()> {
        if self.errors_only {
            return Ok(());
        }
        writeln!(
            out,
            "checked {} file{}: {} per-fee-link{} ({} valid), {} error{}, {} warning{}",
            t.files,
            plural(t.files),
            t.links,
            plural(t.links),
            t.valid_links,
            t.errors,
            plural(t.errors),
            t.warnings,
            plural(t.warnings)
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
