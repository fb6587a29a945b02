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
#[path = "verifier_tests.rs"]
pub(crate) mod tests;
