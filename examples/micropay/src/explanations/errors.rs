//! The explanations of the error codes, in the order of docs/profile.md's table.

use super::explanation::{DEEP_PAGE, Explanation, SITE, Setting, WIDE_PAGE};

/// The error codes' explanations.
pub(super) const ERRORS: &[Explanation] = &[
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
];
