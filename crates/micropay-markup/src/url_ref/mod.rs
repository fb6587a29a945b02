//! P-4: URL references of a per-fee-link, parsed and resolved with the WHATWG URL Standard.

use std::fmt;

use serde::{Serialize, Serializer};
use url::Url;

use crate::{Code, Finding};

mod settle;

pub(crate) use settle::settle;

/// A URL-valued field: the resolved absolute URL, or the value as written when it could not be
/// resolved (a relative reference with no base, or a value that is no URL at all).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LinkUrl {
    /// Resolved against the applicable base (P-4).
    Resolved(Url),
    /// Kept as written: see the diagnostic attached to the field.
    Unresolved(String),
}

impl LinkUrl {
    /// The resolved URL, if the value resolved.
    pub fn as_url(&self) -> Option<&Url> {
        match self {
            LinkUrl::Resolved(url) => Some(url),
            LinkUrl::Unresolved(_) => None,
        }
    }

    /// The URL as a string (resolved form, or as written).
    pub fn as_str(&self) -> &str {
        match self {
            LinkUrl::Resolved(url) => url.as_str(),
            LinkUrl::Unresolved(text) => text,
        }
    }
}

impl fmt::Display for LinkUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for LinkUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A resolved URL field with what was found on the way.
pub(crate) struct Resolved {
    pub(crate) url: LinkUrl,
    pub(crate) finding: Option<Finding>,
}

/// P-4: resolves a URL reference against `base`. An unparseable value is `invalid-url`, a
/// relative one with no base `unresolved-relative-url`, a script or data URL `unsafe-url-scheme`.
pub(crate) fn resolve(value: &str, base: Option<&Url>) -> Resolved {
    let parsed = match base {
        Some(base) => base.join(value),
        None => Url::parse(value),
    }
    .map(settle);
    match parsed {
        Ok(url) => {
            let finding = unsafe_scheme(&url);
            Resolved {
                url: LinkUrl::Resolved(url),
                finding,
            }
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => Resolved {
            url: LinkUrl::Unresolved(value.to_owned()),
            finding: Some(
                Finding::new(
                    Code::UnresolvedRelativeUrl,
                    format!("`{value}` is relative and there is no base URL to resolve it against"),
                )
                .with_hint("give the page's URL (--base-url), a <base href>, or a baseurl param"),
            ),
        },
        Err(error) => Resolved {
            url: LinkUrl::Unresolved(value.to_owned()),
            finding: Some(Finding::new(
                Code::InvalidUrl,
                format!("`{value}` is not a valid URL: {error}"),
            )),
        },
    }
}

/// P-4: `baseurl` must be absolute and should end in `/`.
pub(crate) fn parse_baseurl(value: &str) -> (LinkUrl, Vec<Finding>) {
    match Url::parse(value).map(settle) {
        Ok(url) => {
            let mut findings: Vec<Finding> = unsafe_scheme(&url).into_iter().collect();
            // P-4: prefix concatenation and resolution agree only for a directory path.
            if !url.cannot_be_a_base() && !url.path().ends_with('/') {
                findings.push(
                    Finding::new(
                        Code::BaseurlNotDirectory,
                        format!(
                            "baseurl `{value}` does not end in `/`: relative URLs resolve against its parent directory, not below it"
                        ),
                    )
                    .with_hint(format!("write `{url}/` if it names a directory")),
                );
            }
            (LinkUrl::Resolved(url), findings)
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => (
            LinkUrl::Unresolved(value.to_owned()),
            vec![
                Finding::new(
                    Code::RelativeBaseurl,
                    format!("baseurl `{value}` is relative; it must be an absolute URL"),
                )
                .with_hint("write the full URL, e.g. https://merchant.example/articles/"),
            ],
        ),
        Err(error) => (
            LinkUrl::Unresolved(value.to_owned()),
            vec![Finding::new(
                Code::InvalidUrl,
                format!("baseurl `{value}` is not a valid URL: {error}"),
            )],
        ),
    }
}

/// P-4: script and data URLs are never acceptable targets of a payment.
fn unsafe_scheme(url: &Url) -> Option<Finding> {
    matches!(url.scheme(), "javascript" | "data" | "vbscript").then(|| {
        Finding::new(
            Code::UnsafeUrlScheme,
            format!("`{}:` URLs are not allowed in a per-fee-link", url.scheme()),
        )
    })
}

/// P-4: whether a requesturl leaves the origin of an http(s) document.
pub(crate) fn is_cross_origin(document: &Url, target: &Url) -> bool {
    matches!(document.scheme(), "http" | "https") && !same_origin(document, target)
}

/// `document.origin() == target.origin()`, without building the two origins where the url
/// crate's origin is the tuple of scheme, host and port (or the scheme's default port): each
/// origin is a copy of its scheme and host, and every link asks.
fn same_origin(document: &Url, target: &Url) -> bool {
    match target.scheme() {
        "ftp" | "http" | "https" | "ws" | "wss" => {
            document.scheme() == target.scheme()
                && document.host() == target.host()
                && document.port_or_known_default() == target.port_or_known_default()
        }
        // `blob:` takes the origin of the URL inside it; every other scheme an opaque one.
        _ => document.origin() == target.origin(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://merchant.example/dir/page.html").unwrap()
    }

    #[test]
    fn relative_references_resolve_against_the_base() {
        let r = resolve("../a b.html", Some(&base()));
        assert_eq!(r.url.as_str(), "https://merchant.example/a%20b.html");
        assert!(r.finding.is_none());
    }

    #[test]
    fn relative_without_base_is_kept_as_written() {
        let r = resolve("a.html", None);
        assert_eq!(r.url, LinkUrl::Unresolved("a.html".into()));
        assert_eq!(r.finding.unwrap().code, Code::UnresolvedRelativeUrl);
    }

    #[test]
    fn invalid_and_unsafe_urls() {
        let r = resolve("http://exa mple.com/", Some(&base()));
        assert_eq!(r.finding.unwrap().code, Code::InvalidUrl);
        let r = resolve("JavaScript:alert(1)", Some(&base()));
        assert_eq!(r.finding.unwrap().code, Code::UnsafeUrlScheme);
        let r = resolve("data:text/html,x", None);
        assert_eq!(r.finding.unwrap().code, Code::UnsafeUrlScheme);
    }

    #[test]
    fn baseurl_rules() {
        let (_, f) = parse_baseurl("https://m.example/articles/");
        assert!(f.is_empty());
        let (_, f) = parse_baseurl("https://m.example/articles");
        assert_eq!(f[0].code, Code::BaseurlNotDirectory);
        let (url, f) = parse_baseurl("/articles/");
        assert_eq!(f[0].code, Code::RelativeBaseurl);
        assert_eq!(url.as_str(), "/articles/");
        let (_, f) = parse_baseurl("https://m.example");
        assert!(f.is_empty(), "an empty path is `/`");
    }

    #[test]
    fn urls_are_kept_at_their_serialisation_fixed_point() {
        // Found by the paymentsystem fuzz target (`file://httsp*///h:/.`).
        let r = resolve("file://h//a:/", None);
        assert_eq!(r.url.as_str(), "file:///a:/");
        let again = resolve(r.url.as_str(), None);
        assert_eq!(again.url, r.url);
        assert_eq!(
            settle(Url::parse("https://m.example/a").unwrap()).as_str(),
            "https://m.example/a"
        );
    }

    #[test]
    fn cross_origin_only_for_web_documents() {
        let doc = base();
        let other = Url::parse("https://elsewhere.example/x").unwrap();
        assert!(is_cross_origin(&doc, &other));
        assert!(!is_cross_origin(&doc, &base()));
        let file = Url::parse("file:///tmp/page.html").unwrap();
        assert!(!is_cross_origin(&file, &other));
        for (target, cross) in [
            ("https://merchant.example:443/y", false),
            ("https://merchant.example:8443/y", true),
            ("http://merchant.example/y", true),
            ("wss://merchant.example/y", true),
            ("blob:https://merchant.example/uuid", false),
            ("blob:https://elsewhere.example/uuid", true),
            ("blob:nonsense", true),
            ("mailto:pay@merchant.example", true),
        ] {
            let target = Url::parse(target).unwrap();
            assert_eq!(is_cross_origin(&doc, &target), cross, "{target}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// The shortcut answers as comparing the url crate's origins does.
        #[test]
        fn same_origin_is_the_url_crates_origin_equality(
            document in settle::tests::url_text(),
            target in settle::tests::url_text(),
            reference in settle::tests::rest(),
        ) {
            let reference_answer =
                |d: &Url, t: &Url| matches!(d.scheme(), "http" | "https") && d.origin() != t.origin();
            if let Ok(document) = Url::parse(&document) {
                let mut targets: Vec<Url> = Url::parse(&target).into_iter().collect();
                targets.extend(document.join(&reference));
                targets.push(document.clone());
                for target in &targets {
                    proptest::prop_assert_eq!(
                        is_cross_origin(&document, target),
                        reference_answer(&document, target),
                        "{} {}", document, target
                    );
                }
            }
        }
    }
}
