//! P-1.8: how deep the HTML tree may nest and how many attributes one tag may have, and the
//! scan that counts a tag's attributes while html5ever is still reading it.
//!
//! Both limits bound html5ever's own work before it grows faster than the page. Its tree
//! builder walks the stack of open elements for most tags (the scope checks), so a page of
//! nested elements costs the square of its depth; the sink ([`super::sink`]) measures the depth
//! of every element it is given and the driver stops there. Its tokenizer compares each new
//! attribute with every one the tag already has, so a tag with many distinct attributes costs
//! their square; the driver hands it the page in pieces and, after each, counts the attributes
//! of the tag it is in the middle of reading ([`TagScan`]), and the tap counts those of every
//! tag it is given.

use std::collections::HashSet;

use crate::position::LineIndex;
use crate::{Code, Diagnostic};

/// The limits a page is read within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The most elements a path from the root down may hold (the element itself included).
    pub(crate) depth: usize,
    /// The most distinct attribute names one tag may have.
    pub(crate) attributes: usize,
}

impl Limits {
    /// P-1.8: 256 elements deep, 1,024 attributes per tag.
    pub(crate) const PROFILE: Limits = Limits {
        depth: 256,
        attributes: 1024,
    };
}

impl Limits {
    /// No limit at all (tests and benchmarks of what the limits prevent).
    pub(crate) const NONE: Limits = Limits {
        depth: usize::MAX,
        attributes: usize::MAX,
    };
}

/// Which limit a page went beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exceeded {
    Depth,
    Attributes,
}

/// Where reading stopped: the limit and the byte offset of the `<` of the tag concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stop {
    pub(crate) exceeded: Exceeded,
    pub(crate) at: usize,
}

impl Stop {
    /// P-1.8: the document diagnostic; the page has no links.
    pub(crate) fn into_diagnostic(
        self,
        text: &str,
        lines: &LineIndex,
        limits: Limits,
    ) -> Diagnostic {
        let position = lines.position(text, self.at);
        match self.exceeded {
            Exceeded::Depth => Diagnostic::new(
                Code::NestingTooDeep,
                position,
                format!(
                    "the element opened here is nested more than {} elements deep; the page is not read further and no per-fee-link of it is reported",
                    limits.depth
                ),
            )
            .with_hint(
                "close the elements that are left open (an unclosed `<div>`, `<font>` or `<li>` in a loop); browsers build a different tree this deep",
            ),
            Exceeded::Attributes => Diagnostic::new(
                Code::TooManyAttributes,
                position,
                format!(
                    "this tag has more than {} attributes; the page is not read further and no per-fee-link of it is reported",
                    limits.attributes
                ),
            )
            .with_hint("no real element needs that many: remove them"),
        }
    }
}

/// Where the HTML tokenizer is inside a tag (WHATWG HTML 13.2.5.6 to 13.2.5.40, those states
/// a tag's name and attributes are read in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    TagName,
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    Quoted(u8),
    Unquoted,
    AfterQuoted,
    SelfClosing,
    /// The `>` that ends the tag has been read.
    Ended,
}

/// The attributes of one tag, counted as the HTML tokenizer reads them: from the `<` on, up
/// to any point, in as many steps as wanted, each byte read once.
#[derive(Debug)]
pub(crate) struct TagScan {
    /// The offset of the tag's `<`.
    pub(crate) start: usize,
    /// The offset of the next byte to read.
    at: usize,
    state: State,
    /// The name of the attribute being read, as the tokenizer keeps it.
    name: Vec<u8>,
    /// The distinct names read to their end.
    names: HashSet<Box<[u8]>>,
    /// How many names have been read to their end, repeats included.
    read: usize,
}

/// The HTML tokenizer's white space; a carriage return becomes a line feed before it reads.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl TagScan {
    /// The scan of the tag whose `<` is at `start`, if the tokenizer reads one there: `<`
    /// then an ASCII letter (a start tag) or `</` then an ASCII letter (an end tag, whose
    /// attributes it reads the same way and drops).
    pub(crate) fn new(text: &[u8], start: usize) -> Option<TagScan> {
        let rest = text.get(start..)?;
        let name_at = match rest {
            [b'<', b'/', letter, ..] if letter.is_ascii_alphabetic() => 2,
            [b'<', letter, ..] if letter.is_ascii_alphabetic() => 1,
            _ => return None,
        };
        Some(TagScan {
            start,
            at: start + name_at,
            state: State::TagName,
            name: Vec::new(),
            names: HashSet::new(),
            read: 0,
        })
    }

    /// How many distinct attribute names have been read to their end.
    pub(crate) fn count(&self) -> usize {
        self.names.len()
    }

    /// How many names have been read to their end, repeats included.
    pub(crate) fn read(&self) -> usize {
        self.read
    }

    /// The offset of the next byte to read.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    /// Whether the tag's `>` has been read.
    #[cfg(test)]
    pub(crate) fn ended(&self) -> bool {
        self.state == State::Ended
    }

    fn finish_name(&mut self) {
        let name = std::mem::take(&mut self.name);
        self.read += 1;
        if !self.names.contains(name.as_slice()) {
            self.names.insert(name.into_boxed_slice());
        }
    }

    fn push_name_byte(&mut self, b: u8) {
        match b {
            // The tokenizer lowers ASCII capitals and replaces U+0000 by U+FFFD.
            0 => self.name.extend_from_slice("\u{fffd}".as_bytes()),
            _ => self.name.push(b.to_ascii_lowercase()),
        }
    }

    /// Reads on up to offset `end` (or the tag's `>`); stops as soon as more than `limit`
    /// distinct names have been read. Returns whether they have.
    pub(crate) fn advance(&mut self, text: &[u8], end: usize, limit: usize) -> bool {
        let end = end.min(text.len());
        while self.at < end && self.state != State::Ended && self.count() <= limit {
            let b = text[self.at];
            // Each arm either consumes `b` (`self.at += 1` below) or, for "reconsume", leaves
            // it to the state it switches to.
            let consumed = match self.state {
                State::TagName => {
                    self.state = match b {
                        _ if is_space(b) => State::BeforeName,
                        b'/' => State::SelfClosing,
                        b'>' => State::Ended,
                        _ => State::TagName,
                    };
                    true
                }
                State::BeforeName => match b {
                    _ if is_space(b) => true,
                    b'/' | b'>' => {
                        self.state = State::AfterName;
                        false
                    }
                    b'=' => {
                        self.name.push(b'=');
                        self.state = State::Name;
                        true
                    }
                    _ => {
                        self.state = State::Name;
                        false
                    }
                },
                State::Name => match b {
                    _ if is_space(b) || b == b'/' || b == b'>' => {
                        self.finish_name();
                        self.state = State::AfterName;
                        false
                    }
                    b'=' => {
                        self.finish_name();
                        self.state = State::BeforeValue;
                        true
                    }
                    _ => {
                        self.push_name_byte(b);
                        true
                    }
                },
                State::AfterName => {
                    match b {
                        _ if is_space(b) => {}
                        b'/' => self.state = State::SelfClosing,
                        b'=' => self.state = State::BeforeValue,
                        b'>' => self.state = State::Ended,
                        _ => {
                            self.state = State::Name;
                            // The new name starts with this byte: reconsumed.
                            continue;
                        }
                    }
                    true
                }
                State::BeforeValue => match b {
                    _ if is_space(b) => true,
                    b'"' | b'\'' => {
                        self.state = State::Quoted(b);
                        true
                    }
                    b'>' => {
                        self.state = State::Ended;
                        true
                    }
                    _ => {
                        self.state = State::Unquoted;
                        false
                    }
                },
                State::Quoted(quote) => {
                    // Character references inside the value read only alphanumerics, `#` and
                    // `;`: the closing quote is the next one.
                    let Some(i) = memchr::memchr(quote, &text[self.at..end]) else {
                        self.at = end;
                        continue;
                    };
                    self.at += i;
                    self.state = State::AfterQuoted;
                    true
                }
                State::Unquoted => {
                    match b {
                        _ if is_space(b) => self.state = State::BeforeName,
                        b'>' => self.state = State::Ended,
                        _ => {}
                    }
                    true
                }
                State::AfterQuoted => match b {
                    _ if is_space(b) => {
                        self.state = State::BeforeName;
                        true
                    }
                    b'/' => {
                        self.state = State::SelfClosing;
                        true
                    }
                    b'>' => {
                        self.state = State::Ended;
                        true
                    }
                    _ => {
                        self.state = State::BeforeName;
                        false
                    }
                },
                State::SelfClosing => {
                    if b == b'>' {
                        self.state = State::Ended;
                        true
                    } else {
                        self.state = State::BeforeName;
                        false
                    }
                }
                State::Ended => unreachable!("the loop ends with the tag"),
            };
            if consumed {
                self.at += 1;
            }
        }
        self.count() > limit
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use proptest::prelude::*;

    use super::*;

    /// The number of attributes of each tag html5ever's tokenizer gives for `text`.
    fn tokenizer_counts(text: &str) -> Vec<usize> {
        struct Counts(RefCell<Vec<usize>>);
        impl TokenSink for Counts {
            type Handle = ();
            fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
                if let Token::TagToken(tag) = token {
                    self.0.borrow_mut().push(tag.attrs.len());
                }
                TokenSinkResult::Continue
            }
        }
        let tokenizer = Tokenizer::new(Counts(RefCell::new(Vec::new())), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(text));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.0.take()
    }

    fn tag_piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            " ",
            "\t",
            "\n",
            "\r",
            "\x0c",
            "/",
            "=",
            "\"",
            "'",
            "<",
            ">",
            "a",
            "B",
            "b",
            "c",
            "\0",
            "\u{fffd}",
            "é",
            "&amp;",
            "x=1",
            "x='y z'",
            "y=\"a>b\"",
        ])
    }

    proptest! {
        /// What the scan counts is what the tokenizer gives: the same number of attributes,
        /// and the tag ends where the tokenizer ends it.
        #[test]
        fn the_scan_counts_as_the_tokenizer_does(
            end_tag in any::<bool>(),
            pieces in prop::collection::vec(tag_piece(), 0..40),
        ) {
            let text = format!("{}p{}>", if end_tag { "</" } else { "<" }, pieces.concat());
            let mut scan = TagScan::new(text.as_bytes(), 0).unwrap();
            scan.advance(text.as_bytes(), text.len(), usize::MAX);
            let counts = tokenizer_counts(&text);
            if scan.ended() {
                prop_assert_eq!(counts.first().copied(), Some(scan.count()), "{:?}", text);
            } else {
                // A tag the end of the text cuts off: the tokenizer drops it.
                prop_assert!(counts.is_empty(), "{:?}", text);
            }
        }
    }

    fn count(tag: &str) -> (usize, bool) {
        let mut scan = TagScan::new(tag.as_bytes(), 0).expect("a tag");
        scan.advance(tag.as_bytes(), tag.len(), usize::MAX);
        (scan.count(), scan.ended())
    }

    #[test]
    fn attributes_are_counted_as_the_tokenizer_reads_them() {
        assert_eq!(count("<p>"), (0, true));
        assert_eq!(count("<p a b=1 c='>' d=\"x\"e>"), (5, true));
        assert_eq!(count("<p A a B=1 b>"), (2, true));
        assert_eq!(count("<p/a/b/>"), (2, true));
        assert_eq!(count("<p =a =b>"), (1, true));
        assert_eq!(count("<p x='1' =a>"), (2, true));
        assert_eq!(count("<p a=b=c d>"), (2, true));
        assert_eq!(count("</p a b>"), (2, true));
        assert_eq!(count("<p a\"b c<d>"), (2, true));
        assert_eq!(count("<p a\0 a\u{fffd}>"), (1, true));
        assert_eq!(count("<p a='unclosed b c"), (1, false));
        assert_eq!(count("<p a b"), (1, false));
        assert!(TagScan::new(b"< p>", 0).is_none());
        assert!(TagScan::new(b"<!-- p -->", 0).is_none());
        assert!(TagScan::new(b"</ p>", 0).is_none());
    }

    #[test]
    fn a_scan_continues_where_it_stopped() {
        let tag = "<object a b='c d' e=f g h>";
        for split in 0..tag.len() {
            let mut scan = TagScan::new(tag.as_bytes(), 0).unwrap();
            scan.advance(tag.as_bytes(), split, usize::MAX);
            scan.advance(tag.as_bytes(), tag.len(), usize::MAX);
            assert_eq!((scan.count(), scan.ended()), (5, true), "split at {split}");
        }
    }

    #[test]
    fn the_scan_stops_past_the_limit() {
        let tag = "<p a b c d e f>";
        let mut scan = TagScan::new(tag.as_bytes(), 0).unwrap();
        assert!(scan.advance(tag.as_bytes(), tag.len(), 2));
        assert_eq!(scan.count(), 3);
        assert!(!scan.ended());
    }
}
