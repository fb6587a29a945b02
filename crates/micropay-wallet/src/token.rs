//! The purchase request a wallet signs and the merchant verifies, its canonical bytes and its
//! transport token (one unpadded base64url string, fit for an HTTP header).
//!
//! Canonical bytes (docs/wallet-protocol.md): the domain tag
//! `micropay/purchase-request/v1`, the version byte, the offer digest, the price amount and
//! currency, `requesturl`, `buyid`, the chosen payment system, the merchant origin, the
//! 128-bit nonce, the issued-at instant and the wallet's public key. The token is those bytes
//! followed by the Ed25519 signature over them. Decoding accepts exactly the bytes encoding
//! produces: any other token fails to decode or fails to verify.

use std::fmt;

use ed25519_dalek::{Signature, SignatureError, VerifyingKey};
use micropay_markup::Price;
use time::OffsetDateTime;
use url::Url;

use crate::canon::{self, DecodeError, Reader, Writer};
use crate::error::{Error, fill_random};
use crate::keys::OriginKey;
use crate::offer::{Offer, OfferDigest};
use crate::origin::MerchantOrigin;

/// Domain tag of the purchase request's canonical bytes.
pub const PURCHASE_REQUEST_DOMAIN: &str = "micropay/purchase-request/v1";
/// The purchase request version this build writes and reads.
pub const PURCHASE_REQUEST_VERSION: u8 = 1;

/// A 128-bit random value that makes each purchase request unique.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nonce(pub [u8; 16]);

impl Nonce {
    /// 16 fresh bytes from the operating system's random source.
    pub fn random() -> Result<Self, Error> {
        let mut nonce = Nonce([0; 16]);
        fill_random(&mut nonce.0)?;
        Ok(nonce)
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nonce({self})")
    }
}

/// What a wallet asks to buy, naming the offer exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseRequest {
    offer_digest: OfferDigest,
    price: Price,
    requesturl: Url,
    buyid: Option<Url>,
    payment_system: Url,
    merchant_origin: MerchantOrigin,
    nonce: Nonce,
    issued_at: i64,
    public_key: VerifyingKey,
}

impl PurchaseRequest {
    /// The request for `offer`, paid with `payment_system`, issued at `issued_at` (kept to
    /// whole seconds) by the holder of `public_key`.
    pub fn new(
        offer: &Offer,
        payment_system: &Url,
        nonce: Nonce,
        issued_at: OffsetDateTime,
        public_key: VerifyingKey,
    ) -> Self {
        let fields = offer.fields();
        PurchaseRequest {
            offer_digest: offer.digest(),
            price: fields.price,
            requesturl: fields.requesturl.clone(),
            buyid: fields.buyid.clone(),
            payment_system: payment_system.clone(),
            merchant_origin: offer.merchant_origin().clone(),
            nonce,
            issued_at: canon::unix_seconds(issued_at).clamp(0, canon::MAX_TIMESTAMP),
            public_key,
        }
    }

    /// The version ([`PURCHASE_REQUEST_VERSION`]).
    pub fn version(&self) -> u8 {
        PURCHASE_REQUEST_VERSION
    }
    /// The digest of the offer bought.
    pub fn offer_digest(&self) -> OfferDigest {
        self.offer_digest
    }
    /// The price paid.
    pub fn price(&self) -> &Price {
        &self.price
    }
    /// The offer's `requesturl`.
    pub fn requesturl(&self) -> &Url {
        &self.requesturl
    }
    /// The offer's `buyid`, if any.
    pub fn buyid(&self) -> Option<&Url> {
        self.buyid.as_ref()
    }
    /// What the purchase covers: `buyid` if present, else `requesturl`.
    pub fn scope(&self) -> &Url {
        self.buyid.as_ref().unwrap_or(&self.requesturl)
    }
    /// The payment system chosen.
    pub fn payment_system(&self) -> &Url {
        &self.payment_system
    }
    /// The merchant origin (that of `requesturl`).
    pub fn merchant_origin(&self) -> &MerchantOrigin {
        &self.merchant_origin
    }
    /// The nonce.
    pub fn nonce(&self) -> Nonce {
        self.nonce
    }
    /// When the wallet issued the request.
    pub fn issued_at(&self) -> OffsetDateTime {
        canon::instant(self.issued_at)
    }
    /// The issued-at instant in Unix seconds.
    pub fn issued_at_unix(&self) -> i64 {
        self.issued_at
    }
    /// The wallet's public key for this merchant origin.
    pub fn public_key(&self) -> &VerifyingKey {
        &self.public_key
    }

    /// The canonical bytes the signature covers.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(PURCHASE_REQUEST_DOMAIN);
        w.u8(PURCHASE_REQUEST_VERSION);
        w.fixed(&self.offer_digest.0);
        w.text(&self.price.amount().to_string());
        w.text(self.price.currency().as_str());
        w.text(self.requesturl.as_str());
        w.opt_text(self.buyid.as_ref().map(Url::as_str));
        w.text(self.payment_system.as_str());
        w.text(self.merchant_origin.as_str());
        w.fixed(&self.nonce.0);
        w.i64(self.issued_at);
        w.fixed(self.public_key.as_bytes());
        w.finish()
    }

    /// Reads canonical bytes; anything but the exact output of
    /// [`PurchaseRequest::canonical_bytes`] is refused.
    pub fn from_canonical_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, PURCHASE_REQUEST_DOMAIN)?;
        let version = r.u8()?;
        if version != PURCHASE_REQUEST_VERSION {
            return Err(DecodeError::UnknownVersion(version));
        }
        let request = PurchaseRequest {
            offer_digest: OfferDigest(r.fixed()?),
            price: r.price()?,
            requesturl: r.url("requesturl")?,
            buyid: r.opt_url("buyid")?,
            payment_system: r.url("payment_system")?,
            merchant_origin: r.origin("merchant_origin")?,
            nonce: Nonce(r.fixed()?),
            issued_at: r.timestamp("issued_at")?,
            public_key: r.public_key("public_key")?,
        };
        r.finish()?;
        Ok(request)
    }

    /// Signs the request. `key` must be the key whose public half the request names.
    pub fn sign(self, key: &OriginKey) -> SignedPurchaseRequest {
        debug_assert_eq!(
            self.public_key,
            key.public_key(),
            "request names another key"
        );
        let signature = key.sign(&self.canonical_bytes());
        SignedPurchaseRequest {
            request: self,
            signature,
        }
    }
}

/// A purchase request with the wallet's Ed25519 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPurchaseRequest {
    request: PurchaseRequest,
    signature: Signature,
}

impl SignedPurchaseRequest {
    /// The request.
    pub fn request(&self) -> &PurchaseRequest {
        &self.request
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The transport token: unpadded base64url of the canonical bytes followed by the
    /// 64-byte signature.
    pub fn to_token(&self) -> String {
        canon::encode_token(&self.request.canonical_bytes(), &self.signature)
    }

    /// Decodes a token strictly (the signature is not checked here; see
    /// [`SignedPurchaseRequest::verify`]).
    pub fn from_token(token: &str) -> Result<Self, DecodeError> {
        let (bytes, signature) = canon::decode_token(token)?;
        Ok(SignedPurchaseRequest {
            request: PurchaseRequest::from_canonical_bytes(&bytes)?,
            signature,
        })
    }

    /// Checks the signature against the public key the request names with ed25519-dalek's
    /// `verify_strict` (canonical `S`, no public key or `R` of small order: no malleable
    /// signature).
    pub fn verify(&self) -> Result<(), SignatureError> {
        self.request
            .public_key
            .verify_strict(&self.request.canonical_bytes(), &self.signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::MasterSecret;
    use crate::offer::tests::{sample_fields, sample_offer};
    use proptest::prelude::*;
    use time::macros::datetime;

    fn signed() -> SignedPurchaseRequest {
        let offer = sample_offer();
        let key = MasterSecret::from_bytes([1; 32]).origin_key(offer.merchant_origin());
        let ps = offer.fields().paymentsystems[0].id.clone();
        PurchaseRequest::new(
            &offer,
            &ps,
            Nonce([9; 16]),
            datetime!(2026-01-02 03:04:05 UTC),
            key.public_key(),
        )
        .sign(&key)
    }

    #[test]
    fn token_round_trip_and_verify() {
        let signed = signed();
        let token = signed.to_token();
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let decoded = SignedPurchaseRequest::from_token(&token).unwrap();
        assert_eq!(decoded, signed);
        assert_eq!(decoded.to_token(), token);
        decoded.verify().unwrap();
    }

    #[test]
    fn changing_any_byte_fails() {
        let signed = signed();
        let mut bytes = signed.request().canonical_bytes();
        bytes.extend_from_slice(&signed.signature().to_bytes());
        for index in 0..bytes.len() {
            for mask in [0x01, 0x80] {
                let mut tampered = bytes.clone();
                tampered[index] ^= mask;
                let token = base64::Engine::encode(
                    &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                    &tampered,
                );
                let outcome = SignedPurchaseRequest::from_token(&token).map(|s| s.verify());
                assert!(
                    !matches!(outcome, Ok(Ok(()))),
                    "byte {index} ^ {mask:#x} still verifies"
                );
            }
        }
    }

    #[test]
    fn changing_any_character_of_the_token_fails() {
        let token = signed().to_token();
        for index in 0..token.len() {
            // Another base64url character, then characters outside the alphabet.
            let current = token.as_bytes()[index];
            let other = if current == b'A' { b'B' } else { b'A' };
            let replacements: &[u8] = if index % 16 == 0 {
                &[other, b'=', b' ', b'+', b'/']
            } else {
                &[other]
            };
            for &replacement in replacements {
                let mut tampered = token.clone().into_bytes();
                tampered[index] = replacement;
                let tampered = String::from_utf8(tampered).unwrap();
                let outcome = SignedPurchaseRequest::from_token(&tampered).map(|s| s.verify());
                assert!(
                    !matches!(outcome, Ok(Ok(()))),
                    "index {index} -> {replacement}"
                );
            }
        }
        for extra in ["A", "AA", "=", "\n"] {
            assert!(SignedPurchaseRequest::from_token(&format!("{token}{extra}")).is_err());
        }
        assert!(SignedPurchaseRequest::from_token(&token[..token.len() - 1]).is_err());
    }

    #[test]
    fn unknown_versions_and_trailing_bytes_are_refused() {
        let mut bytes = signed().request().canonical_bytes();
        let version_at = 4 + PURCHASE_REQUEST_DOMAIN.len();
        bytes[version_at] = 2;
        assert_eq!(
            PurchaseRequest::from_canonical_bytes(&bytes),
            Err(DecodeError::UnknownVersion(2))
        );
        let mut bytes = signed().request().canonical_bytes();
        bytes.push(0);
        assert_eq!(
            PurchaseRequest::from_canonical_bytes(&bytes),
            Err(DecodeError::TrailingBytes)
        );
    }

    #[test]
    fn a_second_encoding_of_the_public_key_is_malformed() {
        let signed = signed();
        let mut bytes = signed.request().canonical_bytes();
        let at = bytes.len() - 32;
        bytes[at..].copy_from_slice(&crate::canon::tests::second_encoding_of_a_key());
        let token = canon::encode_token(&bytes, signed.signature());
        assert_eq!(
            SignedPurchaseRequest::from_token(&token),
            Err(DecodeError::NonCanonical("public_key"))
        );
    }

    #[test]
    fn a_signature_by_another_key_fails() {
        let signed = signed();
        let other =
            MasterSecret::from_bytes([2; 32]).origin_key(signed.request().merchant_origin());
        let forged = SignedPurchaseRequest {
            request: signed.request.clone(),
            signature: other.sign(&signed.request.canonical_bytes()),
        };
        assert!(forged.verify().is_err());
    }

    /// The canonical layout written by hand, with the text fields given as raw strings.
    fn encode_raw(base: &PurchaseRequest, texts: [&str; 5]) -> Vec<u8> {
        let [amount, currency, requesturl, payment_system, origin] = texts;
        let mut w = Writer::new(PURCHASE_REQUEST_DOMAIN);
        w.u8(1);
        w.fixed(&base.offer_digest.0);
        w.text(amount);
        w.text(currency);
        w.text(requesturl);
        w.opt_text(None);
        w.text(payment_system);
        w.text(origin);
        w.fixed(&base.nonce.0);
        w.i64(base.issued_at);
        w.fixed(base.public_key.as_bytes());
        w.finish()
    }

    #[test]
    fn non_canonical_field_values_are_refused() {
        let base = signed().request().clone();
        let good = [
            "0.01",
            "USD",
            "https://merchant.example/cartoon/today.html",
            "https://ps.example/",
            "https://merchant.example",
        ];
        let decoded = PurchaseRequest::from_canonical_bytes(&encode_raw(&base, good)).unwrap();
        assert_eq!(decoded, base);
        let cases: [(usize, &str, &str); 10] = [
            (0, "0.010", "amount"),
            (0, "+0.01", "amount"),
            (0, "1e-2", "amount"),
            (0, "-0.01", "amount"),
            (0, ".01", "amount"),
            (1, "usd", "currency"),
            (
                2,
                "HTTPS://merchant.example/cartoon/today.html",
                "requesturl",
            ),
            (3, "https://ps.example", "payment_system"),
            (4, "https://merchant.example/", "merchant_origin"),
            (4, "https://merchant.example:443", "merchant_origin"),
        ];
        for (index, value, field) in cases {
            let mut texts = good;
            texts[index] = value;
            assert_eq!(
                PurchaseRequest::from_canonical_bytes(&encode_raw(&base, texts)),
                Err(DecodeError::NonCanonical(field)),
                "{value}"
            );
        }
    }

    prop_compose! {
        fn arb_request()(
            mantissa in 0i64..1_000_000_000,
            scale in 0u32..10,
            currency in "[A-Z]{3}",
            path in "[a-z0-9/]{0,20}",
            with_buyid in any::<bool>(),
            nonce in any::<[u8; 16]>(),
            issued_at in 0i64..=canon::MAX_TIMESTAMP,
            seed in any::<[u8; 32]>(),
        ) -> (PurchaseRequest, [u8; 32]) {
            let mut fields = sample_fields();
            fields.price = Price::new(
                micropay_markup::Amount::from_decimal(rust_decimal::Decimal::new(mantissa, scale)).unwrap(),
                micropay_markup::Currency::parse(&currency).unwrap(),
            );
            fields.requesturl.set_path(&path);
            if with_buyid {
                fields.buyid = Some(Url::parse("https://merchant.example/bundle/").unwrap());
            }
            let offer = Offer::new(fields).unwrap();
            let key = MasterSecret::from_bytes(seed).origin_key(offer.merchant_origin());
            let ps = offer.fields().paymentsystems[1].id.clone();
            let at = OffsetDateTime::from_unix_timestamp(issued_at).unwrap();
            (PurchaseRequest::new(&offer, &ps, Nonce(nonce), at, key.public_key()), seed)
        }
    }

    proptest! {
        #[test]
        fn canonical_bytes_round_trip((request, seed) in arb_request()) {
            let bytes = request.canonical_bytes();
            let decoded = PurchaseRequest::from_canonical_bytes(&bytes).unwrap();
            prop_assert_eq!(&decoded, &request);
            prop_assert_eq!(decoded.canonical_bytes(), bytes);
            let key = MasterSecret::from_bytes(seed).origin_key(request.merchant_origin());
            let token = request.sign(&key).to_token();
            let again = SignedPurchaseRequest::from_token(&token).unwrap();
            prop_assert_eq!(again.to_token(), token);
            prop_assert!(again.verify().is_ok());
        }
    }
}
