//! The reference wallet controller for micropayment per-fee-links, and the merchant's
//! verifier.
//!
//! The user's side, `WalletController` (feature `sqlite`): given a per-fee-link as the parser
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
//! # Features
//!
//! - `sqlite` (default): the SQLite [`Ledger`], the [`WalletController`] on it, the SQLite
//!   [`ReplayStore`] and [`Verifier::create`]/[`Verifier::open`] on a file.
//! - `postgres` (default): the PostgreSQL [`ReplayStore::postgres`], shared by the verifiers
//!   of many machines (the driver runs on a small tokio runtime of the store's own).
//!   `ReplayStoreConfig` (a `--replay` value: a path or a `postgres://` URL) needs both.
//!
//! Without them (`default-features = false`) the crate is the pure core, with no C code,
//! no database and no async runtime, and builds for `wasm32-unknown-unknown`: policy and
//! [`decide()`] over any [`SpendHistory`] (a list of [`HistoryEntry`] in memory is one), offers,
//! key derivation, signing purchase requests, encoding and decoding tokens and receipts,
//! checking a receipt ([`SignedReceipt::verify_answer`]), and the [`Verifier`] over
//! [`ReplayStore::memory`]. On `wasm32-unknown-unknown`, random bytes come from the browser's
//! Web Crypto API (getrandom's `wasm_js` backend, enabled for that target only).
//!
//! # A purchase from start to end (feature `sqlite`)
//!
//! The merchant publishes its page; the reader's wallet decides on the page's link and buys;
//! the merchant verifies the token and issues a receipt; the wallet stores the receipt, and
//! the same link is then already paid. [`Ledger::in_memory`] keeps the example off the disk;
//! a real wallet uses [`Ledger::create`] and [`Ledger::open`] on a file.
//!
//! ```
//! # #[cfg(feature = "sqlite")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use micropay_wallet::{
//!     Decision, Ledger, MerchantKey, Policy, PurchaseOutcome, Url, Verifier, Wallet,
//!     WalletController, time::macros::datetime,
//! };
//!
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
//! # #[cfg(not(feature = "sqlite"))]
//! # fn main() {}
//! ```
//!
//! # The pure core, in memory
//!
//! The same purchase without the ledger: the wallet keeps its purchases as a list of
//! [`HistoryEntry`], derives the key for the merchant's origin from its [`MasterSecret`],
//! signs the request itself and checks the receipt against it. The merchant verifies over a
//! replay store in memory. This runs with `default-features = false`.
//!
//! ```
//! use micropay_wallet::{
//!     Decision, HistoryEntry, MasterSecret, MerchantKey, Nonce, Offer, Policy,
//!     PurchaseRequest, ReplayStore, SignedReceipt, SpendRecord, Url, Verifier, Wallet, decide,
//!     time::{Duration, macros::datetime},
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
//! let document = micropay_markup::extract(page, Some(&page_url))?;
//! let offer = Offer::from_link(&document.links()[0], &page_url)?;
//!
//! // The merchant verifies over a replay store in memory.
//! let merchant_key = MerchantKey::generate()?;
//! let merchant_public_key = merchant_key.public_key();
//! let mut verifier = Verifier::new(merchant_key, ReplayStore::memory(), 300);
//! verifier.publish(offer.clone());
//!
//! // The reader decides on the offer against what it bought before (nothing yet).
//! let policy = Policy::new(vec![Wallet::parse("https://ps.example/=USD")?]);
//! let master = MasterSecret::generate()?;
//! let mut history: Vec<HistoryEntry> = Vec::new();
//! let Decision::Pay { payment_system, .. } = decide(&policy, &offer, now, history.as_slice())?
//! else {
//!     panic!("not paying");
//! };
//!
//! // It signs the request with the key of the merchant's origin and records the spend
//! // before the token leaves.
//! let key = master.origin_key(offer.merchant_origin());
//! let purchase = PurchaseRequest::new(&offer, &payment_system, Nonce::random()?, now, key.public_key())
//!     .sign(&key);
//! let token = purchase.to_token();
//! history.push(HistoryEntry {
//!     spend: SpendRecord {
//!         id: 1,
//!         purchase: purchase.clone(),
//!         token: token.clone(),
//!         access_until: Some(now + Duration::days(1)),
//!     },
//!     receipt: None,
//! });
//!
//! // The merchant accepts the token once and signs a receipt; the wallet checks that the
//! // receipt answers its request under the merchant's key, and keeps it.
//! let receipt = verifier.verify(&token, now)?.expect("a valid token").receipt.to_token();
//! assert_eq!(verifier.verify(&token, now)?.unwrap_err().code(), "replayed-nonce");
//! let receipt = SignedReceipt::verify_answer(&receipt, purchase.request(), &merchant_public_key)
//!     .expect("a receipt that answers the request");
//! history[0].receipt = Some(receipt);
//! assert!(matches!(
//!     decide(&policy, &offer, now, history.as_slice())?,
//!     Decision::AlreadyPaid(_)
//! ));
//! # Ok(())
//! # }
//! ```
//!
//! # Re-exports
//!
//! The types of other crates that this crate's signatures use are re-exported here, so a
//! caller needs no version of its own of those crates: from `micropay_markup` (itself as
//! [`markup`], whose `Error` is [`Error::Page`]'s), [`PerFeeLink`], [`Document`],
//! [`Finding`], [`Price`], [`Amount`], [`Currency`], [`Decimal`] (rust_decimal's), [`Url`]
//! (the url crate's) and the [`time`] crate (`OffsetDateTime`); from ed25519-dalek,
//! [`VerifyingKey`], [`Signature`] and [`SignatureError`].
//!
//! docs/wallet-protocol.md in the repository describes the canonical bytes and the published
//! test vectors.

mod canon;
#[cfg(feature = "sqlite")]
mod controller;
mod decide;
mod error;
mod files;
mod group_commit;
mod history;
mod keys;
#[cfg(feature = "sqlite")]
mod ledger;
mod offer;
mod origin;
mod policy;
mod policy_json;
mod receipt;
mod refusal;
#[cfg(feature = "sqlite")]
mod replay;
mod replay_memory;
#[cfg(feature = "postgres")]
mod replay_postgres;
mod replay_store;
#[cfg(feature = "sqlite")]
mod sealed;
#[cfg(feature = "sqlite")]
mod store;
mod token;
mod trust;
mod verdict;
mod verifier;
mod wallet_state;

pub use canon::DecodeError;
#[cfg(feature = "sqlite")]
pub use controller::{PurchaseOutcome, WalletController};
pub use decide::{Decision, decide};
pub use ed25519_dalek::{Signature, SignatureError, VerifyingKey};
#[cfg(feature = "sqlite")]
pub use error::SqliteError;
pub use error::{Error, RandomError};
pub use group_commit::ConcurrentVerifier;
pub use history::{HistoryEntry, Paid, SpendHistory, SpendRecord};
pub use keys::{MasterSecret, MerchantKey, ORIGIN_KEY_INFO_DOMAIN, ORIGIN_KEY_SALT, OriginKey};
#[cfg(feature = "sqlite")]
pub use ledger::{LEDGER_SCHEMA_VERSION, Ledger, ReceiptKey, Reservation};
pub use micropay_markup::{
    self as markup, Amount, Currency, Decimal, Document, Finding, PerFeeLink, Price, Url, time,
};
pub use offer::{OFFER_DOMAIN, Offer, OfferDigest, OfferError, OfferFields, OfferPaymentSystem};
pub use origin::{MerchantOrigin, OriginError};
pub use policy::{
    Budget, BudgetScope, Currencies, Policy, PolicyError, Wallet, parse_blocked_origin,
};
pub use receipt::{RECEIPT_DOMAIN, RECEIPT_VERSION, Receipt, ReceiptRejection, SignedReceipt};
pub use refusal::Refusal;
#[cfg(feature = "sqlite")]
pub use replay::REPLAY_SCHEMA_VERSION;
#[cfg(feature = "postgres")]
pub use replay_postgres::POSTGRES_SCHEMA_VERSION;
pub use replay_store::ReplayStore;
#[cfg(all(feature = "sqlite", feature = "postgres"))]
pub use replay_store::ReplayStoreConfig;
#[cfg(feature = "sqlite")]
pub use sealed::{Passphrase, SEALED_DOMAIN};
pub use token::{
    Nonce, PURCHASE_REQUEST_DOMAIN, PURCHASE_REQUEST_VERSION, PurchaseRequest,
    SignedPurchaseRequest,
};
pub use trust::{KeyTrust, TrustedKey, public_key_from_hex};
pub use verdict::{Accepted, Rejection};
pub use verifier::{PublishedPage, Verifier};
pub use wallet_state::{WALLET_EXPORT_FORMAT, WALLET_EXPORT_VERSION, WalletState};
