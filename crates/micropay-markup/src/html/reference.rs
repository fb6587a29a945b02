//! The driver this crate used before feeding html5ever the whole document: one chunk per `>`,
//! so that a start tag token is emitted exactly when its chunk ends. Kept for tests only, to
//! show that the driver in `html/mod.rs` finds the very same tag ends on any input.

use std::cell::Cell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use proptest::prelude::*;

use super::sink::{Handle, PendingTag, Sink};
use crate::dom::Dom;
use crate::work::Work;

fn parse_in_chunks(text: &str) -> Dom {
    let builder = TreeBuilder::new(
        Sink::new(text, usize::MAX),
        TreeBuilderOpts {
            scripting_enabled: true,
            ..TreeBuilderOpts::default()
        },
    );
    let tap = ChunkTap {
        builder,
        chunk_end: Cell::new(0),
    };
    let tokenizer = Tokenizer::new(tap, TokenizerOpts::default());
    let input = BufferQueue::default();
    let whole = StrTendril::from_slice(text);
    let bytes = text.as_bytes();
    let mut at = 0;
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

fn offset32(n: usize) -> u32 {
    u32::try_from(n).expect("test inputs are small")
}

struct ChunkTap<'t> {
    builder: TreeBuilder<Handle, Sink<'t>>,
    chunk_end: Cell<usize>,
}

impl TokenSink for ChunkTap<'_> {
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

fn assert_same(text: &str) {
    let reference = parse_in_chunks(text).summary();
    // Pieces of every size: tags split across pieces, one piece per tag, the whole page.
    for piece in [1, 2, 7, 64, super::PIECE] {
        assert_eq!(
            super::parse_in_pieces(text, piece, super::Limits::NONE, &mut Work::default())
                .expect("no limits")
                .summary(),
            reference,
            "pieces of {piece}: {text:?}"
        );
    }
}

#[test]
fn the_fixture_pages_give_the_same_tree_and_tag_ends() {
    // The fixture pages of the repository, which the package carries (Cargo.toml).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages");
    let mut pages = 0;
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "html" || e == "htm" || e == "xhtml")
            {
                let bytes = std::fs::read(&path).unwrap();
                assert_same(&crate::decode::decode_html(&bytes, None).text);
                pages += 1;
            }
        }
    }
    assert!(
        pages > 100,
        "the fixture corpus was not found ({pages} pages)"
    );
}

#[test]
fn character_references_and_odd_tags_next_to_the_end() {
    for text in [
        "<a href=x&amp>",
        "<a href=x&amp",
        "<a title=&notit>t</a><param name=&ampx>",
        "<object data='&#x3e;'><param value=&#62>&#x",
        "<a href=\"x>y\" title='<a b>'>z</a><!-- <a> --><param name=p value=1 /",
        "<script>if (a<b) { x = '<param>'; }</script><param name=price>",
        "<title><a href=x></title><textarea><param></textarea><a\u{0}>",
        "<!DOCTYPE html><svg><a href=x><object></svg><math><param></math>",
        "<table><a href=x><tr><object><param name=textlink value=t></table>",
        "<object>\r\n<param\r\nname=price\rvalue=1>\r\n</object",
        // Named references the driver respells (html/respell.rs), where they are read and
        // where they are not.
        "<object data='/a?b=1&amp;c=2'><param name=price value=\"0.10&nbsp;USD&middot;\">&copy;",
        "<script>a &amp;&amp; b</script><!-- &amp; --><style>&mdash;</style><title>&amp;</title>",
        "<textarea>&amp;</textarea><pre>\n&amp;</pre><svg><![CDATA[&amp;]]></svg><object>&amp;",
        // A `&` in a tag or attribute name: read again as written.
        "<x&amp;>a</x&#38;><object>t</object>",
        "<b&amp;><object>t</b&#38;></object>",
        "<param &amp;=1 &#38;=2 name=price value=1>",
        "<object a&middot;b=1>",
        // The quirks mode, decided by the DOCTYPE, decides whether `table` closes `p`.
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN&amp;\"><p><table><object>",
        "<!DOCTYPE html&amp;><p><table><object>",
    ] {
        assert_same(text);
    }
}

/// Pieces of markup that exercise the tree builder; shared with `rcdom_agree`.
pub(super) fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<object type=x>".to_owned()),
        Just("<OBJECT>".to_owned()),
        Just("</object>".to_owned()),
        Just("<applet code=c>".to_owned()),
        Just("<param name=price value=\"1USD\">".to_owned()),
        Just("<PARAM NAME=textlink VALUE='a>b'>".to_owned()),
        Just("<a href=\"x\">".to_owned()),
        Just("</a>".to_owned()),
        Just("<b>".to_owned()),
        Just("<table><tr><td>".to_owned()),
        Just("<script>".to_owned()),
        Just("</script>".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("&amp".to_owned()),
        Just("&#x3e;".to_owned()),
        Just("&not".to_owned()),
        Just("&amp;".to_owned()),
        Just("&middot;".to_owned()),
        Just("&lt;".to_owned()),
        Just("<x&amp;>".to_owned()),
        Just("</x&#38;>".to_owned()),
        Just("<p a&amp;=1>".to_owned()),
        Just("<svg>".to_owned()),
        Just("<template>".to_owned()),
        Just("\r\n".to_owned()),
        "[<>a-z &;=\"'/!#\n-]{0,12}",
    ]
}

proptest! {
    #[test]
    fn any_input_gives_the_same_tree_and_tag_ends(pieces in prop::collection::vec(html_piece(), 0..40)) {
        assert_same(&pieces.concat());
    }
}
