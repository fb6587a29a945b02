//! The public entry points: [`extract`] for the common case and [`Extractor`] for the rest.

use std::io::Read;

use serde::Serialize;
use time::OffsetDateTime;
use url::Url;

use crate::build::{self, Context};
use crate::carrier::{self, Tree};
use crate::decode::{self, Decoded};
use crate::dom::Dom;
use crate::position::LineIndex;
use crate::{Code, Diagnostic, Error, PerFeeLink, Position, Severity, checks, html};

/// The syntax a document is parsed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Syntax {
    /// HTML, parsed as a current browser does (P-1.6).
    Html,
    /// XHTML, parsed as XML (P-1.7).
    Xhtml,
}

/// Options for an extraction; `Extractor::default()` is what [`extract`] uses.
///
/// ```
/// use micropay_markup::{Extractor, Syntax};
/// let doc = Extractor::new()
///     .document_url("https://news.example/today.html".parse()?)
///     .charset("iso-8859-1")
///     .now(time::macros::datetime!(1999-08-25 12:00 UTC))
///     .syntax(Syntax::Html)
///     .extract(b"<p>no links here</p>")?;
/// assert!(doc.links().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    document_url: Option<Url>,
    charset: Option<String>,
    now: Option<OffsetDateTime>,
    syntax: Option<Syntax>,
}

impl Extractor {
    /// Default options: no document URL, no transport charset, no evaluation instant, HTML.
    pub fn new() -> Self {
        Self::default()
    }

    /// The URL the document was fetched from: the fallback base for relative URLs and the
    /// origin for `cross-origin-requesturl` (P-4).
    #[must_use]
    pub fn document_url(mut self, url: Url) -> Self {
        self.document_url = Some(url);
        self
    }

    /// The charset the transport declared (e.g. HTTP `Content-Type`), P-10. Checked when
    /// extracting: an unknown label is [`Error::UnknownCharset`].
    #[must_use]
    pub fn charset(mut self, label: impl Into<String>) -> Self {
        self.charset = Some(label.into());
        self
    }

    /// The evaluation instant: offers that expired before it get `expired-offer` (P-7). Without
    /// it, expiry is not checked.
    #[must_use]
    pub fn now(mut self, now: OffsetDateTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Parse as HTML or XHTML (default HTML).
    #[must_use]
    pub fn syntax(mut self, syntax: Syntax) -> Self {
        self.syntax = Some(syntax);
        self
    }

    /// Extracts the per-fee-links of a document given as bytes (decoded per P-10). The
    /// [`Document`] keeps the decoded text, so the bytes are copied; [`Self::extract_owned`]
    /// spares that copy when the caller has no further use for them.
    pub fn extract(&self, bytes: &[u8]) -> Result<Document, Error> {
        let (encoding, start, undeclared) = self.sniff(bytes)?;
        let undeclared_utf8 = undeclared.then(|| decode::undeclared_utf8(bytes)).flatten();
        let doc = self.run(decode::decode_with(encoding, &bytes[start..]))?;
        Ok(doc.noting_undeclared_utf8(undeclared_utf8))
    }

    /// [`Self::extract`] for bytes the caller hands over, as a server does with a body it has
    /// received: a page in UTF-8 (or in ASCII, whatever its charset) becomes the document's
    /// text as it is, without a copy. The result is the same as [`Self::extract`]'s.
    pub fn extract_owned(&self, bytes: Vec<u8>) -> Result<Document, Error> {
        let (encoding, start, undeclared) = self.sniff(&bytes)?;
        let undeclared_utf8 = undeclared
            .then(|| decode::undeclared_utf8(&bytes))
            .flatten();
        let doc = self.run(decode::decode_owned(bytes, encoding, start))?;
        Ok(doc.noting_undeclared_utf8(undeclared_utf8))
    }

    /// P-10: the encoding to decode `bytes` with, where their text begins, and whether nothing
    /// declared it.
    fn sniff(&self, bytes: &[u8]) -> Result<(&'static encoding_rs::Encoding, usize, bool), Error> {
        let transport = match &self.charset {
            Some(label) => Some(
                encoding_rs::Encoding::for_label(label.as_bytes())
                    .ok_or_else(|| Error::UnknownCharset(label.clone()))?,
            ),
            None => None,
        };
        Ok(match self.chosen_syntax() {
            Syntax::Html => decode::sniff_html(bytes, transport),
            Syntax::Xhtml => {
                // XML has UTF-8 for its default: nothing goes unsaid.
                let (encoding, start) = crate::xhtml::sniff(bytes);
                (encoding, start, false)
            }
        })
    }

    /// Extracts from text that is already decoded.
    pub fn extract_str(&self, text: &str) -> Result<Document, Error> {
        self.run(decode::from_text(text))
    }

    /// Reads everything from `reader`, then extracts.
    pub fn extract_reader(&self, mut reader: impl Read) -> Result<Document, Error> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes)?;
        self.extract_owned(bytes)
    }

    fn chosen_syntax(&self) -> Syntax {
        self.syntax.unwrap_or(Syntax::Html)
    }

    fn run(&self, decoded: Decoded) -> Result<Document, Error> {
        self.run_with(decoded, Precheck::On)
    }

    fn run_with(&self, decoded: Decoded, precheck: Precheck) -> Result<Document, Error> {
        let Decoded {
            text,
            encoding,
            first_error,
        } = decoded;
        if u32::try_from(text.len()).is_err() {
            return Err(Error::TooLarge(text.len()));
        }
        let lines = LineIndex::new();
        let mut diagnostics = Vec::new();
        if let Some(offset) = first_error {
            // P-10: reported once per document, at the first replacement.
            diagnostics.push(
                Diagnostic::new(
                    Code::DecodingError,
                    lines.position(&text, offset),
                    format!(
                        "bytes that are not valid {} were replaced by U+FFFD",
                        encoding.name()
                    ),
                )
                .with_hint(
                    "declare the page's real encoding with <meta charset> or the HTTP header",
                ),
            );
        }
        let syntax = self.chosen_syntax();
        let dom = match syntax {
            // P-1.6: a page with no object, applet or param start tag has no carrier and no
            // misplaced param whatever its tree; most pages are such, so skip the tree.
            Syntax::Html if precheck == Precheck::On && !html::may_hold_carriers(&text) => None,
            // P-1.8: a page beyond the limits of the tree has no links, only the diagnostic.
            Syntax::Html => match html::parse(&text, &lines) {
                Ok(dom) => Some(dom),
                Err(stop) => {
                    diagnostics.push(stop);
                    None
                }
            },
            Syntax::Xhtml => match crate::xhtml::parse(&text, &lines) {
                Ok(dom) => Some(dom),
                Err(fatal) => {
                    diagnostics.push(fatal);
                    None
                }
            },
        };
        let found_links = match dom {
            Some(dom) => self.analyse(&dom, &text, &lines, &mut diagnostics),
            None => Vec::new(),
        };
        diagnostics.sort_by_key(|d| (d.line, d.column));
        Ok(Document {
            document_url: self.document_url.clone(),
            syntax,
            encoding: encoding.name().to_ascii_lowercase(),
            links: found_links,
            diagnostics,
            text,
            lines,
        })
    }

    fn analyse(
        &self,
        dom: &Dom,
        text: &str,
        lines: &LineIndex,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<PerFeeLink> {
        let tree = Tree { dom, text, lines };
        let found = carrier::find(&tree);
        diagnostics.extend(found.misplaced);
        // P-4: the first base[href], resolved against the document URL, else the document URL.
        let base_element = found.base_href.as_deref().and_then(|href| {
            let href = carrier::trim_ascii(href);
            match &self.document_url {
                Some(url) => url.join(href).ok(),
                None => Url::parse(href).ok(),
            }
        });
        let context = Context {
            document_url: self.document_url.as_ref(),
            document_base: base_element.as_ref().or(self.document_url.as_ref()),
            now: self.now,
        };
        let mut memo = build::Memo::default();
        let built: Vec<_> = found
            .links
            .iter()
            .enumerate()
            .map(|(index, f)| build::build(&tree, &context, &mut memo, f, index))
            .collect();
        diagnostics.extend(checks::whole_document(&tree, &built));
        built
            .into_iter()
            .map(|b| {
                diagnostics.extend(b.diagnostics);
                b.link
            })
            .collect()
    }
}

/// Whether an HTML page without carrier start tags skips the tree (always, but for the test
/// that shows it changes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precheck {
    On,
    #[cfg(test)]
    Off,
}

/// Extracts the per-fee-links of an HTML document given as bytes, with default options.
///
/// ```
/// let page = br#"<object type="application/x-micropayment">
///   <param name="price" value="0.01USD">
///   <param name="textlink" value="Today's cartoon">
///   <param name="requesturl" value="cartoon/today.html">
///   <param name="paymentsystem" value="https://ps.example/">
///   <a href="cartoon/today.html">Today's cartoon</a></object>"#;
/// let url = "https://merchant.example/".parse().ok();
/// let doc = micropay_markup::extract(page, url.as_ref())?;
/// let link = &doc.links()[0];
/// assert_eq!(link.price().unwrap().to_string(), "0.01USD");
/// assert_eq!(link.requesturl().unwrap().as_str(), "https://merchant.example/cartoon/today.html");
/// # Ok::<(), micropay_markup::Error>(())
/// ```
pub fn extract(bytes: impl AsRef<[u8]>, document_url: Option<&Url>) -> Result<Document, Error> {
    let mut extractor = Extractor::new();
    if let Some(url) = document_url {
        extractor = extractor.document_url(url.clone());
    }
    extractor.extract(bytes.as_ref())
}

/// The result of extracting one document: its links in tree order and every diagnostic.
///
/// Serialises to the per-file object of the JSON contract, without `path` (the caller's).
#[derive(Debug, Clone, Serialize)]
#[allow(clippy::struct_field_names)] // the JSON contract names the key `document_url`
pub struct Document {
    document_url: Option<Url>,
    syntax: Syntax,
    encoding: String,
    links: Vec<PerFeeLink>,
    diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    text: String,
    #[serde(skip)]
    lines: LineIndex,
}

impl Document {
    /// P-10.1: reports that the page, read as windows-1252 because nothing declared its
    /// encoding, is valid UTF-8 with its first non-ASCII byte at `offset`.
    fn noting_undeclared_utf8(mut self, found: Option<(usize, char)>) -> Document {
        let Some((offset, written)) = found else {
            return self;
        };
        // The character as written, and as read: one character per byte.
        let read: String = self.text[offset..]
            .chars()
            .take(written.len_utf8())
            .collect();
        let message = format!(
            "the page declares no encoding, so it is read as windows-1252, but its bytes are UTF-8: `{written}` is read as `{read}`"
        );
        let position = self.lines.position(&self.text, offset);
        self.diagnostics.push(
            Diagnostic::new(Code::UndeclaredUtf8, position, message).with_hint(
                "declare it: <meta charset=\"utf-8\"> at the start of <head>, or charset=utf-8 in the HTTP Content-Type (micropay check --charset utf-8 checks it as served so)",
            ),
        );
        self.diagnostics.sort_by_key(|d| (d.line, d.column));
        self
    }

    /// The decoded text of line `line` (1-based), without its line break.
    pub fn source_line(&self, line: u32) -> Option<&str> {
        self.lines.line_text(&self.text, line)
    }
    /// The decoded text of the line of `position`, without its line break, and the byte
    /// offset in it of the position's column; `None` when the document has no such line or
    /// column. Cheap however long the line (a minified page is one line).
    pub fn source_at(&self, position: Position) -> Option<(&str, usize)> {
        let line = self.source_line(position.line)?;
        let at = self.lines.offset_of(&self.text, position)?;
        let start = self.lines.offset_of(
            &self.text,
            Position {
                line: position.line,
                column: 1,
            },
        )?;
        // A column on the line break itself is shown at the end of the line.
        Some((line, (at - start).min(line.len())))
    }
    /// The decoded text of the document.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The document URL the links were resolved with.
    pub fn document_url(&self) -> Option<&Url> {
        self.document_url.as_ref()
    }
    /// The syntax it was parsed in.
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }
    /// The encoding it was decoded with: the WHATWG name in lower case, e.g. `windows-1252`.
    pub fn encoding(&self) -> &str {
        &self.encoding
    }
    /// The per-fee-links, in tree order.
    pub fn links(&self) -> &[PerFeeLink] {
        &self.links
    }
    /// All diagnostics, by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
    /// The diagnostics of one link.
    pub fn diagnostics_of(&self, link: usize) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.link == Some(link))
    }
}

#[cfg(test)]
mod tests;
