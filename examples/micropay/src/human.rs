//! `--format human`: one line per diagnostic, the source line with a caret under the column, a
//! hint where there is one, and a summary. Colour only on a terminal without `NO_COLOR`.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

use micropay_markup::{Diagnostic, Severity};

use crate::checked::{Checked, Report, Totals};
use crate::escape;

/// Source lines longer than this many characters are shown as a window around the column.
const WINDOW: usize = 100;
/// How many characters of the window lie before the column.
const LEAD: usize = 40;

pub(crate) struct Human {
    quiet: bool,
    colour: bool,
}

impl Human {
    pub(crate) fn new(quiet: bool) -> Self {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Human { quiet, colour }
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn diagnostic(
        &self,
        out: &mut dyn Write,
        checked: &Checked<'_>,
        d: &Diagnostic,
    ) -> std::io::Result<()> {
        let severity = match d.severity() {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
        };
        // A diagnostic about a value is shown at the value, with `^~~~` under all of it on
        // its first line; one about an element at the element's `<`.
        let position = d.focus();
        writeln!(
            out,
            "{}:{}:{}: {severity}[{}]: {}",
            escape::terminal(checked.path),
            position.line,
            position.column,
            d.code(),
            escape::terminal(d.message())
        )?;
        if let Some((source, at)) = checked.doc.source_at(position) {
            let end = match d.value_span() {
                Some(span) if span.end_line == span.line => checked
                    .doc
                    .source_at(span.end())
                    .map_or(source.len(), |(_, end)| end),
                Some(_) => source.len(),
                None => at,
            };
            let excerpt = Excerpt::new(source, at, end);
            let gutter = position.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(out, " {gutter} | {}", excerpt.text)?;
            let marks = format!("^{}", "~".repeat(excerpt.extent.saturating_sub(1)));
            writeln!(
                out,
                " {pad} | {}{}",
                excerpt.caret_indent,
                self.paint("1;36", &marks)
            )?;
        }
        if let Some(hint) = &d.hint() {
            writeln!(out, "   = hint: {}", escape::terminal(hint))?;
        }
        Ok(())
    }
}

impl Report for Human {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked<'_>) -> std::io::Result<()> {
        for d in &checked.diagnostics {
            self.diagnostic(out, checked, d)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, t: &Totals) -> std::io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut line = summary(t);
        let allowed = t.allowed_errors + t.allowed_warnings;
        if allowed > 0 {
            let _ = write!(line, "; {allowed} allowed by micropay.toml");
            if t.allowed_errors > 0 {
                let _ = write!(line, " (of which {})", count(t.allowed_errors, "error"));
            }
        }
        writeln!(out, "{}", self.paint("1", &line))
    }
}

/// `checked 4 files: 4 per-fee-links (2 valid), 2 errors, 1 warning`.
pub(crate) fn summary(t: &Totals) -> String {
    format!(
        "checked {}: {} ({} valid), {}, {}",
        count(t.files, "file"),
        count(t.links, "per-fee-link"),
        t.valid_links,
        count(t.errors, "error"),
        count(t.warnings, "warning"),
    )
}

/// `1 file`, `2 files`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// What is shown of a source line, the indentation that puts a caret under the column, and
/// how many characters of the window the marks underline (at least one).
#[derive(Debug, PartialEq, Eq)]
struct Excerpt {
    text: String,
    caret_indent: String,
    extent: usize,
}

impl Excerpt {
    /// The whole line when it is short; else about `WINDOW` characters around the byte offset
    /// `at` (a char boundary of `line`, or its end) with `…` where the line goes on. Only the
    /// characters of the window are looked at, so a minified page of one 100 MB line costs
    /// no more than its window, however many diagnostics it has. The marks run from `at` to
    /// the byte offset `end` (clipped to the window).
    fn new(line: &str, at: usize, end: usize) -> Excerpt {
        let at = (0..=at.min(line.len()))
            .rev()
            .find(|&i| line.is_char_boundary(i))
            .unwrap_or(0);
        let short = line.len() <= WINDOW || line.chars().nth(WINDOW).is_none();
        // The window begins `LEAD` characters before `at`, or at the line's start.
        let from = if short {
            0
        } else {
            line[..at]
                .char_indices()
                .rev()
                .nth(LEAD - 1)
                .map_or(0, |(i, _)| i)
        };
        let to = line[from..]
            .char_indices()
            .nth(WINDOW)
            .map_or(line.len(), |(i, _)| from + i);
        let shown = &line[from..to];
        let mut text = String::new();
        let mut caret_indent = String::new();
        if from > 0 {
            text.push('…');
            caret_indent.push(' ');
        }
        text.push_str(&escape::terminal(shown));
        // Tabs stay tabs under tabs, so that the caret lines up whatever the tab width; an
        // escaped control character is as wide as its escape.
        for c in line[from..at.max(from)].chars() {
            if c == '\t' {
                caret_indent.push('\t');
            } else {
                caret_indent.extend(std::iter::repeat_n(' ', escape::width(c)));
            }
        }
        if to < line.len() {
            text.push('…');
        }
        let end = end.clamp(at, to);
        let extent = line.get(at..end).map_or(1, |marked| {
            marked.chars().map(escape::width).sum::<usize>().max(1)
        });
        Excerpt {
            text,
            caret_indent,
            extent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_whole() {
        let e = Excerpt::new("\t<object>", 1, 1);
        assert_eq!(e.text, "\t<object>");
        assert_eq!(e.caret_indent, "\t");
    }

    #[test]
    fn long_lines_are_shown_as_a_window_around_the_column() {
        let line = format!("{}<object>{}", "x".repeat(500), "y".repeat(500));
        let e = Excerpt::new(&line, 500, 500);
        assert_eq!(e.text.chars().count(), WINDOW + 2);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        assert_eq!(e.caret_indent.len(), LEAD + 1);
        let under: String = e.text.chars().skip(e.caret_indent.len()).take(8).collect();
        assert_eq!(under, "<object>");
    }

    #[test]
    fn windows_at_the_ends_of_a_line_have_one_mark() {
        let line = "é".repeat(300);
        let head = Excerpt::new(&line, 4, 4);
        assert!(!head.text.starts_with('…') && head.text.ends_with('…'));
        assert_eq!(head.caret_indent, "  ");
        let tail = Excerpt::new(&line, 598, 598);
        assert!(tail.text.starts_with('…') && !tail.text.ends_with('…'));
        assert_eq!(tail.caret_indent.chars().count(), LEAD + 1);
    }

    /// The excerpt as it was first written, from the column, walking every character before
    /// it: the reference for the excerpt from a byte offset.
    fn by_column(line: &str, column: usize) -> Excerpt {
        let target = column - 1;
        let short = line.len() <= WINDOW || line.chars().nth(WINDOW).is_none();
        let start = if short {
            0
        } else {
            target.saturating_sub(LEAD)
        };
        let mut chars = line.char_indices().skip(start);
        let from = chars.clone().next().map_or(line.len(), |(i, _)| i);
        let to = chars.nth(WINDOW).map_or(line.len(), |(i, _)| i);
        let shown = &line[from..to];
        let mut text = String::new();
        let mut caret_indent = String::new();
        if start > 0 {
            text.push('…');
            caret_indent.push(' ');
        }
        text.push_str(&escape::terminal(shown));
        caret_indent.extend(
            shown
                .chars()
                .take(target - start.min(target))
                .map(|c| if c == '\t' { '\t' } else { ' ' }),
        );
        if to < line.len() {
            text.push('…');
        }
        Excerpt {
            text,
            caret_indent,
            extent: 1,
        }
    }

    proptest::proptest! {
        #[test]
        fn the_excerpt_from_an_offset_is_the_excerpt_from_the_column(
            line in "[a\t\u{e9}\u{1f600}<]{0,300}",
            pick in 0usize..400,
        ) {
            let columns = line.chars().count() + 1;
            let column = pick % columns + 1;
            let at = line.char_indices().nth(column - 1).map_or(line.len(), |(i, _)| i);
            proptest::prop_assert_eq!(Excerpt::new(&line, at, at), by_column(&line, column));
        }
    }

    #[test]
    fn marks_underline_the_value_within_the_window() {
        let e = Excerpt::new("<param value=\"0,05 EUR\">", 14, 22);
        assert_eq!((e.caret_indent.len(), e.extent), (14, 8));
        let line = format!("<param value=\"{}\">", "x".repeat(500));
        let e = Excerpt::new(&line, 14, 514);
        assert_eq!(e.extent, WINDOW - 14);
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let e = Excerpt::new("\x1b]0;x\x07<param value=1h>", 19, 21);
        assert_eq!(e.text, "\\x1b]0;x\\x07<param value=1h>");
        assert_eq!((e.caret_indent.len(), e.extent), (25, 2));
        assert_eq!(&e.text[25..27], "1h");
    }
}
