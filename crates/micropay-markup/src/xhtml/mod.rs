//! XHTML syntax (P-1.7): documents read as XML, with namespaces, into the same arena tree as
//! HTML, so that carrier extraction applies the same rules to the elements in the XHTML
//! namespace `http://www.w3.org/1999/xhtml`.
//!
//! - Decoding (P-10, [`sniff()`]): a byte order mark; else the XML declaration's `encoding`
//!   (UTF-16 without a BOM is recognised by its first bytes, XML 1.0 Appendix F); else UTF-8.
//!   The transport charset the caller may give (HTTP) is **not** used for XML: the profile
//!   decides by BOM and declaration only. A label that names no encoding is decoded as UTF-8
//!   and reported as a well-formedness fault (XML 1.0 §4.3.3 makes it fatal).
//! - Names are case-sensitive: `<OBJECT>` in the XHTML namespace is not an `object`. Elements
//!   keep their local name as written; SVG and MathML elements get their own namespace, every
//!   other namespace (and no namespace) is "other", so an XHTML page that forgets
//!   `xmlns="http://www.w3.org/1999/xhtml"` has no per-fee-links, as it has none in a browser.
//! - A document that is not well-formed gives one `xml-not-well-formed` diagnostic at its first
//!   fault and no tree (browsers show an error page instead of such a document). What counts
//!   as a fault is listed in [`tree`]; references and entities are in [`entities`].
//!
//! Work is linear in the input (entity expansion has a fixed budget) and nesting uses an
//! explicit stack, so no input can overflow the call stack.

mod attr_value;
mod declaration;
mod decode;
mod dtd;
mod entities;
mod faults;
mod names;
mod namespaces;
mod tag;
mod tree;

pub(crate) use decode::sniff;
pub(crate) use tree::build_counting;

use crate::dom::Dom;
use crate::position::LineIndex;
use crate::{Code, Diagnostic};

/// The byte range in `text` of the value of attribute `name` (unprefixed) of the start tag
/// that begins at `start`, between its quotes, as written. The document is well-formed (it
/// has a tree), so the tag ends at the first `>` outside a quoted value; it is read again by
/// the reader that read it first. Linear in the tag's length.
pub(crate) fn value_range(text: &str, start: usize, name: &str) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut quote = None;
    let mut at = start;
    let end = loop {
        let &b = bytes.get(at)?;
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => break at + 1,
            _ => {}
        }
        at += 1;
    };
    let read = tag::read(&text[start..end]).ok()?;
    let found = read.attributes.iter().find(|a| a.name == name)?;
    let from = start + found.value_at;
    Some(from..from + found.value.len())
}

/// P-1.7: the tree of an XHTML document, or the diagnostic of its first well-formedness fault.
pub(crate) fn parse(text: &str, lines: &LineIndex) -> Result<Dom, Diagnostic> {
    tree::build(text, lines).map_err(|fault| fault.into_diagnostic(text, lines))
}

/// A well-formedness fault: where to report it, where a reader reading from the start meets
/// it (a fault only noticed at the end of the input is reported at the construct left open),
/// and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    /// Byte offset reported.
    pub(crate) at: usize,
    /// Byte offset at which the fault becomes certain; orders faults.
    pub(crate) found: usize,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl Fault {
    pub(crate) fn new(at: usize, message: impl Into<String>) -> Self {
        Fault {
            at,
            found: at,
            message: message.into(),
            hint: None,
        }
    }

    #[must_use]
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The fault is only certain at `found` (e.g. at the end of the input).
    #[must_use]
    pub(crate) fn found_at(mut self, found: usize) -> Self {
        self.found = found;
        self
    }

    /// Offsets relative to a construct that starts at `base` made absolute.
    #[must_use]
    pub(crate) fn shift(mut self, base: usize) -> Self {
        self.at += base;
        self.found += base;
        self
    }

    fn into_diagnostic(self, text: &str, lines: &LineIndex) -> Diagnostic {
        let hint = self.hint.unwrap_or_else(|| {
            "browsers refuse to show an XHTML page that is not well-formed XML; fix this first"
                .to_owned()
        });
        Diagnostic::new(
            Code::XmlNotWellFormed,
            lines.position(text, self.at),
            self.message,
        )
        .with_hint(hint)
    }
}
