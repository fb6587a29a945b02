//! P-1.7: reads an XHTML document with quick-xml's namespace-aware reader into the arena
//! [`Dom`], and stops at the first well-formedness fault.
//!
//! quick-xml checks that end tags match, that comments hold no `--`, that references are
//! closed and that markup is closed before the end of the input. This module checks the rest
//! of what XML 1.0 and Namespaces in XML 1.0 require of a document: names, the syntax inside
//! start tags, unique attributes (also by expanded name), declared prefixes and reserved
//! bindings, references and entities, legal characters, one root element with only white
//! space, comments and processing instructions around it, the XML declaration at the very
//! start and the DOCTYPE before the root.
//!
//! quick-xml's own faults are worded in [`super::faults`]; namespace rules are in
//! [`super::namespaces`].
//!
//! The tree is built with an explicit stack of open elements, never by recursion, so depth
//! costs heap, not call stack. Every event is handled in time linear in its length, and entity
//! expansion is bounded (see [`super::entities`]).

use quick_xml::events::Event;
use quick_xml::reader::NsReader;

use super::entities::Entities;
use super::faults;
use super::names::{first_illegal_char, is_ncname, is_space};
use super::{Fault, declaration, decode, dtd};
use crate::dom::{Dom, NodeId, NodeKind};
use crate::position::LineIndex;
use crate::work::Work;

mod start_tag;

/// Builds the tree of `text`, or returns the first fault.
pub(crate) fn build(text: &str, lines: &LineIndex) -> Result<Dom, Fault> {
    build_counting(text, lines).0
}

/// [`build`], and the work it cost.
pub(crate) fn build_counting(text: &str, lines: &LineIndex) -> (Result<Dom, Fault>, Work) {
    // XML 1.0 §2.2: characters XML does not allow anywhere. The scan is separate; whichever
    // fault a reader reading from the start would meet first is the one reported.
    let illegal = first_illegal_char(text).map(|(at, c)| {
        Fault::new(
            at,
            format!(
                "U+{:04X} is not a character XML allows in a document",
                u32::from(c)
            ),
        )
        .with_hint("remove it (a control character often comes from a copy and paste)")
    });
    let (built, work) = Builder::new(text, lines).run();
    let result = match (built, illegal) {
        (Ok(dom), None) => Ok(dom),
        (Err(fault), Some(first)) if first.found < fault.found => Err(first),
        (Ok(_), Some(fault)) | (Err(fault), _) => Err(fault),
    };
    (result, work)
}

/// Where the document is relative to its root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Prolog,
    Root,
    Epilog,
}

/// An element whose end tag has not been read yet.
struct Open {
    /// Where its children go: the element, or a template's contents.
    children: NodeId,
    start: usize,
    name: String,
}

struct Builder<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    /// 3 when the text starts with a byte order mark (given as text), else 0.
    body: usize,
    dom: Dom,
    open: Vec<Open>,
    phase: Phase,
    doctype: bool,
    root: String,
    entities: Entities,
    scratch: String,
    /// Events the reader gave.
    events: usize,
}

fn offset(position: u64, body: usize) -> usize {
    usize::try_from(position).map_or(usize::MAX, |p| p.saturating_add(body))
}

/// XML 1.0 §2.11: CR LF and lone CR become LF.
fn push_lines(out: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, lines: &'t LineIndex) -> Self {
        Builder {
            text,
            lines,
            // quick-xml skips one leading U+FEFF (a BOM) without counting it in its offsets.
            body: if text.starts_with('\u{feff}') { 3 } else { 0 },
            dom: Dom::default(),
            open: Vec::new(),
            phase: Phase::Prolog,
            doctype: false,
            root: String::new(),
            entities: Entities::default(),
            scratch: String::new(),
            events: 0,
        }
    }

    /// The tree, and the work it cost.
    fn run(mut self) -> (Result<Dom, Fault>, Work) {
        let read = self.read();
        let work = Work {
            tokens: self.events as u64,
            entities: self.entities.work() as u64,
            ..Work::default()
        };
        (read.and_then(|()| self.finish()), work)
    }

    /// Reads the document to its end.
    fn read(&mut self) -> Result<(), Fault> {
        // The whole text: slicing the BOM off here would let quick-xml skip a second U+FEFF.
        let mut reader = NsReader::from_str(self.text);
        let config = reader.config_mut();
        // P-1.7: everything quick-xml can check for well-formedness is switched on.
        config.enable_all_checks(true);
        config.allow_unmatched_ends = false;
        config.allow_dangling_amp = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        loop {
            let before = offset(reader.buffer_position(), self.body);
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) => {
                    let at = offset(reader.error_position(), self.body);
                    let after = offset(reader.buffer_position(), self.body);
                    let open = self
                        .open
                        .last()
                        .map(|o| (o.name.as_str(), self.position_of(o.start)));
                    return Err(faults::translate(
                        &error,
                        self.text,
                        open,
                        [at, before, after],
                    ));
                }
            };
            let after = offset(reader.buffer_position(), self.body);
            self.events += 1;
            match event {
                Event::Decl(_) => self.declaration(before, after)?,
                Event::DocType(_) => self.doctype(before, after)?,
                Event::PI(pi) => self.processing_instruction(pi.target(), before)?,
                Event::Comment(_) => {
                    let node = self.dom.create(NodeKind::Other);
                    self.dom.append(self.parent(), node);
                }
                Event::Start(_) => self.start_tag(reader.resolver(), before, after, false)?,
                Event::Empty(_) => self.start_tag(reader.resolver(), before, after, true)?,
                Event::End(_) => {
                    self.open.pop();
                    if self.open.is_empty() {
                        self.phase = Phase::Epilog;
                    }
                }
                Event::Text(_) => self.text(before, after)?,
                Event::CData(_) => self.cdata(before, after)?,
                Event::GeneralRef(_) => self.reference(before, after)?,
                Event::Eof => return Ok(()),
            }
        }
    }

    fn parent(&self) -> NodeId {
        self.open.last().map_or(Dom::DOCUMENT, |o| o.children)
    }

    fn position_of(&self, at: usize) -> String {
        let p = self.lines.position(self.text, at);
        format!("line {}, column {}", p.line, p.column)
    }

    /// XML 1.0 §2.8: the declaration comes first, and names an encoding that can be read.
    fn declaration(&mut self, before: usize, after: usize) -> Result<(), Fault> {
        if before != self.body {
            return Err(Fault::new(
                before,
                "the XML declaration must be at the very start of the document, with nothing before it (not even white space)",
            ));
        }
        let declared =
            declaration::parse(&self.text[before..after]).map_err(|f| f.shift(before))?;
        if let Some((label, at)) = declared.encoding
            && decode::usable(label).is_none()
        {
            // XML 1.0 §4.3.3: an encoding the processor cannot process is a fatal error.
            return Err(Fault::new(
                before + at,
                format!(
                    "the XML declaration names the encoding `{label}`, which this checker cannot decode"
                ),
            )
            .with_hint("save the page as UTF-8 and declare encoding=\"UTF-8\""));
        }
        Ok(())
    }

    fn doctype(&mut self, before: usize, after: usize) -> Result<(), Fault> {
        if self.phase != Phase::Prolog {
            return Err(Fault::new(
                before,
                "the DOCTYPE must come before the root element",
            ));
        }
        if self.doctype {
            return Err(Fault::new(before, "a document has at most one DOCTYPE"));
        }
        self.doctype = true;
        let doctype = dtd::parse(&self.text[before..after]).map_err(|f| f.shift(before))?;
        self.entities.declare(doctype.dtd, doctype.entities);
        let node = self.dom.create(NodeKind::Other);
        self.dom.append(Dom::DOCUMENT, node);
        Ok(())
    }

    fn processing_instruction(&mut self, target: &str, before: usize) -> Result<(), Fault> {
        // XML 1.0 §2.6: targets `xml` in any case are reserved (the exact `xml` is the
        // declaration); Namespaces in XML: no colon.
        if target.eq_ignore_ascii_case("xml") {
            return Err(Fault::new(
                before,
                format!("the processing-instruction target `{target}` is reserved"),
            ));
        }
        if !is_ncname(target) {
            return Err(Fault::new(
                before,
                "`<?` must be followed directly by a processing-instruction target, a name without `:`",
            ));
        }
        let node = self.dom.create(NodeKind::Other);
        self.dom.append(self.parent(), node);
        Ok(())
    }

    fn text(&mut self, before: usize, after: usize) -> Result<(), Fault> {
        let raw = &self.text[before..after];
        if self.phase != Phase::Root {
            // XML 1.0 §2.8: only white space (and comments, PIs) outside the root element.
            if let Some(i) = raw.find(|c: char| !is_space(c)) {
                return Err(self.outside_root(before + i, "text"));
            }
            return Ok(());
        }
        // XML 1.0 §2.4: `]]>` may not appear in character data.
        if let Some(i) = raw.find("]]>") {
            return Err(
                Fault::new(before + i, "`]]>` is not allowed in text").with_hint("write `]]&gt;`")
            );
        }
        self.scratch.clear();
        push_lines(&mut self.scratch, raw);
        self.dom.append_text(self.parent(), &self.scratch);
        Ok(())
    }

    fn cdata(&mut self, before: usize, after: usize) -> Result<(), Fault> {
        if self.phase != Phase::Root {
            return Err(self.outside_root(before, "a CDATA section"));
        }
        let content = &self.text[before + "<![CDATA[".len()..after - "]]>".len()];
        self.scratch.clear();
        push_lines(&mut self.scratch, content);
        if !self.scratch.is_empty() {
            self.dom.append_text(self.parent(), &self.scratch);
        }
        Ok(())
    }

    fn reference(&mut self, before: usize, after: usize) -> Result<(), Fault> {
        if self.phase != Phase::Root {
            return Err(self.outside_root(before, "a reference"));
        }
        let body = &self.text[before + 1..after - 1];
        self.scratch.clear();
        self.entities
            .content_reference(body, before, &mut self.scratch)?;
        if !self.scratch.is_empty() {
            self.dom.append_text(self.parent(), &self.scratch);
        }
        Ok(())
    }

    fn outside_root(&self, at: usize, what: &str) -> Fault {
        if self.phase == Phase::Prolog {
            Fault::new(
                at,
                format!(
                    "{what} before the root element; only white space, comments and processing instructions may precede it"
                ),
            )
        } else {
            Fault::new(
                at,
                format!(
                    "{what} after the end of the root element `<{}>`; only white space, comments and processing instructions may follow it",
                    self.root
                ),
            )
        }
    }

    fn finish(self) -> Result<Dom, Fault> {
        let end = self.text.len();
        match (self.phase, self.open.last()) {
            (Phase::Prolog, _) => Err(Fault::new(end, "the document has no root element")),
            (Phase::Root, Some(open)) => Err(Fault::new(
                open.start,
                format!(
                    "`<{0}>` is never closed: the document ends before its `</{0}>`",
                    open.name
                ),
            )
            .found_at(end)),
            _ => Ok(self.dom),
        }
    }
}
