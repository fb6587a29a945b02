//! The merchant: its catalogue, its concurrent verifier, and the decision on one request
//! (docs/http.md). The tower middleware ([`crate::PaymentLayer`]) asks [`Merchant::gate`]
//! and either serves the inner handler or answers itself.
//!
//! The nonce and the receipt of a token are committed to the replay store before the
//! handler runs. The token's checks (one `verify_strict`, one receipt signature) run on the
//! request's task; the [`ConcurrentVerifier`] then commits the nonces of concurrent requests
//! together on its own thread (group commit) while each request's task awaits its group,
//! holding no thread. A store that fails serves nothing (503).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use http::{HeaderMap, Uri};
use micropay_markup::Document;
use micropay_wallet::{
    ConcurrentVerifier, MerchantKey, MerchantOrigin, OfferDigest, Rejection, ReplayStore,
    SignedPurchaseRequest, Verifier,
};
use time::OffsetDateTime;
use url::Url;

use crate::catalogue::{Collected, Priced};
use crate::error::Error;
use crate::receipt_check::{ReceiptRefusal, check_receipt};
use crate::wire::{Credential, Problem};

/// How far (seconds) a request's issued-at may be from the server's clock by default.
pub const DEFAULT_SKEW_SECONDS: u64 = 300;
/// How long (seconds) a token whose offer has no `duration` may be presented again after it
/// was accepted, to get the content a lost response carried: the default retry grace.
pub const DEFAULT_RETRY_GRACE_SECONDS: i64 = 60;

/// A merchant selling the priced URLs of one site over HTTP. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Merchant {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    verifier: ConcurrentVerifier,
    /// The merchant's public key, whose receipts are honoured.
    public_key: [u8; 32],
    catalogue: HashMap<String, Priced>,
    /// Every offer of the site, whatever URL it prices.
    site_offers: HashSet<OfferDigest>,
    site: Url,
    realm: String,
    grace_seconds: i64,
}

/// Builds a [`Merchant`]: its site, its pages, its settings.
#[derive(Debug)]
pub struct MerchantBuilder {
    verifier: Verifier,
    collected: Collected,
    site: Url,
    realm: MerchantOrigin,
    grace_seconds: i64,
    public_key: [u8; 32],
}

/// What the middleware does with a request.
#[derive(Debug)]
pub(crate) enum Gate {
    /// Not priced: serve it as it is.
    Free,
    /// Paid (or covered by a receipt): serve it, with this receipt token in
    /// `Micropay-Receipt` when a token paid for it; `code` says how (`paid`, `retry`,
    /// `receipt`).
    Serve {
        receipt: Option<String>,
        code: &'static str,
    },
    /// Answer with this problem (and a fresh challenge when it is a 402).
    Refuse(Refusal),
}

/// A refusal and whether its body may be the HTML 402 page.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) problem: Problem,
    pub(crate) challenges: Vec<String>,
    pub(crate) html: Option<String>,
}

impl Merchant {
    /// Starts a merchant for the site whose public URL is `site` (e.g.
    /// `https://shop.example/`), signing receipts with `key` and recording accepted nonces
    /// in the SQLite replay store at `replay_store` (created if there is none).
    pub fn builder(
        key: MerchantKey,
        replay_store: &Path,
        site: Url,
    ) -> Result<MerchantBuilder, Error> {
        let store = ReplayStore::sqlite(replay_store)?;
        Self::with_store(key, store, site)
    }

    /// [`Merchant::builder`] on any replay store: SQLite, PostgreSQL (shared by the servers
    /// of a merchant with many), or memory. A store that fails a commit makes the request a
    /// 503 `store-unavailable`, and the store is used again when it is back.
    pub fn with_store(
        key: MerchantKey,
        replay_store: ReplayStore,
        site: Url,
    ) -> Result<MerchantBuilder, Error> {
        let realm = MerchantOrigin::of(&site)
            .filter(|_| matches!(site.scheme(), "http" | "https"))
            .ok_or_else(|| Error::SiteUrl(site.clone()))?;
        let public_key = key.public_key().to_bytes();
        let verifier = Verifier::new(key, replay_store, DEFAULT_SKEW_SECONDS);
        Ok(MerchantBuilder {
            verifier,
            collected: Collected::default(),
            site,
            realm,
            grace_seconds: DEFAULT_RETRY_GRACE_SECONDS,
            public_key,
        })
    }

    /// Forgets the accepted nonces issued more than twice the skew window before `now`
    /// (they are refused as stale anyway); returns how many. Commits of other requests go
    /// on meanwhile. Blocks: call it from a blocking task.
    pub fn prune(&self, now: OffsetDateTime) -> Result<usize, Error> {
        Ok(self.inner.verifier.prune(now)?)
    }

    /// The site's public URL.
    pub fn site(&self) -> &Url {
        &self.inner.site
    }

    /// The priced URLs of the site.
    pub fn priced_urls(&self) -> impl Iterator<Item = &str> {
        self.inner.catalogue.keys().map(String::as_str)
    }

    /// The URL of the site a request's target names (never with a fragment: its text is
    /// the catalogue's key).
    pub(crate) fn url_of(&self, uri: &Uri) -> Url {
        let mut url = self.inner.site.clone();
        // The path is set as a path: `//host/x` stays on this site.
        url.set_path(uri.path());
        url.set_query(uri.query());
        url.set_fragment(None);
        url
    }

    /// What to do with a request for `uri` with `headers` at `now`.
    pub(crate) async fn gate(&self, uri: &Uri, headers: &HeaderMap, now: OffsetDateTime) -> Gate {
        let url = self.url_of(uri);
        let Some(priced) = self.inner.catalogue.get(url.as_str()) else {
            return Gate::Free;
        };
        match Credential::of(headers) {
            None => Gate::Refuse(self.challenge(
                priced,
                &url,
                402,
                "payment-required",
                "This URL is sold: pay with a Micropay token".to_owned(),
                crate::wire::prefers_html(headers),
            )),
            Some(Err(why)) => Gate::Refuse(Self::plain(400, "malformed-credential", why)),
            Some(Ok(Credential::Token(token))) => self.token(priced, &url, &token, now).await,
            Some(Ok(Credential::Receipt(token))) => self.receipt(priced, &url, &token, now),
        }
    }

    async fn token(&self, priced: &Priced, url: &Url, token: &str, now: OffsetDateTime) -> Gate {
        let purchase = match SignedPurchaseRequest::from_token(token) {
            Ok(purchase) => purchase,
            Err(why) => {
                return Gate::Refuse(Self::plain(
                    400,
                    "malformed-token",
                    format!("malformed-token: {why}"),
                ));
            }
        };
        let digest = purchase.request().offer_digest();
        if !priced.accepted.contains(&digest) {
            // Checked before the verifier: the nonce of a token for another URL stays unspent.
            let (code, detail) = if self.inner.site_offers.contains(&digest) {
                (
                    "offer-mismatch",
                    format!(
                        "the token buys {}, not {url}",
                        purchase.request().requesturl()
                    ),
                )
            } else {
                (
                    "unknown-offer",
                    format!("no offer of {url} has the digest {digest}"),
                )
            };
            return Gate::Refuse(self.challenge(priced, url, 402, code, detail, false));
        }
        // Decoded once, above: the verifier takes the request as it is. Its checks run on this
        // task; the commit of its nonce is awaited without holding a thread.
        let verdict = self
            .inner
            .verifier
            .verify_purchase_async(purchase.clone(), now)
            .await;
        // A replay of an accepted request: the receipt it got, if it is this request's.
        // `replayed-nonce` comes only after every other check, `verify_strict` of this
        // request's signature included, so the lookup may trust its fields. It reads the
        // store: on the blocking pool.
        let stored = if let Ok(Err(Rejection::ReplayedNonce)) = verdict {
            let inner = Arc::clone(&self.inner);
            match tokio::task::spawn_blocking(move || inner.verifier.stored_receipt(&purchase))
                .await
            {
                Ok(stored) => stored,
                Err(why) => return Gate::Refuse(Self::unavailable(&Error::Task(why.to_string()))),
            }
        } else {
            Ok(None)
        };
        match verdict {
            Ok(Ok(accepted)) => Gate::Serve {
                receipt: Some(accepted.receipt.token().to_owned()),
                code: "paid",
            },
            Ok(Err(Rejection::ReplayedNonce)) => match stored {
                Ok(Some(receipt)) if self.retry_open(receipt.receipt(), now) => Gate::Serve {
                    receipt: Some(receipt.token().to_owned()),
                    code: "retry",
                },
                Ok(_) => Gate::Refuse(Self::plain(
                    409,
                    "replayed-nonce",
                    "this token was accepted before and its access window is closed: \
                     present its receipt, or buy again"
                        .to_owned(),
                )),
                Err(why) => Gate::Refuse(Self::unavailable(&Error::Wallet(why))),
            },
            Ok(Err(rejection @ Rejection::MalformedToken(_))) => {
                Gate::Refuse(Self::plain(400, rejection.code(), rejection.to_string()))
            }
            Ok(Err(rejection)) => Gate::Refuse(self.challenge(
                priced,
                url,
                402,
                rejection.code(),
                rejection.to_string(),
                false,
            )),
            Err(why) => Gate::Refuse(Self::unavailable(&Error::Wallet(why))),
        }
    }

    /// The retry rule: a token accepted before is answered with its stored receipt and the
    /// content while that receipt's access window is open or, when the offer has no
    /// `duration`, within the retry grace after it was accepted.
    fn retry_open(&self, receipt: &micropay_wallet::Receipt, now: OffsetDateTime) -> bool {
        let issued = receipt.issued_at().unix_timestamp();
        if receipt.access_until_unix() > issued {
            receipt.grants_access_at(now)
        } else {
            now.unix_timestamp() < issued.saturating_add(self.inner.grace_seconds)
        }
    }

    /// A receipt credential: signed by this merchant's key, its scope one of the URL's, its
    /// access window open.
    fn receipt(&self, priced: &Priced, url: &Url, token: &str, now: OffsetDateTime) -> Gate {
        let covers = |scope: &Url| priced.scopes.contains(scope);
        match check_receipt(token, &self.inner.public_key, covers, now) {
            Ok(_) => Gate::Serve {
                receipt: None,
                code: "receipt",
            },
            Err(refusal @ ReceiptRefusal::Malformed(_)) => {
                Gate::Refuse(Self::plain(400, refusal.code(), refusal.to_string()))
            }
            Err(refusal) => Gate::Refuse(self.challenge(
                priced,
                url,
                402,
                refusal.code(),
                refusal.to_string(),
                false,
            )),
        }
    }

    /// A 402 (or other) answer with the URL's offers and challenges.
    fn challenge(
        &self,
        priced: &Priced,
        url: &Url,
        status: u16,
        code: &str,
        detail: String,
        html: bool,
    ) -> Refusal {
        let mut problem = Problem::new(status, code, title(status), detail);
        problem.document_url = Some(url.to_string());
        problem.offers.clone_from(&priced.links);
        Refusal {
            problem,
            challenges: priced
                .challenges
                .iter()
                .map(|d| crate::wire::challenge(&self.inner.realm, *d))
                .collect(),
            html: html.then(|| priced.html.clone()),
        }
    }

    fn plain(status: u16, code: &str, detail: String) -> Refusal {
        Refusal {
            problem: Problem::new(status, code, title(status), detail),
            challenges: Vec::new(),
            html: None,
        }
    }

    /// Fail closed: nothing is served that was not recorded.
    fn unavailable(why: &Error) -> Refusal {
        Self::plain(
            503,
            "store-unavailable",
            format!("the replay store failed: {why}"),
        )
    }
}

fn title(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        402 => "Payment Required",
        409 => "Conflict",
        _ => "Service Unavailable",
    }
}

impl MerchantBuilder {
    /// Adds one of the site's pages, served at `document_url`: its valid per-fee-links whose
    /// `requesturl` lies on the site price that URL. Returns how many did.
    pub fn page(&mut self, document: &Document, document_url: &Url) -> usize {
        self.collected
            .page(&mut self.verifier, document, document_url, &self.site)
    }

    /// How long (seconds) a token whose offer has no `duration` may be presented again
    /// after it was accepted (default [`DEFAULT_RETRY_GRACE_SECONDS`]).
    #[must_use]
    pub fn retry_grace(mut self, seconds: i64) -> Self {
        self.grace_seconds = seconds.max(0);
        self
    }

    /// The merchant, its catalogue fixed from now on.
    pub fn build(mut self) -> Merchant {
        let catalogue = self.collected.finish(&mut self.verifier);
        let site_offers = self
            .verifier
            .offers()
            .map(micropay_wallet::Offer::digest)
            .collect();
        Merchant {
            inner: Arc::new(Inner {
                verifier: ConcurrentVerifier::new(self.verifier),
                public_key: self.public_key,
                catalogue,
                site_offers,
                site: self.site,
                realm: self.realm.as_str().to_owned(),
                grace_seconds: self.grace_seconds,
            }),
        }
    }
}
