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
//! signed [`Receipt`]. Its [`ReplayStore`] is an SQLite file, a PostgreSQL database shared
//! by many servers, or memory. [`Verifier::verify_batch`] and the [`ConcurrentVerifier`] of a
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
//!
//! # A purchase from start to end
//!
//! The merchant publishes its page; the reader's wallet decides on the page's link and buys;
//! the merchant verifies the token and issues a receipt; the wallet stores the receipt, and
//! the same link is then already paid. [`Ledger::in_memory`] keeps the example off the disk;
//! a real wallet uses [`Ledger::create`] and [`Ledger::open`] on a file.
//!
//! ```
//! use micropay_wallet::{
//!     Decision, Ledger, MerchantKey, Policy, PurchaseOutcome, Url, Verifier, Wallet,
//!     WalletController, time::macros::datetime,
//! };
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let page = br#"<object type="application/x-micropayment">
//!   <param name="price" value="0.05USD">
//!   <param name="textlink" value="Today's story">
//!   <param name="requesturl" value="https://news.example/story">
//!   <param name="paymentsystem" value="https://ps.example/">
//!   <param name="duration" value="86400">
//!   <a href="https://news.example/story">Today's story</a></object>"#;
//! let page_url = Url::parse("https://news.example/")?;
//! let now = datetime!(2026-03-01 12:00 UTC);
//!
//! // The merchant: its key, its replay store (a file: each nonce is accepted once), its page.
//! let dir = tempfile::tempdir()?;
//! let merchant_key = MerchantKey::generate()?;
//! let merchant_public_key = merchant_key.public_key();
//! let mut verifier = Verifier::create(merchant_key, &dir.path().join("replay.db"), 300)?;
//! assert_eq!(verifier.publish_page(page, &page_url)?.offers.len(), 1);
//!
//! // The reader: a policy (pay through https://ps.example/ in USD) and a ledger.
//! let policy = Policy::new(vec![Wallet::parse("https://ps.example/=USD")?]);
//! let mut wallet = WalletController::new(policy, Ledger::in_memory()?)?;
//! let document = micropay_markup::extract(page, Some(&page_url))?;
//! let link = &document.links()[0];
//! let decision = wallet.decide(link, &page_url, now)?;
//! assert_eq!(decision.to_string(), "pay 0.05USD via https://ps.example/");
//!
//! // Buying records the spend before the token is handed out.
//! let PurchaseOutcome::Purchased(spend) = wallet.purchase(link, &page_url, now, false)? else {
//!     panic!("not bought");
//! };
//!
//! // The merchant checks the token and answers with a signed receipt.
//! let accepted = verifier.verify(&spend.token, now)?.expect("a valid token");
//! let receipt = accepted.receipt.to_token();
//! // The same token again is refused: its nonce is spent.
//! assert_eq!(verifier.verify(&spend.token, now)?.unwrap_err().code(), "replayed-nonce");
//!
//! // The wallet stores the receipt under the merchant key it was given for this origin;
//! // for the offer's duration (a day), the link is paid for.
//! wallet.accept_receipt_under_key(&receipt, &merchant_public_key)?.expect("a valid receipt");
//! assert!(matches!(wallet.decide(link, &page_url, now)?, Decision::AlreadyPaid(_)));
//! # Ok(())
//! # }
//! ```
//!
//! docs/wallet-protocol.md in the repository describes the canonical bytes and the published
//! test vectors.

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
mod replay_memory;
mod replay_postgres;
mod replay_store;
mod sealed;
mod store;
mod token;
mod trust;
mod verifier;
mod wallet_state;

pub use canon::DecodeError;
pub use controller::{PurchaseOutcome, WalletController};
pub use decide::{Decision, Paid, Refusal};
pub use ed25519_dalek::VerifyingKey;
pub use error::{Error, SqliteError};
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
pub use replay_postgres::POSTGRES_SCHEMA_VERSION;
pub use replay_store::{ReplayStore, ReplayStoreConfig};
pub use sealed::{Passphrase, SEALED_DOMAIN};
pub use token::{
    Nonce, PURCHASE_REQUEST_DOMAIN, PURCHASE_REQUEST_VERSION, PurchaseRequest,
    SignedPurchaseRequest,
};
pub use trust::{KeyTrust, TrustedKey, public_key_from_hex};
pub use verifier::{Accepted, PublishedPage, Rejection, Verifier};
pub use wallet_state::{WALLET_EXPORT_FORMAT, WALLET_EXPORT_VERSION, WalletState};
