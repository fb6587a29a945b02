//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the files of a pull request:
//! `::error file=PATH,line=L,col=C,title=CODE::MESSAGE`.

use std::io::Write;

use micropay_markup::Severity;

use crate::checked::{Checked, Report, Totals};
use crate::human::summary;
use crate::{escape, location};

pub(crate) struct Github {
    quiet: bool,
}

impl Github {
    pub(crate) fn new(quiet: bool) -> Self {
        Github { quiet }
    }
}

/// The escaping of a command's message: `%`, CR and LF (as the Actions toolkit does).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The escaping of a property value: that of the message, and `:` and `,`, which separate
/// properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Report for Github {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> std::io::Result<()> {
        if checked.diagnostics.is_empty() {
            return Ok(());
        }
        let file = escape_property(&escape::terminal(&location::display_for_ci(
            checked.path,
            checked.file,
        )));
        for d in &checked.diagnostics {
            let command = match d.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            // Control characters of the page are escaped first; then what the command
            // syntax gives a meaning to (the hint's line break is the message's own).
            let mut message = escape::terminal(d.message()).into_owned();
            if let Some(hint) = &d.hint() {
                message.push_str("\nhint: ");
                message.push_str(&escape::terminal(hint));
            }
            // About a value: its first character, and where it ends.
            let place = match d.value_span() {
                Some(s) if s.end_line == s.line => {
                    format!(
                        "line={},col={},endColumn={}",
                        s.line, s.column, s.end_column
                    )
                }
                Some(s) => format!(
                    "line={},col={},endLine={},endColumn={}",
                    s.line, s.column, s.end_line, s.end_column
                ),
                None => format!("line={},col={}", d.line(), d.column()),
            };
            writeln!(
                out,
                "::{command} file={file},{place},title={}::{}",
                escape_property(d.code().as_str()),
                escape_data(&message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, t: &Totals) -> std::io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        // A plain line: shown in the log, not an annotation.
        writeln!(out, "micropay: {}", summary(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_as_the_toolkit_does() {
        assert_eq!(
            escape_data("50% off\r\nnow: a,b"),
            "50%25 off%0D%0Anow: a,b"
        );
        assert_eq!(escape_property("dir:x,y%\n.html"), "dir%3Ax%2Cy%25%0A.html");
    }
}
