//! P-10 for XML documents: a byte order mark; else the `encoding` of the XML declaration;
//! else UTF-8.
//!
//! - A BOM (UTF-8, UTF-16LE, UTF-16BE) wins over everything, as in browsers.
//! - XML 1.0 Appendix F: `3C 00 3F 00` and `00 3C 00 3F` are `<?` in UTF-16 without a BOM.
//! - An ASCII-compatible start `<?xml` is read for its `encoding` label, looked up as the WHATWG
//!   Encoding Standard does (so `iso-8859-1` decodes as windows-1252, as in browsers). A
//!   declaration readable in ASCII cannot really be UTF-16, so a UTF-16 label there means UTF-8.
//! - A label that is no encoding (or that the Encoding Standard maps to `replacement`): the
//!   bytes are decoded as UTF-8 so that the document can still be shown, and the reader reports
//!   the label as a fatal error (XML 1.0 §4.3.3: an encoding the processor cannot process is a
//!   fatal error), see [`super::tree`].
//! - The transport charset of the caller (HTTP) is not used for XML (P-10).

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};

use super::declaration;

/// P-10: the encoding of an XML document, and where its text begins (after a byte order
/// mark).
pub(crate) fn sniff(bytes: &[u8]) -> (&'static Encoding, usize) {
    // P-10: the BOM wins.
    if let Some(found) = Encoding::for_bom(bytes) {
        return found;
    }
    // XML 1.0 Appendix F: UTF-16 without a byte order mark, recognised by `<?`.
    if bytes.starts_with(&[0x3c, 0x00, 0x3f, 0x00]) {
        return (UTF_16LE, 0);
    }
    if bytes.starts_with(&[0x00, 0x3c, 0x00, 0x3f]) {
        return (UTF_16BE, 0);
    }
    // P-10: else the declaration's encoding, else UTF-8.
    let encoding = declaration::declared_label(bytes)
        .and_then(|label| usable(&label))
        .unwrap_or(UTF_8);
    (encoding, 0)
}

/// The encoding to decode with for a label read from an ASCII-compatible declaration.
pub(crate) fn usable(label: &str) -> Option<&'static Encoding> {
    match Encoding::for_label(label.as_bytes())? {
        e if e == REPLACEMENT => None,
        e if e == UTF_16LE || e == UTF_16BE => Some(UTF_8),
        e => Some(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{Decoded, decode_with};

    /// P-10: an XML document decoded as extraction decodes it.
    fn decode(bytes: &[u8]) -> Decoded {
        let (encoding, start) = sniff(bytes);
        decode_with(encoding, &bytes[start..])
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn defaults_to_utf8() {
        let d = decode("<a>caf\u{e9}</a>".as_bytes());
        assert_eq!(d.encoding, UTF_8);
        assert_eq!(d.text, "<a>caf\u{e9}</a>");
        assert_eq!(d.first_error, None);
    }

    #[test]
    fn the_declaration_names_the_encoding() {
        let d = decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9</a>");
        assert_eq!(d.encoding.name(), "windows-1252");
        assert!(d.text.ends_with("caf\u{e9}</a>"));
    }

    #[test]
    fn the_bom_beats_the_declaration() {
        let d = decode(b"\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1'?><a>\xc3\xa9</a>");
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.starts_with("<?xml"));
        assert!(d.text.ends_with("\u{e9}</a>"));
        let mut le = vec![0xff, 0xfe];
        le.extend(utf16le("<a>\u{e9}</a>"));
        let d = decode(&le);
        assert_eq!(d.encoding, UTF_16LE);
        assert_eq!(d.text, "<a>\u{e9}</a>");
        let mut be = vec![0xfe, 0xff];
        be.extend(utf16be("<a>\u{e9}</a>"));
        assert_eq!(decode(&be).encoding, UTF_16BE);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let doc = "<?xml version='1.0' encoding='UTF-16'?><a>\u{e9}</a>";
        let d = decode(&utf16le(doc));
        assert_eq!((d.encoding, d.text.as_str()), (UTF_16LE, doc));
        let d = decode(&utf16be(doc));
        assert_eq!((d.encoding, d.text.as_str()), (UTF_16BE, doc));
    }

    #[test]
    fn odd_labels() {
        // Readable in ASCII, so not really UTF-16.
        let d = decode(b"<?xml version='1.0' encoding='utf-16'?><a>\xc3\xa9</a>");
        assert_eq!(d.encoding, UTF_8);
        // Unknown: UTF-8, and the reader reports the label.
        let d = decode(b"<?xml version='1.0' encoding='klingon'?><a>\xe9</a>");
        assert_eq!(d.encoding, UTF_8);
        assert!(d.first_error.is_some());
        assert_eq!(usable("iso-2022-kr"), None, "replacement is refused");
        assert_eq!(usable("latin1").map(Encoding::name), Some("windows-1252"));
    }
}
