//! Tests of verifier.rs.

use super::*;
use crate::canon::DecodeError;
use crate::keys::MasterSecret;
use crate::offer::OfferFields;
use crate::offer::tests::sample_fields;
use crate::token::{Nonce, PurchaseRequest};
use micropay_markup::Price;
use time::macros::datetime;
use url::Url;

pub(crate) const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);
pub(crate) const SKEW: u64 = 300;

pub(crate) fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

pub(crate) fn offer_with(change: impl FnOnce(&mut OfferFields)) -> Offer {
    let mut fields = sample_fields();
    change(&mut fields);
    Offer::new(fields).unwrap()
}

pub(crate) fn merchant() -> MerchantKey {
    MerchantKey::from_seed(&[5; 32])
}

pub(crate) fn verifier(dir: &tempfile::TempDir, offers: &[&Offer]) -> Verifier {
    let mut verifier = Verifier::create(merchant(), &dir.path().join("replay.db"), SKEW).unwrap();
    for offer in offers {
        verifier.publish((*offer).clone());
    }
    verifier
}

/// Another verifier on the store [`verifier`] created in `dir`, with `offer` published.
pub(crate) fn reopened(dir: &tempfile::TempDir, offer: &Offer) -> Verifier {
    let mut verifier = Verifier::open(merchant(), &dir.path().join("replay.db"), SKEW).unwrap();
    verifier.publish(offer.clone());
    verifier
}

pub(crate) fn token(offer: &Offer, ps: &str, nonce: u8, at: OffsetDateTime) -> String {
    let key = MasterSecret::from_bytes([1; 32]).origin_key(offer.merchant_origin());
    PurchaseRequest::new(offer, &url(ps), Nonce([nonce; 16]), at, key.public_key())
        .sign(&key)
        .to_token()
}

pub(crate) fn rejection(
    verifier: &mut Verifier,
    token: &str,
    now: OffsetDateTime,
) -> Option<&'static str> {
    verifier.verify(token, now).unwrap().err().map(|r| r.code())
}

#[test]
fn accepts_once_and_issues_a_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|f| f.duration = Some(86400));
    let mut verifier = verifier(&dir, &[&offer]);
    let token = token(&offer, "https://ps.example/", 1, NOW);
    let accepted = verifier
        .verify(&token, NOW + time::Duration::seconds(2))
        .unwrap()
        .unwrap();
    assert_eq!(accepted.offer, offer);
    let receipt = accepted.receipt.receipt();
    accepted.receipt.verify().unwrap();
    assert_eq!(receipt.merchant_key(), &merchant().public_key());
    assert_eq!(receipt.scope(), &offer.fields().requesturl);
    assert_eq!(receipt.nonce(), accepted.purchase.request().nonce());
    assert_eq!(
        receipt.access_until(),
        NOW + time::Duration::seconds(2) + time::Duration::days(1)
    );
    assert_eq!(
        rejection(&mut verifier, &token, NOW),
        Some("replayed-nonce")
    );
}

#[test]
fn the_replay_store_is_shared_and_durable() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    let token = token(&offer, "https://ps.example/", 1, NOW);
    let mut first = verifier(&dir, &[&offer]);
    let mut second = reopened(&dir, &offer);
    assert!(first.verify(&token, NOW).unwrap().is_ok());
    assert_eq!(rejection(&mut second, &token, NOW), Some("replayed-nonce"));
    drop((first, second));
    let mut again = reopened(&dir, &offer);
    assert_eq!(rejection(&mut again, &token, NOW), Some("replayed-nonce"));
}

#[test]
fn every_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|f| f.expiration = Some(datetime!(2026-03-01 12:10 UTC)));
    let mut verifier = verifier(&dir, &[&offer]);
    let ps = "https://ps.example/";

    assert_eq!(rejection(&mut verifier, "", NOW), Some("malformed-token"));
    assert_eq!(
        rejection(&mut verifier, "AAAA", NOW),
        Some("malformed-token")
    );

    let good = token(&offer, ps, 1, NOW);
    let mut bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &good).unwrap();
    // The buyer's key as a second (y ≥ p) encoding of a point: malformed, not a bad
    // signature.
    let mut second = bytes.clone();
    let key_at = second.len() - 64 - 32;
    second[key_at..key_at + 32].copy_from_slice(&crate::canon::tests::second_encoding_of_a_key());
    let second = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &second);
    assert_eq!(
        rejection(&mut verifier, &second, NOW),
        Some("malformed-token")
    );
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    let bad_signature =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &bytes);
    assert_eq!(
        rejection(&mut verifier, &bad_signature, NOW),
        Some("bad-signature")
    );

    let unpublished = offer_with(|f| f.title = Some("not on the page".into()));
    let unknown = token(&unpublished, ps, 2, NOW);
    assert_eq!(
        rejection(&mut verifier, &unknown, NOW),
        Some("unknown-offer")
    );

    // A request naming the published digest with another price, signed correctly.
    let cheaper = offer_with(|f| f.price = Price::parse("0.001USD").unwrap());
    let key = MasterSecret::from_bytes([1; 32]).origin_key(offer.merchant_origin());
    let canonical = PurchaseRequest::new(&cheaper, &url(ps), Nonce([3; 16]), NOW, key.public_key())
        .canonical_bytes();
    let mut forged = canonical.clone();
    let digest_at = 4 + crate::token::PURCHASE_REQUEST_DOMAIN.len() + 1;
    forged[digest_at..digest_at + 32].copy_from_slice(&offer.digest().0);
    let forged = PurchaseRequest::from_canonical_bytes(&forged)
        .unwrap()
        .sign(&key);
    assert_eq!(
        verifier.verify(&forged.to_token(), NOW).unwrap(),
        Err(Rejection::OfferMismatch("price"))
    );

    let wrong_ps = token(&offer, "https://never-offered.example/", 4, NOW);
    assert_eq!(
        rejection(&mut verifier, &wrong_ps, NOW),
        Some("payment-system-not-offered")
    );

    let after_expiry = datetime!(2026-03-01 12:10:01 UTC);
    let expired = token(&offer, ps, 5, after_expiry);
    assert_eq!(
        rejection(&mut verifier, &expired, after_expiry),
        Some("expired-offer")
    );

    let old = token(&offer, ps, 6, NOW - time::Duration::seconds(301));
    assert_eq!(rejection(&mut verifier, &old, NOW), Some("stale-request"));
    let future = token(&offer, ps, 7, NOW + time::Duration::seconds(301));
    assert_eq!(
        rejection(&mut verifier, &future, NOW),
        Some("stale-request")
    );
    let edge = token(&offer, ps, 8, NOW - time::Duration::seconds(300));
    assert_eq!(rejection(&mut verifier, &edge, NOW), None);

    assert_eq!(rejection(&mut verifier, &good, NOW), None);
    assert_eq!(rejection(&mut verifier, &good, NOW), Some("replayed-nonce"));
}

#[test]
fn pruning_keeps_nonces_that_could_still_be_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    let mut verifier = verifier(&dir, &[&offer]);
    // A newer row, which no prune below reaches (the newest row always stays).
    let later = NOW + time::Duration::seconds(300);
    let newer = token(&offer, "https://ps.example/", 2, later);
    let token = token(&offer, "https://ps.example/", 1, NOW);
    verifier.verify(&token, NOW).unwrap().unwrap();
    verifier.verify(&newer, later).unwrap().unwrap();
    assert_eq!(
        verifier.prune(NOW + time::Duration::seconds(600)).unwrap(),
        0
    );
    assert_eq!(
        rejection(&mut verifier, &token, NOW),
        Some("replayed-nonce")
    );
    assert_eq!(
        verifier.prune(NOW + time::Duration::seconds(601)).unwrap(),
        1
    );
}

#[test]
fn only_valid_links_of_a_page_are_published() {
    let dir = tempfile::tempdir().unwrap();
    let page = br#"
<object><param name="price" value="0.01USD"><param name="textlink" value="A">
  <param name="requesturl" value="a.html"><param name="paymentsystem" value="https://ps.example/">
  <param name="title" value="A"><a href="a.html">A</a></object>
<object><param name="price" value="-1USD"><param name="textlink" value="B">
  <param name="requesturl" value="b.html"><param name="paymentsystem" value="https://ps.example/">
  <param name="title" value="B"><a href="b.html">B</a></object>
<object><param name="price" value="0.02USD"><param name="textlink" value="C">
  <param name="requesturl" value="file:///c.html"><param name="paymentsystem" value="https://ps.example/">
  <param name="title" value="C"><a href="file:///c.html">C</a></object>"#;
    let document_url = url("https://merchant.example/shop/");
    let mut verifier = verifier(&dir, &[]);
    let published = verifier.publish_page(page, &document_url).unwrap();
    assert_eq!(published.offers.len(), 1);
    assert_eq!(
        published
            .skipped
            .iter()
            .map(|(i, why)| (*i, why.clone()))
            .collect::<Vec<_>>(),
        [
            (1, OfferError::InvalidLink(1)),
            (2, OfferError::NoMerchantOrigin(url("file:///c.html")))
        ]
    );
    let offer = verifier.offers().next().unwrap().clone();
    assert_eq!(
        offer.fields().requesturl.as_str(),
        "https://merchant.example/shop/a.html"
    );
    let token = token(&offer, "https://ps.example/", 1, NOW);
    assert!(verifier.verify(&token, NOW).unwrap().is_ok());
}

#[test]
fn open_or_create_makes_one_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.db");
    let offer = offer_with(|_| {});
    let token = token(&offer, "https://ps.example/", 1, NOW);
    let mut first = Verifier::open_or_create(merchant(), &path, SKEW).unwrap();
    first.publish(offer.clone());
    assert!(first.verify(&token, NOW).unwrap().is_ok());
    let mut second = Verifier::open_or_create(merchant(), &path, SKEW).unwrap();
    second.publish(offer);
    assert_eq!(rejection(&mut second, &token, NOW), Some("replayed-nonce"));
    // Another kind of store is refused.
    let ledger = dir.path().join("wallet.db");
    drop(crate::Ledger::create(&ledger).unwrap());
    assert!(matches!(
        Verifier::open_or_create(merchant(), &ledger, SKEW),
        Err(Error::Corrupt(_))
    ));
}

#[test]
fn a_batch_keeps_order_and_accepts_each_nonce_once() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    let mut verifier = verifier(&dir, &[&offer]);
    let ps = "https://ps.example/";
    let first = token(&offer, ps, 1, NOW);
    let second = token(&offer, ps, 2, NOW);
    let stale = token(&offer, ps, 3, NOW - time::Duration::seconds(301));
    let batch = [&first, &stale, &second, &first, "AAAA"];
    let verdicts = verifier.verify_batch(&batch, NOW).unwrap();
    let codes: Vec<_> = verdicts
        .iter()
        .map(|v| v.as_ref().err().map(Rejection::code))
        .collect();
    assert_eq!(
        codes,
        [
            None,
            Some("stale-request"),
            None,
            Some("replayed-nonce"),
            Some("malformed-token")
        ]
    );
    let nonces: Vec<_> = verdicts
        .iter()
        .filter_map(|v| v.as_ref().ok())
        .map(|a| (a.purchase.request().nonce(), a.receipt.receipt().nonce()))
        .collect();
    assert_eq!(
        nonces,
        [
            (Nonce([1; 16]), Nonce([1; 16])),
            (Nonce([2; 16]), Nonce([2; 16]))
        ]
    );
    // Both were committed: another verifier on the store refuses them.
    let mut other = reopened(&dir, &offer);
    for token in [&first, &second] {
        assert_eq!(rejection(&mut other, token, NOW), Some("replayed-nonce"));
    }
    assert!(verifier.verify_batch::<&str>(&[], NOW).unwrap().is_empty());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// A batch gives the verdicts that verifying its tokens one by one gives, whatever
    /// mix of repeated, stale and malformed tokens it holds.
    #[test]
    fn a_batch_decides_as_one_by_one(picks in proptest::collection::vec(0u8..8, 0..12)) {
        let offer = offer_with(|_| {});
        let pool: Vec<String> = (0..8u8)
            .map(|n| match n {
                6 => token(&offer, "https://ps.example/", n, NOW - time::Duration::hours(1)),
                7 => "not a token".to_owned(),
                _ => token(&offer, "https://ps.example/", n, NOW),
            })
            .collect();
        let tokens: Vec<&str> = picks.iter().map(|&i| pool[usize::from(i)].as_str()).collect();
        let (one, many) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut single = verifier(&one, &[&offer]);
        let expected: Vec<_> = tokens
            .iter()
            .map(|t| single.verify(t, NOW).unwrap().err().map(|r| r.code()))
            .collect();
        let mut batched = verifier(&many, &[&offer]);
        let found: Vec<_> = batched
            .verify_batch(&tokens, NOW)
            .unwrap()
            .iter()
            .map(|v| v.as_ref().err().map(Rejection::code))
            .collect();
        proptest::prop_assert_eq!(found, expected);
    }
}

#[test]
fn codes_are_distinct() {
    let all = [
        Rejection::MalformedToken(DecodeError::Base64),
        Rejection::BadSignature,
        Rejection::UnknownOffer(OfferDigest([0; 32])),
        Rejection::OfferMismatch("price"),
        Rejection::PaymentSystemNotOffered,
        Rejection::ExpiredOffer,
        Rejection::StaleRequest,
        Rejection::ReplayedNonce,
    ];
    let codes: std::collections::BTreeSet<_> = all.iter().map(Rejection::code).collect();
    assert_eq!(codes.len(), all.len());
    assert!(all.iter().all(|r| r.to_string().starts_with(r.code())));
}
