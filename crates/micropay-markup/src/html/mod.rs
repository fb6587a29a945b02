//! HTML syntax: the tree a current browser builds (P-1.6), through html5ever with scripting
//! enabled, into our own arena.

pub(crate) mod attr_span;
pub(crate) mod locate;
#[cfg(test)]
mod rcdom_agree;
#[cfg(test)]
mod reference;
mod respell;
mod simple_tag;
mod sink;

use std::cell::Cell;
use std::rc::Rc;

use html5ever::TokenizerResult;
use html5ever::local_name;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};

use crate::dom::Dom;
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
/// one buffer would be as large as the page again, in fresh memory each time.
const PIECE: usize = 64 * 1024;

/// Builds the browser's tree for `text` (already decoded, P-10).
pub(crate) fn parse(text: &str) -> Dom {
    parse_in_pieces(text, PIECE)
}

/// [`parse`] without respelling character references: what [`parse`] must always agree with
/// (fuzzing).
pub(crate) fn parse_as_written(text: &str) -> Dom {
    read_pieces(text, PIECE, false).expect("a page read as written is always read")
}

/// [`parse`], feeding html5ever pieces of at least `piece` bytes that end just after a `>`.
///
/// Named character references are respelled as decimal ones first (see [`respell`]) unless a
/// tag or attribute name holds a `&`: then the page is parsed again as written.
fn parse_in_pieces(text: &str, piece: usize) -> Dom {
    read_pieces(text, piece, true).unwrap_or_else(|| {
        read_pieces(text, piece, false).expect("only a respelled page is read again")
    })
}

/// The tree of `text`, read in pieces of at least `piece` bytes, `respelled` or as written;
/// `None` if respelled and a tag or attribute name holds a `&`.
fn read_pieces(text: &str, piece: usize, respelled: bool) -> Option<Dom> {
    let input = Rc::new(BufferQueue::default());
    let tokenizer = Tokenizer::new(tap(text, Rc::clone(&input)), TokenizerOpts::default());
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes
            .get(at + piece..)
            .and_then(|rest| memchr::memchr(b'>', rest))
            .map_or(bytes.len(), |i| at + piece + i + 1);
        // html5ever reads the queue from the front, and the tokenizer leaves nothing in it
        // when it asks for more: what is left tells the tap where a start tag ends (see
        // `Tap::end_of_current_tag`).
        tokenizer.sink.piece_end.set(end);
        input.push_back(if respelled {
            respell::respelled(&text[at..end])
        } else {
            StrTendril::from_slice(&text[at..end])
        });
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        if respelled && tokenizer.sink.name_with_ampersand.get() {
            return None;
        }
        at = end;
    }
    tokenizer.end();
    (!(respelled && tokenizer.sink.name_with_ampersand.get()))
        .then(|| tokenizer.sink.builder.sink.finish())
}

/// The tree builder, behind the tap that tells the sink where start tags end.
fn tap(text: &str, input: Rc<BufferQueue>) -> Tap<'_> {
    // P-1.6: scripting enabled, so `noscript` content is text, as in a current browser.
    let builder = TreeBuilder::new(
        Sink::new(text),
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
        name_with_ampersand: Cell::new(false),
    }
}

/// Sits between the tokenizer and the tree builder and tells the sink where the start tag
/// being processed ends.
struct Tap<'t> {
    builder: TreeBuilder<Handle, Sink<'t>>,
    /// The queue the tokenizer reads from.
    input: Rc<BufferQueue>,
    /// Where the piece of the document in the queue ends.
    piece_end: Cell<usize>,
    /// The document.
    text: &'t [u8],
    /// Whether a tag's name, or the name of an attribute that is kept, holds a `&`.
    name_with_ampersand: Cell<bool>,
}

impl Tap<'_> {
    /// Byte offset just past the `>` of the start tag token being processed.
    ///
    /// A start tag token is emitted as soon as its `>` is consumed, before anything after it
    /// is read; the queue holds the rest of the piece being read (characters html5ever
    /// pushes back while reading a character reference are read again before the `>`, and
    /// an emptied buffer leaves the queue). So the tag ends where the unread rest begins.
    fn end_of_current_tag(&self) -> Option<usize> {
        let rest = self
            .input
            .peek_front_chunk_mut()
            .map_or(0, |chunk| chunk.len());
        let end = self.piece_end.get().checked_sub(rest)?;
        // Never trust an end that is not just past a `>`: better no position than a wrong one.
        (end > 0 && self.text.get(end - 1) == Some(&b'>')).then_some(end)
    }
}

impl TokenSink for Tap<'_> {
    type Handle = Handle;

    fn process_token(&self, mut token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        if let Token::TagToken(tag) = &mut token
            && tag.kind == TagKind::StartTag
            && !sink::attributes_are_read(&tag.name)
            && !tag.attrs.is_empty()
            && !sink::attributes_shape_the_tree(&tag.name)
            // In foreign content a `font` with `color`, `face` or `size` breaks out of it.
            && !(tag.name == local_name!("font")
                && self
                    .builder
                    .adjusted_current_node_present_but_not_in_html_namespace())
        {
            // Attributes nothing reads: dropped before the tree builder copies them (it
            // clones a formatting element's attributes each time it reconstructs it).
            tag.attrs = Vec::new();
        }
        // No name known to html5ever holds a `&`: only those it does not know need a look.
        let holds_ampersand = |name: &html5ever::LocalName| !name.is_static() && name.contains('&');
        if let Token::TagToken(tag) = &token
            && (holds_ampersand(&tag.name)
                || tag.attrs.iter().any(|a| holds_ampersand(&a.name.local)))
        {
            self.name_with_ampersand.set(true);
        }
        if let Token::TagToken(tag) = &token
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
            return result;
        }
        self.builder.process_token(token, line_number)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
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
