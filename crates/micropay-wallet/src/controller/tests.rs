use super::*;
use crate::keys::{MasterSecret, MerchantKey};
use crate::offer::OfferFields;
use crate::offer::tests::sample_fields;
use crate::policy::{Budget, BudgetScope, Wallet};
use crate::receipt::Receipt;
use crate::refusal::Refusal;
use crate::token::SignedPurchaseRequest;
use micropay_markup::Price;
use time::macros::datetime;
use url::Url;

pub(crate) const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

pub(crate) fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

pub(crate) fn offer_with(change: impl FnOnce(&mut OfferFields)) -> Offer {
    let mut fields = sample_fields();
    change(&mut fields);
    Offer::new(fields).unwrap()
}

/// An offer for `/item/{n}` at 1 USD.
pub(crate) fn item(n: u32, duration: Option<u64>) -> Offer {
    offer_with(|f| {
        f.price = Price::parse("1USD").unwrap();
        f.requesturl = url(&format!("https://merchant.example/item/{n}"));
        f.duration = duration;
    })
}

pub(crate) fn controller(dir: &tempfile::TempDir, policy: Policy) -> WalletController {
    let ledger = Ledger::create(&dir.path().join("wallet.db")).unwrap();
    WalletController::new(policy, ledger).unwrap()
}

pub(crate) fn policy() -> Policy {
    Policy::new(vec![Wallet::parse("https://ps.example/=USD").unwrap()])
}

pub(crate) fn bought(outcome: PurchaseOutcome) -> Box<SpendRecord> {
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

pub(crate) fn receipt_for(record: &SpendRecord, offer: &Offer, at: OffsetDateTime) -> String {
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
