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

use super::simple_tag::{self, folds_to};
use crate::dom::ElementRef;

/// How many candidate `<` positions are verified before giving up.
const MAX_CANDIDATES: usize = 16;

/// The byte offset of the `<` of `element`'s start tag in `text`, if it can be found.
pub(crate) fn start_of(text: &str, element: ElementRef<'_>) -> Option<usize> {
    if let Some(start) = element.start() {
        return Some(start);
    }
    let end = element.tag_end()?;
    let bytes = text.as_bytes();
    let name = element.name_str().as_bytes();
    let mut tried = 0;
    let mut cursor = end.checked_sub(1)?;
    // The nearest `<` by memrchr, which reads a word of bytes at a time.
    while let Some(p) = memchr::memrchr(b'<', &bytes[..cursor]) {
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
fn is_exactly(source: &str, element: ElementRef<'_>) -> bool {
    if let Some(tag) = simple_tag::read(source) {
        return folds_to(tag.name, element.name_str())
            && tag.attrs.len() == element.attrs().len()
            && tag
                .attrs
                .iter()
                .zip(element.attrs())
                .all(|((written, value), a)| {
                    folds_to(written, a.name.as_str()) && *value == &*a.value
                });
    }
    tokenized_alone_is(source, element)
}

/// [`is_exactly`] by html5ever itself.
fn tokenized_alone_is(source: &str, element: ElementRef<'_>) -> bool {
    let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    match tokenizer.sink.seen.into_inner().as_slice() {
        [Seen::StartTag(tag)] => {
            *tag.name == *element.name_str()
                && tag.attrs.len() == element.attrs().len()
                && tag.attrs.iter().zip(element.attrs()).all(|(a, kept)| {
                    // A tag tokenized on its own has no prefixed attribute names.
                    a.name.prefix.is_none()
                        && *a.name.local == *kept.name.as_str()
                        && a.value == kept.value
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

/// The attributes html5ever reads from `source` alone, when it is one start tag (the oracle
/// of [`super::attr_span`]'s tests).
#[cfg(test)]
pub(super) fn html5ever_attributes(source: &str) -> Option<Vec<(String, String)>> {
    tests::html5ever_reads(source).map(|(_, attrs)| attrs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::{Dom, Extra, Ns};
    use proptest::prelude::*;

    /// An arena holding one HTML element, with `attrs`, whose start tag ends at `tag_end`.
    fn element(name: &str, attrs: &[(&str, &str)], tag_end: usize) -> Dom {
        let mut dom = Dom::default();
        let attrs = (attrs.iter())
            .map(|(n, v)| crate::element::attr((*n).into(), (*v).into()))
            .collect();
        let extra = Extra {
            attrs,
            tag_end: Some(tag_end),
            ..Extra::default()
        };
        dom.create_element(Ns::Html, name.into(), extra);
        dom
    }

    /// The element of an arena made by [`element`].
    fn the(dom: &Dom) -> ElementRef<'_> {
        dom.element(1).expect("node 1 is the element")
    }

    #[test]
    fn finds_a_plain_start_tag() {
        let text = "<p>x <object type=x>";
        let dom = element("object", &[("type", "x")], text.len());
        assert_eq!(start_of(text, the(&dom)), Some(5));
    }

    #[test]
    fn a_lookalike_inside_an_attribute_value_is_not_the_start() {
        let text = r#"<param name="x" value="<param value=y">"#;
        let dom = element(
            "param",
            &[("name", "x"), ("value", "<param value=y")],
            text.len(),
        );
        assert_eq!(start_of(text, the(&dom)), Some(0));
    }

    #[test]
    fn upper_case_tags_and_character_references() {
        let text = "<OBJECT TITLE='a&amp;b'>";
        let dom = element("object", &[("title", "a&b")], text.len());
        assert_eq!(start_of(text, the(&dom)), Some(0));
    }

    /// `start_of` as it was before it searched with memrchr: the oracle of
    /// `starts_as_the_oracle`.
    fn start_of_by_rposition(text: &str, element: ElementRef<'_>) -> Option<usize> {
        if let Some(start) = element.start() {
            return Some(start);
        }
        let end = element.tag_end()?;
        let bytes = text.as_bytes();
        let name = element.name_str().as_bytes();
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

    /// What html5ever makes of `source` alone, as name and attributes, if one start tag.
    pub(super) fn html5ever_reads(source: &str) -> Option<(String, Vec<(String, String)>)> {
        let tokenizer = Tokenizer::new(Collector::default(), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(source));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        match tokenizer.sink.seen.into_inner().as_slice() {
            [Seen::StartTag(tag)] => Some((
                tag.name.to_string(),
                tag.attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .collect(),
            )),
            _ => None,
        }
    }

    /// Attributes as pages write them, and now and then something odd.
    fn attribute() -> impl Strategy<Value = String> {
        let space = prop_oneof![Just(" "), Just("  "), Just("\n\t"), Just("\x0c"), Just("")];
        let name = "[a-zA-Z][a-zA-Z0-9:._-]{0,6}";
        let value = prop_oneof![
            "\"[a-zA-Z0-9 ./:>'=&é-]{0,8}\"",
            "'[a-zA-Z0-9 ./:>\"=&-]{0,8}'",
            "[a-zA-Z0-9./:\"'<=`&é-]{0,6}",
        ];
        let odd = prop_oneof![
            Just("/"),
            Just("\r"),
            Just("\u{0}"),
            Just("\""),
            Just("="),
            Just("&amp;"),
            Just(">")
        ];
        (
            space.clone(),
            name,
            prop::option::of((space.clone(), space, value)),
            prop::option::weighted(0.1, odd),
        )
            .prop_map(|(before, name, value, odd)| {
                let value = value.map_or(String::new(), |(a, b, v)| format!("{a}={b}{v}"));
                format!("{before}{name}{value}{}", odd.unwrap_or(""))
            })
    }

    proptest! {
        /// Tags and text with `<` in and between them; every tag that html5ever reads on its
        /// own is looked for, under its own name and attributes and under another's.
        #[test]
        fn starts_as_the_oracle(
            pieces in prop::collection::vec(
                prop_oneof![
                    3 => (
                        prop::sample::select(vec!["param", "PARAM", "object", "a", "p"]),
                        prop::collection::vec(attribute(), 0..4),
                        prop_oneof![Just(">"), Just("/>"), Just(" >")],
                    )
                        .prop_map(|(name, attrs, end)| format!("<{name}{}{end}", attrs.concat())),
                    1 => prop::sample::select(vec!["<", "<param", "<param ", "x", " ", "\"", ">", "é"])
                        .prop_map(str::to_owned),
                ],
                1..8,
            ),
        ) {
            let text = pieces.concat();
            let mut ends = Vec::new();
            let mut at = 0;
            for piece in &pieces {
                at += piece.len();
                if let Some(read) = html5ever_reads(piece) {
                    ends.push((at, read));
                }
            }
            for (end, (name, attrs)) in &ends {
                for (_, (other, _)) in &ends {
                    for name in [name, other] {
                        let attrs: Vec<(&str, &str)> =
                            attrs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                        let dom = element(name, &attrs, *end);
                        prop_assert_eq!(
                            start_of(&text, the(&dom)),
                            start_of_by_rposition(&text, the(&dom)),
                            "{:?} {}",
                            text,
                            end
                        );
                    }
                }
            }
        }

        #[test]
        fn the_simple_reader_agrees_with_html5ever(
            name in "[a-zA-Z][a-zA-Z0-9]{0,6}",
            attributes in prop::collection::vec(attribute(), 0..6),
            end in prop_oneof![Just(">"), Just("/>"), Just(" >"), Just(" / >"), Just("")],
        ) {
            let source = format!("<{name}{}{end}", attributes.concat());
            if let Some(tag) = simple_tag::read(&source) {
                let (html5ever_name, html5ever_attrs) = html5ever_reads(&source)
                    .expect("html5ever reads one start tag where the simple reader does");
                prop_assert!(folds_to(tag.name, &html5ever_name), "{source:?}");
                prop_assert_eq!(tag.attrs.len(), html5ever_attrs.len(), "{:?}", source);
                for ((written, value), (name, v)) in tag.attrs.iter().zip(&html5ever_attrs) {
                    prop_assert!(folds_to(written, name), "{source:?}");
                    prop_assert_eq!(*value, v.as_str(), "{:?}", source);
                }
            }
        }
    }

    #[test]
    fn the_simple_reader_reads_tags_of_the_kind_pages_have() {
        let tags = [
            "<object type=\"application/x-micropayment\" width=\"300\" height=\"40\">",
            "<param name=\"price\" value=\"0.05USD\">",
            "<PARAM NAME=textlink VALUE=\"Archiv\">",
            "<a href=\"/premium/2024/05/story-1.html\">",
        ];
        for source in tags {
            assert!(simple_tag::read(source).is_some(), "{source}");
            assert!(html5ever_reads(source).is_some(), "{source}");
        }
    }

    #[test]
    fn gives_up_on_hostile_input_instead_of_going_quadratic() {
        let mut text = String::from("<param value=\"");
        for _ in 0..100 {
            text.push_str("<param ");
        }
        text.push_str("\">");
        let dom = element("param", &[("value", "nothing like it")], text.len());
        assert_eq!(start_of(&text, the(&dom)), None);
    }
}
