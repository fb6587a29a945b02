//! Named character references respelled as decimal ones of the same length before html5ever
//! reads them: `&amp;` as `&#38;`, `&middot;` as `&#00183;`.
//!
//! html5ever reads a named reference one character at a time, looking the name read so far up
//! in its table of names each time (a SipHash of the prefix), and puts back the character that
//! ends the match; a decimal reference it reads digit by digit. On news pages, where most
//! links carry `&amp;` and the text `&middot;`, `&nbsp;` and `&mdash;`, the named references
//! took about 6 % of the parse.
//!
//! The tree is the same (P-1.6):
//! - Where the tokenizer reads references (text, RCDATA, attribute values) both spellings give
//!   the same character. Only a name ending in `;` is respelled, so the longest match is that
//!   name and the legacy rule for attribute values (a match without `;` followed by `=` or a
//!   letter is left as written) never applies. Only a name for one code point is respelled,
//!   and none names a code point the decimal form would map elsewhere (0, U+0080-U+009F,
//!   surrogates).
//! - Where it does not (script, style and other raw text, comments, CDATA, DOCTYPE), the
//!   characters differ but nothing reads them: text is kept only as visible or not, and
//!   both spellings are visible; the DOCTYPE's public and system identifiers decide the quirks
//!   mode by lists that hold no `&`, so a `&` and what follows it cannot change a match.
//! - Tag and attribute names are the one place where the spelling could change the tree (an
//!   end tag `</x&amp;>` closes `<x&amp;>`, and no longer `<x&#38;>` as well) or what is read
//!   (an attribute's name). The driver notices a tag name, or the name of an attribute it
//!   keeps, with a `&` in it and then parses the page again as written ([`super::parse`]);
//!   the attributes it drops are read by nothing.
//! - Every respelling has the length of what it replaces, so byte offsets and lines stay true.

use html5ever::tendril::StrTendril;
use markup5ever::data::NAMED_ENTITIES;

/// The longest name of the table, `CounterClockwiseContourIntegral;`.
const LONGEST_NAME: usize = 32;

/// `piece` as html5ever is to read it: each named reference ending in `;` that names one code
/// point short enough in decimal respelled as a decimal reference of the same length.
pub(crate) fn respelled(piece: &str) -> StrTendril {
    let bytes = piece.as_bytes();
    let mut out = StrTendril::with_capacity(u32::try_from(piece.len()).unwrap_or(u32::MAX));
    let mut copied = 0;
    let mut spelling = [0_u8; LONGEST_NAME + 2];
    for at in memchr::memchr_iter(b'&', bytes) {
        if at < copied {
            continue;
        }
        let Some(len) = decimal_spelling(&bytes[at..], &mut spelling) else {
            continue;
        };
        out.push_slice(&piece[copied..at]);
        // The spelling is ASCII (`&#`, digits, `;`).
        out.push_slice(std::str::from_utf8(&spelling[..len]).unwrap_or_default());
        copied = at + len;
    }
    out.push_slice(&piece[copied..]);
    out
}

/// If `reference` (from a `&` on) begins with a named reference to respell, writes its decimal
/// spelling into `spelling` and returns their common length.
fn decimal_spelling(reference: &[u8], spelling: &mut [u8; LONGEST_NAME + 2]) -> Option<usize> {
    // `amp;` is most of them: no table, no hash.
    let code_point = if reference.starts_with(b"&amp;") {
        u32::from(b'&')
    } else {
        let name_and_semicolon = {
            let rest = reference.get(1..)?;
            let end = rest
                .iter()
                .take(LONGEST_NAME)
                .position(|&b| !b.is_ascii_alphanumeric())?;
            (rest.get(end) == Some(&b';') && end > 0).then(|| &rest[..=end])?
        };
        // The table's names are ASCII.
        let name = std::str::from_utf8(name_and_semicolon).ok()?;
        match NAMED_ENTITIES.get(name) {
            Some(&(code_point, 0)) if code_point != 0 => code_point,
            _ => return None,
        }
    };
    let len = reference.iter().position(|&b| b == b';')? + 1;
    // `&#`, the digits and `;` in `len` bytes: `len - 3` digits, zeros in front.
    let width = len.checked_sub(3)?;
    let mut digits = [0_u8; 10];
    let mut n = code_point;
    let mut count = 0;
    while n > 0 || count == 0 {
        digits[count] = b'0' + u8::try_from(n % 10).ok()?;
        n /= 10;
        count += 1;
    }
    if count > width || !is_kept_as_is(code_point) {
        return None;
    }
    spelling[0] = b'&';
    spelling[1] = b'#';
    let number = &mut spelling[2..2 + width];
    number.fill(b'0');
    for (slot, digit) in number.iter_mut().rev().zip(&digits[..count]) {
        *slot = *digit;
    }
    spelling[2 + width] = b';';
    Some(len)
}

/// Whether a decimal reference to `code_point` gives that very code point: the tokenizer maps
/// 0, U+0080-U+009F, surrogates and numbers beyond U+10FFFF to others. No name of the table
/// stands for one of them; the check keeps it so whatever the table holds.
fn is_kept_as_is(code_point: u32) -> bool {
    code_point != 0
        && !(0x80..=0x9f).contains(&code_point)
        && !(0xd800..=0xdfff).contains(&code_point)
        && code_point <= 0x10_ffff
}

#[cfg(test)]
mod tests {
    use super::respelled;
    use proptest::prelude::*;

    fn text_with_references() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("&amp;".to_owned()),
                Just("&middot;".to_owned()),
                Just("&nbsp;".to_owned()),
                Just("&lt;".to_owned()),
                Just("&NotEqualTilde;".to_owned()),
                Just("&notin;".to_owned()),
                Just("&amp".to_owned()),
                "[&#;a-zA-Z0-9 <>=\"é]{0,12}",
            ],
            0..24,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn keeps_the_length_and_changes_only_references_to_decimal_ones(
            text in text_with_references()
        ) {
            let out = respelled(&text);
            prop_assert_eq!(out.len(), text.len());
            // Each change is a whole `&name;` become `&#digits;`.
            let (a, b) = (text.as_bytes(), out.as_bytes());
            let mut at = 0;
            while at < a.len() {
                if a[at] == b[at] {
                    at += 1;
                    continue;
                }
                let start = a[..at].iter().rposition(|&c| c == b'&').unwrap();
                let end = at + a[at..].iter().position(|&c| c == b';').unwrap();
                prop_assert!(a[start + 1..end].iter().all(u8::is_ascii_alphanumeric));
                prop_assert_eq!(b[start + 1], b'#');
                prop_assert!(b[start + 2..end].iter().all(u8::is_ascii_digit));
                prop_assert_eq!(b[end], b';');
                at = end + 1;
            }
            // Decimal references are never respelled again.
            prop_assert_eq!(&*respelled(&out), &*out);
        }
    }

    #[test]
    fn respells_named_references_as_decimal_ones_of_the_same_length() {
        for (written, read) in [
            ("a &amp; b", "a &#38; b"),
            ("&middot;&nbsp;&mdash;", "&#00183;&#160;&#8212;"),
            ("&quot;x&quot;", "&#034;x&#034;"),
            ("&eacute;t&eacute;", "&#00233;t&#00233;"),
            (
                "&CounterClockwiseContourIntegral;",
                "&#000000000000000000000000008755;",
            ),
        ] {
            assert_eq!(&*respelled(written), read, "{written}");
            assert_eq!(written.len(), read.len());
        }
    }

    #[test]
    fn leaves_what_it_cannot_respell_as_written() {
        for written in [
            // Too short for the code point in decimal.
            "&lt;&gt;",
            // No `;`: the legacy forms, whose reading depends on what follows.
            "&amp &ampx &copy=1",
            // Not names of the table, or empty.
            "&bogus; &; & ;",
            // Two code points.
            "&NotEqualTilde;",
            // A name longer than any in the table.
            "&abcdefghijklmnopqrstuvwxyzabcdefgh;",
            // Already decimal or hexadecimal.
            "&#38; &#x26;",
            "",
            "&",
            "a&amp",
        ] {
            assert_eq!(&*respelled(written), written);
        }
    }
}
