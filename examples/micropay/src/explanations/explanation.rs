//! What an explanation holds, the ways its example is checked, and the generated example pages
//! (too deep, too many attributes) the limits of P-1.8 need.

/// How an example page has to be checked to show its code.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Setting {
    /// `--base-url`: the URL the page is served from (none: standard input without one).
    pub(crate) base_url: Option<&'static str>,
    /// `--now`: the evaluation instant.
    pub(crate) now: Option<&'static str>,
    /// `--syntax xhtml`.
    pub(crate) xhtml: bool,
}

/// The explanation of one code.
#[derive(Debug)]
pub(crate) struct Explanation {
    /// The code, e.g. `invalid-price`.
    pub(crate) code: &'static str,
    /// One line for the list of codes.
    pub(crate) summary: &'static str,
    /// The rule, in plain words.
    pub(crate) rule: &'static str,
    /// A page that triggers the code (bytes: `decoding-error` needs bytes that are no text).
    pub(crate) example: &'static [u8],
    /// How the example must be checked.
    pub(crate) setting: Setting,
    /// How to fix it.
    pub(crate) fix: &'static str,
}

pub(super) const NONE: Setting = Setting {
    base_url: None,
    now: None,
    xhtml: false,
};
pub(super) const SITE: Setting = Setting {
    base_url: Some("https://news.example/today.html"),
    now: None,
    xhtml: false,
};

/// A per-fee-link, then 257 nested `div`s: deeper than P-1.8 allows.
pub(super) const DEEP_PAGE: [u8; DEEP_LEN] = repeated(LINK, b"<div>", 257, b"\n");
const DEEP_LEN: usize = LINK.len() + 5 * 257 + 1;

/// A carrier start tag with 1,025 attributes: more than P-1.8 allows.
pub(super) const WIDE_PAGE: [u8; WIDE_LEN] = wide();
const WIDE_LEN: usize = b"<object".len() + 5 * 1025 + b">\n".len() + LINK.len();

/// The link the two generated examples carry.
pub(super) const LINK: &[u8] = br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <a href="https://news.example/cartoon.html">Today's cartoon</a>
</object>
"#;

/// `before`, `unit` `times` times, then `after`, as bytes.
const fn repeated<const N: usize>(
    before: &[u8],
    unit: &[u8],
    times: usize,
    after: &[u8],
) -> [u8; N] {
    let mut out = [0; N];
    let mut at = 0;
    let mut i = 0;
    while i < before.len() {
        out[at] = before[i];
        at += 1;
        i += 1;
    }
    let mut round = 0;
    while round < times {
        let mut j = 0;
        while j < unit.len() {
            out[at] = unit[j];
            at += 1;
            j += 1;
        }
        round += 1;
    }
    let mut k = 0;
    while k < after.len() {
        out[at] = after[k];
        at += 1;
        k += 1;
    }
    out
}

/// `<object` with the attributes `aaaa` to `bnmk` (1,025 distinct names), `>`, then [`LINK`].
const fn wide() -> [u8; WIDE_LEN] {
    let start: [u8; WIDE_LEN] = repeated(b"<object", b" ....", 1025, b">\n");
    let mut out = start;
    let mut n = 0;
    while n < 1025 {
        let name = 7 + 5 * n + 1;
        let mut digit = 0;
        let mut rest = n;
        while digit < 4 {
            // Base 26, the last letter varying fastest.
            let letter = [
                b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h', b'i', b'j', b'k', b'l', b'm', b'n',
                b'o', b'p', b'q', b'r', b's', b't', b'u', b'v', b'w', b'x', b'y', b'z',
            ];
            out[name + 3 - digit] = letter[rest % 26];
            rest /= 26;
            digit += 1;
        }
        n += 1;
    }
    let mut i = 0;
    let tail = WIDE_LEN - LINK.len();
    while i < LINK.len() {
        out[tail + i] = LINK[i];
        i += 1;
    }
    out
}
