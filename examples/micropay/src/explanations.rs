//! What `micropay explain CODE` says about each diagnostic code: the rule of docs/profile.md in
//! plain words, the smallest page that triggers it, and the usual fix. The SARIF rules carry
//! the same text. A unit test checks every example against the parser.

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

const NONE: Setting = Setting {
    base_url: None,
    now: None,
    xhtml: false,
};
const SITE: Setting = Setting {
    base_url: Some("https://news.example/today.html"),
    now: None,
    xhtml: false,
};

/// A per-fee-link, then 257 nested `div`s: deeper than P-1.8 allows.
const DEEP_PAGE: [u8; DEEP_LEN] = repeated(LINK, b"<div>", 257, b"\n");
const DEEP_LEN: usize = LINK.len() + 5 * 257 + 1;

/// A carrier start tag with 1,025 attributes: more than P-1.8 allows.
const WIDE_PAGE: [u8; WIDE_LEN] = wide();
const WIDE_LEN: usize = b"<object".len() + 5 * 1025 + b">\n".len() + LINK.len();

/// The link the two generated examples carry.
const LINK: &[u8] = br#"<object>
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

/// Every code, in the order of profile.md's table.
pub(crate) const ALL: &[Explanation] = &[
    Explanation {
        code: "missing-required-field",
        summary: "a per-fee-link lacks price, textlink, requesturl or paymentsystem",
        rule: "Four fields are required: the price, the text of the link (what is bought), the URL fetched after paying, and at least one payment system. Without any of them a wallet cannot tell what to pay, for what, or how.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <a href="https://news.example/cartoon.html">Today's cartoon</a>
</object>"#,
        setting: SITE,
        fix: "Add the missing param, here <param name=\"paymentsystem\" value=\"https://ps.example/\">.",
    },
    Explanation {
        code: "duplicate-field",
        summary: "a field other than paymentsystem is given twice",
        rule: "Only paymentsystem may be repeated. Any other field given twice is ambiguous; the checker uses the first and reports the second, and the link is invalid.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="price" value="0.02USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Keep one param per field and delete the others.",
    },
    Explanation {
        code: "empty-field",
        summary: "textlink, requesturl or buyid is empty",
        rule: "textlink says what is bought (and is the text equivalent of an image link); requesturl and buyid say what is delivered. None of them may be empty once surrounding whitespace is trimmed.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="  ">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Write what the reader pays for, e.g. value=\"Today's cartoon\".",
    },
    Explanation {
        code: "invalid-price",
        summary: "the price is not an amount followed by an ISO 4217 code",
        rule: "A price is a decimal amount (optionally with an exponent) immediately followed by a three-letter upper-case ISO 4217 code, as in 0.01USD or 1E-3EUR. No space, no currency symbol, a point as decimal separator.",
        example: br#"<object>
  <param name="price" value="0.05 USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Write the amount and the code together: 0.05USD (not \"0.05 USD\", \"$0.05\", \"0,05EUR\" or \"0.05usd\").",
    },
    Explanation {
        code: "negative-price",
        summary: "the price has a minus sign",
        rule: "A per-fee-link asks the reader to pay; a negative amount would ask the merchant to pay the reader, which no payment system initialised from a page can do.",
        example: br#"<object>
  <param name="price" value="-0.05USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Remove the sign; a free item has the price 0USD (which is itself reported as zero-price).",
    },
    Explanation {
        code: "price-out-of-range",
        summary: "the amount has more digits than an exact decimal can hold",
        rule: "Amounts are exact decimals, never floating point: at most 28 significant digits and at most 28 digits after the point once the exponent is applied.",
        example: br#"<object>
  <param name="price" value="1E-29USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Round the amount to a precision the payment system can settle, e.g. 0.0001USD.",
    },
    Explanation {
        code: "invalid-url",
        summary: "a URL field cannot be parsed",
        rule: "requesturl, imagelink, buyid, baseurl and longdesc are parsed as the WHATWG URL Standard (and browsers) parse URLs. A value the parser rejects leads nowhere.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Correct the URL; percent-encode spaces and other characters a URL may not hold.",
    },
    Explanation {
        code: "unsafe-url-scheme",
        summary: "a URL field is a javascript:, data: or vbscript: URL",
        rule: "What a reader pays for must be a resource, not a script or an inline document: a javascript:, data: or vbscript: URL is refused wherever it appears in a per-fee-link.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="javascript:buy('cartoon')">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Point the field at the http(s) URL of the resource.",
    },
    Explanation {
        code: "relative-baseurl",
        summary: "baseurl is not an absolute URL",
        rule: "baseurl is the base the link's other URLs are resolved against, so it must itself stand alone: an absolute URL with a scheme.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="baseurl" value="/cartoons/">
  <param name="requesturl" value="today.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Write the full URL, e.g. https://news.example/cartoons/, or drop baseurl and let the page's URL be the base.",
    },
    Explanation {
        code: "invalid-paymentsystem",
        summary: "a paymentsystem value does not start with an absolute URI",
        rule: "Each paymentsystem value is an absolute URI naming the payment system, optionally followed by whitespace and text for that system. The URI is what wallets match on.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="millicent">
</object>"#,
        setting: SITE,
        fix: "Use the URI the payment system publishes as its identifier, e.g. https://ps.example/ merchant=42.",
    },
    Explanation {
        code: "invalid-duration",
        summary: "duration is not a whole number of seconds",
        rule: "duration is how many seconds after a purchase the bought URLs are served without paying again: digits only, no sign, point or unit, and small enough for an unsigned 64-bit integer.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="duration" value="1h">
</object>"#,
        setting: SITE,
        fix: "Give seconds: 3600 for an hour, 86400 for a day.",
    },
    Explanation {
        code: "invalid-expiration",
        summary: "expiration is neither an RFC 3339 date-time nor a date",
        rule: "expiration is the instant until which the offer stands: an RFC 3339 date-time with its offset (1999-12-31T23:59:59Z) or a date alone (1999-12-31, meaning the end of that day in UTC).",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="expiration" value="31/12/1999">
</object>"#,
        setting: SITE,
        fix: "Write the date as YYYY-MM-DD or a full date-time with Z or an offset.",
    },
    Explanation {
        code: "xml-not-well-formed",
        summary: "an XHTML document is not well-formed XML",
        rule: "A document read as XHTML (a .xhtml file or --syntax xhtml) is parsed as XML, and an XML parser stops at the first error: nothing after it, and so no per-fee-link, can be trusted.",
        example: br#"<html xmlns="http://www.w3.org/1999/xhtml"><body>
<object>
  <param name="price" value="0.01USD">
</object>
</body></html>"#,
        setting: Setting {
            base_url: Some("https://news.example/today.xhtml"),
            now: None,
            xhtml: true,
        },
        fix: "Close every element, empty ones too (<param ... />), and quote every attribute value.",
    },
    Explanation {
        code: "nesting-too-deep",
        summary: "HTML elements nested more than 256 deep",
        rule: "A page is read into the tree a browser builds, and a parser's work on a tree nested hundreds of elements deep grows with the square of the depth; browsers cut such trees too (Chromium stops nesting at 512 and builds another tree beyond). An element with more than 255 elements around it stops the reading: the page gets this error and none of its per-fee-links is reported, not even those before it.",
        example: &DEEP_PAGE,
        setting: SITE,
        fix: "Close the elements a template or a loop leaves open (an unclosed <div>, <font> or <li> per item); no page needs to nest 256 elements deep.",
    },
    Explanation {
        code: "too-many-attributes",
        summary: "an HTML tag with more than 1,024 attributes",
        rule: "A parser compares each attribute of a tag with those before it, so its work on one tag grows with the square of the number of attributes. A tag (start or end tag) with more than 1,024 distinct attribute names stops the reading: the page gets this error and none of its per-fee-links is reported.",
        example: &WIDE_PAGE,
        setting: SITE,
        fix: "Remove the attributes nothing reads; no element needs more than a few dozen.",
    },
    Explanation {
        code: "missing-recommended-field",
        summary: "a per-fee-link has no title (or an empty one)",
        rule: "title should be given: it is what a wallet shows when asking the reader to confirm a payment, and what assistive technology announces.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <a href="https://news.example/cartoon.html">Today's cartoon</a>
</object>"#,
        setting: SITE,
        fix: "Add <param name=\"title\" value=\"The cartoon of 25 August 1999\">.",
    },
    Explanation {
        code: "alias-field-name",
        summary: "a field is named by an accepted alias",
        rule: "buyurl, mpbaseurl and description are accepted as older names of buyid, baseurl and longdesc, but the canonical names are the ones every wallet knows.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="buyurl" value="https://news.example/cartoons/">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Rename the param to its canonical name, here buyid.",
    },
    Explanation {
        code: "legacy-paymentsystem-name",
        summary: "a payment system is given as mpN.mpname",
        rule: "Early handlers numbered their payment systems (mp1.mpname, mp2.mpname ...). The form is still read, in document order, but one repeated paymentsystem param is the form of the profile.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="mp1.mpname" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Write <param name=\"paymentsystem\" value=\"https://ps.example/\">, one per payment system, in your order of preference.",
    },
    Explanation {
        code: "unknown-field",
        summary: "a param name is probably a misspelt field name",
        rule: "Params that are no field are kept as extensions, but a name within two edits of a field name is almost always a typo, which silently loses the field.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="titel" value="The cartoon of the day">
</object>"#,
        setting: SITE,
        fix: "Correct the name as suggested (here title); a real extension should get a distinct name such as x-colour.",
    },
    Explanation {
        code: "misplaced-param",
        summary: "a field param is not a direct child of an object or applet",
        rule: "Browsers hand a plug-in only the param elements directly inside its object or applet. A field param anywhere else reaches no wallet and is ignored.",
        example: br#"<p>Today's cartoon <param name="price" value="0.01USD"></p>"#,
        setting: SITE,
        fix: "Move the param directly inside the object of the per-fee-link it belongs to.",
    },
    Explanation {
        code: "nested-per-fee-link",
        summary: "a per-fee-link sits in another one's fallback content",
        rule: "Each object is a candidate of its own, so a per-fee-link inside another's fallback is extracted too; but a browser shows the inner one only when it cannot use the outer one, which is rarely what was meant.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <object>
    <param name="price" value="0.02USD">
    <param name="textlink" value="Yesterday's cartoon">
    <param name="requesturl" value="https://news.example/yesterday.html">
    <param name="paymentsystem" value="https://ps.example/">
  </object>
</object>"#,
        setting: SITE,
        fix: "Put the two objects side by side.",
    },
    Explanation {
        code: "missing-fallback",
        summary: "a per-fee-link has no fallback content",
        rule: "Whatever an object holds besides its params is shown by browsers without a wallet, which today is nearly all of them. Without it the link is invisible to most readers.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Add a plain link after the params: <a href=\"https://news.example/cartoon.html\">Today's cartoon</a>.",
    },
    Explanation {
        code: "fallback-link-mismatch",
        summary: "the fallback's first link does not lead to the requesturl",
        rule: "The fallback stands in for the per-fee-link, so its first link should lead where the payment leads, after the same URL resolution.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <a href="https://news.example/subscribe.html">Today's cartoon</a>
</object>"#,
        setting: SITE,
        fix: "Make the fallback link's href the requesturl.",
    },
    Explanation {
        code: "withdrawn-currency",
        summary: "the currency code was withdrawn from ISO 4217",
        rule: "Codes such as FRF, DEM or ITL were valid in 1999 and were withdrawn when the euro replaced them. The price is read, but no payment system settles in them today.",
        example: br#"<object>
  <param name="price" value="0.50FRF">
  <param name="textlink" value="Le dessin du jour">
  <param name="requesturl" value="https://news.example/dessin.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Price in the successor currency (for FRF, EUR at 6.55957 FRF per euro).",
    },
    Explanation {
        code: "unknown-currency",
        summary: "the three letters were never an ISO 4217 code",
        rule: "The price's code must be an ISO 4217 alphabetic code. Three upper-case letters that never were one are probably a typo.",
        example: br#"<object>
  <param name="price" value="0.01UDS">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Use the ISO 4217 code of the currency, e.g. USD, EUR, GBP, JPY.",
    },
    Explanation {
        code: "zero-price",
        summary: "the amount is zero",
        rule: "A per-fee-link is for paying; a zero price is allowed but usually a forgotten amount.",
        example: br#"<object>
  <param name="price" value="0USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Give the real amount, or make a free item an ordinary link.",
    },
    Explanation {
        code: "unresolved-relative-url",
        summary: "a relative URL with nothing to resolve it against",
        rule: "Relative URLs resolve against the link's baseurl, else the page's <base href>, else the page's own URL. A page read without any of them (standard input without --base-url) leaves relative URLs unresolved.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: NONE,
        fix: "Tell the checker where the page is served (--base-url or base_url in micropay.toml), or add a baseurl param.",
    },
    Explanation {
        code: "baseurl-not-directory",
        summary: "baseurl's path does not end in /",
        rule: "The draft describes baseurl as a common prefix, but URLs resolve against it: against https://news.example/cartoons, today.html becomes https://news.example/today.html. Only a path ending in / makes the two readings agree.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="baseurl" value="https://news.example/cartoons">
  <param name="requesturl" value="today.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "End the baseurl with a slash: https://news.example/cartoons/.",
    },
    Explanation {
        code: "cross-origin-requesturl",
        summary: "the requesturl is on another site than the page",
        rule: "When the page is served over http(s), a requesturl on another origin means the reader sees one site and pays for another: allowed, but worth a second look.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://cartoons.example/today.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Serve the paid resource from the page's own site, or keep it and allow the code for the page in micropay.toml.",
    },
    Explanation {
        code: "duplicate-paymentsystem",
        summary: "the same payment system is listed twice",
        rule: "Payment systems are listed in the merchant's order of preference, each once; a second listing of the same URI is ignored.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="paymentsystem" value="https://ps.example/ account=2">
</object>"#,
        setting: SITE,
        fix: "Keep one paymentsystem param per payment system.",
    },
    Explanation {
        code: "invalid-target",
        summary: "target is not a frame name or keyword",
        rule: "target names the frame the bought resource opens in: one of _blank, _self, _parent, _top, or a name that does not start with an underscore.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="target" value="_new">
</object>"#,
        setting: SITE,
        fix: "Use _blank for a new window, or a frame name without the leading underscore.",
    },
    Explanation {
        code: "invalid-hreflang",
        summary: "hreflang is not a well-formed language tag",
        rule: "hreflang gives the language of the bought resource as a BCP 47 tag: subtags of letters and digits joined by hyphens, such as en, en-GB or zh-Hant.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="hreflang" value="en_US">
</object>"#,
        setting: SITE,
        fix: "Join subtags with hyphens: en-US.",
    },
    Explanation {
        code: "invalid-type",
        summary: "type is not a MIME type",
        rule: "type gives the media type of the bought resource as type/subtype, optionally followed by parameters.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="type" value="gif">
</object>"#,
        setting: SITE,
        fix: "Write the full media type, e.g. image/gif or text/html; charset=utf-8.",
    },
    Explanation {
        code: "invalid-accesskey",
        summary: "accesskey is not exactly one character",
        rule: "accesskey is the keyboard shortcut of the link: exactly one character.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="accesskey" value="ctrl-c">
</object>"#,
        setting: SITE,
        fix: "Give a single character, e.g. c.",
    },
    Explanation {
        code: "invalid-charset",
        summary: "charset is not an encoding label browsers know",
        rule: "charset gives the encoding of the bought resource; it must be a label of the WHATWG Encoding Standard (utf-8, iso-8859-1, shift_jis ...), the only ones a browser will honour.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="charset" value="utf-9">
</object>"#,
        setting: SITE,
        fix: "Use a known label such as utf-8 or iso-8859-1.",
    },
    Explanation {
        code: "expired-offer",
        summary: "the offer expired before the evaluation instant",
        rule: "After its expiration the offer no longer stands and wallets refuse it. The checker compares with --now, by default the moment of the run.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
  <param name="expiration" value="1999-12-31">
</object>"#,
        setting: Setting {
            base_url: Some("https://news.example/today.html"),
            now: Some("2000-01-01T12:00:00Z"),
            xhtml: false,
        },
        fix: "Move the expiration forward, or take the offer off the page.",
    },
    Explanation {
        code: "conflicting-offers",
        summary: "two per-fee-links sell the same URL for different prices",
        rule: "Two links of one page whose requesturls resolve to the same URL but whose prices differ leave the reader guessing which price applies.",
        example: br#"<object>
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>
<object>
  <param name="price" value="0.02USD">
  <param name="textlink" value="Today's cartoon">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Give both links the same price, or make them sell different URLs.",
    },
    Explanation {
        code: "displayed-price-mismatch",
        summary: "textlink or title shows an amount other than the price",
        rule: "When the text of a link shows a money amount (a currency symbol or code next to a number), it must be the price actually charged: a page that says 5 cents and charges 5 dollars misleads the reader.",
        example: br#"<object>
  <param name="price" value="0.05USD">
  <param name="textlink" value="Today's cartoon ($0.01)">
  <param name="requesturl" value="https://news.example/cartoon.html">
  <param name="paymentsystem" value="https://ps.example/">
</object>"#,
        setting: SITE,
        fix: "Make the text and the price agree.",
    },
    Explanation {
        code: "decoding-error",
        summary: "bytes that are not valid in the page's encoding",
        rule: "Pages are decoded as browsers decode them: byte order mark, then the charset from the server (--charset), then <meta charset>, else windows-1252. Bytes that do not decode become U+FFFD, and prices or names may change with them.",
        example: b"<meta charset=\"utf-8\">\n<p>Caf\xe9 cartoons</p>",
        setting: SITE,
        fix: "Declare the encoding the page is really saved in (here iso-8859-1), or save it as UTF-8.",
    },
    Explanation {
        code: "undeclared-utf8",
        summary: "a page saved as UTF-8 that does not say so, read as windows-1252",
        rule: "A page that declares no encoding (no byte order mark, no charset from the server, no <meta charset> in its first 1024 bytes) is read as windows-1252, as browsers read it. When its bytes are nevertheless valid UTF-8 with some non-ASCII in them, it was almost certainly saved as UTF-8: browsers show mojibake (\u{e9} as \u{c3}\u{a9}), prices and names read otherwise than written, and columns differ from the editor's.",
        example: b"<p>Caf\xc3\xa9 cartoons</p>",
        setting: SITE,
        fix: "Declare it: <meta charset=\"utf-8\"> at the start of <head>, or charset=utf-8 in the server's Content-Type; check the page as the server sends it with --charset utf-8.",
    },
];

/// The explanation of `code`, by its kebab-case name.
pub(crate) fn find(code: &str) -> Option<&'static Explanation> {
    ALL.iter().find(|e| e.code == code)
}
