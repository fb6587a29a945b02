//! Selling and buying per-fee-links over HTTP (docs/http.md).
//!
//! The merchant's side is a `tower` middleware, [`PaymentLayer`], over the verifier of
//! `micropay_wallet`: add it to an axum router (or any tower stack) and the URLs priced by
//! the per-fee-links of the merchant's own pages answer `402 Payment Required` with a
//! `WWW-Authenticate: Micropay` challenge per offer, until the request carries a purchase
//! token the verifier accepts (its nonce and receipt committed to the replay store before
//! the handler runs; the receipt returned in `Micropay-Receipt`) or a receipt whose access
//! window covers the URL. Everything else passes through untouched.
//!
//! The wallet's side is [`Client`]: it fetches a URL and, when it is sold, takes the offer
//! from the 402 response, decides with the wallet's policy, buys, fetches again with the
//! token and stores the receipt; a stored receipt that covers the URL is presented instead
//! of paying again.
//!
//! ```
//! use axum::{Router, routing::get};
//! use micropay_http::{Merchant, PaymentLayer};
//! use micropay_markup::Extractor;
//! use micropay_wallet::MerchantKey;
//! use url::Url;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let replay_store = dir.path().join("replay.db");
//! let site = Url::parse("https://news.example/")?;
//! // The page that sells /story: its per-fee-link prices that URL.
//! let page = r#"<object type="application/x-per-fee-link">
//!   <param name="price" value="0.05USD">
//!   <param name="textlink" value="Today's story">
//!   <param name="requesturl" value="https://news.example/story">
//!   <param name="paymentsystem" value="https://pay.example/">
//!   <a href="https://news.example/story">Today's story</a></object>"#;
//! let document = Extractor::new().document_url(site.clone()).extract_str(page)?;
//!
//! let mut merchant = Merchant::builder(MerchantKey::generate()?, &replay_store, site.clone())?;
//! assert_eq!(merchant.page(&document, &site), 1);
//! let merchant = merchant.build();
//!
//! let app: Router = Router::new()
//!     .route("/", get(|| async { "free" }))
//!     .route("/story", get(|| async { "the story" }))
//!     .layer(PaymentLayer::new(merchant));
//! # let _ = app;
//! # Ok(())
//! # }
//! ```

mod catalogue;
mod client;
mod error;
mod layer;
mod merchant;
mod receipt_check;
mod response;
mod wire;

pub use client::{
    Channel, Client, DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT, FetchOutcome, Fetched, MAX_REDIRECTS,
};
pub use error::Error;
pub use layer::{PaymentLayer, PaymentService};
pub use merchant::{DEFAULT_RETRY_GRACE_SECONDS, DEFAULT_SKEW_SECONDS, Merchant, MerchantBuilder};
pub use receipt_check::{ReceiptRefusal, check_receipt};
pub use wire::{
    CODE_HEADER, Credential, PROBLEM_JSON, PROBLEM_TYPE_PREFIX, Problem, RECEIPT_HEADER, SCHEME,
};
