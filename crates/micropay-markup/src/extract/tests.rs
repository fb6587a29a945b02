use super::*;
use proptest::prelude::*;

/// The same document, with and without the pre-check: links, diagnostics, everything
/// but the limits of the tree (P-1.8), which hold for the pages whose tree is read.
fn assert_precheck_changes_nothing(extractor: &Extractor, bytes: &[u8]) -> bool {
    assert_same_both_ways(extractor, || decode::decode_html(bytes, None))
}

fn assert_same_both_ways(extractor: &Extractor, decode: impl Fn() -> Decoded) -> bool {
    let with = extractor.run_with(decode(), Precheck::On).unwrap();
    let mut without = extractor.run_with(decode(), Precheck::Off).unwrap();
    if !html::may_hold_carriers(with.text()) {
        assert!(without.links.is_empty());
        without.diagnostics.retain(|d| d.code.rule() != "P-1.8");
    }
    assert_eq!(
        serde_json::to_value(&with).unwrap(),
        serde_json::to_value(&without).unwrap(),
        "{}",
        with.text()
    );
    assert_eq!(with.text(), without.text());
    !html::may_hold_carriers(with.text())
}

fn extractor() -> Extractor {
    Extractor::new()
        .document_url(Url::parse("https://merchant.example/dir/page.html").unwrap())
        .now(time::macros::datetime!(2000-01-01 00:00 UTC))
}

#[test]
fn the_precheck_changes_nothing_on_the_fixture_corpus() {
    let (mut pages, mut skipped) = (0, 0);
    for bytes in crate::fixture_pages::read_all() {
        skipped += usize::from(assert_precheck_changes_nothing(&extractor(), &bytes));
        // The same page with its carrier and param tags renamed: the pre-check
        // skips it, and the tree must agree that nothing is there.
        let renamed = || {
            let mut decoded = decode::decode_html(&bytes, None);
            decoded.text = without_carrier_tags(&decoded.text);
            decoded
        };
        assert!(assert_same_both_ways(&extractor(), renamed));
        pages += 1;
    }
    // Fixture pages are about links: (nearly) all of them take the tree.
    assert!(skipped < pages);
}

/// `text` with every `<object`, `<applet` and `<param` (any case) spelled with a `_`.
fn without_carrier_tags(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    for at in 0..out.len() {
        let found = [&b"<object"[..], b"<applet", b"<param"].iter().any(|name| {
            out[at..]
                .get(..name.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        });
        if found {
            out[at + 1] = b'_';
        }
    }
    String::from_utf8(out).expect("only ASCII letters were replaced")
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<objec".to_owned()),
        Just("<object>".to_owned()),
        Just("<param name=price value=1USD>".to_owned()),
        Just("<a href=x>".to_owned()),
        Just("<base href=/b/>".to_owned()),
        Just("param name=textlink".to_owned()),
        Just("<p>".to_owned()),
        Just("\u{fffd}".to_owned()),
        "[<>a-z =\"/!-]{0,10}",
    ]
}

proptest! {
    #[test]
    fn the_precheck_changes_nothing_on_generated_pages(
        pieces in prop::collection::vec(piece(), 0..20),
        bad_byte in any::<bool>(),
    ) {
        let mut bytes = pieces.concat().into_bytes();
        if bad_byte {
            // Undecodable in UTF-8: the decoding-error diagnostic must survive the skip.
            bytes.splice(0..0, *b"<meta charset=utf-8>\xff");
        }
        assert_precheck_changes_nothing(&extractor(), &bytes);
    }

    /// Handing the bytes over changes nothing in the result, whatever they are: valid or
    /// broken UTF-8, ASCII or Latin-1 under any charset (ISO-2022-KR is the replacement
    /// encoding), with or without a byte order mark, HTML or XHTML.
    #[test]
    fn extracting_owned_bytes_is_extracting_borrowed_ones(
        pieces in prop::collection::vec(piece(), 0..12),
        extra in prop::collection::vec(
            prop_oneof![
                Just(&b"\xef\xbb\xbf"[..]),
                Just(&b"\xe9"[..]),
                Just(&b"\xc3\xa9"[..]),
                Just(&b"\xff\xfe"[..]),
                Just(&b"\x1b$B"[..]),
                Just(&b"<meta charset=utf-8>"[..]),
            ],
            0..3),
        charset in prop::option::of(prop_oneof![
            Just("utf-8"), Just("iso-8859-1"), Just("shift_jis"), Just("iso-2022-jp"),
            Just("utf-16le"), Just("iso-2022-kr")]),
        xhtml in any::<bool>(),
    ) {
        let mut bytes = extra.concat();
        bytes.extend_from_slice(pieces.concat().as_bytes());
        let mut extractor = extractor();
        if let Some(label) = charset {
            extractor = extractor.charset(label);
        }
        if xhtml {
            extractor = extractor.syntax(Syntax::Xhtml);
        }
        let borrowed = extractor.extract(&bytes).unwrap();
        let owned = extractor.extract_owned(bytes).unwrap();
        prop_assert_eq!(borrowed.text(), owned.text());
        prop_assert_eq!(borrowed.encoding(), owned.encoding());
        prop_assert_eq!(
            serde_json::to_value(&borrowed).unwrap(),
            serde_json::to_value(&owned).unwrap()
        );
    }
}
