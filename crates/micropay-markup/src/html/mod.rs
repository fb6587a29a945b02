//! HTML syntax: the tree a current browser builds (P-1.6), through html5ever with scripting
//! enabled, into our own arena.

pub(crate) mod locate;
mod sink;

use std::cell::Cell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};

use crate::dom::Dom;
use sink::{Handle, PendingTag, Sink};

/// Builds the browser's tree for `text` (already decoded, P-10).
pub(crate) fn parse(text: &str) -> Dom {
    // P-1.6: scripting enabled, so `noscript` content is text, as in a current browser.
    let builder = TreeBuilder::new(
        Sink::new(),
        TreeBuilderOpts {
            scripting_enabled: true,
            ..TreeBuilderOpts::default()
        },
    );
    let tap = Tap {
        builder,
        chunk_end: Cell::new(0),
    };
    let tokenizer = Tokenizer::new(tap, TokenizerOpts::default());
    let input = BufferQueue::default();
    let Ok(whole) = StrTendril::try_from_byte_slice(text.as_bytes()) else {
        unreachable!("a &str is UTF-8")
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    // Chunks end just after each `>`: a start tag token is emitted when its `>` is consumed, so
    // during the feed of a chunk, the tag being emitted ends where the chunk ends (see locate).
    while at < bytes.len() {
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |i| at + i + 1);
        tokenizer.sink.chunk_end.set(end);
        input.push_back(whole.subtendril(offset32(at), offset32(end - at)));
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        at = end;
    }
    tokenizer.end();
    tokenizer.sink.builder.sink.finish()
}

/// Tendrils index with `u32`; inputs above 4 GiB are refused before parsing.
fn offset32(n: usize) -> u32 {
    u32::try_from(n).expect("documents are at most 4 GiB")
}

/// Sits between the tokenizer and the tree builder and tells the sink where the start tag
/// being processed ends.
struct Tap {
    builder: TreeBuilder<Handle, Sink>,
    chunk_end: Cell<usize>,
}

impl TokenSink for Tap {
    type Handle = Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Handle> {
        if let Token::TagToken(tag) = &token
            && tag.kind == TagKind::StartTag
        {
            *self.builder.sink.pending.borrow_mut() = Some(PendingTag {
                end: self.chunk_end.get(),
                name: tag.name.clone(),
            });
        }
        let result = self.builder.process_token(token, line_number);
        self.builder.sink.pending.borrow_mut().take();
        result
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}
