//! HTML syntax: the tree a current browser builds (P-1.6), through html5ever with scripting
//! enabled, into our own arena.

pub(crate) mod attr_span;
mod limits;
pub(crate) mod locate;
#[cfg(test)]
mod pieces_agree;
#[cfg(test)]
mod rcdom_agree;
mod simple_tag;
mod sink;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};

use crate::Diagnostic;
use crate::dom::Dom;
use crate::position::LineIndex;
use crate::work::Work;
use limits::TagScan;
pub(crate) use limits::{Exceeded, Limits, Stop};
use sink::{Handle, PendingTag, Sink};

/// Whether `text` may hold an `object`, `applet` or `param` element. The tree builder creates
/// these only from a start tag token of that name (it never implies, reconstructs or renames
/// one), and such a token is spelled `<` and the name in ASCII letters of any case. Without
/// one, extraction finds no carrier (P-1.1) and no misplaced param (P-1.2), so the tree need
/// not be built.
pub(crate) fn may_hold_carriers(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|at| {
        let rest = &bytes[at + 1..];
        [&b"object"[..], b"applet", b"param"].iter().any(|name| {
            rest.get(..name.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        })
    })
}

/// html5ever gets the document in pieces of about this many bytes: a copy of a large page in
/// one buffer would be as large as the page again, in fresh memory each time. A piece ends
/// just after a `>`, or at twice this size when no `>` comes sooner: between pieces the
/// driver looks at the tag being read (P-1.8), so a piece bounds what one tag can cost before
/// that look.
const PIECE: usize = 16 * 1024;

/// Builds the browser's tree for `text` (already decoded, P-10), or the diagnostic of the
/// limit of P-1.8 it goes beyond.
pub(crate) fn parse(text: &str, lines: &LineIndex) -> Result<Dom, Diagnostic> {
    parse_within(text, Limits::PROFILE)
        .map_err(|stop| stop.into_diagnostic(text, lines, Limits::PROFILE))
}

/// [`parse`] within other limits (tests, fuzzing).
pub(crate) fn parse_within(text: &str, limits: Limits) -> Result<Dom, Stop> {
    parse_counting(text, limits).0
}

/// [`parse_within`], and the work it cost.
pub(crate) fn parse_counting(text: &str, limits: Limits) -> (Result<Dom, Stop>, Work) {
    let mut work = Work::default();
    let result = parse_in_pieces(text, PIECE, limits, &mut work);
    (result, work)
}

/// The tree of a page within the limits (tests).
#[cfg(test)]
pub(crate) fn tree(text: &str) -> Dom {
    parse_within(text, Limits::PROFILE).expect("a page within the limits")
}

/// [`parse`], feeding html5ever pieces of at least `piece` bytes that end just after a `>`;
/// the work it cost is added to `work`.
fn parse_in_pieces(text: &str, piece: usize, limits: Limits, work: &mut Work) -> Result<Dom, Stop> {
    let input = Rc::new(BufferQueue::default());
    let tokenizer = Tokenizer::new(
        tap(text, Rc::clone(&input), limits),
        TokenizerOpts::default(),
    );
    let stopped = read_all(text, piece, &tokenizer, &input);
    *work += tokenizer.sink.builder.sink.work.get();
    match stopped {
        Some(stop) => Err(stop),
        None => Ok(tokenizer.sink.builder.sink.finish()),
    }
}

/// Where the piece of `text` that starts at `at` ends: just after the first `>` at least
/// `piece` bytes on, else at the first character boundary from `2 * piece` bytes on, else
/// at the end.
fn piece_end(text: &str, at: usize, piece: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(rest) = bytes.get(at + piece..) else {
        return bytes.len();
    };
    if let Some(i) = memchr::memchr(b'>', &rest[..rest.len().min(piece)]) {
        return at + piece + i + 1;
    }
    let mut end = (at + 2 * piece).min(bytes.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// Feeds `text` to `tokenizer` in pieces; the limit it went beyond, if any.
fn read_all(
    text: &str,
    piece: usize,
    tokenizer: &Tokenizer<Tap<'_>>,
    input: &BufferQueue,
) -> Option<Stop> {
    let tap = &tokenizer.sink;
    let mut at = 0;
    while at < text.len() {
        let end = piece_end(text, at, piece);
        // html5ever reads the queue from the front, and the tokenizer leaves nothing in it
        // when it asks for more: what is left tells the tap where a token ends (see
        // `Tap::consumed`).
        tap.piece_end.set(end);
        input.push_back(StrTendril::from_slice(&text[at..end]));
        while !matches!(tokenizer.feed(input), TokenizerResult::Done) {}
        // P-1.8: a limit the tap noticed, or a tag still being read that has gone beyond it.
        if let Some(stop) = tap.stop.get().or_else(|| tap.open_tag_beyond_limit(end)) {
            return Some(stop);
        }
        at = end;
    }
    tokenizer.end();
    tap.stop.get()
}

/// The tree builder, behind the tap that tells the sink where start tags end.
fn tap(text: &str, input: Rc<BufferQueue>, limits: Limits) -> Tap<'_> {
    // P-1.6: scripting enabled, so `noscript` content is text, as in a current browser.
    let builder = TreeBuilder::new(
        Sink::new(text, limits.depth),
        TreeBuilderOpts {
            scripting_enabled: true,
            ..TreeBuilderOpts::default()
        },
    );
    Tap {
        builder,
        input,
        piece_end: Cell::new(0),
        text: text.as_bytes(),
        limits,
        token_end: Cell::new(0),
        stop: Cell::new(None),
        open_tag: RefCell::new(None),
        cdata: Cell::new(None),
        repeats: Cell::new(0),
    }
}

/// Sits between the tokenizer and the tree builder: tells the sink where start tags end,
/// and watches the limits of P-1.8.
struct Tap<'t> {
    builder: TreeBuilder<Handle, Sink<'t>>,
    /// The queue the tokenizer reads from.
    input: Rc<BufferQueue>,
    /// Where the piece of the document in the queue ends.
    piece_end: Cell<usize>,
    /// The document.
    text: &'t [u8],
    limits: Limits,
    /// Where the last token (other than a parse error) ends: the tokenizer has read the
    /// text after it without giving anything yet.
    token_end: Cell<usize>,
    /// The limit gone beyond, if any: from then on no token reaches the tree builder.
    stop: Cell<Option<Stop>>,
    /// The attributes of the tag at `token_end`, counted so far.
    open_tag: RefCell<Option<TagScan>>,
    /// Where the last CDATA section (in foreign content) began, and how far the text after
    /// it is known to hold no `]]>` that ends it.
    cdata: Cell<Option<(usize, usize)>>,
    /// Repeated attributes the tokenizer has dropped since the last tag it gave.
    repeats: Cell<usize>,
}

impl Tap<'_> {
    /// How far the tokenizer has read: a token is given as soon as its last character is
    /// read, and the queue holds the rest of the piece (characters html5ever pushes back
    /// while reading a character reference are read again first, and an emptied buffer leaves
    /// the queue).
    fn consumed(&self) -> usize {
        let rest = self
            .input
            .peek_front_chunk_mut()
            .map_or(0, |chunk| chunk.len());
        self.piece_end.get().saturating_sub(rest)
    }

    /// Byte offset just past the `>` of the start tag token being processed.
    fn end_of_current_tag(&self) -> Option<usize> {
        let end = self.consumed();
        // Never trust an end that is not just past a `>`: better no position than a wrong one.
        (end > 0 && self.text.get(end - 1) == Some(&b'>')).then_some(end)
    }

    /// Whether the text at `at` is inside the last CDATA section: only there does the
    /// tokenizer give a token (for U+0000) and then go on reading text in which `<` starts no
    /// tag.
    fn in_cdata(&self, at: usize) -> bool {
        let Some((from, clear_to)) = self.cdata.get() else {
            return false;
        };
        if at <= from {
            return false;
        }
        let search = clear_to.saturating_sub(2).max(from);
        if memchr::memmem::find(&self.text[search..at], b"]]>").is_some() {
            self.cdata.set(None);
            return false;
        }
        self.cdata.set(Some((from, clear_to.max(at))));
        true
    }

    /// P-1.8: whether the tokenizer, having read up to `read`, is in the middle of a tag
    /// with more attributes than the limit. It gives nothing while inside a tag, so such a
    /// tag starts where the last token ended.
    fn open_tag_beyond_limit(&self, read: usize) -> Option<Stop> {
        let start = self.token_end.get();
        if self.in_cdata(start) {
            return None;
        }
        let mut open = self.open_tag.borrow_mut();
        if open.as_ref().is_none_or(|scan| scan.start != start) {
            *open = TagScan::new(self.text, start);
        }
        let scan = open.as_mut()?;
        let from = scan.at();
        let beyond = scan.advance(self.text, read, self.limits.attributes);
        let work = &self.builder.sink.work;
        work.attributes(scan.at() - from);
        if !beyond {
            return None;
        }
        // The tokenizer has read as far, comparing each name with those the tag keeps.
        work.attributes(scan.read() * scan.count());
        Some(Stop {
            exceeded: Exceeded::Attributes,
            at: start,
        })
    }
}

impl Tap<'_> {
    /// Counts the work of a token: the token, and the attribute names the tokenizer compared
    /// while reading a tag (each one read, kept or dropped as a repeat, with at most every one
    /// kept).
    fn count(&self, token: &Token) {
        let work = &self.builder.sink.work;
        work.token();
        match token {
            Token::ParseError(message) if message == "Duplicate attribute" => {
                self.repeats.set(self.repeats.get() + 1);
            }
            Token::TagToken(tag) => {
                let kept = tag.attrs.len();
                work.attributes(kept * kept.saturating_sub(1) / 2 + self.repeats.get() * kept);
                self.repeats.set(0);
            }
            _ => {}
        }
    }
}

impl TokenSink for Tap<'_> {
    type Handle = Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        self.count(&token);
        if self.stop.get().is_some() {
            return TokenSinkResult::Continue;
        }
        let start = self.token_end.get();
        if !matches!(token, Token::ParseError(_)) {
            self.token_end.set(self.consumed());
        }
        // P-1.8: a tag with more distinct attributes than the limit.
        if let Token::TagToken(tag) = &token
            && tag.attrs.len() > self.limits.attributes
        {
            self.stop.set(Some(Stop {
                exceeded: Exceeded::Attributes,
                at: start,
            }));
            return TokenSinkResult::Continue;
        }
        let result = if let Token::TagToken(tag) = &token
            && tag.kind == TagKind::StartTag
            && sink::is_located(&tag.name)
        {
            *self.builder.sink.pending.borrow_mut() =
                self.end_of_current_tag().map(|end| PendingTag {
                    end,
                    name: tag.name.clone(),
                });
            let result = self.builder.process_token(token, line_number);
            self.builder.sink.pending.borrow_mut().take();
            result
        } else {
            self.builder.process_token(token, line_number)
        };
        // P-1.8: the token put an element deeper than the limit.
        if self.builder.sink.too_deep.get() {
            self.stop.set(Some(Stop {
                exceeded: Exceeded::Depth,
                at: start,
            }));
            return TokenSinkResult::Continue;
        }
        result
    }

    fn end(&self) {
        if self.stop.get().is_none() {
            self.builder.end();
        }
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        let foreign = self
            .builder
            .adjusted_current_node_present_but_not_in_html_namespace();
        // The tokenizer asks on reading `<![CDATA[`: in foreign content a CDATA section
        // begins.
        if foreign {
            let at = self.consumed();
            self.cdata.set(Some((at, at)));
        }
        foreign
    }
}

#[cfg(test)]
mod tests {
    use super::may_hold_carriers;

    #[test]
    fn the_pre_check_looks_for_the_three_tag_names_in_any_case() {
        for text in [
            "<object>",
            "x <OBJECT",
            "<Applet code=x>",
            "<param",
            "<pArAm name=x>",
        ] {
            assert!(may_hold_carriers(text), "{text}");
        }
        for text in [
            "",
            "<p>object</p>",
            "< object>",
            "<objec",
            "<a href=param>",
            "&lt;param>",
        ] {
            assert!(!may_hold_carriers(text), "{text}");
        }
    }
}
