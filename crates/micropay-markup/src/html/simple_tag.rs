//! The start tags of real pages, read without html5ever, for [`super::locate`].
//!
//! Checking a candidate start of a tag means tokenizing it alone; with html5ever that costs as
//! much as the tag cost in the first parse, once per located element. Most tags are simple:
//! an ASCII name, attributes with ASCII names, values quoted or not that hold no character
//! reference, no NUL, no carriage return. For those, the HTML tokenizer's result is plain, and
//! [`read`] computes it; for anything else it answers `None` and html5ever decides.

/// A simple start tag: its name and attributes as written. The HTML tokenizer folds the
/// ASCII upper-case letters of names to lower case: compare names with [`folds_to`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SimpleTag<'s> {
    pub(crate) name: &'s str,
    pub(crate) attrs: Vec<(&'s str, &'s str)>,
}

/// Whether the name `written` (ASCII) is `name` once the tokenizer has folded it.
pub(crate) fn folds_to(written: &str, name: &str) -> bool {
    written.len() == name.len()
        && written
            .bytes()
            .zip(name.bytes())
            .all(|(w, n)| w.to_ascii_lowercase() == n)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b' ')
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

/// Whether `value` holds a byte that makes the tokenizer do more than copy: references, NUL,
/// CR (newline normalisation), and the parse errors of unquoted values.
fn has_unusual(value: &str) -> bool {
    memchr::memchr3(b'&', b'\0', b'\r', value.as_bytes()).is_some()
}

/// `source` as the HTML tokenizer reads it alone, when it is exactly one simple start tag
/// (`<` name, attributes, optional `/`, `>` as its last byte); `None` when it is not simple.
pub(crate) fn read(source: &str) -> Option<SimpleTag<'_>> {
    let bytes = source.as_bytes();
    let mut at = 1;
    if bytes.first() != Some(&b'<') || !bytes.get(1)?.is_ascii_alphabetic() {
        return None;
    }
    while bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
        at += 1;
    }
    let name = &source[1..at];
    let mut attrs: Vec<(&str, &str)> = Vec::new();
    loop {
        let spaced = bytes.get(at).is_some_and(|&b| is_space(b));
        while bytes.get(at).is_some_and(|&b| is_space(b)) {
            at += 1;
        }
        let end = match bytes.get(at)? {
            b'>' => Some(at + 1),
            b'/' if bytes.get(at + 1) == Some(&b'>') => Some(at + 2),
            // An attribute must be separated from what comes before it.
            b if b.is_ascii_alphabetic() && spaced => None,
            _ => return None,
        };
        if let Some(end) = end {
            // html5ever keeps the first of duplicates; leave that to it.
            return (end == bytes.len() && !has_duplicates(&attrs))
                .then_some(SimpleTag { name, attrs });
        }
        let start = at;
        while bytes.get(at).is_some_and(|&b| is_name_byte(b)) {
            at += 1;
        }
        let attr_name = &source[start..at];
        let mut after = at;
        while bytes.get(after).is_some_and(|&b| is_space(b)) {
            after += 1;
        }
        if bytes.get(after) != Some(&b'=') {
            // No value: the empty string. What follows is read by the loop.
            attrs.push((attr_name, ""));
            continue;
        }
        at = after + 1;
        while bytes.get(at).is_some_and(|&b| is_space(b)) {
            at += 1;
        }
        let value = if let quote @ (b'"' | b'\'') = *bytes.get(at)? {
            let len = memchr::memchr(quote, &bytes[at + 1..])?;
            let value = &source[at + 1..at + 1 + len];
            at += len + 2;
            // After a quoted value: space, `/` or `>` (anything else is a parse error whose
            // handling is left to html5ever).
            if !bytes
                .get(at)
                .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
            {
                return None;
            }
            value
        } else {
            let len = bytes[at..].iter().position(|&b| is_space(b) || b == b'>')?;
            let value = &source[at..at + len];
            if value.is_empty()
                || value
                    .bytes()
                    .any(|b| matches!(b, b'"' | b'\'' | b'<' | b'=' | b'`'))
            {
                return None;
            }
            at += len;
            value
        };
        if has_unusual(value) {
            return None;
        }
        attrs.push((attr_name, value));
    }
}

/// Whether two of `attrs` have the same name once folded. Tags with a few attributes are
/// checked pair by pair; a tag with very many is sorted, so that checking it costs no more
/// than O(n log n).
fn has_duplicates(attrs: &[(&str, &str)]) -> bool {
    const PAIRWISE: usize = 16;
    if attrs.len() <= PAIRWISE {
        return attrs
            .iter()
            .enumerate()
            .any(|(i, (a, _))| attrs[..i].iter().any(|(b, _)| a.eq_ignore_ascii_case(b)));
    }
    let mut names: Vec<&str> = attrs.iter().map(|&(name, _)| name).collect();
    names.sort_unstable_by(|a, b| {
        let a = a.bytes().map(|c| c.to_ascii_lowercase());
        a.cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    });
    names
        .windows(2)
        .any(|pair| pair[0].eq_ignore_ascii_case(pair[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag<'s>(name: &'s str, attrs: &[(&'s str, &'s str)]) -> SimpleTag<'s> {
        SimpleTag {
            name,
            attrs: attrs.to_vec(),
        }
    }

    #[test]
    fn reads_the_tags_of_real_pages() {
        assert_eq!(read("<object>"), Some(tag("object", &[])));
        assert_eq!(
            read("<OBJECT CLASSID=\"java:PerFeeLink.class\" WIDTH=200>"),
            Some(tag(
                "OBJECT",
                &[("CLASSID", "java:PerFeeLink.class"), ("WIDTH", "200")]
            ))
        );
        assert_eq!(
            read("<param name='price' value=\"0.05 USD\" />"),
            Some(tag("param", &[("name", "price"), ("value", "0.05 USD")]))
        );
        assert_eq!(
            read("<a href = x.html\n  hidden>"),
            Some(tag("a", &[("href", "x.html"), ("hidden", "")]))
        );
    }

    /// The reader as it was before it searched with memchr: the oracle of
    /// `reads_as_the_oracle`.
    mod oracle {
        use super::super::{SimpleTag, has_duplicates, is_name_byte, is_space};

        /// Bytes that make the tokenizer do more than copy: references, NUL, CR (newline
        /// normalisation), and the parse errors of unquoted values.
        fn is_unusual(b: u8) -> bool {
            matches!(b, b'&' | b'\0' | b'\r')
        }

        /// `source` as the HTML tokenizer reads it alone, when it is exactly one simple start tag
        /// (`<` name, attributes, optional `/`, `>` as its last byte); `None` when it is not simple.
        pub(super) fn read(source: &str) -> Option<SimpleTag<'_>> {
            let bytes = source.as_bytes();
            let mut at = 1;
            if bytes.first() != Some(&b'<') || !bytes.get(1)?.is_ascii_alphabetic() {
                return None;
            }
            while bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
                at += 1;
            }
            let name = &source[1..at];
            let mut attrs: Vec<(&str, &str)> = Vec::new();
            loop {
                let spaced = bytes.get(at).is_some_and(|&b| is_space(b));
                while bytes.get(at).is_some_and(|&b| is_space(b)) {
                    at += 1;
                }
                let end = match bytes.get(at)? {
                    b'>' => Some(at + 1),
                    b'/' if bytes.get(at + 1) == Some(&b'>') => Some(at + 2),
                    // An attribute must be separated from what comes before it.
                    b if b.is_ascii_alphabetic() && spaced => None,
                    _ => return None,
                };
                if let Some(end) = end {
                    // html5ever keeps the first of duplicates; leave that to it.
                    return (end == bytes.len() && !has_duplicates(&attrs))
                        .then_some(SimpleTag { name, attrs });
                }
                let start = at;
                while bytes.get(at).is_some_and(|&b| is_name_byte(b)) {
                    at += 1;
                }
                let attr_name = &source[start..at];
                let mut after = at;
                while bytes.get(after).is_some_and(|&b| is_space(b)) {
                    after += 1;
                }
                if bytes.get(after) != Some(&b'=') {
                    // No value: the empty string. What follows is read by the loop.
                    attrs.push((attr_name, ""));
                    continue;
                }
                at = after + 1;
                while bytes.get(at).is_some_and(|&b| is_space(b)) {
                    at += 1;
                }
                let value = if let quote @ (b'"' | b'\'') = *bytes.get(at)? {
                    let len = bytes[at + 1..].iter().position(|&b| b == quote)?;
                    let value = &source[at + 1..at + 1 + len];
                    at += len + 2;
                    // After a quoted value: space, `/` or `>` (anything else is a parse error whose
                    // handling is left to html5ever).
                    if !bytes
                        .get(at)
                        .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
                    {
                        return None;
                    }
                    value
                } else {
                    let len = bytes[at..].iter().position(|&b| is_space(b) || b == b'>')?;
                    let value = &source[at..at + len];
                    if value.is_empty()
                        || value
                            .bytes()
                            .any(|b| matches!(b, b'"' | b'\'' | b'<' | b'=' | b'`'))
                    {
                        return None;
                    }
                    at += len;
                    value
                };
                if value.bytes().any(is_unusual) {
                    return None;
                }
                attrs.push((attr_name, value));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn reads_as_the_oracle(
            source in "<[a-zA-Z][a-zA-Z0-9]{0,3}([ \t\n]{0,2}[a-zA-Z][a-zA-Z0-9:._-]{0,3}([ ]?=[ ]?(\"[a-z <>'=&/\r\u{0}é]{0,8}\"|'[a-z <>\"=&/\r]{0,8}'|[a-z&\r\u{0}<=`\"'/é]{0,5}))?){0,5}[ ]?/?>?",
        ) {
            proptest::prop_assert_eq!(read(&source), oracle::read(&source), "{:?}", source);
        }
    }

    proptest::proptest! {
        /// 512 names once folded, written in either case: the lists long enough to be
        /// sorted (17 to 31 names) hold a duplicate in a quarter to three fifths of cases.
        #[test]
        fn duplicates_are_the_names_seen_twice_once_folded(
            names in proptest::collection::vec("[a-hA-H][a-h]{2}", 0..32),
        ) {
            let attrs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
            let mut seen = std::collections::HashSet::new();
            let repeated = !names.iter().all(|n| seen.insert(n.to_ascii_lowercase()));
            proptest::prop_assert_eq!(has_duplicates(&attrs), repeated);
        }
    }

    #[test]
    fn a_tag_with_very_many_attributes_is_read() {
        let attrs = (0..10_000).map(|i| format!(" a{i}=v")).collect::<Vec<_>>();
        let attrs = attrs.concat();
        let source = format!("<object{attrs}>");
        let tag = read(&source).expect("simple");
        assert_eq!(tag.attrs.len(), 10_000);
        assert_eq!(read(&format!("<object{attrs} A9999=w>")), None);
    }

    #[test]
    fn names_fold_ascii_upper_case_only() {
        assert!(folds_to("OBJECT", "object"));
        assert!(folds_to("Param", "param"));
        assert!(!folds_to("param", "PARAM"));
        assert!(!folds_to("objec", "object"));
    }

    #[test]
    fn leaves_everything_else_to_html5ever() {
        for source in [
            "<a href=\"x&amp;y\">",
            "<a href=x\ry>",
            "<a title=\"a\"href=x>",
            "<a a=1 A=2>",
            "<a / b>",
            "<a b=x\"y>",
            "<a\u{0}>",
            "<a b=>",
            "<a b=\"x>",
            "<1a>",
            "< a>",
            "<a>x",
            "<a b=c>>",
            "<a é=1>",
            "<a\"b=1>",
        ] {
            assert_eq!(read(source), None, "{source:?}");
        }
    }
}
