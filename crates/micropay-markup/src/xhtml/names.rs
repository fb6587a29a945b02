//! The character classes of XML 1.0 (Fifth Edition) and Namespaces in XML 1.0: which
//! characters may appear in a document at all, in names, and what a qualified name is.

/// XML 1.0 §2.2 `Char`: tab, line feed, carriage return and everything from U+0020 except
/// U+FFFE and U+FFFF (a Rust `char` is never a surrogate).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{fffd}' | '\u{10000}'..)
}

/// XML 1.0 §2.3 `S`: the four white-space characters.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// XML 1.0 §2.3 `NameStartChar`.
pub(crate) fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{f6}' | '\u{f8}'..='\u{2ff}'
        | '\u{370}'..='\u{37d}' | '\u{37f}'..='\u{1fff}' | '\u{200c}'..='\u{200d}'
        | '\u{2070}'..='\u{218f}' | '\u{2c00}'..='\u{2fef}' | '\u{3001}'..='\u{d7ff}'
        | '\u{f900}'..='\u{fdcf}' | '\u{fdf0}'..='\u{fffd}' | '\u{10000}'..='\u{effff}')
}

/// XML 1.0 §2.3 `NameChar`.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{b7}' | '\u{300}'..='\u{36f}' | '\u{203f}'..='\u{2040}')
}

/// XML 1.0 §2.3 `Name`.
pub(crate) fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// Namespaces in XML 1.0 `NCName`: a `Name` without a colon.
pub(crate) fn is_ncname(s: &str) -> bool {
    !s.contains(':') && is_name(s)
}

/// Namespaces in XML 1.0 `QName`: `NCName` or `NCName:NCName`. Returns the prefix (if any)
/// and the local part, or `None` when `s` is not a qualified name.
pub(crate) fn split_qname(s: &str) -> Option<(Option<&str>, &str)> {
    match s.split_once(':') {
        None => is_ncname(s).then_some((None, s)),
        Some((prefix, local)) => {
            (is_ncname(prefix) && is_ncname(local)).then_some((Some(prefix), local))
        }
    }
}

/// The byte offset and value of the first character that XML does not allow anywhere.
pub(crate) fn first_illegal_char(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| !is_xml_char(c))
}

/// Length in bytes of the run of XML white space at the start of `s`.
pub(crate) fn space_len(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_space).len()
}

/// Length in bytes of the longest prefix of `s` made of name characters.
pub(crate) fn name_len(s: &str) -> usize {
    s.find(|c: char| !is_name_char(c)).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_characters() {
        assert!(is_xml_char('\t') && is_xml_char('\u{e9}') && is_xml_char('\u{1f600}'));
        assert!(!is_xml_char('\0') && !is_xml_char('\u{1}') && !is_xml_char('\u{fffe}'));
        assert!(is_xml_char('\u{fffd}'));
        assert_eq!(first_illegal_char("ab\u{c}c"), Some((2, '\u{c}')));
    }

    #[test]
    fn names_and_qualified_names() {
        assert!(is_name("object") && is_name("x-1.b") && is_name("_a") && is_name("\u{e9}t\u{e9}"));
        assert!(!is_name("") && !is_name("1a") && !is_name("-a") && !is_name("a b"));
        assert_eq!(split_qname("svg:rect"), Some((Some("svg"), "rect")));
        assert_eq!(split_qname("param"), Some((None, "param")));
        assert_eq!(split_qname("a:b:c"), None);
        assert_eq!(split_qname(":a"), None);
        assert_eq!(split_qname("a:"), None);
        assert_eq!(split_qname("a:1"), None);
    }

    #[test]
    fn runs() {
        assert_eq!(space_len(" \r\n\tx "), 4);
        assert_eq!(name_len("abc=\"1\""), 3);
        assert_eq!(name_len("abc"), 3);
    }
}
