//! Where an attribute's value is written in a start tag, for diagnostics about a value.
//!
//! html5ever gives attribute values but not where they are. Once [`super::locate`] has found
//! the source of a start tag (checked to be exactly the tag the tree holds), the value is found
//! by reading the tag again with the attribute states of the HTML tokenizer (WHATWG HTML
//! §13.2.5.32 to §13.2.5.40): only where names and values begin and end matters here, and that
//! depends on the delimiters alone (character references and NUL change what a value holds,
//! not where it ends). One pass over the tag: linear in its length.

use std::ops::Range;

/// White space between attributes, as the tokenizer sees it after newline normalisation (a
/// carriage return becomes a line feed).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The byte range, in `tag` (one start tag from `<` to its `>`), of the value of the first
/// attribute whose name folds (ASCII) to `name`: between the quotes when quoted. `None` when
/// no such attribute has a value (`<param value>` has an empty one, written nowhere).
pub(crate) fn value_range(tag: &str, name: &str) -> Option<Range<usize>> {
    let bytes = tag.as_bytes();
    let mut at = 1;
    // Tag name state: up to white space, `/` or `>`.
    while at < bytes.len() && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>') {
        at += 1;
    }
    let mut seen_names: Vec<Range<usize>> = Vec::new();
    loop {
        // Before attribute name state; `/` not followed by `>` is read as here too.
        while at < bytes.len() && (is_space(bytes[at]) || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' {
            return None;
        }
        // Attribute name state: a leading `=` is part of the name.
        let name_start = at;
        at += 1;
        while at < bytes.len() && !is_space(bytes[at]) && !matches!(bytes[at], b'/' | b'>' | b'=') {
            at += 1;
        }
        let written = &tag[name_start..at];
        // The tokenizer keeps the first of attributes with the same (folded) name.
        let first = !seen_names
            .iter()
            .any(|r| tag[r.clone()].eq_ignore_ascii_case(written));
        let wanted = first && written.eq_ignore_ascii_case(name);
        if !wanted && seen_names.len() < MAX_NAMES_REMEMBERED {
            seen_names.push(name_start..at);
        }
        // After attribute name state.
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        if bytes.get(at) != Some(&b'=') {
            if wanted {
                return None;
            }
            continue;
        }
        at += 1;
        // Before attribute value state.
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        let value = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let from = at + 1;
                let len = memchr::memchr(quote, &bytes[from..])?;
                at = from + len + 1;
                from..from + len
            }
            // A missing value: the tag ends here.
            Some(b'>') | None => return None,
            Some(_) => {
                let from = at;
                while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'>' {
                    at += 1;
                }
                from..at
            }
        };
        if wanted {
            return Some(value);
        }
    }
}

/// Names compared for duplicates. A tag with more attributes than this before the one wanted
/// is so odd that the rare duplicate beyond them is not looked for: the comparison stays
/// linear in the tag.
const MAX_NAMES_REMEMBERED: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
        value_range(tag, name).map(|r| &tag[r])
    }

    #[test]
    fn finds_values_quoted_or_not() {
        let tag = r#"<param name="price" value="0,05 EUR">"#;
        assert_eq!(value(tag, "value"), Some("0,05 EUR"));
        assert_eq!(value_range(tag, "value"), Some(27..35));
        assert_eq!(value("<PARAM NAME=x VALUE='a b'>", "value"), Some("a b"));
        assert_eq!(value("<param value = 1h >", "value"), Some("1h"));
        assert_eq!(value("<param\nvalue=x/>", "value"), Some("x/"));
        assert_eq!(value("<param name=value>", "value"), None);
        assert_eq!(value("<param value>", "value"), None);
        assert_eq!(value("<param value=>", "value"), None);
    }

    #[test]
    fn the_first_of_two_values_is_the_one_read() {
        assert_eq!(value("<param value=a VALUE=b>", "value"), Some("a"));
        assert_eq!(
            value("<param x='value=\"no\"' value=yes>", "value"),
            Some("yes")
        );
        assert_eq!(value("<param /value=x>", "value"), Some("x"));
        assert_eq!(value("<param =value=x>", "value"), None);
    }

    proptest::proptest! {
        /// What html5ever reads as the value is what is written in the range found.
        #[test]
        fn the_range_holds_what_html5ever_reads(
            attrs in proptest::collection::vec(
                ("[ \t\n/]{1,2}", proptest::sample::select(vec!["name", "value", "VALUE", "x"]),
                 proptest::option::of(("[ ]?=[ ]?", proptest::prop_oneof![
                     "\"[a-z <>'=/]{0,6}\"", "'[a-z <>\"=/]{0,6}'", "[a-z/]{1,5}",
                 ]))),
                0..5,
            ),
        ) {
            let mut written = String::new();
            for (space, name, value) in &attrs {
                written.push_str(space);
                written.push_str(name);
                if let Some((eq, v)) = value {
                    written.push_str(eq);
                    written.push_str(v);
                }
            }
            let attrs = written;
            let tag = format!("<param{attrs} >");
            let read = super::super::locate::html5ever_attributes(&tag);
            if let Some(attributes) = read {
                let expected = attributes.iter().find(|(n, _)| n == "value").map(|(_, v)| v.clone());
                let found = value(&tag, "value").map(str::to_owned);
                match (expected, found) {
                    (Some(e), Some(f)) => proptest::prop_assert_eq!(e, f, "{:?}", tag),
                    (Some(e), None) => proptest::prop_assert!(e.is_empty(), "{:?}", tag),
                    (None, f) => proptest::prop_assert_eq!(f, None, "{:?}", tag),
                }
            }
        }
    }
}
