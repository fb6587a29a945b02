//! P-4: every URL kept is at its WHATWG serialise/parse fixed point.
//!
//! WHATWG URL serialisation is not idempotent for a few file URLs: `file://h//a:/` serialises as
//! `file://h/a:/`, which parses as `file:///a:/` (a Windows drive letter as the first path
//! segment drops the host). Every URL we keep is taken to that fixed point, so that writing it
//! out and reading it back — in JSON, in rendered markup, in a token — gives the same URL.
//!
//! Parsing the serialisation again costs as much as the first parse. [`is_fixed_point`]
//! recognises, by its serialisation alone, a plain web URL that a parse cannot change, and
//! [`settle`] skips the parse for it; see the proof there.

use url::{Host, Url};

/// The URL that `url`'s serialisation denotes.
pub(crate) fn settle(mut url: Url) -> Url {
    if is_fixed_point(&url) {
        return url;
    }
    // The fixed point is reached in one step for every input known; four is a safe bound.
    for _ in 0..4 {
        match Url::parse(url.as_str()) {
            Ok(next) if next != url => url = next,
            _ => break,
        }
    }
    url
}

/// Whether `Url::parse(url.as_str())` is certainly `Ok(url)`, read off the serialisation `s`.
///
/// Proof, against the URL Standard's basic URL parser as the `url` crate (2.5.8, with idna
/// 1.1.0) implements it (`parser.rs`, `host.rs`, `uts46.rs`); `Url` equality is equality of
/// serialisations. When this returns true, `s` is
/// `scheme "://" host [":" port] path ["?" query] ["#" fragment]` with:
///
/// 1. `scheme` one of `http`, `https`, `ws`, `wss`, `ftp` (special, not `file`: the only scheme
///    with Windows drive letter rules, the known non-idempotent case), no user name and no
///    password. Parsing `s`: no leading or trailing C0 control or space is trimmed (`s` starts
///    with a letter, and every part below excludes controls and space), and no tab or newline
///    is removed (excluded everywhere). The scheme is read back lower case as it is; a special
///    scheme followed by `//` and a host starting with a letter takes exactly the two slashes
///    and goes to the authority state.
/// 2. The authority holds no `@` (the host and port below have none), so no user info is read.
///    The host ends at the first `:`, `/`, `\`, `?` or `#`: exactly at the end of `host`, whose
///    bytes are `[a-z0-9.-]`.
/// 3. `host` is a domain whose labels are all non-empty, start with `a`-`z`, hold only
///    `a`-`z`, `0`-`9` and `-`, do not end with `-` and have no `--` at their third and fourth
///    byte (so no label is `xn--` Punycode). Host parsing percent-decodes it (no `%`: unchanged)
///    and runs domain-to-ASCII (UTS #46 with the URL deny list). Every label passes idna's
///    ASCII pass-through test (`is_passthrough_ascii_label`: empty, or a-z first, a-z0-9- after,
///    no `-` last, no `--` at 2..4), so `process` answers `Passthrough` and the domain is `host`
///    itself, with no error. In UTS #46 terms: lower-case LDH labels map to themselves, none
///    is Punycode, there is no right-to-left label (no Bidi rule) and no joiner. The last label
///    starts with a letter, so the host does not "end in a number" (neither all digits nor
///    `0x`…): it is the domain `host`, not an IPv4 address, and is written back as is.
/// 4. The port, if any, was written as the decimal of a `u16` other than the scheme's default
///    (checked here), which the port state reads back as the same number and writes again.
/// 5. `path` starts with `/`. For a special URL the path state splits it at every `/` (and
///    `\`, excluded), percent-encodes each segment with the path set, and then drops or pops a
///    segment only if the encoded segment is a single- or double-dot segment (`.`, `..`, or
///    `%2e` forms in any case). Every segment of `path` holds only bytes outside the path
///    percent-encode set (printable ASCII but space `"` `#` `<` `>` `?` `` ` `` `{` `}`), and
///    `\`, so encoding leaves it as it is (`%` is not in the set, an existing `%XX` stays), and
///    none is a dot segment, so none is dropped or popped: the path is written back as is.
///    (The drive-letter steps run for `file` only.)
/// 6. `query`: every byte is outside the special-query percent-encode set (printable ASCII
///    but space `"` `#` `<` `>` `'`), so it is neither ended early (`#`) nor re-encoded.
/// 7. `fragment`: every byte is outside the fragment percent-encode set (printable ASCII but
///    space `"` `<` `>` `` ` ``), so it is written back as is.
///
/// Every part is read back and written as it stands, so the parse gives `s`. The property test
/// below checks this on generated URL strings and base-reference pairs.
pub(crate) fn is_fixed_point(url: &Url) -> bool {
    let default_port = match url.scheme() {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        "ftp" => 21,
        _ => return false,
    };
    if !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    let Some(Host::Domain(host)) = url.host() else {
        return false;
    };
    if !host.split('.').all(is_plain_label) || url.port() == Some(default_port) {
        return false;
    }
    let Some(segments) = url.path().strip_prefix('/') else {
        return false;
    };
    segments
        .split('/')
        .all(|s| all_in(s, &PATH_KEPT) && !is_dot_segment(s))
        && url.query().is_none_or(|q| all_in(q, &QUERY_KEPT))
        && url.fragment().is_none_or(|f| all_in(f, &FRAGMENT_KEPT))
}

/// A label idna passes through unchanged, and not empty (point 3).
fn is_plain_label(label: &str) -> bool {
    let b = label.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase)
        && b.last() != Some(&b'-')
        && !(b.len() >= 4 && &b[2..4] == b"--")
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// `.`, `..`, and their `%2e` spellings in any case: what the path state drops or pops.
fn is_dot_segment(segment: &str) -> bool {
    [".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"]
        .iter()
        .any(|d| segment.eq_ignore_ascii_case(d))
}

fn all_in(text: &str, kept: &[bool; 128]) -> bool {
    text.bytes()
        .all(|b| kept.get(usize::from(b)) == Some(&true))
}

/// Printable ASCII (`!` to `~`) but `excluded`.
const fn printable_but(excluded: &[u8]) -> [bool; 128] {
    let mut table = [false; 128];
    let mut b = b'!';
    while b <= b'~' {
        table[b as usize] = true;
        b += 1;
    }
    let mut i = 0;
    while i < excluded.len() {
        table[excluded[i] as usize] = false;
        i += 1;
    }
    table
}

/// Outside the path percent-encode set, and not `\` (a separator in special URLs): point 5.
const PATH_KEPT: [bool; 128] = printable_but(b"\"#<>?`{}\\");
/// Outside the special-query percent-encode set: point 6.
const QUERY_KEPT: [bool; 128] = printable_but(b"\"#<>'");
/// Outside the fragment percent-encode set: point 7.
const FRAGMENT_KEPT: [bool; 128] = printable_but(b"\"<>`");

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `settle` as it was before the shortcut: always parse again.
    fn settle_by_parsing(mut url: Url) -> Url {
        for _ in 0..4 {
            match Url::parse(url.as_str()) {
                Ok(next) if next != url => url = next,
                _ => break,
            }
        }
        url
    }

    fn check(url: &Url) -> Result<(), TestCaseError> {
        if is_fixed_point(url) {
            let again = Url::parse(url.as_str());
            prop_assert_eq!(again.as_ref(), Ok(url), "{}", url.as_str());
        }
        prop_assert_eq!(&settle(url.clone()), &settle_by_parsing(url.clone()));
        Ok(())
    }

    fn pieces(items: &[&'static str], n: usize) -> impl Strategy<Value = String> + use<> {
        prop::collection::vec(prop::sample::select(items.to_vec()), 0..n).prop_map(|v| v.concat())
    }

    fn scheme() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            3 => prop::sample::select(vec!["http", "https", "ws", "wss", "ftp"]),
            1 => prop::sample::select(vec!["HTTP", "hTtPs", "file", "FILE", "foo", "ht+tp", ""]),
        ]
    }

    fn authority() -> impl Strategy<Value = String> {
        // Hosts that take the shortcut, with a port or not, and near misses of them.
        let plain = (
            prop::collection::vec("[a-z][a-z0-9]{0,3}(-[a-z0-9]{1,2})?", 1..4),
            prop::sample::select(vec!["", "", ":8080", ":80", ":443", ":21", "."]),
        )
            .prop_map(|(labels, port)| format!("{}{port}", labels.join(".")));
        let near_plain = pieces(
            &[
                "a", "z", "x", "n", "ex", "com", "example", "0", "9", "-", ".", ":8080", ":80",
                ":443",
            ],
            10,
        );
        let adversarial = pieces(
            &[
                "a",
                "Z",
                "x",
                "n",
                "-",
                "--",
                ".",
                "0",
                "9",
                "0x",
                "xn--",
                "xn--nxasmq6b",
                "xn--a",
                "%41",
                "%2e",
                "%",
                "@",
                ":",
                ":80",
                ":443",
                ":21",
                ":8080",
                ":0",
                "[",
                "]",
                "::1",
                "1.2.3.4",
                "é",
                "\u{200d}",
                "ß",
                "\u{5d0}",
                "_",
                "~",
                "\t",
                " ",
                "\\",
                "ａ",
                "。",
                "K",
            ],
            10,
        );
        prop_oneof![2 => plain, 1 => near_plain, 1 => adversarial]
    }

    pub(in crate::url_ref) fn rest() -> impl Strategy<Value = String> {
        pieces(
            &[
                "/", "//", "\\", ".", "..", "%2e", "%2E", ".%2E", "%2e%2e", "a", "C:", "c|", "%",
                "%4", "%41", "?", "#", " ", "\t", "\n", "é", "{", "}", "`", "'", "\"", "<", ">",
                "^", "|", "\u{0}", "\u{7f}", "&", "=", "@", ":", ";", "[", "]",
            ],
            12,
        )
    }

    pub(in crate::url_ref) fn url_text() -> impl Strategy<Value = String> {
        (
            scheme(),
            prop::sample::select(vec![":", "://", ":/", ":\\\\", ":///", "://\\", ":/\\"]),
            authority(),
            rest(),
        )
            .prop_map(|(s, sep, a, r)| format!("{s}{sep}{a}{r}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn the_shortcut_holds_for_parsed_urls(text in url_text()) {
            if let Ok(url) = Url::parse(&text) {
                check(&url)?;
            }
        }

        #[test]
        fn the_shortcut_holds_for_resolved_references(
            base in url_text(),
            reference in prop_oneof![rest(), url_text(), authority().prop_map(|a| format!("//{a}"))],
        ) {
            if let Ok(base) = Url::parse(&base) {
                check(&base)?;
                if let Ok(url) = base.join(&reference) {
                    check(&url)?;
                }
            }
        }
    }

    #[test]
    fn the_generated_urls_exercise_the_shortcut() {
        // The property tests above are only worth something if many generated URLs take the
        // shortcut, and many do not.
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut parsed, mut shortcut) = (0, 0);
        for _ in 0..4096 {
            let text = url_text().new_tree(&mut runner).unwrap().current();
            if let Ok(url) = Url::parse(&text) {
                parsed += 1;
                shortcut += usize::from(is_fixed_point(&url));
            }
        }
        eprintln!("{shortcut} of {parsed}");
        assert!(
            shortcut * 4 > parsed && shortcut * 4 < parsed * 3,
            "{shortcut} of {parsed}"
        );
    }

    #[test]
    fn plain_web_urls_take_the_shortcut() {
        for text in [
            "https://news.example/archive/17.html",
            "https://ps.example/",
            "http://m.example:8080/a/b.c?x=1&y='#top",
            "wss://a1-b.c/%2e%2e./.../x%",
        ] {
            let url = Url::parse(text).unwrap();
            assert!(is_fixed_point(&url), "{text}");
            assert_eq!(Url::parse(url.as_str()).unwrap(), url);
        }
        for text in [
            "file://h/a:/",
            "https://user@m.example/",
            "https://xn--nxasmq6b.example/",
            "https://1.2.3.4/",
            "https://m.example./",
            "https://[::1]/",
            "https://ab--c.example/",
            "https://a_b.example/",
            "web+x://m.example/",
        ] {
            assert!(!is_fixed_point(&Url::parse(text).unwrap()), "{text}");
        }
    }

    #[test]
    fn the_fuzz_regressions_still_hold() {
        // The inputs of fuzz/regressions/paymentsystem/, settled: the conformance crate replays
        // the files themselves (tests/fuzz_regressions.rs).
        for text in ["file://httsp*///h:/.", "file://h//a:/", "file://h/C|/x"] {
            let url = settle(Url::parse(text).unwrap());
            assert_eq!(Url::parse(url.as_str()).unwrap(), url, "{text}");
        }
    }
}
