//! P-1.6 from the other side: per-fee-links out of a tree a browser has already built (the
//! live DOM a browser extension walks), through the same grammar as the byte parser.
//!
//! The caller gives each carrier as the DOM holds it: the `name` and `value` of its direct
//! `param` children in document order, and what its fallback content is. The carriers are
//! written back as one small HTML document, one carrier per line, with every name and value
//! escaped so that the HTML parser gives back exactly the strings given, and that document goes
//! through [`Extractor`]: one piece of code decides what a per-fee-link is and what is wrong
//! with it, whether it comes from bytes or from a DOM.

use time::OffsetDateTime;
use url::Url;

use crate::{Diagnostic, Error, Extractor, PerFeeLink};

/// One `object` (or `applet`) element as a browser's DOM gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomCarrier {
    /// The direct `param` children, in document order: the `name` attribute (absent = empty)
    /// and the `value` attribute (absent = empty, P-1.1), as the DOM returns them.
    pub params: Vec<(String, String)>,
    /// Whether the element has content other than its `param` children (P-1.4).
    pub has_fallback: bool,
    /// The `href` attribute, as written, of the first `a[href]` in that content (P-1.4).
    pub fallback_href: Option<String>,
}

/// What one [`DomCarrier`] is.
#[derive(Debug, Clone, PartialEq)]
pub struct DomLink {
    /// The per-fee-link, or `None` when the carrier names no core field (P-1.1: an ordinary
    /// plug-in object). Its `index` is the carrier's index in the call.
    pub link: Option<PerFeeLink>,
    /// The diagnostics of this carrier: those of the link, and the whole-document ones
    /// (P-8) that concern it. Their `link` is the carrier's index; line and column are not
    /// positions in any source (the DOM has none): line is the carrier's index plus one,
    /// column 1.
    pub diagnostics: Vec<Diagnostic>,
}

/// The per-fee-links of the carriers of one live document.
///
/// `document_url` is the document's URL, `base_href` the `href` of its first `base[href]` as
/// written (P-4), `now` the instant expiration is checked against (P-7). Returns one
/// [`DomLink`] per carrier, in the order given. The work and memory are linear in the size of
/// the carriers; carriers written out beyond 4 GiB are [`Error::TooLarge`].
///
/// ```
/// use micropay_markup::{Code, DomCarrier, Url, extract_dom};
///
/// let param = |n: &str, v: &str| (n.to_owned(), v.to_owned());
/// let carrier = DomCarrier {
///     params: vec![
///         param("price", "0.05 USD"),
///         param("textlink", "Today's story"),
///         param("requesturl", "story"),
///         param("paymentsystem", "https://ps.example/"),
///     ],
///     has_fallback: true,
///     fallback_href: Some("story".to_owned()),
/// };
/// let url = Url::parse("https://news.example/")?;
/// let links = extract_dom(&[carrier], Some(&url), None, None)?;
/// let link = links[0].link.as_ref().unwrap();
/// assert!(!link.is_valid());
/// assert!(links[0].diagnostics.iter().any(|d| d.code() == Code::InvalidPrice));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_dom(
    carriers: &[DomCarrier],
    document_url: Option<&Url>,
    base_href: Option<&str>,
    now: Option<OffsetDateTime>,
) -> Result<Vec<DomLink>, Error> {
    let text = write_document(carriers, base_href);
    let mut extractor = Extractor::new();
    if let Some(url) = document_url {
        extractor = extractor.document_url(url.clone());
    }
    if let Some(now) = now {
        extractor = extractor.now(now);
    }
    let document = extractor.extract_str(&text)?;
    let mut out: Vec<DomLink> = (0..carriers.len())
        .map(|_| DomLink {
            link: None,
            diagnostics: Vec::new(),
        })
        .collect();
    // Carrier k is written on line k + 2 (line 1 holds the base): links and their
    // diagnostics go back to their carrier by line.
    let carrier_count = carriers.len();
    let carrier_of_line = |line: u32| {
        (line as usize)
            .checked_sub(2)
            .filter(|&k| k < carrier_count)
    };
    let mut link_carriers = Vec::with_capacity(document.links().len());
    for link in document.links() {
        let carrier = carrier_of_line(link.line);
        link_carriers.push(carrier);
        if let Some(k) = carrier {
            let mut link = link.clone();
            link.index = k;
            link.line = u32::try_from(k + 1).unwrap_or(u32::MAX);
            link.column = 1;
            out[k].link = Some(link);
        }
    }
    for diagnostic in document.diagnostics() {
        let carrier = match diagnostic.link {
            Some(link) => link_carriers.get(link).copied().flatten(),
            None => carrier_of_line(diagnostic.line),
        };
        if let Some(k) = carrier {
            let mut diagnostic = diagnostic.clone();
            diagnostic.link = Some(k);
            diagnostic.line = u32::try_from(k + 1).unwrap_or(u32::MAX);
            diagnostic.column = 1;
            diagnostic.value_span = None;
            out[k].diagnostics.push(diagnostic);
        }
    }
    Ok(out)
}

/// The carriers as one HTML document: the base on line 1, carrier k alone on line k + 2.
fn write_document(carriers: &[DomCarrier], base_href: Option<&str>) -> String {
    let size: usize = carriers
        .iter()
        .flat_map(|c| &c.params)
        .map(|(n, v)| n.len() + v.len() + 32)
        .sum();
    let mut text = String::with_capacity(size + 64 * carriers.len() + 64);
    text.push_str("<!DOCTYPE html><meta charset=utf-8>");
    if let Some(href) = base_href {
        text.push_str("<base href=\"");
        escape_on_one_line(href, &mut text);
        text.push('"');
        text.push('>');
    }
    text.push_str("<body>");
    for carrier in carriers {
        text.push_str("\n<object>");
        for (name, value) in &carrier.params {
            text.push_str("<param name=\"");
            escape_on_one_line(name, &mut text);
            text.push_str("\" value=\"");
            escape_on_one_line(value, &mut text);
            text.push_str("\">");
        }
        match (&carrier.fallback_href, carrier.has_fallback) {
            (Some(href), _) => {
                text.push_str("<a href=\"");
                escape_on_one_line(href, &mut text);
                text.push_str("\">link</a>");
            }
            (None, true) => text.push_str("<span>content</span>"),
            (None, false) => {}
        }
        text.push_str("</object>");
    }
    text.push('\n');
    text
}

/// Escapes an attribute value as the renderer does, and a line feed too, so that it stays on
/// its line. A NUL (which only a script can put in an attribute) is read back as U+FFFD, as
/// the HTML parser reads every NUL.
fn escape_on_one_line(value: &str, out: &mut String) {
    for (i, piece) in value.split('\n').enumerate() {
        if i > 0 {
            out.push_str("&#10;");
        }
        crate::render::escape(piece, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Severity};
    use proptest::prelude::*;

    fn carrier(params: &[(&str, &str)]) -> DomCarrier {
        DomCarrier {
            params: params
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            has_fallback: true,
            fallback_href: Some("item".to_owned()),
        }
    }

    fn valid() -> DomCarrier {
        carrier(&[
            ("price", "0.05USD"),
            ("textlink", "Item"),
            ("requesturl", "item"),
            ("paymentsystem", "https://ps.example/"),
            ("title", "Item"),
        ])
    }

    fn url() -> Url {
        Url::parse("https://shop.example/dir/").unwrap()
    }

    #[test]
    fn each_carrier_gets_its_link_and_its_diagnostics() {
        let plugin = carrier(&[("movie", "a.swf")]);
        let bad = carrier(&[("price", "-1USD"), ("textlink", "Bad")]);
        let links = extract_dom(&[valid(), plugin, bad], Some(&url()), None, None).unwrap();
        assert_eq!(links.len(), 3);
        let first = links[0].link.as_ref().unwrap();
        assert!(first.is_valid());
        assert_eq!(first.index(), 0);
        assert_eq!(
            first.requesturl().unwrap().as_str(),
            "https://shop.example/dir/item"
        );
        assert!(
            links[0].diagnostics.is_empty(),
            "{:?}",
            links[0].diagnostics
        );
        assert!(links[1].link.is_none() && links[1].diagnostics.is_empty());
        let third = links[2].link.as_ref().unwrap();
        assert!(!third.is_valid());
        assert_eq!(third.index(), 2);
        let codes: Vec<Code> = links[2].diagnostics.iter().map(Diagnostic::code).collect();
        assert!(codes.contains(&Code::NegativePrice), "{codes:?}");
        assert!(codes.contains(&Code::MissingRequiredField), "{codes:?}");
        assert!(links[2].diagnostics.iter().all(|d| d.link() == Some(2)));
    }

    #[test]
    fn the_base_and_the_fallback_are_those_of_the_page() {
        let mut c = valid();
        c.fallback_href = Some("elsewhere".to_owned());
        let links = extract_dom(&[c], Some(&url()), Some("/other/"), None).unwrap();
        let link = links[0].link.as_ref().unwrap();
        assert_eq!(
            link.requesturl().unwrap().as_str(),
            "https://shop.example/other/item"
        );
        let codes: Vec<Code> = links[0].diagnostics.iter().map(Diagnostic::code).collect();
        assert_eq!(codes, [Code::FallbackLinkMismatch]);

        let mut bare = valid();
        bare.has_fallback = false;
        bare.fallback_href = None;
        let links = extract_dom(&[bare], Some(&url()), None, None).unwrap();
        let codes: Vec<Code> = links[0].diagnostics.iter().map(Diagnostic::code).collect();
        assert_eq!(codes, [Code::MissingFallback]);
    }

    #[test]
    fn whole_document_checks_apply_across_carriers() {
        let mut other = valid();
        other.params[0].1 = "0.10USD".to_owned();
        let links = extract_dom(&[valid(), other], Some(&url()), None, None).unwrap();
        assert!(links.iter().any(|l| {
            l.diagnostics
                .iter()
                .any(|d| d.code() == Code::ConflictingOffers)
        }));
    }

    proptest! {
        /// Whatever the DOM holds (quotes, markup, line breaks, references), the values read
        /// are those given: a value never leaks into the markup around it.
        #[test]
        fn values_come_back_as_given(text in "[^\u{0}]{0,40}", name in "[a-z]{1,8}") {
            let value = format!("x{text}x");
            let mut c = valid();
            c.params.push((format!("x-{name}"), value.clone()));
            c.params[1].1.clone_from(&value);
            let links = extract_dom(&[c], Some(&url()), None, None).unwrap();
            let link = links[0].link.as_ref().unwrap();
            // P-2: values are trimmed of ASCII white space, which the `x`s protect.
            prop_assert_eq!(link.textlink(), Some(value.as_str()));
            prop_assert_eq!(&link.extensions()[0].1, &value);
            prop_assert_eq!(link.extensions().len(), 1);
            prop_assert!(links[0].diagnostics.iter().all(|d| d.severity() != Severity::Error
                || d.code() == Code::EmptyField));
        }
    }
}
