//! The merchant origin: the WHATWG origin (scheme, host, port) of an offer's `requesturl`, the
//! party that serves what is bought, receives the purchase request and issues the receipt.
//!
//! Keys are derived per merchant origin and budgets can be kept per merchant origin, so the
//! origin is held in its ASCII serialisation (`https://merchant.example`,
//! `http://shop.example:8080`), which is also what the canonical encodings carry.

use std::fmt;

use url::Url;

/// The ASCII serialisation of a tuple origin (never the opaque origin `null`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MerchantOrigin(String);

/// The text given is not the ASCII serialisation of a tuple origin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a merchant origin (scheme://host[:port] of a URL with a host): {0:?}")]
#[non_exhaustive]
pub struct OriginError(pub String);

impl MerchantOrigin {
    /// The origin of `url`; `None` when the URL has an opaque origin (`file:`, `data:`,
    /// `mailto:` ...), which cannot name a merchant.
    pub fn of(url: &Url) -> Option<Self> {
        let origin = url.origin();
        origin
            .is_tuple()
            .then(|| MerchantOrigin(origin.ascii_serialization()))
    }

    /// Parses an origin's ASCII serialisation; only the canonical form is accepted
    /// (`https://Shop.Example:443/` is not, `https://shop.example` is).
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let refuse = || OriginError(text.to_owned());
        let url = Url::parse(text).map_err(|_| refuse())?;
        match Self::of(&url) {
            Some(origin) if origin.0 == text => Ok(origin),
            _ => Err(refuse()),
        }
    }

    /// The ASCII serialisation.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the scheme is `https`.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

impl fmt::Display for MerchantOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for MerchantOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MerchantOrigin({})", self.0)
    }
}

impl TryFrom<String> for MerchantOrigin {
    type Error = OriginError;
    fn try_from(text: String) -> Result<Self, OriginError> {
        Self::parse(&text)
    }
}

impl From<MerchantOrigin> for String {
    fn from(origin: MerchantOrigin) -> String {
        origin.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_of_urls() {
        let url = Url::parse("HTTPS://Shop.Example:443/a/b?c#d").unwrap();
        assert_eq!(
            MerchantOrigin::of(&url).unwrap().as_str(),
            "https://shop.example"
        );
        let url = Url::parse("http://shop.example:8080/").unwrap();
        assert_eq!(
            MerchantOrigin::of(&url).unwrap().as_str(),
            "http://shop.example:8080"
        );
        assert!(MerchantOrigin::of(&Url::parse("file:///tmp/x.html").unwrap()).is_none());
        assert!(MerchantOrigin::of(&Url::parse("data:text/plain,x").unwrap()).is_none());
    }

    #[test]
    fn parse_accepts_only_the_canonical_form() {
        assert!(MerchantOrigin::parse("https://shop.example").is_ok());
        for text in [
            "https://shop.example/",
            "https://Shop.example",
            "https://shop.example:443",
            "null",
            "file:///x",
            "",
        ] {
            assert!(MerchantOrigin::parse(text).is_err(), "{text:?}");
        }
    }
}
