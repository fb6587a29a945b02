//! P-5: a payment system a per-fee-link accepts.
//!
//! `paymentsystem = URI [ 1*WSP info ]`: an absolute URI naming the payment system, then
//! optionally whitespace and system-specific text (the rest of the value, kept as written
//! apart from the whitespace before it).
//!
//! The profile says WSP (space and tab); this parser splits at the first ASCII whitespace
//! character of any kind (space, tab, line feed, form feed, carriage return). The reason: the
//! WHATWG URL parser silently removes tabs and newlines from anywhere in its input, so
//! `https://ps.example/\ninfo` would otherwise become the single URL
//! `https://ps.example/info` instead of a URI followed by info. URIs contain no whitespace,
//! so the wider split never cuts a valid URI.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

use crate::{Code, Finding};

/// A payment system: its identifying absolute URL and optional system-specific info.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PaymentSystem {
    id: Url,
    info: Option<String>,
}

const HINT: &str = "a payment system is named by an absolute URI such as https://ps.example/";

impl PaymentSystem {
    /// Parses a P-5 value (the caller has trimmed it; trimming ASCII whitespace again here is
    /// harmless).
    pub fn parse(text: &str) -> Result<PaymentSystem, Finding> {
        let value = text.trim_ascii();
        // P-5: the URI ends at the first whitespace (see the module documentation).
        let (token, rest) = value
            .split_once(|c: char| c.is_ascii_whitespace())
            .unwrap_or((value, ""));
        if token.is_empty() {
            return Err(
                Finding::new(Code::InvalidPaymentsystem, "the payment system is empty")
                    .with_hint(HINT),
            );
        }
        // P-5: the first token must be an absolute URI (parsed without a base), kept as the URL
        // its serialisation denotes so that the canonical form reads back the same.
        let id = Url::parse(token)
            .map(crate::url_ref::settle)
            .map_err(|error| {
                let finding = Finding::new(
                    Code::InvalidPaymentsystem,
                    format!("\"{token}\" is not an absolute URI ({error})"),
                );
                let looks_like_host =
                    !token.contains(':') && token.contains('.') && !token.starts_with(['/', '.']);
                if looks_like_host {
                    finding.with_hint(format!("add the scheme: https://{token}"))
                } else {
                    finding.with_hint(HINT)
                }
            })?;
        let info = rest.trim_ascii_start();
        Ok(PaymentSystem {
            id,
            info: (!info.is_empty()).then(|| info.to_owned()),
        })
    }

    /// The URL naming the payment system, as the WHATWG URL parser normalised it.
    pub fn id(&self) -> &Url {
        &self.id
    }

    /// The system-specific text after the URI, if any.
    pub fn info(&self) -> Option<&str> {
        self.info.as_deref()
    }
}

impl fmt::Display for PaymentSystem {
    /// The URL, then a space and the info if there is any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id.as_str())?;
        if let Some(info) = &self.info {
            write!(f, " {info}")?;
        }
        Ok(())
    }
}

impl FromStr for PaymentSystem {
    type Err = Finding;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentSystem::parse(s)
    }
}

impl Serialize for PaymentSystem {
    /// `{"id": "<normalised URL>", "info": null | "..."}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut state = serializer.serialize_struct("PaymentSystem", 2)?;
        state.serialize_field("id", self.id.as_str())?;
        state.serialize_field("info", &self.info)?;
        state.end()
    }
}

impl<'de> Deserialize<'de> for PaymentSystem {
    /// Accepts the object form (the id through the same rule as [`PaymentSystem::parse`]) or a
    /// plain string through [`PaymentSystem::parse`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = PaymentSystem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payment system: {\"id\": \"https://ps.example/\", \"info\": null} or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PaymentSystem, E> {
                PaymentSystem::parse(v).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PaymentSystem, A::Error> {
                let mut id: Option<String> = None;
                let mut info: Option<Option<String>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" if id.is_none() => id = Some(map.next_value()?),
                        "info" if info.is_none() => info = Some(map.next_value()?),
                        "id" | "info" => return Err(de::Error::duplicate_field("id or info")),
                        other => return Err(de::Error::unknown_field(other, &["id", "info"])),
                    }
                }
                let id = id.ok_or_else(|| de::Error::missing_field("id"))?;
                // The id alone must be one URI token: whitespace would make it id plus info.
                if id.trim_ascii().contains(|c: char| c.is_ascii_whitespace()) {
                    return Err(de::Error::custom(format!(
                        "{}: the payment system id \"{id}\" contains whitespace",
                        Code::InvalidPaymentsystem
                    )));
                }
                let text = match info.flatten() {
                    Some(info) => format!("{id} {info}"),
                    None => id,
                };
                PaymentSystem::parse(&text).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ps(text: &str) -> PaymentSystem {
        PaymentSystem::parse(text).unwrap()
    }

    #[test]
    fn the_id_reads_back_the_same() {
        // Found by the paymentsystem fuzz target.
        let p = PaymentSystem::parse("file://httsp*///h:/.").unwrap();
        assert_eq!(PaymentSystem::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn uri_and_info() {
        let p = ps("https://ps.example/");
        assert_eq!(p.id().as_str(), "https://ps.example/");
        assert_eq!(p.info(), None);
        let p = ps("  HTTPS://PS.Example  account=42 region=eu ");
        assert_eq!(p.id().as_str(), "https://ps.example/");
        assert_eq!(p.info(), Some("account=42 region=eu"));
        assert_eq!(p.to_string(), "https://ps.example/ account=42 region=eu");
        assert_eq!(ps("urn:example:millicent").id().scheme(), "urn");
        assert_eq!(ps("mailto:pay@ps.example").id().scheme(), "mailto");
        assert_eq!(
            "http://a.example/x"
                .parse::<PaymentSystem>()
                .unwrap()
                .to_string(),
            "http://a.example/x"
        );
    }

    #[test]
    fn splits_at_any_ascii_whitespace() {
        for sep in ["\t", "\n", "\r", "\x0c", " \t "] {
            let p = ps(&format!("https://ps.example/a{sep}info"));
            assert_eq!(p.id().as_str(), "https://ps.example/a", "{sep:?}");
            assert_eq!(p.info(), Some("info"));
        }
        // Vertical tab is not ASCII whitespace; the URL parser percent-encodes it.
        assert_eq!(ps("https://ps.example/a\x0bb").info(), None);
    }

    #[test]
    fn relative_or_broken_uris_are_errors() {
        let cases = [
            ("", "absolute URI"),
            ("ps.example", "add the scheme: https://ps.example"),
            (
                "ps.example/wallet info",
                "add the scheme: https://ps.example/wallet",
            ),
            ("/wallet", "absolute URI"),
            ("../x", "absolute URI"),
            ("https://ex<ample.com", "absolute URI"),
            ("https://[::1", "absolute URI"),
            ("millicent", "absolute URI"),
        ];
        for (text, hint) in cases {
            let f = PaymentSystem::parse(text).unwrap_err();
            assert_eq!(f.code, Code::InvalidPaymentsystem, "{text:?}");
            assert!(
                f.hint.as_deref().unwrap_or("").contains(hint),
                "{text:?}: {f:?}"
            );
        }
        assert!(
            PaymentSystem::parse("wallet")
                .unwrap_err()
                .message
                .contains("\"wallet\"")
        );
    }

    #[test]
    fn serde_forms() {
        let p = ps("https://PS.example info here");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"id":"https://ps.example/","info":"info here"}"#);
        assert_eq!(serde_json::from_str::<PaymentSystem>(&json).unwrap(), p);
        let bare = ps("https://ps.example/");
        assert_eq!(
            serde_json::to_string(&bare).unwrap(),
            r#"{"id":"https://ps.example/","info":null}"#
        );
        assert_eq!(
            serde_json::from_str::<PaymentSystem>(r#"{"id":"https://ps.example/"}"#).unwrap(),
            bare
        );
        assert_eq!(
            serde_json::from_str::<PaymentSystem>(r#"{"id":"https://ps.example/","info":""}"#)
                .unwrap(),
            bare
        );
        assert_eq!(
            serde_json::from_str::<PaymentSystem>(r#""https://ps.example/ info here""#).unwrap(),
            p
        );
        for bad in [
            r#"{"info":"x"}"#,
            r#"{"id":"ps.example"}"#,
            r#"{"id":"https://a.example/ b"}"#,
            r#"{"id":"https://a.example/","x":1}"#,
            r#"{"id":"https://a.example/","id":"https://b.example/"}"#,
            r#""relative""#,
            "42",
        ] {
            assert!(serde_json::from_str::<PaymentSystem>(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = PaymentSystem::parse(&s);
        }

        #[test]
        fn round_trip(
            host in "[a-z]{1,10}(\\.[a-z]{1,5}){0,2}",
            path in "(/[a-zA-Z0-9._~-]{0,8}){0,3}",
            info in proptest::option::of("[!-~]{1,10}( [!-~]{1,10}){0,2}"),
        ) {
            let text = match &info {
                Some(i) => format!("https://{host}{path} {i}"),
                None => format!("https://{host}{path}"),
            };
            let p = ps(&text);
            prop_assert_eq!(p.info(), info.as_deref());
            prop_assert_eq!(ps(&p.to_string()), p.clone());
            let json = serde_json::to_string(&p).unwrap();
            prop_assert_eq!(serde_json::from_str::<PaymentSystem>(&json).unwrap(), p);
        }
    }
}
