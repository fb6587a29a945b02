//! The merchant's side: checks a purchase token against the offers the merchant publishes,
//! accepts each nonce once, and issues a signed receipt.
//!
//! Order of the checks, each failure with its own [`Rejection`]: the token decodes strictly
//! (its public key a canonical point encoding); the signature verifies under the key it names
//! (`verify_strict`); its offer digest is that of a published offer; every field it names
//! matches that offer; the payment system is one the offer lists; it was issued no later than
//! the offer's expiration; it was issued within the skew window around now; no request with
//! its nonce issued within the replay window (twice the skew before now, replay.rs) was
//! accepted. The nonce is recorded in the same immediate transaction that decides it is new,
//! committed before the receipt is returned, so a token is accepted once even by several
//! verifier processes on one store.

use std::collections::BTreeMap;
#[cfg(feature = "sqlite")]
use std::path::Path;

use micropay_markup::{Document, Extractor};
use time::OffsetDateTime;
use url::Url;

use crate::error::Error;
use crate::keys::MerchantKey;
use crate::offer::{Offer, OfferDigest, OfferError};
use crate::receipt::Receipt;
use crate::replay_store::ReplayStore;
use crate::token::SignedPurchaseRequest;
use crate::verdict::{Accepted, Rejection};

/// What [`Verifier::publish_page`] made of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedPage {
    /// The offers published, in the order of their links.
    pub offers: Vec<OfferDigest>,
    /// The links that make no offer, by link index, with the reason (invalid links first
    /// among them: P-9).
    pub skipped: Vec<(usize, OfferError)>,
}

/// The merchant's verifier: its key, its published offers, its replay store.
#[derive(Debug)]
pub struct Verifier {
    catalogue: Catalogue,
    store: ReplayStore,
}

/// What the checks of a token read and never change while tokens are verified: the
/// merchant's key, its published offers, the skew window. Shared by the threads of a
/// [`crate::ConcurrentVerifier`].
#[derive(Debug)]
pub(crate) struct Catalogue {
    key: MerchantKey,
    offers: BTreeMap<OfferDigest, Offer>,
    skew_seconds: u64,
}

impl Verifier {
    #[cfg(feature = "sqlite")]
    /// A verifier with a new replay store at `store` (refuses to overwrite a file), accepting
    /// requests issued at most `skew_seconds` before or after the instant of verification.
    pub fn create(key: MerchantKey, store: &Path, skew_seconds: u64) -> Result<Self, Error> {
        Ok(Self::new(
            key,
            ReplayStore::sqlite_create(store)?,
            skew_seconds,
        ))
    }

    #[cfg(feature = "sqlite")]
    /// A verifier on an existing SQLite replay store.
    pub fn open(key: MerchantKey, store: &Path, skew_seconds: u64) -> Result<Self, Error> {
        Ok(Self::new(
            key,
            ReplayStore::sqlite_open(store)?,
            skew_seconds,
        ))
    }

    #[cfg(feature = "sqlite")]
    /// A verifier on the SQLite replay store at `store`, created if there is none yet. When
    /// several processes create it at once, one creates it and the others wait for it to be
    /// ready.
    pub fn open_or_create(
        key: MerchantKey,
        store: &Path,
        skew_seconds: u64,
    ) -> Result<Self, Error> {
        Ok(Self::new(key, ReplayStore::sqlite(store)?, skew_seconds))
    }

    /// A verifier on `store` (SQLite, PostgreSQL or memory), accepting requests issued at
    /// most `skew_seconds` before or after the instant of verification.
    pub fn new(key: MerchantKey, store: ReplayStore, skew_seconds: u64) -> Self {
        Verifier {
            catalogue: Catalogue {
                key,
                offers: BTreeMap::new(),
                skew_seconds,
            },
            store,
        }
    }

    /// The verifier's parts, for [`crate::ConcurrentVerifier`].
    pub(crate) fn into_parts(self) -> (Catalogue, ReplayStore) {
        (self.catalogue, self.store)
    }

    /// Publishes an offer (found on one of the merchant's own pages).
    pub fn publish(&mut self, offer: Offer) {
        self.catalogue.offers.insert(offer.digest(), offer);
    }

    /// Publishes the offers of one of the merchant's own pages, served at `document_url`:
    /// the page is extracted with the parser and every valid link becomes an offer (P-9:
    /// invalid links are skipped, as are links that make no offer).
    pub fn publish_page(
        &mut self,
        page: &[u8],
        document_url: &Url,
    ) -> Result<PublishedPage, Error> {
        let document = Extractor::new()
            .document_url(document_url.clone())
            .extract(page)?;
        Ok(self.publish_document(&document, document_url))
    }

    /// [`Verifier::publish_page`] for a page already extracted (with `document_url` as its
    /// document URL), e.g. in XHTML syntax or with a transport charset.
    pub fn publish_document(&mut self, document: &Document, document_url: &Url) -> PublishedPage {
        let mut published = PublishedPage {
            offers: Vec::new(),
            skipped: Vec::new(),
        };
        for link in document.links() {
            match Offer::from_link(link, document_url) {
                Ok(offer) => {
                    published.offers.push(offer.digest());
                    self.publish(offer);
                }
                Err(why) => published.skipped.push((link.index(), why)),
            }
        }
        published
    }

    /// The published offers, by digest.
    pub fn offers(&self) -> impl Iterator<Item = &Offer> {
        self.catalogue.offers()
    }

    /// Checks `token` at `now`; on acceptance the nonce is committed to the replay store
    /// before the receipt is returned.
    pub fn verify(
        &mut self,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Result<Accepted, Rejection>, Error> {
        let mut verdicts = [self.catalogue.verdict(token, now)];
        self.store
            .record(&mut verdicts, self.catalogue.replay_window())?;
        let [verdict] = verdicts;
        Ok(verdict)
    }

    /// Checks every token of `tokens` at `now`, as [`Verifier::verify`] checks one, and
    /// returns their verdicts in the same order. The nonces accepted are committed to the
    /// replay store in one transaction, before any receipt is returned: one disk flush for
    /// the whole batch instead of one per token. A nonce that comes twice in a batch is
    /// accepted the first time and `replayed-nonce` after. On an error of the store nothing is
    /// recorded and no token is accepted.
    ///
    /// This is group commit for a merchant's server: verify the tokens that arrived while
    /// the previous batch was being committed together.
    pub fn verify_batch<T: AsRef<str>>(
        &mut self,
        tokens: &[T],
        now: OffsetDateTime,
    ) -> Result<Vec<Result<Accepted, Rejection>>, Error> {
        let mut verdicts: Vec<_> = tokens
            .iter()
            .map(|token| self.catalogue.verdict(token.as_ref(), now))
            .collect();
        self.store
            .record(&mut verdicts, self.catalogue.replay_window())?;
        Ok(verdicts)
    }

    /// Forgets accepted nonces issued more than twice the skew window before `now`; such
    /// requests are stale anyway, so they stay refused as long as the clocks of the verifiers
    /// sharing the store differ by less than the skew window. Returns how many were removed.
    pub fn prune(&mut self, now: OffsetDateTime) -> Result<usize, Error> {
        self.store.prune(self.catalogue.prune_before(now))
    }
}

impl Catalogue {
    /// The published offers, by digest.
    pub(crate) fn offers(&self) -> impl Iterator<Item = &Offer> {
        self.offers.values()
    }

    /// The verdict on `token` before the replay check, with the receipt signed when it is
    /// accepted.
    pub(crate) fn verdict(&self, token: &str, now: OffsetDateTime) -> Result<Accepted, Rejection> {
        let purchase =
            SignedPurchaseRequest::from_token(token).map_err(Rejection::MalformedToken)?;
        self.verdict_on(purchase, now)
    }

    /// [`Catalogue::verdict`] for a token already decoded.
    pub(crate) fn verdict_on(
        &self,
        purchase: SignedPurchaseRequest,
        now: OffsetDateTime,
    ) -> Result<Accepted, Rejection> {
        let offer = self.check(&purchase, now)?;
        let receipt =
            Receipt::new(purchase.request(), &offer, now, self.key.public_key()).sign(&self.key);
        Ok(Accepted {
            purchase,
            offer,
            receipt,
        })
    }

    /// Everything after decoding but the replay check; the offer the request buys.
    fn check(
        &self,
        purchase: &SignedPurchaseRequest,
        now: OffsetDateTime,
    ) -> Result<Offer, Rejection> {
        purchase.verify().map_err(|_| Rejection::BadSignature)?;
        let request = purchase.request();
        let offer = self
            .offers
            .get(&request.offer_digest())
            .ok_or(Rejection::UnknownOffer(request.offer_digest()))?;
        let fields = offer.fields();
        let mismatch = if request.price() != &fields.price {
            Some("price")
        } else if request.requesturl() != &fields.requesturl {
            Some("requesturl")
        } else if request.buyid() != fields.buyid.as_ref() {
            Some("buyid")
        } else if request.merchant_origin() != offer.merchant_origin() {
            Some("merchant_origin")
        } else {
            None
        };
        if let Some(field) = mismatch {
            return Err(Rejection::OfferMismatch(field));
        }
        if !offer.offers(request.payment_system()) {
            return Err(Rejection::PaymentSystemNotOffered);
        }
        if offer.is_expired_at(request.issued_at()) {
            return Err(Rejection::ExpiredOffer);
        }
        let skew = i64::try_from(self.skew_seconds).unwrap_or(i64::MAX);
        let offset = request
            .issued_at_unix()
            .saturating_sub(now.unix_timestamp())
            .saturating_abs();
        if offset > skew {
            return Err(Rejection::StaleRequest);
        }
        Ok(offer.clone())
    }

    /// The replay window, in seconds: twice the skew window. A request issued more than this
    /// before `now` is stale at `now` and after, for every verifier whose clock is less than
    /// the skew window behind.
    pub(crate) fn replay_window(&self) -> i64 {
        i64::try_from(self.skew_seconds.saturating_mul(2)).unwrap_or(i64::MAX)
    }

    /// Requests issued before this instant (Unix seconds) are stale at `now` and after: the
    /// start of the replay window of `now`.
    pub(crate) fn prune_before(&self, now: OffsetDateTime) -> i64 {
        now.unix_timestamp().saturating_sub(self.replay_window())
    }
}

#[cfg(all(test, feature = "sqlite"))]
pub(crate) mod tests {
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
        let mut verifier =
            Verifier::create(merchant(), &dir.path().join("replay.db"), SKEW).unwrap();
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
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &good)
                .unwrap();
        // The buyer's key as a second (y ≥ p) encoding of a point: malformed, not a bad
        // signature.
        let mut second = bytes.clone();
        let key_at = second.len() - 64 - 32;
        second[key_at..key_at + 32]
            .copy_from_slice(&crate::canon::tests::second_encoding_of_a_key());
        let second =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &second);
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
        let canonical =
            PurchaseRequest::new(&cheaper, &url(ps), Nonce([3; 16]), NOW, key.public_key())
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
}
