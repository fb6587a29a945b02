//! Text from strangers (file names, page text, messages quoting page values), made safe for
//! whatever reads the output: every format passes it through here, so that no control
//! character of a page or a file name reaches a terminal raw (ESC, BEL, an OSC sequence could
//! retitle the window, hide lines or forge links).
//!
//! - [`terminal`]: for text written as it is (human format, messages on stderr, GitHub
//!   workflow commands before their own escaping): each control character (C0 but tab, DEL,
//!   C1) becomes `\xNN` (`\u{NNNN}` never occurs: controls are below U+00A0).
//! - [`write_json`]: JSON (the `json` and `sarif` formats, `extract`): serde_json escapes C0
//!   as JSON requires; DEL and C1 are escaped too (`\u007f`, `\u009b`), which JSON allows and
//!   which gives back the same string.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Whether `c` is escaped in text written as it is. Tab stays: it moves no cursor but the
/// column.
pub(crate) fn is_escaped(c: char) -> bool {
    c != '\t' && c.is_control()
}

/// How many characters `c` takes once escaped by [`terminal`].
pub(crate) fn width(c: char) -> usize {
    if is_escaped(c) { 4 } else { 1 }
}

/// `text` with each control character but tab written as `\xNN`.
pub(crate) fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_escaped(c) {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON formatter that also escapes DEL and the C1 controls.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|&(_, c)| c.is_control()) {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    // Everything else as the wrapped formatter writes it.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as JSON, compact or pretty, with DEL and C1 escaped as well.
pub(crate) fn write_json<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
    pretty: bool,
) -> io::Result<()> {
    let result = if pretty {
        let mut ser =
            serde_json::Serializer::with_formatter(&mut *out, Escaping(PrettyFormatter::new()));
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(&mut *out, Escaping(CompactFormatter));
        value.serialize(&mut ser)
    };
    result.map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_for_terminals() {
        assert_eq!(terminal("a\x1b]0;owned\x07b"), "a\\x1b]0;owned\\x07b");
        assert_eq!(terminal("tab\tstays"), "tab\tstays");
        assert_eq!(terminal("c1 \u{9b}31m"), "c1 \\x9b31m");
        assert!(matches!(terminal("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_del_and_c1_and_reads_back_the_same() {
        let text = "a\x1b[31m\u{7f}\u{9b}b\u{e9}";
        let mut out = Vec::new();
        write_json(&mut out, &serde_json::json!({"k": [text]}), false).unwrap();
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written, r#"{"k":["a\u001b[31m\u007f\u009bbé"]}"#);
        let back: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(back["k"][0], text);
        let mut pretty = Vec::new();
        write_json(&mut pretty, &serde_json::json!({"k": 1}), true).unwrap();
        assert_eq!(String::from_utf8(pretty).unwrap(), "{\n  \"k\": 1\n}");
    }
}
