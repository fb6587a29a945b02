//! The wallet controller: decides on a per-fee-link (or an offer already built from one),
//! signs the purchase request with the key of the offer's merchant origin, records the spend
//! before handing out the token, and stores the merchant's receipts.

use ed25519_dalek::VerifyingKey;
use micropay_markup::PerFeeLink;
use time::OffsetDateTime;
use url::Url;

use crate::decide::{Decision, Refusal, check_budgets, choose, gate, pay_or_confirm};
use crate::error::Error;
use crate::keys::MasterSecret;
use crate::ledger::{Ledger, ReceiptKey, Reservation, SpendRecord};
use crate::offer::Offer;
use crate::origin::MerchantOrigin;
use crate::policy::Policy;
use crate::receipt::{Receipt, ReceiptRejection, SignedReceipt};
use crate::sealed::Passphrase;
use crate::token::{Nonce, PurchaseRequest};
use crate::trust::{KeyTrust, TrustedKey};

/// The outcome of [`WalletController::purchase`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurchaseOutcome {
    /// The spend is recorded and committed; `SpendRecord::token` is the token to send.
    Purchased(Box<SpendRecord>),
    /// Nothing was spent; the decision says why (refusal, already paid, or confirmation
    /// needed and not given).
    NotPurchased(Decision),
}

/// The user's side: policy, ledger (with the master secret) and the decisions they imply.
///
/// A ledger whose master secret is encrypted opens locked: everything but signing a
/// purchase works, and [`WalletController::unlock`] decrypts the secret into memory (where it
/// is wiped when the controller is dropped).
#[derive(Debug)]
pub struct WalletController {
    policy: Policy,
    ledger: Ledger,
    /// `None` while an encrypted secret is locked.
    master: Option<MasterSecret>,
}

impl WalletController {
    /// A controller obeying the policy stored in `ledger` (see [`Ledger::policy`]).
    pub fn open(ledger: Ledger) -> Result<Self, Error> {
        let policy = ledger.policy()?;
        Self::new(policy, ledger)
    }

    /// A controller obeying `policy` (whatever the ledger stores) and recording in `ledger`.
    pub fn new(policy: Policy, ledger: Ledger) -> Result<Self, Error> {
        let master = match ledger.master_secret() {
            Ok(master) => Some(master),
            Err(Error::PassphraseRequired) => None,
            Err(other) => return Err(other),
        };
        Ok(WalletController {
            policy,
            ledger,
            master,
        })
    }

    /// Decrypts an encrypted master secret with `passphrase` ([`Error::WrongPassphrase`] when
    /// it does not open it; nothing changes then). Does nothing when the secret is not
    /// encrypted or already unlocked.
    pub fn unlock(&mut self, passphrase: &Passphrase) -> Result<(), Error> {
        if self.master.is_none() {
            self.master = Some(self.ledger.unlock(passphrase)?);
        }
        Ok(())
    }

    /// Whether signing needs [`WalletController::unlock`] first.
    pub fn is_locked(&self) -> bool {
        self.master.is_none()
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What to do with the per-fee-link `link` of the page at `document_url`, at `now`
    /// (see [`crate::decide`] for the order of the checks). A link that makes no offer
    /// ([`Offer::from_link`]: invalid, or a URL left unresolved) is refused as
    /// `invalid-link`.
    ///
    /// Reading the ledger here is advisory: [`WalletController::purchase`] checks the
    /// budgets and "already paid" again in the transaction that records the spend.
    pub fn decide(
        &self,
        link: &PerFeeLink,
        document_url: &Url,
        now: OffsetDateTime,
    ) -> Result<Decision, Error> {
        match Offer::from_link(link, document_url) {
            Ok(offer) => self.decide_offer(&offer, now),
            Err(error) => Ok(Decision::Refuse(Refusal::from(error))),
        }
    }

    /// [`WalletController::decide`] for an offer already built.
    pub fn decide_offer(&self, offer: &Offer, now: OffsetDateTime) -> Result<Decision, Error> {
        if let Err(refusal) = gate(&self.policy, offer) {
            return Ok(Decision::Refuse(refusal));
        }
        if let Some(paid) = self
            .ledger
            .already_paid(offer.scope(), offer.merchant_origin(), now)?
        {
            return Ok(Decision::AlreadyPaid(Box::new(paid)));
        }
        let payment_system = match choose(&self.policy, offer, now) {
            Ok(payment_system) => payment_system,
            Err(refusal) => return Ok(Decision::Refuse(refusal)),
        };
        let budgets = check_budgets(
            &self.policy,
            offer.merchant_origin(),
            offer.price(),
            now,
            |currency, since, origin| self.ledger.spent_since(currency, since, origin),
        )?;
        if let Err(refusal) = budgets {
            return Ok(Decision::Refuse(refusal));
        }
        Ok(pay_or_confirm(&self.policy, payment_system, offer.price()))
    }

    /// Buys the per-fee-link `link` of the page at `document_url` at `now`, if the decision
    /// allows it (`confirmed`: the user has agreed to a price above the confirmation
    /// threshold). The request is signed in memory, then the spend, with its token, is
    /// committed to the ledger in one immediate transaction that re-checks "already paid"
    /// and the budgets; only then is the token returned.
    pub fn purchase(
        &mut self,
        link: &PerFeeLink,
        document_url: &Url,
        now: OffsetDateTime,
        confirmed: bool,
    ) -> Result<PurchaseOutcome, Error> {
        match Offer::from_link(link, document_url) {
            Ok(offer) => self.purchase_offer(&offer, now, confirmed),
            Err(error) => Ok(PurchaseOutcome::NotPurchased(Decision::Refuse(
                Refusal::from(error),
            ))),
        }
    }

    /// [`WalletController::purchase`] for an offer already built.
    pub fn purchase_offer(
        &mut self,
        offer: &Offer,
        now: OffsetDateTime,
        confirmed: bool,
    ) -> Result<PurchaseOutcome, Error> {
        let payment_system = match self.decide_offer(offer, now)? {
            Decision::Pay { payment_system, .. } => payment_system,
            Decision::NeedsConfirmation { payment_system, .. } if confirmed => payment_system,
            other => return Ok(PurchaseOutcome::NotPurchased(other)),
        };
        let key = self
            .master
            .as_ref()
            .ok_or(Error::PassphraseRequired)?
            .origin_key(offer.merchant_origin());
        let signed = PurchaseRequest::new(
            offer,
            &payment_system,
            Nonce::random()?,
            now,
            key.public_key(),
        )
        .sign(&key);
        let duration = offer.fields().duration;
        Ok(
            match self
                .ledger
                .reserve_spend(&self.policy, &signed, duration, now)?
            {
                Reservation::Reserved(record) => PurchaseOutcome::Purchased(record),
                Reservation::AlreadyPaid(paid) => {
                    PurchaseOutcome::NotPurchased(Decision::AlreadyPaid(paid))
                }
                Reservation::Refused(refusal) => {
                    PurchaseOutcome::NotPurchased(Decision::Refuse(refusal))
                }
            },
        )
    }

    /// Checks a merchant's receipt token that came from anywhere but the response to the
    /// request that carried its purchase token (pasted by hand, read from a file, a receipt
    /// presented again) and stores it. It is accepted only under a merchant key already
    /// trusted for its merchant origin ([`crate::KeyTrust`]): a receipt is never trusted on
    /// first sight.
    ///
    /// The checks, in order, each refusal with its code: strict decoding
    /// (`malformed-receipt`), `verify_strict` under the key it names (`bad-signature`), that
    /// key trusted for its origin (`untrusted-merchant-key`), a purchase of this wallet with
    /// its nonce (`unknown-purchase`), the same origin, scope, offer digest, price and payment
    /// system as that purchase (`receipt-mismatch`), no other receipt stored for that
    /// purchase (`duplicate-receipt`; the same receipt again is accepted and changes nothing).
    pub fn accept_receipt(
        &mut self,
        token: &str,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        self.accept(token, |_| Ok(ReceiptKey::MustBeTrusted))
    }

    /// For an HTTP client: checks and stores a receipt that arrived in the response to the
    /// request that carried its purchase token, `response_url` being the URL that response
    /// came from (the request's URL; never follow a redirect to another origin with a
    /// token). That origin must be the receipt's merchant origin (`origin-mismatch`
    /// otherwise). When the channel authenticates the origin, that is https (with the
    /// certificate checked, as any well-kept client does) or http to a loopback address
    /// ([`crate::KeyTrust::of_response_url`]), the receipt's key becomes trusted for the
    /// origin, recorded as `https-response` or `loopback-response`, in the same transaction
    /// that stores the receipt; over any other channel the key must already be trusted, as
    /// for [`WalletController::accept_receipt`], whose other checks apply too. A refused
    /// receipt changes nothing.
    pub fn accept_receipt_from_response(
        &mut self,
        token: &str,
        response_url: &Url,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        self.accept(token, |receipt| {
            if MerchantOrigin::of(response_url).as_ref() != Some(receipt.merchant_origin()) {
                return Err(ReceiptRejection::OriginMismatch);
            }
            Ok(KeyTrust::of_response_url(response_url)
                .map_or(ReceiptKey::MustBeTrusted, ReceiptKey::Trust))
        })
    }

    /// Checks and stores a receipt signed by `merchant_key`, which the user names as the key
    /// of the receipt's merchant origin (`micropay wallet receipt --merchant-key`): a receipt
    /// signed by another key is refused (`untrusted-merchant-key`); otherwise the key becomes
    /// trusted for the origin, recorded as `named`, in the same transaction that stores the
    /// receipt. The other checks are those of [`WalletController::accept_receipt`]; a refused
    /// receipt changes nothing.
    pub fn accept_receipt_under_key(
        &mut self,
        token: &str,
        merchant_key: &VerifyingKey,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        self.accept(token, |receipt| {
            if receipt.merchant_key() == merchant_key {
                Ok(ReceiptKey::Trust(KeyTrust::Named))
            } else {
                Err(ReceiptRejection::UntrustedKey)
            }
        })
    }

    /// Trusts `merchant_key` for `origin`, as the user names it (`micropay wallet trust`).
    pub fn trust_merchant_key(
        &mut self,
        origin: &MerchantOrigin,
        merchant_key: &VerifyingKey,
    ) -> Result<TrustedKey, Error> {
        self.ledger.trust_merchant_key(origin, merchant_key)
    }

    /// Decodes and checks `token`, asks `key` how to treat its merchant key, and stores it.
    fn accept(
        &mut self,
        token: &str,
        key: impl FnOnce(&Receipt) -> Result<ReceiptKey, ReceiptRejection>,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        let signed = match SignedReceipt::from_token(token) {
            Ok(signed) => signed,
            Err(error) => return Ok(Err(ReceiptRejection::Malformed(error))),
        };
        if signed.verify().is_err() {
            return Ok(Err(ReceiptRejection::BadSignature));
        }
        let key = match key(signed.receipt()) {
            Ok(key) => key,
            Err(rejection) => return Ok(Err(rejection)),
        };
        Ok(self.ledger.store_receipt(&signed, key)?.map(|()| signed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Refusal;
    use crate::keys::{MasterSecret, MerchantKey};
    use crate::offer::OfferFields;
    use crate::offer::tests::sample_fields;
    use crate::policy::{Budget, BudgetScope, Wallet};
    use crate::token::SignedPurchaseRequest;
    use micropay_markup::Price;
    use time::macros::datetime;
    use url::Url;

    const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn offer_with(change: impl FnOnce(&mut OfferFields)) -> Offer {
        let mut fields = sample_fields();
        change(&mut fields);
        Offer::new(fields).unwrap()
    }

    /// An offer for `/item/{n}` at 1 USD.
    fn item(n: u32, duration: Option<u64>) -> Offer {
        offer_with(|f| {
            f.price = Price::parse("1USD").unwrap();
            f.requesturl = url(&format!("https://merchant.example/item/{n}"));
            f.duration = duration;
        })
    }

    fn controller(dir: &tempfile::TempDir, policy: Policy) -> WalletController {
        let ledger = Ledger::create(&dir.path().join("wallet.db")).unwrap();
        WalletController::new(policy, ledger).unwrap()
    }

    fn policy() -> Policy {
        Policy::new(vec![Wallet::parse("https://ps.example/=USD").unwrap()])
    }

    fn bought(outcome: PurchaseOutcome) -> Box<SpendRecord> {
        match outcome {
            PurchaseOutcome::Purchased(record) => record,
            PurchaseOutcome::NotPurchased(decision) => panic!("not purchased: {decision:?}"),
        }
    }

    fn refused(outcome: PurchaseOutcome) -> &'static str {
        match outcome {
            PurchaseOutcome::NotPurchased(Decision::Refuse(refusal)) => refusal.code(),
            other => panic!("not refused: {other:?}"),
        }
    }

    fn receipt_for(record: &SpendRecord, offer: &Offer, at: OffsetDateTime) -> String {
        let merchant = MerchantKey::from_seed(&[5; 32]);
        Receipt::new(record.request(), offer, at, merchant.public_key())
            .sign(&merchant)
            .to_token()
    }

    #[test]
    fn purchase_signs_with_the_origin_key_and_records_the_token() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy());
        let offer = item(1, None);
        let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
        let decoded = SignedPurchaseRequest::from_token(&record.token).unwrap();
        decoded.verify().unwrap();
        assert_eq!(decoded.request().offer_digest(), offer.digest());
        assert_eq!(
            decoded.request().payment_system(),
            &url("https://ps.example/")
        );
        let master = wallet.ledger().master_secret().unwrap();
        assert_eq!(
            decoded.request().public_key(),
            &master.origin_key(offer.merchant_origin()).public_key()
        );
        let history = wallet.ledger().history().unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].spend.token, record.token);
        // Without a duration, buying again is a new purchase.
        bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
        assert_eq!(wallet.ledger().history().unwrap().len(), 2);
    }

    #[test]
    fn links_are_bought_under_the_stored_policy() {
        let page = r#"<object>
  <param name="price" value="0.01USD"><param name="textlink" value="Today">
  <param name="requesturl" value="today.html"><param name="title" value="Today">
  <param name="paymentsystem" value="https://ps.example/"><a href="today.html">Today</a>
</object>
<object>
  <param name="price" value="0.01 USD"><param name="textlink" value="Broken">
  <param name="requesturl" value="broken.html"><param name="title" value="Broken">
  <param name="paymentsystem" value="https://ps.example/"><a href="broken.html">Broken</a>
</object>"#;
        let document_url = url("https://merchant.example/cartoons/");
        let doc = micropay_markup::extract(page, Some(&document_url)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create(&dir.path().join("wallet.db")).unwrap();
        ledger.set_policy(&policy()).unwrap();
        let mut wallet = WalletController::open(ledger).unwrap();
        assert_eq!(wallet.policy(), &policy());
        let [good, broken] = doc.links() else {
            panic!("two links expected")
        };
        assert!(matches!(
            wallet.decide(good, &document_url, NOW).unwrap(),
            Decision::Pay { .. }
        ));
        let record = bought(wallet.purchase(good, &document_url, NOW, false).unwrap());
        let offer = Offer::from_link(good, &document_url).unwrap();
        assert_eq!(record.request().offer_digest(), offer.digest());
        assert_eq!(
            refused(wallet.purchase(broken, &document_url, NOW, true).unwrap()),
            "invalid-link"
        );
        match wallet.decide(broken, &document_url, NOW).unwrap() {
            Decision::Refuse(Refusal::InvalidLink(why)) => assert!(why.contains("link 1")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn already_paid_within_duration_spends_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy());
        let offer = item(1, Some(3600));
        let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
        // Before the receipt arrives: the pending spend covers the scope.
        let later = NOW + time::Duration::minutes(10);
        match wallet.purchase_offer(&offer, later, false).unwrap() {
            PurchaseOutcome::NotPurchased(Decision::AlreadyPaid(paid)) => {
                assert_eq!(
                    (paid.spend.id, paid.code()),
                    (record.id, "pending-purchase")
                );
            }
            other => panic!("{other:?}"),
        }
        // The receipt is stored and then presented.
        let receipt = receipt_for(&record, &offer, NOW + time::Duration::seconds(1));
        wallet
            .accept_receipt_from_response(&receipt, &url("https://merchant.example/item/1"))
            .unwrap()
            .unwrap();
        match wallet.decide_offer(&offer, later).unwrap() {
            Decision::AlreadyPaid(paid) => {
                assert_eq!(paid.receipt.unwrap().to_token(), receipt);
                assert_eq!(paid.spend.id, record.id);
            }
            other => panic!("{other:?}"),
        }
        // Another link with the same buyid is covered too; another scope is not.
        let mut same_buyid = sample_fields();
        same_buyid.buyid = Some(url("https://merchant.example/bundle/"));
        same_buyid.duration = Some(3600);
        let bundle = Offer::new(same_buyid.clone()).unwrap();
        let bundle_record = bought(wallet.purchase_offer(&bundle, NOW, false).unwrap());
        assert_eq!(
            bundle_record.access_until,
            Some(NOW + time::Duration::hours(1))
        );
        same_buyid.requesturl = url("https://merchant.example/other-page.html");
        let sibling = Offer::new(same_buyid).unwrap();
        assert!(matches!(
            wallet.decide_offer(&sibling, later).unwrap(),
            Decision::AlreadyPaid(_)
        ));
        let unrelated = item(2, Some(3600));
        assert!(matches!(
            wallet.decide_offer(&unrelated, later).unwrap(),
            Decision::Pay { .. }
        ));
        // Once access ends, paying again is allowed.
        let after = NOW + time::Duration::seconds(3601);
        assert!(matches!(
            wallet.decide_offer(&offer, after).unwrap(),
            Decision::Pay { .. }
        ));
        assert_eq!(wallet.ledger().history().unwrap().len(), 2);
    }

    #[test]
    fn budget_admits_exactly_what_fits() {
        let dir = tempfile::tempdir().unwrap();
        let policy = policy()
            .with_budget(Budget::parse("3USD/3600", BudgetScope::Overall).unwrap())
            .with_budget(Budget::parse("2USD/3600", BudgetScope::PerMerchant).unwrap());
        let mut wallet = controller(&dir, policy);
        bought(wallet.purchase_offer(&item(1, None), NOW, false).unwrap());
        bought(wallet.purchase_offer(&item(2, None), NOW, false).unwrap());
        assert_eq!(
            refused(wallet.purchase_offer(&item(3, None), NOW, false).unwrap()),
            "over-merchant-budget"
        );
        let elsewhere = |n: u32| {
            offer_with(|f| {
                f.price = Price::parse("1USD").unwrap();
                f.requesturl = url(&format!("https://shop.example/{n}"));
            })
        };
        bought(wallet.purchase_offer(&elsewhere(1), NOW, false).unwrap());
        assert_eq!(
            refused(wallet.purchase_offer(&elsewhere(2), NOW, false).unwrap()),
            "over-budget"
        );
        // The window rolls: an hour later everything fits again.
        let later = NOW + time::Duration::hours(1);
        bought(wallet.purchase_offer(&elsewhere(2), later, false).unwrap());
        assert_eq!(wallet.ledger().history().unwrap().len(), 4);
    }

    #[test]
    fn confirmation_is_needed_above_the_threshold() {
        let dir = tempfile::tempdir().unwrap();
        let policy = policy().with_confirmation_above(Price::parse("0.50USD").unwrap());
        let mut wallet = controller(&dir, policy);
        let offer = item(1, None);
        assert!(matches!(
            wallet.purchase_offer(&offer, NOW, false).unwrap(),
            PurchaseOutcome::NotPurchased(Decision::NeedsConfirmation { .. })
        ));
        assert!(wallet.ledger().history().unwrap().is_empty());
        bought(wallet.purchase_offer(&offer, NOW, true).unwrap());
    }

    #[test]
    fn every_refusal_through_the_controller() {
        let dir = tempfile::tempdir().unwrap();
        let base = policy().with_link_cap(Price::parse("0.05USD").unwrap());
        let offer = offer_with(|_| {});
        let cases: Vec<(Policy, Offer, &str)> = vec![
            (
                base.clone(),
                offer_with(|f| f.requesturl = url("http://merchant.example/x")),
                "insecure-scheme",
            ),
            (
                base.clone()
                    .with_blocked_origin(offer.merchant_origin().clone()),
                offer.clone(),
                "merchant-blocked",
            ),
            (
                base.clone(),
                offer_with(|f| f.expiration = Some(datetime!(2000-01-01 0:00 UTC))),
                "expired-offer",
            ),
            (
                Policy::new(Vec::new()),
                offer.clone(),
                "no-common-payment-system",
            ),
            (
                base.clone(),
                offer_with(|f| f.price = Price::parse("1EUR").unwrap()),
                "currency-not-held",
            ),
            (base.clone(), item(1, None), "above-link-cap"),
            (
                base.clone()
                    .with_budget(Budget::parse("0USD/60", BudgetScope::Overall).unwrap()),
                offer.clone(),
                "over-budget",
            ),
            (
                base.clone()
                    .with_budget(Budget::parse("0USD/60", BudgetScope::PerMerchant).unwrap()),
                offer.clone(),
                "over-merchant-budget",
            ),
        ];
        let path = dir.path().join("wallet.db");
        drop(Ledger::create(&path).unwrap());
        for (policy, offer, code) in cases {
            let mut wallet = WalletController::new(policy, Ledger::open(&path).unwrap()).unwrap();
            match wallet.decide_offer(&offer, NOW).unwrap() {
                Decision::Refuse(refusal) => assert_eq!(refusal.code(), code),
                other => panic!("{code}: {other:?}"),
            }
            assert_eq!(
                refused(wallet.purchase_offer(&offer, NOW, true).unwrap()),
                code
            );
        }
        assert!(Ledger::open(&path).unwrap().history().unwrap().is_empty());
        assert_eq!(
            Refusal::from(crate::OfferError::NoPaymentSystem).code(),
            "invalid-link"
        );
    }

    #[test]
    fn receipts_are_checked_before_they_are_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy());
        let offer = item(1, Some(60));
        let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
        wallet
            .trust_merchant_key(
                offer.merchant_origin(),
                &MerchantKey::from_seed(&[5; 32]).public_key(),
            )
            .unwrap();
        let code = |wallet: &mut WalletController, token: &str| {
            wallet
                .accept_receipt(token)
                .unwrap()
                .err()
                .map(|r| r.code())
        };
        assert_eq!(code(&mut wallet, "not a token"), Some("malformed-receipt"));
        // A purchase token is not a receipt.
        assert_eq!(code(&mut wallet, &record.token), Some("malformed-receipt"));
        let good = receipt_for(&record, &offer, NOW);
        let mut forged = SignedReceipt::from_token(&good)
            .unwrap()
            .receipt()
            .clone()
            .sign(&MerchantKey::from_seed(&[5; 32]));
        forged = SignedReceipt::from_token(&{
            let mut bytes = forged.receipt().canonical_bytes();
            let mut signature = forged.signature().to_bytes();
            signature[0] ^= 1;
            bytes.extend_from_slice(&signature);
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes)
        })
        .unwrap();
        assert_eq!(code(&mut wallet, &forged.to_token()), Some("bad-signature"));
        // A receipt for a purchase this wallet never made.
        let stranger = MasterSecret::from_bytes([3; 32]).origin_key(offer.merchant_origin());
        let other_request = PurchaseRequest::new(
            &offer,
            &url("https://ps.example/"),
            Nonce([0xEE; 16]),
            NOW,
            stranger.public_key(),
        );
        let merchant = MerchantKey::from_seed(&[5; 32]);
        let unknown =
            Receipt::new(&other_request, &offer, NOW, merchant.public_key()).sign(&merchant);
        assert_eq!(
            code(&mut wallet, &unknown.to_token()),
            Some("unknown-purchase")
        );
        // Same nonce, other offer.
        let other_offer = item(2, Some(60));
        let mismatched_request = PurchaseRequest::new(
            &other_offer,
            &url("https://ps.example/"),
            record.request().nonce(),
            NOW,
            stranger.public_key(),
        );
        let mismatch = Receipt::new(
            &mismatched_request,
            &other_offer,
            NOW,
            merchant.public_key(),
        )
        .sign(&merchant);
        assert_eq!(
            code(&mut wallet, &mismatch.to_token()),
            Some("receipt-mismatch")
        );
        // The right receipt, twice (idempotent), then a different one for the same purchase.
        assert_eq!(code(&mut wallet, &good), None);
        assert_eq!(code(&mut wallet, &good), None);
        let other = receipt_for(&record, &offer, NOW + time::Duration::seconds(5));
        assert_eq!(code(&mut wallet, &other), Some("duplicate-receipt"));
        let history = wallet.ledger().history().unwrap();
        assert_eq!(history[0].receipt.as_ref().unwrap().to_token(), good);
    }

    /// The receipt of `record` for `offer`, signed by the merchant key of `seed`.
    fn receipt_by(seed: u8, record: &SpendRecord, offer: &Offer) -> String {
        let merchant = MerchantKey::from_seed(&[seed; 32]);
        Receipt::new(record.request(), offer, NOW, merchant.public_key())
            .sign(&merchant)
            .to_token()
    }

    #[test]
    fn receipts_are_stored_only_under_a_trusted_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy());
        let (first, second, third) = (item(1, Some(60)), item(2, Some(60)), item(3, Some(60)));
        let bought_first = bought(wallet.purchase_offer(&first, NOW, false).unwrap());
        let bought_second = bought(wallet.purchase_offer(&second, NOW, false).unwrap());
        let bought_third = bought(wallet.purchase_offer(&third, NOW, false).unwrap());
        let code = |result: Result<SignedReceipt, ReceiptRejection>| result.err().map(|r| r.code());
        let page = url("https://merchant.example/item/1");
        let real = receipt_by(5, &bought_first, &first);
        // Right nonce, scope and digest, signed by another key: never stored, whichever way
        // it comes, and nothing becomes trusted.
        let forged = receipt_by(6, &bought_first, &first);
        assert_eq!(
            code(wallet.accept_receipt(&forged).unwrap()),
            Some("untrusted-merchant-key")
        );
        // The real receipt pasted by hand: not trusted on first sight either.
        assert_eq!(
            code(wallet.accept_receipt(&real).unwrap()),
            Some("untrusted-merchant-key")
        );
        // From a response of another origin (plain http is another origin than https).
        let http = url("http://merchant.example/item/1");
        assert_eq!(
            code(wallet.accept_receipt_from_response(&real, &http).unwrap()),
            Some("origin-mismatch")
        );
        assert_eq!(
            code(
                wallet
                    .accept_receipt_from_response(&real, &url("https://other.example/x"))
                    .unwrap()
            ),
            Some("origin-mismatch")
        );
        assert!(wallet.ledger().trusted_keys().unwrap().is_empty());
        // A refused receipt from an https response trusts nothing: a receipt for a purchase
        // this wallet never made.
        let mut stranger = bought_first.request().clone();
        stranger = PurchaseRequest::new(
            &first,
            stranger.payment_system(),
            Nonce([0xEE; 16]),
            NOW,
            *stranger.public_key(),
        );
        let merchant = MerchantKey::from_seed(&[5; 32]);
        let unknown = Receipt::new(&stranger, &first, NOW, merchant.public_key())
            .sign(&merchant)
            .to_token();
        assert_eq!(
            code(
                wallet
                    .accept_receipt_from_response(&unknown, &page)
                    .unwrap()
            ),
            Some("unknown-purchase")
        );
        assert!(wallet.ledger().trusted_keys().unwrap().is_empty());
        // The real receipt in the https response: stored, and its key trusted for the origin.
        assert_eq!(
            code(wallet.accept_receipt_from_response(&real, &page).unwrap()),
            None
        );
        let trusted = wallet.ledger().trusted_keys().unwrap();
        assert_eq!(trusted.len(), 1);
        assert_eq!(
            (
                &trusted[0].merchant_origin,
                trusted[0].public_key,
                trusted[0].trust
            ),
            (
                first.merchant_origin(),
                merchant.public_key(),
                KeyTrust::HttpsResponse
            )
        );
        // From then on a receipt under that key is accepted from anywhere; the forged one
        // still is not; one for another price or scope is refused as a mismatch.
        assert_eq!(
            code(
                wallet
                    .accept_receipt(&receipt_by(5, &bought_second, &second))
                    .unwrap()
            ),
            None
        );
        assert_eq!(
            code(wallet.accept_receipt(&forged).unwrap()),
            Some("untrusted-merchant-key")
        );
        let mut cheaper = third.fields().clone();
        cheaper.price = micropay_markup::Price::parse("0.5USD").unwrap();
        let cheaper = Offer::new(cheaper).unwrap();
        let mismatched = PurchaseRequest::new(
            &cheaper,
            bought_third.request().payment_system(),
            bought_third.request().nonce(),
            NOW,
            *bought_third.request().public_key(),
        );
        let mismatch = Receipt::new(&mismatched, &cheaper, NOW, merchant.public_key())
            .sign(&merchant)
            .to_token();
        assert_eq!(
            code(wallet.accept_receipt(&mismatch).unwrap()),
            Some("receipt-mismatch")
        );
        // A rotated key: trusted once the user names it with its receipt, and only if the
        // receipt is signed by the key named.
        let rotated = receipt_by(7, &bought_third, &third);
        assert_eq!(
            code(wallet.accept_receipt(&rotated).unwrap()),
            Some("untrusted-merchant-key")
        );
        let seven = MerchantKey::from_seed(&[7; 32]).public_key();
        assert_eq!(
            code(
                wallet
                    .accept_receipt_under_key(&rotated, &merchant.public_key())
                    .unwrap()
            ),
            Some("untrusted-merchant-key")
        );
        assert_eq!(
            code(wallet.accept_receipt_under_key(&rotated, &seven).unwrap()),
            None
        );
        let trusted = wallet.ledger().trusted_keys().unwrap();
        assert_eq!(trusted.len(), 2);
        assert_eq!(
            (trusted[1].public_key, trusted[1].trust),
            (seven, KeyTrust::Named)
        );
    }

    #[test]
    fn trust_is_per_origin_and_loopback_http_is_authenticated() {
        let dir = tempfile::tempdir().unwrap();
        let mut wallet = controller(&dir, policy().with_require_https(false));
        let local = offer_with(|f| {
            f.price = Price::parse("1USD").unwrap();
            f.requesturl = url("http://127.0.0.1:8402/item");
            f.duration = Some(60);
        });
        let record = bought(wallet.purchase_offer(&local, NOW, false).unwrap());
        let receipt = receipt_by(5, &record, &local);
        // Over plain http from a host that is not loopback, the key must be trusted already.
        let remote = offer_with(|f| {
            f.price = Price::parse("1USD").unwrap();
            f.requesturl = url("http://shop.example/item");
            f.duration = Some(60);
        });
        let remote_record = bought(wallet.purchase_offer(&remote, NOW, false).unwrap());
        assert_eq!(
            wallet
                .accept_receipt_from_response(
                    &receipt_by(5, &remote_record, &remote),
                    &url("http://shop.example/item")
                )
                .unwrap()
                .err(),
            Some(ReceiptRejection::UntrustedKey)
        );
        // The key is trusted for another origin only.
        let key = MerchantKey::from_seed(&[5; 32]).public_key();
        let other = MerchantOrigin::parse("https://merchant.example").unwrap();
        wallet.trust_merchant_key(&other, &key).unwrap();
        assert_eq!(
            wallet.accept_receipt(&receipt).unwrap().err(),
            Some(ReceiptRejection::UntrustedKey)
        );
        wallet
            .accept_receipt_from_response(&receipt, &url("http://127.0.0.1:8402/item"))
            .unwrap()
            .unwrap();
        let trusted = wallet.ledger().trusted_keys().unwrap();
        assert_eq!(
            trusted
                .iter()
                .map(|t| (t.merchant_origin.as_str(), t.trust))
                .collect::<Vec<_>>(),
            [
                ("http://127.0.0.1:8402", KeyTrust::LoopbackResponse),
                ("https://merchant.example", KeyTrust::Named)
            ]
        );
    }

    #[test]
    fn an_encrypted_ledger_signs_only_once_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wallet.db");
        let passphrase = Passphrase::new("s3cret phrase");
        let master = MasterSecret::from_bytes([4; 32]);
        let mut ledger =
            Ledger::create_encrypted_with_master_secret(&path, &master, &passphrase).unwrap();
        ledger.set_policy(&policy()).unwrap();
        drop(ledger);
        // The secret is not in the file in the clear.
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(32).any(|w| w == [4; 32]));
        let ledger = Ledger::open(&path).unwrap();
        assert!(ledger.is_encrypted().unwrap());
        assert!(matches!(
            ledger.master_secret(),
            Err(Error::PassphraseRequired)
        ));
        let mut wallet = WalletController::open(ledger).unwrap();
        assert!(wallet.is_locked());
        let offer = item(1, None);
        // Deciding works locked; signing does not, and records nothing.
        assert!(matches!(
            wallet.decide_offer(&offer, NOW).unwrap(),
            Decision::Pay { .. }
        ));
        assert!(matches!(
            wallet.purchase_offer(&offer, NOW, false),
            Err(Error::PassphraseRequired)
        ));
        assert!(matches!(
            wallet.unlock(&Passphrase::new("wrong")),
            Err(Error::WrongPassphrase)
        ));
        assert!(wallet.is_locked());
        wallet.unlock(&passphrase).unwrap();
        let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
        assert_eq!(
            record.request().public_key(),
            &master.origin_key(offer.merchant_origin()).public_key()
        );
        assert_eq!(wallet.ledger().history().unwrap().len(), 1);
    }

    #[test]
    fn the_passphrase_is_set_changed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wallet.db");
        let master = MasterSecret::from_bytes([6; 32]);
        let mut ledger = Ledger::create_with_master_secret(&path, &master).unwrap();
        let (first, second) = (Passphrase::new("first"), Passphrase::new("second"));
        ledger.change_passphrase(None, Some(&first)).unwrap();
        assert!(ledger.is_encrypted().unwrap());
        // A wrong or missing current passphrase changes nothing.
        assert!(matches!(
            ledger.change_passphrase(Some(&second), None),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(
            ledger.change_passphrase(None, None),
            Err(Error::PassphraseRequired)
        ));
        assert_eq!(ledger.unlock(&first).unwrap().as_bytes(), master.as_bytes());
        ledger
            .change_passphrase(Some(&first), Some(&second))
            .unwrap();
        assert!(matches!(ledger.unlock(&first), Err(Error::WrongPassphrase)));
        assert_eq!(
            ledger.unlock(&second).unwrap().as_bytes(),
            master.as_bytes()
        );
        ledger.change_passphrase(Some(&second), None).unwrap();
        assert!(!ledger.is_encrypted().unwrap());
        assert_eq!(
            ledger.master_secret().unwrap().as_bytes(),
            master.as_bytes()
        );
        // Sealed again, the file no longer holds the secret in the clear.
        ledger.change_passphrase(None, Some(&first)).unwrap();
        drop(ledger);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(32).any(|w| w == [6; 32]));
    }
}
