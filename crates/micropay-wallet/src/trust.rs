//! The merchant keys a wallet trusts, per merchant origin, and how each came to be trusted.
//!
//! A receipt is a merchant's signed statement that a purchase grants access; anyone who has
//! seen a purchase token could sign such a statement under a key of their own. So a wallet
//! stores a receipt only under a key it trusts for the receipt's merchant origin. A key
//! becomes trusted in one of two ways, recorded with it ([`KeyTrust`]):
//!
//! - the receipt arrived in the response to the request that carried the purchase token, over
//!   an authenticated channel to the merchant's origin: https, or http to a loopback address
//!   ([`crate::WalletController::accept_receipt_from_response`]); the key is trusted in the
//!   same transaction that stores the receipt;
//! - the user named it ([`crate::WalletController::trust_merchant_key`], `micropay wallet
//!   trust`, `micropay wallet receipt --merchant-key`).
//!
//! Several keys may be trusted for one origin: a merchant that rotates its key is trusted
//! under the new one once it arrives in one of those two ways. A receipt from anywhere else
//! (pasted by hand, read from a file) is accepted only under a key already trusted
//! ([`crate::WalletController::accept_receipt`]); it is never trusted on first sight.

use std::fmt;
use std::net::IpAddr;

use ed25519_dalek::VerifyingKey;
use time::OffsetDateTime;
use url::{Host, Url};

use crate::canon::{self, DecodeError};
use crate::origin::MerchantOrigin;

/// How a merchant key came to be trusted for an origin. Each has a stable code
/// ([`KeyTrust::code`]), which the ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyTrust {
    /// `named`: the user named the key for the origin.
    Named,
    /// `https-response`: a receipt under the key came in an https response from the origin, to
    /// the request that carried the purchase token.
    HttpsResponse,
    /// `loopback-response`: the same over http to a loopback address (`127.0.0.0/8`, `::1`,
    /// `localhost`), which never leaves the machine.
    LoopbackResponse,
}

impl KeyTrust {
    /// The stable kebab-case code.
    pub fn code(self) -> &'static str {
        match self {
            KeyTrust::Named => "named",
            KeyTrust::HttpsResponse => "https-response",
            KeyTrust::LoopbackResponse => "loopback-response",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<Self> {
        [
            KeyTrust::Named,
            KeyTrust::HttpsResponse,
            KeyTrust::LoopbackResponse,
        ]
        .into_iter()
        .find(|trust| trust.code() == code)
    }

    /// What a response from `url` vouches for: the channel's kind when it is authenticated
    /// (https, or http to a loopback host), `None` otherwise.
    pub fn of_response_url(url: &Url) -> Option<Self> {
        match url.scheme() {
            "https" => Some(KeyTrust::HttpsResponse),
            "http" if is_loopback(url) => Some(KeyTrust::LoopbackResponse),
            _ => None,
        }
    }
}

impl fmt::Display for KeyTrust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Whether `url`'s host is a loopback address or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A merchant key the wallet trusts for one origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    /// The merchant origin.
    pub merchant_origin: MerchantOrigin,
    /// The merchant's public key.
    pub public_key: VerifyingKey,
    /// How it came to be trusted (the first time).
    pub trust: KeyTrust,
    /// When (the wallet's clock, whole seconds).
    pub trusted_at: OffsetDateTime,
}

/// A merchant public key written as 64 hex digits (either case), as `micropay merchant init`
/// prints it; it must be the canonical encoding of a point of the curve.
pub fn public_key_from_hex(text: &str) -> Result<VerifyingKey, DecodeError> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return Err(DecodeError::NonCanonical("public_key"));
    }
    let mut key = [0u8; 32];
    for (byte, pair) in key.iter_mut().zip(bytes.chunks_exact(2)) {
        let digits = std::str::from_utf8(pair).map_err(|_| DecodeError::Utf8("public_key"))?;
        *byte = u8::from_str_radix(digits, 16)
            .ok()
            .filter(|_| pair.iter().all(u8::is_ascii_hexdigit))
            .ok_or(DecodeError::NonCanonical("public_key"))?;
    }
    canon::canonical_public_key(&key).ok_or(DecodeError::NonCanonical("public_key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn authenticated_channels_are_https_and_loopback_http() {
        for (text, trust) in [
            ("https://merchant.example/a", Some(KeyTrust::HttpsResponse)),
            ("https://127.0.0.1/", Some(KeyTrust::HttpsResponse)),
            ("http://127.0.0.1:8402/a", Some(KeyTrust::LoopbackResponse)),
            ("http://127.8.9.10/", Some(KeyTrust::LoopbackResponse)),
            ("http://[::1]:8080/", Some(KeyTrust::LoopbackResponse)),
            ("http://LOCALHOST/", Some(KeyTrust::LoopbackResponse)),
            ("http://merchant.example/", None),
            ("http://10.0.0.1/", None),
            ("http://localhost.example/", None),
            ("ftp://127.0.0.1/", None),
            ("file:///tmp/receipt", None),
        ] {
            assert_eq!(KeyTrust::of_response_url(&url(text)), trust, "{text}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for trust in [
            KeyTrust::Named,
            KeyTrust::HttpsResponse,
            KeyTrust::LoopbackResponse,
        ] {
            assert_eq!(KeyTrust::from_code(trust.code()), Some(trust));
        }
        assert_eq!(KeyTrust::from_code("other"), None);
    }

    #[test]
    fn hex_keys_are_64_digits_of_a_canonical_point() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[4; 32]).verifying_key();
        let hex = |bytes: &[u8]| {
            use std::fmt::Write as _;
            bytes.iter().fold(String::new(), |mut out, b| {
                let _ = write!(out, "{b:02x}");
                out
            })
        };
        let second = hex(&crate::canon::tests::second_encoding_of_a_key());
        let hex = hex(key.as_bytes());
        assert_eq!(public_key_from_hex(&hex), Ok(key));
        assert_eq!(public_key_from_hex(&hex.to_uppercase()), Ok(key));
        for bad in [
            "",
            &hex[..62],
            &format!("{hex}00"),
            &format!("+{}", &hex[1..]),
            &format!("é{}", &hex[2..]),
            &second,
        ] {
            assert!(public_key_from_hex(bad).is_err(), "{bad}");
        }
    }
}
