//! Columns for HTML elements.
//!
//! html5ever reports lines only. The driver (`html/mod.rs`) learns where each start tag of
//! interest ends: just past the `>` whose reading made the tokenizer emit it. The start is the
//! nearest `<` before it from which the tag, tokenized on its own, is exactly the same start
//! tag token (same name, same attributes and values) ending at the same place. A nearer `<`
//! inside an attribute value cannot pass that check unless it spells the very same tag, which
//! no real page does. The search tries a bounded number of candidates so that hostile input (a
//! huge attribute value full of `<param`) stays linear.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::dom::Element;

/// How many candidate `<` positions are verified before giving up.
const MAX_CANDIDATES: usize = 16;

/// The byte offset of the `<` of `element`'s start tag in `text`, if it can be found.
pub(crate) fn start_of(text: &str, element: &Element) -> Option<usize> {
    if let Some(start) = element.start() {
        return Some(start);
    }
    let end = element.tag_end()?;
    let bytes = text.as_bytes();
    let name = element.name.as_bytes();
    let mut tried = 0;
    let mut cursor = end.checked_sub(1)?;
    while let Some(p) = bytes[..cursor].iter().rposition(|&b| b == b'<') {
        cursor = p;
        if !starts_tag_named(&bytes[p + 1..end], name) {
            continue;
        }
        tried += 1;
        if is_exactly(&text[p..end], element) {
            return Some(p);
        }
        if tried == MAX_CANDIDATES {
            return None;
        }
    }
    None
}

/// `rest` (what follows a `<`) begins with `name` (ASCII case-insensitively) and then a
/// character that ends a tag name.
fn starts_tag_named(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && matches!(
            rest[name.len()],
            b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
        )
}

/// Tokenizes `source` alone and checks it is one start tag equal to `element`'s.
fn is_exactly(source: &str, element: &Element) -> bool {
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    match tokenizer.sink.seen.into_inner().as_slice() {
        [Seen::StartTag(tag)] => {
            tag.name == element.name
                && tag.attrs.len() == element.attrs().len()
                && tag
                    .attrs
                    .iter()
                    .zip(element.attrs())
                    .all(|(a, (name, value))| {
                        // A tag tokenized on its own has no prefixed attribute names.
                        a.name.prefix.is_none() && a.name.local == *name && a.value == *value
                    })
        }
        _ => false,
    }
}

enum Seen {
    StartTag(Tag),
    Other,
}

#[derive(Default)]
struct Collector {
    seen: RefCell<Vec<Seen>>,
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let seen = match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => Seen::StartTag(tag),
            Token::ParseError(_) | Token::EOFToken => return TokenSinkResult::Continue,
            _ => Seen::Other,
        };
        self.seen.borrow_mut().push(seen);
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::Ns;

    fn element(name: &str, attrs: &[(&str, &str)], tag_end: usize) -> Element {
        Element::new(Ns::Html, name.into()).with(
            attrs
                .iter()
                .map(|(n, v)| ((*n).into(), (*v).into()))
                .collect(),
            None,
            Some(tag_end),
            None,
        )
    }

    #[test]
    fn finds_a_plain_start_tag() {
        let text = "<p>x <object type=x>";
        let e = element("object", &[("type", "x")], text.len());
        assert_eq!(start_of(text, &e), Some(5));
    }

    #[test]
    fn a_lookalike_inside_an_attribute_value_is_not_the_start() {
        let text = r#"<param name="x" value="<param value=y">"#;
        let e = element(
            "param",
            &[("name", "x"), ("value", "<param value=y")],
            text.len(),
        );
        assert_eq!(start_of(text, &e), Some(0));
    }

    #[test]
    fn upper_case_tags_and_character_references() {
        let text = "<OBJECT TITLE='a&amp;b'>";
        let e = element("object", &[("title", "a&b")], text.len());
        assert_eq!(start_of(text, &e), Some(0));
    }

    #[test]
    fn gives_up_on_hostile_input_instead_of_going_quadratic() {
        let mut text = String::from("<param value=\"");
        for _ in 0..100 {
            text.push_str("<param ");
        }
        text.push_str("\">");
        let e = element("param", &[("value", "nothing like it")], text.len());
        assert_eq!(start_of(&text, &e), None);
    }
}
