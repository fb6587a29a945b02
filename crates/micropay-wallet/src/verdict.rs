//! The merchant's verdict on a purchase token: [`Accepted`], with the receipt to return, or
//! a [`Rejection`] with its stable code. The verifier decides it (verifier.rs) and the replay
//! stores record it (replay_store.rs).

use std::fmt;

use crate::canon::DecodeError;
use crate::offer::{Offer, OfferDigest};
use crate::receipt::SignedReceipt;
use crate::token::SignedPurchaseRequest;

/// Why the merchant refuses a purchase token. Each variant has a stable code
/// ([`Rejection::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// `malformed-token`: not a canonical purchase request token.
    MalformedToken(DecodeError),
    /// `bad-signature`: the signature does not verify under the key the request names.
    BadSignature,
    /// `unknown-offer`: the offer digest is not that of an offer this merchant publishes.
    UnknownOffer(OfferDigest),
    /// `offer-mismatch`: a field the request names differs from the offer's.
    OfferMismatch(&'static str),
    /// `payment-system-not-offered`: the offer does not list the payment system chosen.
    PaymentSystemNotOffered,
    /// `expired-offer`: the request was issued after the offer's expiration.
    ExpiredOffer,
    /// `stale-request`: issued-at is outside the skew window around now.
    StaleRequest,
    /// `replayed-nonce`: a request with this nonce was already accepted.
    ReplayedNonce,
}

impl Rejection {
    /// The stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::MalformedToken(_) => "malformed-token",
            Rejection::BadSignature => "bad-signature",
            Rejection::UnknownOffer(_) => "unknown-offer",
            Rejection::OfferMismatch(_) => "offer-mismatch",
            Rejection::PaymentSystemNotOffered => "payment-system-not-offered",
            Rejection::ExpiredOffer => "expired-offer",
            Rejection::StaleRequest => "stale-request",
            Rejection::ReplayedNonce => "replayed-nonce",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::MalformedToken(why) => write!(f, "{}: {why}", self.code()),
            Rejection::UnknownOffer(digest) => write!(f, "{}: {digest}", self.code()),
            Rejection::OfferMismatch(field) => write!(f, "{}: {field}", self.code()),
            _ => f.write_str(self.code()),
        }
    }
}

/// An accepted purchase: the verified request, the offer it buys and the receipt to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The verified purchase request.
    pub purchase: SignedPurchaseRequest,
    /// The published offer it buys.
    pub offer: Offer,
    /// The receipt, signed by the merchant's key.
    pub receipt: SignedReceipt,
}
