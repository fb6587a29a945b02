//! P-10: bytes to text as browsers decode them.
//!
//! HTML: a byte order mark; else the charset the caller got from the transport (HTTP); else
//! the `meta` prescan of the first 1024 bytes ([`crate::prescan`]); else windows-1252.
//! Undecodable bytes become U+FFFD; the first one is remembered so that one `decoding-error`
//! can point at it.

use encoding_rs::{DecoderResult, Encoding, UTF_8, WINDOWS_1252};

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub(crate) text: String,
    pub(crate) encoding: &'static Encoding,
    /// Byte offset in `text` of the replacement character of the first undecodable sequence.
    pub(crate) first_error: Option<usize>,
}

/// P-10 for HTML documents.
#[cfg(test)]
pub(crate) fn decode_html(bytes: &[u8], transport: Option<&'static Encoding>) -> Decoded {
    let (encoding, start, _) = sniff_html(bytes, transport);
    decode_with(encoding, &bytes[start..])
}

/// P-10 for HTML documents: the encoding, where the text begins (after a byte order mark),
/// and whether nothing declared it (windows-1252 by default).
pub(crate) fn sniff_html(
    bytes: &[u8],
    transport: Option<&'static Encoding>,
) -> (&'static Encoding, usize, bool) {
    if let Some((encoding, start)) = Encoding::for_bom(bytes) {
        return (encoding, start, false);
    }
    match transport.or_else(|| crate::prescan::prescan(&bytes[..bytes.len().min(1024)])) {
        Some(encoding) => (encoding, 0, false),
        None => (WINDOWS_1252, 0, true),
    }
}

/// P-10.1: the byte offset of the first non-ASCII byte of `bytes`, and the character it
/// starts, when they are all valid UTF-8 and hold one (a page that is UTF-8 and does not say
/// so); `None` otherwise. Bytes before it are ASCII, so the offset is the same in the text
/// decoded as windows-1252.
pub(crate) fn undeclared_utf8(bytes: &[u8]) -> Option<(usize, char)> {
    let first = bytes.iter().position(|b| !b.is_ascii())?;
    let rest = std::str::from_utf8(&bytes[first..]).ok()?;
    Some((first, rest.chars().next()?))
}

/// [`decode_with`] `encoding` from byte `start` on, for bytes the caller hands over: when they
/// are already the text (valid UTF-8 in UTF-8, or ASCII in an encoding that agrees with ASCII)
/// they become it without a copy.
pub(crate) fn decode_owned(bytes: Vec<u8>, encoding: &'static Encoding, start: usize) -> Decoded {
    let same =
        start == 0 && (encoding == UTF_8 || (encoding.is_ascii_compatible() && bytes.is_ascii()));
    if !same {
        return decode_with(encoding, &bytes[start..]);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding,
            first_error: None,
        },
        Err(not_utf8) => decode_with(encoding, not_utf8.as_bytes()),
    }
}

/// Decodes `bytes` (without BOM) in `encoding`, replacing and locating malformed sequences.
pub(crate) fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    // Valid UTF-8 decodes to itself: the standard library checks it faster than a decoder
    // converts it, and then it is one copy.
    if encoding == UTF_8
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Decoded {
            text: text.to_owned(),
            encoding,
            first_error: None,
        };
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut first_error = None;
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(rest.len())
                    .unwrap_or(rest.len())
                    .max(4);
                text.reserve(more);
            }
            DecoderResult::Malformed(_, _) => {
                first_error.get_or_insert(text.len());
                text.push('\u{fffd}');
            }
        }
    }
    Decoded {
        text,
        encoding,
        first_error,
    }
}

/// Decodes text given as `&str`: nothing to sniff, it is UTF-8 already.
pub(crate) fn from_text(text: &str) -> Decoded {
    Decoded {
        text: text.to_owned(),
        encoding: UTF_8,
        first_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undeclared_utf8_is_valid_utf8_with_non_ascii() {
        assert_eq!(undeclared_utf8(b"ab caf\xc3\xa9"), Some((6, '\u{e9}')));
        assert_eq!(undeclared_utf8(b"plain ascii"), None);
        assert_eq!(undeclared_utf8(b"caf\xe9"), None);
        assert_eq!(undeclared_utf8(b"\xc3\xa9 then \xff"), None);
        assert!(sniff_html(b"caf\xc3\xa9", None).2);
        assert!(!sniff_html(b"<meta charset=utf-8>caf\xc3\xa9", None).2);
        assert!(!sniff_html(b"caf\xc3\xa9", Some(UTF_8)).2);
    }

    #[test]
    fn defaults_to_windows_1252() {
        let d = decode_html(b"caf\xe9 \x80", None);
        assert_eq!(d.text, "caf\u{e9} \u{20ac}");
        assert_eq!(d.encoding.name(), "windows-1252");
        assert_eq!(d.first_error, None);
    }

    #[test]
    fn bom_beats_transport_and_meta() {
        let d = decode_html(
            b"\xef\xbb\xbf<meta charset=iso-8859-2>\xc3\xa9",
            Some(encoding_rs::SHIFT_JIS),
        );
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.ends_with('\u{e9}'));
        assert!(!d.text.starts_with('\u{feff}'));
    }

    #[test]
    fn utf16_is_reported_as_itself() {
        let d = decode_html(b"\xff\xfea\x00", None);
        assert_eq!(d.encoding, encoding_rs::UTF_16LE);
        assert_eq!(d.text, "a");
    }

    #[test]
    fn transport_beats_meta() {
        let d = decode_html(b"<meta charset=utf-8>\xe9", Some(encoding_rs::WINDOWS_1252));
        assert_eq!(d.encoding.name(), "windows-1252");
    }

    #[test]
    fn meta_prescan_is_used() {
        let d = decode_html(b"<meta charset=utf-8>\xc3\xa9", None);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.ends_with('\u{e9}'));
    }

    #[test]
    fn malformed_bytes_are_replaced_and_the_first_is_located() {
        let d = decode_with(UTF_8, b"ab\xffcd\xfe");
        assert_eq!(d.text, "ab\u{fffd}cd\u{fffd}");
        assert_eq!(d.first_error, Some(2));
    }

    proptest::proptest! {
        #[test]
        fn utf8_fast_path_is_encoding_rs(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let d = decode_with(UTF_8, &bytes);
            let (reference, had_errors) = UTF_8.decode_without_bom_handling(&bytes);
            proptest::prop_assert_eq!(&d.text, &reference);
            proptest::prop_assert_eq!(d.first_error.is_some(), had_errors);
        }
    }

    #[test]
    fn large_inputs_grow_the_buffer() {
        let bytes = vec![b'a'; 100_000];
        let d = decode_with(encoding_rs::UTF_16LE, &bytes);
        assert_eq!(d.text.chars().count(), 50_000);
    }
}
