//! The explanations of the warning codes, in the order of docs/profile.md's table.

use super::explanation::{Explanation, NONE, SITE, Setting};

/// The warning codes' explanations.
pub(super) const WARNINGS: &[Explanation] = &[
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
