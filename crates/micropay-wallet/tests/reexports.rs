//! The types of other crates in this crate's public signatures are the ones it re-exports: each
//! line names a public function by its root path and the type it takes or returns, so the test
//! fails to build if a signature uses a type a caller cannot name through `micropay_wallet`.

use micropay_wallet::{
    Decimal, Document, Error, Finding, MerchantOrigin, Offer, OfferError, PerFeeLink, Policy,
    PolicyError, PublishedPage, Receipt, SignedPurchaseRequest, SignedReceipt, Url, Verifier,
    markup, time::OffsetDateTime,
};
use micropay_wallet::{Signature, SignatureError, VerifyingKey};

#[test]
fn signatures_use_the_re_exported_types() {
    let _: fn(&SignedReceipt) -> &Signature = SignedReceipt::signature;
    let _: fn(&SignedReceipt) -> Result<(), SignatureError> = SignedReceipt::verify;
    let _: fn(&SignedPurchaseRequest) -> &Signature = SignedPurchaseRequest::signature;
    let _: fn(&Receipt) -> &VerifyingKey = Receipt::merchant_key;
    let _: fn(&Receipt) -> OffsetDateTime = Receipt::access_until;
    let _: fn(&PerFeeLink, &Url) -> Result<Offer, OfferError> = Offer::from_link;
    let _: fn(&mut Verifier, &Document, &Url) -> PublishedPage = Verifier::publish_document;
    let _: fn(&Url) -> Option<MerchantOrigin> = MerchantOrigin::of;
    let _: fn(Finding) -> PolicyError = PolicyError::Price;
    let _: fn(markup::Error) -> Error = Error::Page;
    let _: Decimal = Decimal::ZERO;
    let _ = Policy::default();
}
