//! The merchant's check of a receipt presented instead of a token (`Authorization:
//! Micropay receipt="..."`, and `micropay verify` given a receipt token).

use std::fmt;

use micropay_wallet::{DecodeError, SignedReceipt};
use time::OffsetDateTime;
use url::Url;

/// Why a merchant refuses a receipt. Each variant has a stable code
/// ([`ReceiptRefusal::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiptRefusal {
    /// `malformed-receipt`: not a canonical receipt token.
    Malformed(DecodeError),
    /// `foreign-receipt`: signed by (and naming) another key than this merchant's.
    Foreign,
    /// `bad-signature`: names this merchant's key, but the signature does not verify.
    BadSignature,
    /// `receipt-out-of-scope`: it covers another scope than the URL's offers.
    OutOfScope(Url),
    /// `receipt-expired`: its access window ended at this instant.
    Expired(OffsetDateTime),
}

impl ReceiptRefusal {
    /// The stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            ReceiptRefusal::Malformed(_) => "malformed-receipt",
            ReceiptRefusal::Foreign => "foreign-receipt",
            ReceiptRefusal::BadSignature => "bad-signature",
            ReceiptRefusal::OutOfScope(_) => "receipt-out-of-scope",
            ReceiptRefusal::Expired(_) => "receipt-expired",
        }
    }
}

impl fmt::Display for ReceiptRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptRefusal::Malformed(why) => write!(f, "{}: {why}", self.code()),
            ReceiptRefusal::Foreign => {
                write!(f, "{}: not signed by this merchant's key", self.code())
            }
            ReceiptRefusal::BadSignature => {
                write!(
                    f,
                    "{}: the receipt's signature does not verify",
                    self.code()
                )
            }
            ReceiptRefusal::OutOfScope(scope) => {
                write!(f, "{}: the receipt covers {scope}", self.code())
            }
            ReceiptRefusal::Expired(until) => {
                write!(f, "{}: access ended at {until}", self.code())
            }
        }
    }
}

/// Checks a receipt token as the merchant whose public key is `merchant_key`: strict
/// decoding, the key it names is this merchant's, `verify_strict` under it, its scope is one
/// `covers` accepts, its access window is open at `now` — in this order, each refusal with
/// its code.
pub fn check_receipt(
    token: &str,
    merchant_key: &[u8; 32],
    covers: impl Fn(&Url) -> bool,
    now: OffsetDateTime,
) -> Result<SignedReceipt, ReceiptRefusal> {
    let signed = SignedReceipt::from_token(token).map_err(ReceiptRefusal::Malformed)?;
    let receipt = signed.receipt();
    if receipt.merchant_key().as_bytes() != merchant_key {
        return Err(ReceiptRefusal::Foreign);
    }
    signed.verify().map_err(|_| ReceiptRefusal::BadSignature)?;
    if !covers(receipt.scope()) {
        return Err(ReceiptRefusal::OutOfScope(receipt.scope().clone()));
    }
    if !receipt.grants_access_at(now) {
        return Err(ReceiptRefusal::Expired(receipt.access_until()));
    }
    Ok(signed)
}
