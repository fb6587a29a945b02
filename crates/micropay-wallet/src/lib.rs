//! The reference wallet controller for micropayment per-fee-links, and the merchant's
//! verifier.
//!
//! The user's side, [`WalletController`]: given a per-fee-link as the parser
//! (`micropay_markup`) extracted it, the URL of its page and the instant, it builds the
//! [`Offer`] the link makes, decides ([`Decision`]) whether to pay, with which payment
//! system, under the user's [`Policy`]; it recognises an offer already paid for; it signs a
//! [`PurchaseRequest`] with an Ed25519 key derived for the merchant's origin from the
//! wallet's master secret; and it records the spend in the SQLite [`Ledger`] (which also
//! keeps the policy) before the token leaves.
//!
//! The merchant's side, [`Verifier`]: it publishes the valid links of the merchant's own
//! pages as offers, checks a token against them, accepts each nonce once, and issues a
//! signed [`Receipt`]. [`Verifier::verify_batch`] and the [`ConcurrentVerifier`] of a
//! multi-threaded server commit the nonces of many tokens together (group commit).
//!
//! Prices are the parser's [`Price`] (P-3), re-exported here with [`Amount`] and
//! [`Currency`].
//!
//! Receipts are stored only under a merchant key the wallet trusts for the receipt's origin
//! ([`KeyTrust`], [`WalletController::accept_receipt_from_response`]); the master secret may
//! be kept encrypted under a [`Passphrase`] ([`Ledger::create_encrypted`]).
//!
//! Refusals ([`Refusal`]), rejections ([`Rejection`], [`ReceiptRejection`]) are data with
//! stable kebab-case codes; [`Error`] is for calls that could not be carried out.
//! docs/wallet-protocol.md describes the canonical bytes and the published test vectors.

mod canon;
mod controller;
mod decide;
mod error;
mod group_commit;
mod keys;
mod ledger;
mod offer;
mod origin;
mod policy;
mod policy_json;
mod receipt;
mod replay;
mod sealed;
mod store;
mod token;
mod trust;
mod verifier;

pub use canon::DecodeError;
pub use controller::{PurchaseOutcome, WalletController};
pub use decide::{Decision, Paid, Refusal};
pub use ed25519_dalek::VerifyingKey;
pub use error::Error;
pub use group_commit::ConcurrentVerifier;
pub use keys::{MasterSecret, MerchantKey, ORIGIN_KEY_INFO_DOMAIN, ORIGIN_KEY_SALT, OriginKey};
pub use ledger::{
    HistoryEntry, LEDGER_SCHEMA_VERSION, Ledger, ReceiptKey, Reservation, SpendRecord,
};
pub use micropay_markup::{Amount, Currency, Decimal, Price, Url, time};
pub use offer::{OFFER_DOMAIN, Offer, OfferDigest, OfferError, OfferFields, OfferPaymentSystem};
pub use origin::{MerchantOrigin, OriginError};
pub use policy::{
    Budget, BudgetScope, Currencies, Policy, PolicyError, Wallet, parse_blocked_origin,
};
pub use receipt::{RECEIPT_DOMAIN, RECEIPT_VERSION, Receipt, ReceiptRejection, SignedReceipt};
pub use replay::REPLAY_SCHEMA_VERSION;
pub use sealed::{Passphrase, SEALED_DOMAIN};
pub use token::{
    Nonce, PURCHASE_REQUEST_DOMAIN, PURCHASE_REQUEST_VERSION, PurchaseRequest,
    SignedPurchaseRequest,
};
pub use trust::{KeyTrust, TrustedKey, public_key_from_hex};
pub use verifier::{Accepted, PublishedPage, Rejection, Verifier};
