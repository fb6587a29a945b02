//! P-10: the WHATWG "prescan a byte stream to determine its encoding" over the first 1024
//! bytes: finds `<meta charset>` or `<meta http-equiv=content-type content="…charset=…">`
//! while skipping comments and other tags as a browser's prescan does.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The encoding named by the first usable `meta`, if any.
pub(crate) fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if rest.starts_with(b"<!--") {
            // The `>` of the first `-->` after the `<` (it may share dashes with `<!--`).
            let after = rest[2..].windows(3).position(|w| w == b"-->")?;
            pos += 2 + after + 3;
            continue;
        }
        if rest.len() > 5
            && rest[0] == b'<'
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && (is_space(rest[5]) || rest[5] == b'/')
        {
            pos += 6;
            match meta(bytes, &mut pos)? {
                Meta::Found(encoding) => return Some(encoding),
                Meta::Unusable => continue,
            }
        }
        if rest[0] == b'<' {
            let letter_at = usize::from(rest.get(1) == Some(&b'/')) + 1;
            if rest.get(letter_at).is_some_and(u8::is_ascii_alphabetic) {
                pos += letter_at;
                while pos < bytes.len() && !is_space(bytes[pos]) && bytes[pos] != b'>' {
                    pos += 1;
                }
                while let Attribute::Pair(..) = attribute(bytes, &mut pos)? {}
            } else if matches!(rest.get(1), Some(b'!' | b'/' | b'?')) {
                pos += rest.iter().position(|&b| b == b'>')?;
            }
        }
        pos += 1;
    }
    None
}

/// What one `meta` says.
enum Meta {
    Found(&'static Encoding),
    Unusable,
}

/// The attributes of one `meta`; `None` = the input ended inside it.
fn meta(bytes: &[u8], pos: &mut usize) -> Option<Meta> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma = None;
    let mut charset = None;
    while let Attribute::Pair(name, value) = attribute(bytes, pos)? {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" if value == b"content-type" => got_pragma = true,
            b"content" if charset.is_none() => {
                if let Some(label) = charset_from_content(&value) {
                    charset = Encoding::for_label(label);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    let usable = match need_pragma {
        None => false,
        Some(true) => got_pragma,
        Some(false) => true,
    };
    Some(match charset.filter(|_| usable) {
        None => Meta::Unusable,
        Some(c) if c == encoding_rs::UTF_16BE || c == encoding_rs::UTF_16LE => Meta::Found(UTF_8),
        Some(c) if c == encoding_rs::X_USER_DEFINED => Meta::Found(WINDOWS_1252),
        Some(c) => Meta::Found(c),
    })
}

/// One step of "get an attribute".
enum Attribute {
    /// A name and value, lower-cased as the algorithm specifies.
    Pair(Vec<u8>, Vec<u8>),
    /// The tag ended.
    NoMore,
}

/// The WHATWG "get an attribute"; `None` = the input ended.
fn attribute(bytes: &[u8], pos: &mut usize) -> Option<Attribute> {
    let at = |p: usize| bytes.get(p).copied();
    while is_space(at(*pos)?) || at(*pos)? == b'/' {
        *pos += 1;
    }
    if at(*pos)? == b'>' {
        return Some(Attribute::NoMore);
    }
    let mut name = Vec::new();
    let mut value = Vec::new();
    loop {
        let b = at(*pos)?;
        if b == b'=' && !name.is_empty() {
            *pos += 1;
            break;
        }
        if is_space(b) {
            while is_space(at(*pos)?) {
                *pos += 1;
            }
            if at(*pos)? != b'=' {
                return Some(Attribute::Pair(name, value));
            }
            *pos += 1;
            break;
        }
        if b == b'/' || b == b'>' {
            return Some(Attribute::Pair(name, value));
        }
        name.push(b.to_ascii_lowercase());
        *pos += 1;
    }
    while is_space(at(*pos)?) {
        *pos += 1;
    }
    let b = at(*pos)?;
    if b == b'"' || b == b'\'' {
        loop {
            *pos += 1;
            let c = at(*pos)?;
            if c == b {
                *pos += 1;
                return Some(Attribute::Pair(name, value));
            }
            value.push(c.to_ascii_lowercase());
        }
    }
    if b == b'>' {
        return Some(Attribute::Pair(name, value));
    }
    loop {
        let c = at(*pos)?;
        if is_space(c) || c == b'>' {
            return Some(Attribute::Pair(name, value));
        }
        value.push(c.to_ascii_lowercase());
        *pos += 1;
    }
}

/// The WHATWG "extracting a character encoding from a meta element" on a `content` value.
fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let mut pos = 0;
    loop {
        let found = content[pos..]
            .windows(7)
            .position(|w| w.eq_ignore_ascii_case(b"charset"))?;
        pos += found + 7;
        while content.get(pos).is_some_and(|&b| is_space(b)) {
            pos += 1;
        }
        if content.get(pos) == Some(&b'=') {
            pos += 1;
            break;
        }
    }
    while content.get(pos).is_some_and(|&b| is_space(b)) {
        pos += 1;
    }
    let first = *content.get(pos)?;
    if first == b'"' || first == b'\'' {
        let len = content[pos + 1..].iter().position(|&b| b == first)?;
        return Some(&content[pos + 1..pos + 1 + len]);
    }
    let len = content[pos..]
        .iter()
        .position(|&b| is_space(b) || b == b';')
        .unwrap_or(content.len() - pos);
    Some(&content[pos..pos + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(bytes: &[u8]) -> Option<&'static str> {
        prescan(bytes).map(Encoding::name)
    }

    #[test]
    fn meta_charset() {
        assert_eq!(name(b"<meta charset=\"ISO-8859-2\">"), Some("ISO-8859-2"));
        assert_eq!(name(b"<META CHARSET=utf-8>"), Some("UTF-8"));
        assert_eq!(name(b"<meta/charset='shift_jis'>"), Some("Shift_JIS"));
    }

    #[test]
    fn http_equiv_needs_the_pragma() {
        let with = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">";
        assert_eq!(name(with), Some("windows-1252"));
        let without = b"<meta content=\"text/html; charset=iso-8859-1\">";
        assert_eq!(name(without), None);
        let after = b"<meta content='text/html; charset=koi8-r' http-equiv='content-type'>";
        assert_eq!(name(after), Some("KOI8-R"));
    }

    #[test]
    fn comments_and_other_tags_are_skipped() {
        assert_eq!(name(b"<!-- <meta charset=utf-8> --><p>"), None);
        assert_eq!(name(b"<!--><meta charset=utf-8>"), Some("UTF-8"));
        assert_eq!(
            name(b"<p title='<meta charset=koi8-r>'><meta charset=utf-8>"),
            Some("UTF-8")
        );
        assert_eq!(
            name(b"<!doctype html><?pi?><meta charset=utf-8>"),
            Some("UTF-8")
        );
    }

    #[test]
    fn utf16_and_user_defined_are_mapped() {
        assert_eq!(name(b"<meta charset=utf-16le>"), Some("UTF-8"));
        assert_eq!(name(b"<meta charset=x-user-defined>"), Some("windows-1252"));
    }

    #[test]
    fn unknown_labels_and_truncated_input_give_nothing() {
        assert_eq!(name(b"<meta charset=klingon>"), None);
        assert_eq!(name(b"<meta charset=\"utf-8"), None);
        assert_eq!(name(b"<meta"), None);
        assert_eq!(name(b""), None);
    }

    #[test]
    fn first_charset_attribute_wins_duplicates() {
        assert_eq!(name(b"<meta charset=utf-8 charset=koi8-r>"), Some("UTF-8"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..1100)) {
            let _ = prescan(&bytes);
        }

        #[test]
        fn finds_a_meta_after_any_text_without_markup(
            text in "[^<]{0,200}",
            label in proptest::sample::select(vec!["utf-8", "iso-8859-2", "koi8-r", "shift_jis", "gbk"]),
        ) {
            let page = format!("{text}<meta charset=\"{label}\">");
            let expected = Encoding::for_label(label.as_bytes());
            proptest::prop_assert_eq!(prescan(page.as_bytes()), expected);
        }
    }
}
