//! A verifier's verdict on one token: accepted (with its receipt) or refused with a
//! [`Rejection`]. The verifier (verifier.rs) reaches verdicts; the replay stores (replay.rs,
//! replay_memory.rs, replay_postgres.rs) turn an accepted one whose nonce was taken into
//! `replayed-nonce`. Both import this module; neither imports the other.

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

impl Accepted {
    /// The start (Unix seconds) of this verdict's replay window of `window` seconds: an
    /// earlier acceptance of its nonce counts if that request was issued at this instant or
    /// later. The verdict was reached when its receipt was issued.
    pub(crate) fn window_start(&self, window: i64) -> i64 {
        self.receipt
            .receipt()
            .issued_at()
            .unix_timestamp()
            .saturating_sub(window)
    }
}

/// Turns the verdicts at the positions `replayed` into [`Rejection::ReplayedNonce`]: their
/// nonces were found taken. Only the stores on a database use it.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn mark_replayed(
    verdicts: &mut [Result<Accepted, Rejection>],
    replayed: impl IntoIterator<Item = usize>,
) {
    for at in replayed {
        verdicts[at] = Err(Rejection::ReplayedNonce);
    }
}
