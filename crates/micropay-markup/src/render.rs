//! Canonical per-fee-link markup from a link description: the inverse of extraction.
//!
//! A [`LinkDescription`] is read with serde from JSON or TOML, with the keys of the link object
//! of the JSON contract (docs/cli.md): `price`, `textlink`, `requesturl`, `paymentsystems`, the
//! optional fields by their canonical names, and `extensions` as `[name, value]` pairs. Every
//! value goes through the crate's own parsers, so a description that loads is one whose
//! rendering extracts to the same link with no error-level diagnostic.
//!
//! ```
//! use micropay_markup::{LinkDescription, render};
//! let description: LinkDescription = serde_json::from_str(r#"{
//!     "price": "0.01USD",
//!     "textlink": "Today's cartoon",
//!     "requesturl": "https://merchant.example/cartoon/today.html",
//!     "paymentsystems": ["https://ps.example/"]
//! }"#)?;
//! let markup = render(&description);
//! let doc = micropay_markup::Extractor::new().extract_str(&markup)?;
//! assert_eq!(doc.links()[0].price(), Some(description.price()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use serde::de::{self, IgnoredAny};
use serde::{Deserialize, Deserializer};
use url::Url;

use crate::carrier::trim_ascii;
use crate::field::{self, Field};
use crate::url_ref::{self, LinkUrl};
use crate::{Duration, Expiration, PaymentSystem, PerFeeLink, Price, Severity};

/// The `type` attribute of the rendered `object`.
///
/// P-1.5: the draft's own value is not known and extraction does not look at it. This is the
/// value the conformance corpus (spec-fixtures/) writes; it names no real plug-in, so a browser
/// without a wallet shows the fallback link.
pub const OBJECT_TYPE: &str = "application/x-per-fee-link";

/// Everything a per-fee-link says, validated: what [`render`] writes.
///
/// Built by deserialising (JSON, TOML or any serde format), or from an extracted
/// [`PerFeeLink`] (`LinkDescription::try_from(&link)`), through the same checks. Text values are trimmed of
/// ASCII whitespace as extraction trims them (P-2); an optional text that is empty once trimmed
/// counts as absent. URL fields are absolute: a relative reference is resolved against
/// `baseurl` when there is one and refused otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkDescription {
    price: Price,
    textlink: String,
    requesturl: Url,
    paymentsystems: Vec<PaymentSystem>,
    title: Option<String>,
    imagelink: Option<Url>,
    buyid: Option<Url>,
    baseurl: Option<Url>,
    longdesc: Option<Url>,
    merchantname: Option<String>,
    duration: Option<Duration>,
    expiration: Option<Expiration>,
    target: Option<String>,
    hreflang: Option<String>,
    type_: Option<String>,
    accesskey: Option<String>,
    charset: Option<String>,
    extdata: Option<String>,
    extdataparam: Option<String>,
    extensions: Vec<(String, String)>,
}

/// The description as written, before the checks that involve several keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    price: Price,
    textlink: String,
    requesturl: String,
    paymentsystems: Vec<PaymentSystem>,
    title: Option<String>,
    imagelink: Option<String>,
    buyid: Option<String>,
    baseurl: Option<String>,
    longdesc: Option<String>,
    merchantname: Option<String>,
    duration: Option<Duration>,
    expiration: Option<Expiration>,
    target: Option<String>,
    hreflang: Option<String>,
    #[serde(rename = "type")]
    type_: Option<String>,
    accesskey: Option<String>,
    charset: Option<String>,
    extdata: Option<String>,
    extdataparam: Option<String>,
    #[serde(default)]
    extensions: Vec<(String, String)>,
    // Keys of `extract`'s link object that say where a link was found rather than what it
    // is: accepted and ignored, so that an extracted link can be rendered again.
    #[serde(rename = "index")]
    _index: Option<IgnoredAny>,
    #[serde(rename = "element")]
    _element: Option<IgnoredAny>,
    #[serde(rename = "line")]
    _line: Option<IgnoredAny>,
    #[serde(rename = "column")]
    _column: Option<IgnoredAny>,
    #[serde(rename = "valid")]
    _valid: Option<IgnoredAny>,
    #[serde(rename = "fallback_href")]
    _fallback_href: Option<IgnoredAny>,
    #[serde(rename = "object")]
    _object: Option<IgnoredAny>,
}

/// A text value as extraction will see it: trimmed, and representable in HTML.
fn text(field: &str, value: &str) -> Result<String, String> {
    let value = trim_ascii(value);
    // HTML turns U+0000 into U+FFFD wherever it appears, even as a character reference.
    if value.contains('\0') {
        return Err(format!("{field}: U+0000 cannot be carried by HTML"));
    }
    Ok(value.to_owned())
}

/// An optional text: empty once trimmed counts as absent.
fn optional_text(field: &str, value: Option<String>) -> Result<Option<String>, String> {
    match value {
        Some(value) => Ok(Some(text(field, &value)?).filter(|v| !v.is_empty())),
        None => Ok(None),
    }
}

/// P-4: a URL field, resolved against `baseurl`; anything extraction would report is refused.
fn url(field: &str, value: &str, base: Option<&Url>) -> Result<Url, String> {
    let resolved = url_ref::resolve(&text(field, value)?, base);
    match (resolved.url, resolved.finding) {
        (LinkUrl::Resolved(url), None) => Ok(url),
        (_, Some(finding)) => Err(format!("{field}: {}", finding.message)),
        (LinkUrl::Unresolved(value), None) => Err(format!("{field}: `{value}` does not resolve")),
    }
}

fn optional_url(
    field: &str,
    value: Option<&str>,
    base: Option<&Url>,
) -> Result<Option<Url>, String> {
    value.map(|v| url(field, v, base)).transpose()
}

impl TryFrom<Written> for LinkDescription {
    type Error = String;

    fn try_from(w: Written) -> Result<Self, String> {
        // P-4: baseurl must be absolute; one not ending in `/` is only a warning.
        let baseurl = match w.baseurl.as_deref() {
            None => None,
            Some(value) => {
                let (url, findings) = url_ref::parse_baseurl(&text("baseurl", value)?);
                if let Some(error) = findings
                    .iter()
                    .find(|f| f.code.severity() == Severity::Error)
                {
                    return Err(format!("baseurl: {}", error.message));
                }
                url.as_url().cloned()
            }
        };
        let base = baseurl.as_ref().filter(|b| !b.cannot_be_a_base());
        let textlink = text("textlink", &w.textlink)?;
        if textlink.is_empty() {
            return Err("textlink: must not be empty (it says what is bought)".to_owned());
        }
        // P-2: at least one payment system; P-5: each once.
        if w.paymentsystems.is_empty() {
            return Err("paymentsystems: at least one payment system is required".to_owned());
        }
        for (i, system) in w.paymentsystems.iter().enumerate() {
            if w.paymentsystems[..i].iter().any(|s| s.id() == system.id()) {
                return Err(format!("paymentsystems: `{}` is listed twice", system.id()));
            }
            // The system-specific text is free text: it must be representable in HTML too.
            text("paymentsystems", system.info().unwrap_or_default())?;
        }
        let mut extensions = Vec::with_capacity(w.extensions.len());
        for (name, value) in w.extensions {
            // P-1.1 / P-2: a param named like a field would be read as that field.
            if let Some(name) = field::recognise(&name) {
                return Err(format!(
                    "extensions: `{}` is a field name; give it as the field",
                    name.field()
                ));
            }
            if name.is_empty() || name.contains('\0') {
                return Err("extensions: a name must be non-empty text".to_owned());
            }
            extensions.push((name, text("extensions", &value)?));
        }
        let requesturl = url("requesturl", &w.requesturl, base)?;
        let imagelink = optional_url("imagelink", w.imagelink.as_deref(), base)?;
        let buyid = optional_url("buyid", w.buyid.as_deref(), base)?;
        let longdesc = optional_url("longdesc", w.longdesc.as_deref(), base)?;
        Ok(LinkDescription {
            price: w.price,
            textlink,
            requesturl,
            paymentsystems: w.paymentsystems,
            title: optional_text("title", w.title)?,
            imagelink,
            buyid,
            baseurl,
            longdesc,
            merchantname: optional_text("merchantname", w.merchantname)?,
            duration: w.duration,
            expiration: w.expiration,
            target: optional_text("target", w.target)?,
            hreflang: optional_text("hreflang", w.hreflang)?,
            type_: optional_text("type", w.type_)?,
            accesskey: optional_text("accesskey", w.accesskey)?,
            charset: optional_text("charset", w.charset)?,
            extdata: optional_text("extdata", w.extdata)?,
            extdataparam: optional_text("extdataparam", w.extdataparam)?,
            extensions,
        })
    }
}

/// The description of an extracted link, to render it again. A link without its required
/// fields, with a URL left unresolved (no document URL) or with a value rendering would refuse
/// is an [`Error::Description`](crate::Error::Description).
impl TryFrom<&PerFeeLink> for LinkDescription {
    type Error = crate::Error;

    fn try_from(link: &PerFeeLink) -> Result<Self, crate::Error> {
        let missing = |field: &str| crate::Error::Description(format!("{field}: missing"));
        let text = |value: Option<&str>| value.map(str::to_owned);
        let link_url = |value: Option<&LinkUrl>| value.map(|url| url.as_str().to_owned());
        let written = Written {
            price: *link.price().ok_or_else(|| missing("price"))?,
            textlink: text(link.textlink()).ok_or_else(|| missing("textlink"))?,
            requesturl: link_url(link.requesturl()).ok_or_else(|| missing("requesturl"))?,
            paymentsystems: link.paymentsystems().to_vec(),
            title: text(link.title()),
            imagelink: link_url(link.imagelink()),
            buyid: link_url(link.buyid()),
            baseurl: link_url(link.baseurl()),
            longdesc: link_url(link.longdesc()),
            merchantname: text(link.merchantname()),
            duration: link.duration(),
            expiration: link.expiration().copied(),
            target: text(link.target()),
            hreflang: text(link.hreflang()),
            type_: text(link.type_()),
            accesskey: text(link.accesskey()),
            charset: text(link.charset()),
            extdata: text(link.extdata()),
            extdataparam: text(link.extdataparam()),
            extensions: link.extensions().to_vec(),
            _index: None,
            _element: None,
            _line: None,
            _column: None,
            _valid: None,
            _fallback_href: None,
            _object: None,
        };
        LinkDescription::try_from(written).map_err(crate::Error::Description)
    }
}

impl<'de> Deserialize<'de> for LinkDescription {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        LinkDescription::try_from(Written::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

impl LinkDescription {
    /// P-3: the price.
    pub fn price(&self) -> &Price {
        &self.price
    }
    /// What is bought, as text.
    pub fn textlink(&self) -> &str {
        &self.textlink
    }
    /// What is fetched after paying.
    pub fn requesturl(&self) -> &Url {
        &self.requesturl
    }
    /// P-5: the payment systems, in the merchant's order.
    pub fn paymentsystems(&self) -> &[PaymentSystem] {
        &self.paymentsystems
    }
    /// The title.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    /// The image shown as the link.
    pub fn imagelink(&self) -> Option<&Url> {
        self.imagelink.as_ref()
    }
    /// What is bought: the scope of a purchase.
    pub fn buyid(&self) -> Option<&Url> {
        self.buyid.as_ref()
    }
    /// The link's own base URL.
    pub fn baseurl(&self) -> Option<&Url> {
        self.baseurl.as_ref()
    }
    /// The long description.
    pub fn longdesc(&self) -> Option<&Url> {
        self.longdesc.as_ref()
    }
    /// The merchant's name.
    pub fn merchantname(&self) -> Option<&str> {
        self.merchantname.as_deref()
    }
    /// P-6: seconds of access after purchase.
    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }
    /// P-7: until when the offer stands.
    pub fn expiration(&self) -> Option<&Expiration> {
        self.expiration.as_ref()
    }
    /// Frame name.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }
    /// Language of the bought resource.
    pub fn hreflang(&self) -> Option<&str> {
        self.hreflang.as_deref()
    }
    /// MIME type of the bought resource.
    pub fn type_(&self) -> Option<&str> {
        self.type_.as_deref()
    }
    /// Keyboard shortcut.
    pub fn accesskey(&self) -> Option<&str> {
        self.accesskey.as_deref()
    }
    /// Encoding of the bought resource.
    pub fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }
    /// Opaque extension data.
    pub fn extdata(&self) -> Option<&str> {
        self.extdata.as_deref()
    }
    /// Opaque extension data.
    pub fn extdataparam(&self) -> Option<&str> {
        self.extdataparam.as_deref()
    }
    /// Params that are no field, in order: (name, value).
    pub fn extensions(&self) -> &[(String, String)] {
        &self.extensions
    }

    /// The canonical text of each param of `field`, in order (several only for paymentsystem).
    fn values(&self, field: Field) -> Vec<String> {
        let text = |v: &Option<String>| v.iter().cloned().collect();
        let url = |v: &Option<Url>| v.iter().map(|u| u.as_str().to_owned()).collect();
        match field {
            Field::Price => vec![self.price.to_string()],
            Field::Textlink => vec![self.textlink.clone()],
            Field::Requesturl => vec![self.requesturl.as_str().to_owned()],
            Field::Paymentsystem => self
                .paymentsystems
                .iter()
                .map(ToString::to_string)
                .collect(),
            Field::Title => text(&self.title),
            Field::Imagelink => url(&self.imagelink),
            Field::Buyid => url(&self.buyid),
            Field::Baseurl => url(&self.baseurl),
            Field::Longdesc => url(&self.longdesc),
            Field::Merchantname => text(&self.merchantname),
            Field::Duration => self.duration.iter().map(ToString::to_string).collect(),
            Field::Expiration => self.expiration.iter().map(canonical_expiration).collect(),
            Field::Target => text(&self.target),
            Field::Hreflang => text(&self.hreflang),
            Field::Type => text(&self.type_),
            Field::Accesskey => text(&self.accesskey),
            Field::Charset => text(&self.charset),
            Field::Extdata => text(&self.extdata),
            Field::Extdataparam => text(&self.extdataparam),
        }
    }
}

/// P-7: one text per instant, however it was written: the date alone when the instant is the
/// end of a UTC day (what a date alone means), else the RFC 3339 UTC form. So a description
/// taken from `extract` output (which has the full form) renders as the original did.
fn canonical_expiration(expiration: &Expiration) -> String {
    let t = expiration.instant();
    if (t.hour(), t.minute(), t.second(), t.nanosecond()) == (23, 59, 59, 999_999_999) {
        t.date().to_string()
    } else {
        expiration.to_rfc3339()
    }
}

/// Escapes text for a double-quoted attribute value or element content. A CR is written as a
/// character reference: literally, the HTML parser would turn it into LF.
pub(crate) fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

fn param(out: &mut String, name: &str, value: &str) {
    out.push_str("  <param name=\"");
    escape(name, out);
    out.push_str("\" value=\"");
    escape(value, out);
    out.push_str("\">\n");
}

/// The canonical markup of a per-fee-link: an `object` of type [`OBJECT_TYPE`], one `param`
/// per field in the order of [`Field::ALL`] with canonical names and values (one per payment
/// system), the extensions, then the fallback link to the requesturl (P-1.4).
///
/// The text is UTF-8 with non-ASCII characters as they are: the page it goes into must be
/// UTF-8 too (or be checked with the charset it really has).
pub fn render(link: &LinkDescription) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<object type=\"{OBJECT_TYPE}\">");
    for &field in Field::ALL {
        for value in link.values(field) {
            param(&mut out, field.name(), &value);
        }
    }
    for (name, value) in &link.extensions {
        param(&mut out, name, value);
    }
    out.push_str("  <a href=\"");
    escape(link.requesturl.as_str(), &mut out);
    out.push_str("\">");
    escape(&link.textlink, &mut out);
    out.push_str("</a>\n</object>\n");
    out
}

#[cfg(test)]
mod tests;
