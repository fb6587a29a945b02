//! The merchant's receipt for an accepted purchase: what it covers (the scope: `buyid`, else
//! `requesturl`), until when access is granted (issued-at + `duration`), which purchase it
//! answers (nonce and offer digest), signed by the merchant's key. Same token style as the
//! purchase request (canonical bytes, Ed25519 signature, unpadded base64url).
//!
//! The wallet checks the signature and that the receipt answers one of its own purchases
//! before storing it; a stored receipt whose access has not ended makes a repeated purchase
//! of the same scope "already paid".

use ed25519_dalek::{Signature, SignatureError, VerifyingKey};
use micropay_markup::Price;
use time::OffsetDateTime;
use url::Url;

use crate::canon::{self, DecodeError, Reader, Writer};
use crate::keys::MerchantKey;
use crate::offer::{Offer, OfferDigest};
use crate::origin::MerchantOrigin;
use crate::token::{Nonce, PurchaseRequest};

/// Domain tag of the receipt's canonical bytes.
pub const RECEIPT_DOMAIN: &str = "micropay/receipt/v1";
/// The receipt version this build writes and reads.
pub const RECEIPT_VERSION: u8 = 1;

/// A merchant's statement that a purchase was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    merchant_origin: MerchantOrigin,
    scope: Url,
    offer_digest: OfferDigest,
    nonce: Nonce,
    price: Price,
    payment_system: Url,
    issued_at: i64,
    access_until: i64,
    merchant_key: VerifyingKey,
}

impl Receipt {
    /// The receipt for `request` (already checked against `offer`), issued at `issued_at`
    /// (whole seconds) by the holder of `merchant_key`: access until issued-at + the offer's
    /// `duration` (no duration: access ends at once).
    pub fn new(
        request: &PurchaseRequest,
        offer: &Offer,
        issued_at: OffsetDateTime,
        merchant_key: VerifyingKey,
    ) -> Self {
        let issued_at = canon::unix_seconds(issued_at).clamp(0, canon::MAX_TIMESTAMP);
        Receipt {
            merchant_origin: request.merchant_origin().clone(),
            scope: request.scope().clone(),
            offer_digest: request.offer_digest(),
            nonce: request.nonce(),
            price: *request.price(),
            payment_system: request.payment_system().clone(),
            issued_at,
            access_until: canon::add_seconds(issued_at, offer.fields().duration.unwrap_or(0)),
            merchant_key,
        }
    }

    /// The merchant origin.
    pub fn merchant_origin(&self) -> &MerchantOrigin {
        &self.merchant_origin
    }
    /// What the purchase covers: the offer's `buyid`, else its `requesturl`.
    pub fn scope(&self) -> &Url {
        &self.scope
    }
    /// The digest of the offer bought.
    pub fn offer_digest(&self) -> OfferDigest {
        self.offer_digest
    }
    /// The nonce of the purchase request this receipt answers.
    pub fn nonce(&self) -> Nonce {
        self.nonce
    }
    /// The price paid.
    pub fn price(&self) -> &Price {
        &self.price
    }
    /// The payment system used.
    pub fn payment_system(&self) -> &Url {
        &self.payment_system
    }
    /// When the merchant accepted the purchase.
    pub fn issued_at(&self) -> OffsetDateTime {
        canon::instant(self.issued_at)
    }
    /// Until when the scope is served without paying again (exclusive).
    pub fn access_until(&self) -> OffsetDateTime {
        canon::instant(self.access_until)
    }
    /// [`Receipt::access_until`] in Unix seconds.
    pub fn access_until_unix(&self) -> i64 {
        self.access_until
    }
    /// Whether access is still granted at `now`.
    pub fn grants_access_at(&self, now: OffsetDateTime) -> bool {
        now.unix_timestamp() < self.access_until
    }
    /// The merchant's public key.
    pub fn merchant_key(&self) -> &VerifyingKey {
        &self.merchant_key
    }

    /// The canonical bytes the merchant signs.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(RECEIPT_DOMAIN);
        w.u8(RECEIPT_VERSION);
        w.text(self.merchant_origin.as_str());
        w.text(self.scope.as_str());
        w.fixed(&self.offer_digest.0);
        w.fixed(&self.nonce.0);
        w.text(&self.price.amount().to_string());
        w.text(self.price.currency().as_str());
        w.text(self.payment_system.as_str());
        w.i64(self.issued_at);
        w.i64(self.access_until);
        w.fixed(self.merchant_key.as_bytes());
        w.finish()
    }

    /// Reads canonical bytes, refusing anything else.
    pub fn from_canonical_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, RECEIPT_DOMAIN)?;
        let version = r.u8()?;
        if version != RECEIPT_VERSION {
            return Err(DecodeError::UnknownVersion(version));
        }
        let receipt = Receipt {
            merchant_origin: r.origin("merchant_origin")?,
            scope: r.url("scope")?,
            offer_digest: OfferDigest(r.fixed()?),
            nonce: Nonce(r.fixed()?),
            price: r.price()?,
            payment_system: r.url("payment_system")?,
            issued_at: r.timestamp("issued_at")?,
            access_until: r.timestamp("access_until")?,
            merchant_key: r.public_key("merchant_key")?,
        };
        r.finish()?;
        if receipt.access_until < receipt.issued_at {
            return Err(DecodeError::NonCanonical("access_until"));
        }
        Ok(receipt)
    }

    /// Signs the receipt with the merchant's key (which must be the one it names).
    pub fn sign(self, key: &MerchantKey) -> SignedReceipt {
        debug_assert_eq!(
            self.merchant_key,
            key.public_key(),
            "receipt names another key"
        );
        let canonical = self.canonical_bytes();
        let signature = key.sign(&canonical);
        SignedReceipt {
            token: canon::encode_token(&canonical, &signature),
            receipt: self,
            signature,
        }
    }
}

/// A receipt with the merchant's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedReceipt {
    receipt: Receipt,
    signature: Signature,
    /// The transport token of the two, encoded once from the receipt's canonical bytes: those
    /// just signed, or when decoding, those of the receipt as read (so a decoded receipt gives
    /// back its text only if reading and writing it again round-trip exactly, which the
    /// tests and the `token_verify` fuzz target hold it to).
    token: String,
}

impl SignedReceipt {
    /// The receipt.
    pub fn receipt(&self) -> &Receipt {
        &self.receipt
    }
    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }
    /// The transport token.
    pub fn token(&self) -> &str {
        &self.token
    }
    /// The transport token, as an owned string.
    pub fn to_token(&self) -> String {
        self.token.clone()
    }
    /// Decodes a token strictly (the signature is checked by [`SignedReceipt::verify`]).
    pub fn from_token(token: &str) -> Result<Self, DecodeError> {
        let (bytes, signature) = canon::decode_token(token)?;
        let receipt = Receipt::from_canonical_bytes(&bytes)?;
        Ok(SignedReceipt {
            token: canon::encode_token(&receipt.canonical_bytes(), &signature),
            receipt,
            signature,
        })
    }
    /// Checks the signature against the merchant key the receipt names with ed25519-dalek's
    /// `verify_strict`. Whether that key is one the wallet trusts for the receipt's merchant
    /// origin is the wallet's question, not this one's (see [`crate::WalletController`]).
    pub fn verify(&self) -> Result<(), SignatureError> {
        self.receipt
            .merchant_key
            .verify_strict(&self.receipt.canonical_bytes(), &self.signature)
    }

    /// Checks the receipt `token` as the merchant's answer to `request`, signed under
    /// `merchant_key` (a key the wallet trusts for the request's merchant origin): strict
    /// decoding (`malformed-receipt`), `verify_strict` under the key the receipt names
    /// (`bad-signature`), that key being `merchant_key` (`untrusted-merchant-key`), and the
    /// same nonce, origin, scope, offer digest, price and payment system as `request`
    /// (`receipt-mismatch`). The checks [`WalletController`](crate::WalletController) makes
    /// before it stores a receipt, for a wallet that keeps its purchases elsewhere.
    pub fn verify_answer(
        token: &str,
        request: &PurchaseRequest,
        merchant_key: &VerifyingKey,
    ) -> Result<Self, ReceiptRejection> {
        let signed = Self::from_token(token).map_err(ReceiptRejection::Malformed)?;
        if signed.verify().is_err() {
            return Err(ReceiptRejection::BadSignature);
        }
        if signed.receipt.merchant_key() != merchant_key {
            return Err(ReceiptRejection::UntrustedKey);
        }
        ReceiptRejection::check_answers(&signed.receipt, request)?;
        Ok(signed)
    }
}

/// Why the wallet did not store a receipt. Each variant has a stable code
/// ([`ReceiptRejection::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiptRejection {
    /// `malformed-receipt`: the token is not a canonical receipt.
    Malformed(DecodeError),
    /// `bad-signature`: the signature does not verify under the key the receipt names.
    BadSignature,
    /// `origin-mismatch`: the receipt came in a response from another origin than the
    /// merchant origin it names.
    OriginMismatch,
    /// `untrusted-merchant-key`: the key that signed the receipt is not one the wallet trusts
    /// for the receipt's merchant origin (nor one the call makes trusted).
    UntrustedKey,
    /// `unknown-purchase`: no purchase of this wallet has the receipt's nonce.
    UnknownPurchase,
    /// `receipt-mismatch`: the receipt's origin, scope, offer digest, price or payment system
    /// differ from those of the purchase with its nonce.
    Mismatch,
    /// `duplicate-receipt`: a different receipt is already stored for that purchase.
    Duplicate,
}

impl ReceiptRejection {
    /// The stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            ReceiptRejection::Malformed(_) => "malformed-receipt",
            ReceiptRejection::BadSignature => "bad-signature",
            ReceiptRejection::OriginMismatch => "origin-mismatch",
            ReceiptRejection::UntrustedKey => "untrusted-merchant-key",
            ReceiptRejection::UnknownPurchase => "unknown-purchase",
            ReceiptRejection::Mismatch => "receipt-mismatch",
            ReceiptRejection::Duplicate => "duplicate-receipt",
        }
    }

    /// Whether `receipt` answers `request`: same origin, scope, offer, price, payment
    /// system and nonce.
    pub(crate) fn check_answers(receipt: &Receipt, request: &PurchaseRequest) -> Result<(), Self> {
        let answers = receipt.nonce == request.nonce()
            && &receipt.merchant_origin == request.merchant_origin()
            && &receipt.scope == request.scope()
            && receipt.offer_digest == request.offer_digest()
            && &receipt.price == request.price()
            && &receipt.payment_system == request.payment_system();
        if answers {
            Ok(())
        } else {
            Err(ReceiptRejection::Mismatch)
        }
    }
}

impl std::fmt::Display for ReceiptRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReceiptRejection::Malformed(why) => write!(f, "{}: {why}", self.code()),
            _ => f.write_str(self.code()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::keys::MasterSecret;
    use crate::offer::tests::sample_fields;
    use proptest::prelude::*;
    use time::macros::datetime;

    pub(crate) fn sample_receipt(
        duration: Option<u64>,
    ) -> (Offer, SignedPurchaseRequest, SignedReceipt) {
        let mut fields = sample_fields();
        fields.duration = duration;
        let offer = Offer::new(fields).unwrap();
        let key = MasterSecret::from_bytes([1; 32]).origin_key(offer.merchant_origin());
        let ps = offer.fields().paymentsystems[0].id.clone();
        let at = datetime!(2026-01-02 03:04:05 UTC);
        let request =
            PurchaseRequest::new(&offer, &ps, Nonce([9; 16]), at, key.public_key()).sign(&key);
        let merchant = MerchantKey::from_seed(&[5; 32]);
        let receipt =
            Receipt::new(request.request(), &offer, at, merchant.public_key()).sign(&merchant);
        (offer, request, receipt)
    }

    use crate::token::SignedPurchaseRequest;

    #[test]
    fn access_period_follows_duration() {
        let (_, _, signed) = sample_receipt(Some(3600));
        let receipt = signed.receipt();
        assert_eq!(receipt.access_until(), datetime!(2026-01-02 04:04:05 UTC));
        assert!(receipt.grants_access_at(datetime!(2026-01-02 04:04:04 UTC)));
        assert!(!receipt.grants_access_at(datetime!(2026-01-02 04:04:05 UTC)));
        let (_, _, signed) = sample_receipt(None);
        assert!(
            !signed
                .receipt()
                .grants_access_at(datetime!(2026-01-02 03:04:05 UTC))
        );
        let (_, _, signed) = sample_receipt(Some(u64::MAX));
        assert_eq!(signed.receipt().access_until_unix(), canon::MAX_TIMESTAMP);
    }

    #[test]
    fn token_round_trip_verify_and_tamper() {
        let (_, _, signed) = sample_receipt(Some(60));
        let token = signed.to_token();
        // The token kept at signing is the encoding of what was signed.
        assert_eq!(
            token,
            canon::encode_token(&signed.receipt().canonical_bytes(), signed.signature())
        );
        let decoded = SignedReceipt::from_token(&token).unwrap();
        assert_eq!(decoded, signed);
        assert_eq!(decoded.to_token(), token);
        decoded.verify().unwrap();
        let mut bytes = signed.receipt().canonical_bytes();
        bytes.extend_from_slice(&signed.signature().to_bytes());
        for index in 0..bytes.len() {
            let mut tampered = bytes.clone();
            tampered[index] ^= 0x01;
            let token = base64::Engine::encode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                &tampered,
            );
            let outcome = SignedReceipt::from_token(&token).map(|s| s.verify());
            assert!(
                !matches!(outcome, Ok(Ok(()))),
                "byte {index} still verifies"
            );
        }
    }

    #[test]
    fn a_second_encoding_of_the_merchant_key_is_malformed() {
        let (_, _, signed) = sample_receipt(Some(60));
        let mut bytes = signed.receipt().canonical_bytes();
        let at = bytes.len() - 32;
        bytes[at..].copy_from_slice(&crate::canon::tests::second_encoding_of_a_key());
        let token = canon::encode_token(&bytes, signed.signature());
        assert_eq!(
            SignedReceipt::from_token(&token),
            Err(DecodeError::NonCanonical("merchant_key"))
        );
    }

    #[test]
    fn a_purchase_request_token_is_not_a_receipt() {
        let (_, request, _) = sample_receipt(Some(60));
        assert_eq!(
            SignedReceipt::from_token(&request.to_token()).err(),
            Some(DecodeError::WrongDomain)
        );
    }

    proptest! {
        #[test]
        fn canonical_bytes_round_trip(duration in any::<Option<u64>>(), at in 0i64..=canon::MAX_TIMESTAMP) {
            let (offer, request, _) = sample_receipt(duration);
            let merchant = MerchantKey::from_seed(&[6; 32]);
            let at = OffsetDateTime::from_unix_timestamp(at).unwrap();
            let receipt = Receipt::new(request.request(), &offer, at, merchant.public_key());
            let bytes = receipt.canonical_bytes();
            let decoded = Receipt::from_canonical_bytes(&bytes).unwrap();
            prop_assert_eq!(&decoded, &receipt);
            prop_assert_eq!(decoded.canonical_bytes(), bytes);
        }
    }
}
