use super::*;
use crate::keys::MerchantKey;
use crate::offer::tests::sample_fields;
use crate::policy::{Budget, BudgetScope, Wallet};
use crate::receipt::Receipt;
use micropay_markup::Price;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// An offer for `/item/{n}` at 1 USD.
fn item(n: u32, duration: Option<u64>) -> Offer {
    let mut fields = sample_fields();
    fields.price = Price::parse("1USD").unwrap();
    fields.requesturl = url(&format!("https://merchant.example/item/{n}"));
    fields.duration = duration;
    Offer::new(fields).unwrap()
}

fn policy() -> Policy {
    Policy::new(vec![Wallet::parse("https://ps.example/=USD").unwrap()])
}

fn bought(outcome: Result<SpendRecord, Decision>) -> SpendRecord {
    outcome.unwrap_or_else(|decision| panic!("not purchased: {decision:?}"))
}

fn receipt_for(record: &SpendRecord, offer: &Offer, at: OffsetDateTime) -> String {
    let merchant = MerchantKey::from_seed(&[5; 32]);
    Receipt::new(record.request(), offer, at, merchant.public_key())
        .sign(&merchant)
        .to_token()
}

fn state(policy: Policy) -> WalletState {
    WalletState::new(MasterSecret::from_bytes([7; 32]), policy)
}

fn budgeted() -> Policy {
    policy()
        .with_budget(
            Budget::new(Price::parse("2USD").unwrap(), 3600, BudgetScope::Overall).unwrap(),
        )
        .with_confirmation_above(Price::parse("1.5USD").unwrap())
}

/// The state decides as the SQLite ledger does, step by step, on the same purchases.
#[cfg(feature = "sqlite")]
#[test]
fn the_state_decides_as_the_ledger_does() {
    use crate::controller::{PurchaseOutcome, WalletController};
    use crate::ledger::Ledger;

    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::create_with_master_secret(
        &dir.path().join("w.db"),
        &MasterSecret::from_bytes([7; 32]),
    )
    .unwrap();
    let mut controller = WalletController::new(budgeted(), ledger).unwrap();
    let mut wallet = state(budgeted());
    let offers = [
        item(1, Some(60)),
        item(2, None),
        item(1, Some(60)),
        item(3, None),
    ];
    for (step, offer) in offers.iter().enumerate() {
        let now = NOW + time::Duration::seconds(i64::try_from(step).unwrap());
        let expected = controller.decide_offer(offer, now).unwrap();
        assert_eq!(
            wallet.decide_offer(offer, now).to_string(),
            expected.to_string(),
            "step {step}"
        );
        let a = controller.purchase_offer(offer, now, false).unwrap();
        let b = wallet.purchase_offer(offer, now, false).unwrap();
        assert_eq!(
            matches!(a, PurchaseOutcome::Purchased(_)),
            b.is_ok(),
            "step {step}: {a:?} / {b:?}"
        );
    }
    // Two bought, the third already paid (pending), the fourth over the budget.
    assert_eq!(wallet.history().len(), 2);
    let over = controller.decide_offer(&item(4, None), NOW).unwrap();
    assert!(
        matches!(&over, Decision::Refuse(r) if r.code() == "over-budget"),
        "{over}"
    );
    assert_eq!(wallet.decide_offer(&item(4, None), NOW), over);
    // The key is the one the ledger derives from the same master secret.
    let token = &wallet.history()[0].spend;
    assert_eq!(
        token.request().public_key(),
        &MasterSecret::from_bytes([7; 32])
            .origin_key(token.request().merchant_origin())
            .public_key()
    );
}

#[test]
fn receipts_are_checked_then_cover_the_scope() {
    let mut wallet = state(policy());
    let offer = item(1, Some(60));
    let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
    let receipt = receipt_for(&record, &offer, NOW);
    let from = url("https://merchant.example/item/1");
    let code = |w: &mut WalletState, token: &str, at: &Url| {
        w.accept_receipt_from_response(token, at, NOW)
            .err()
            .map(|r| r.code())
    };
    assert_eq!(code(&mut wallet, "junk", &from), Some("malformed-receipt"));
    assert_eq!(
        code(&mut wallet, &receipt, &url("https://other.example/")),
        Some("origin-mismatch")
    );
    let other = item(2, Some(60));
    let foreign = {
        let mut elsewhere = state(policy());
        let r = bought(elsewhere.purchase_offer(&other, NOW, false).unwrap());
        receipt_for(&r, &other, NOW)
    };
    assert_eq!(code(&mut wallet, &foreign, &from), Some("unknown-purchase"));
    assert!(wallet.trusted_keys().is_empty());
    assert_eq!(code(&mut wallet, &receipt, &from), None);
    assert_eq!(
        code(&mut wallet, &receipt, &from),
        None,
        "the same receipt again"
    );
    assert_eq!(wallet.trusted_keys().len(), 1);
    assert_eq!(wallet.trusted_keys()[0].trust, KeyTrust::HttpsResponse);
    assert_eq!(
        wallet.trusted_keys()[0].public_key,
        MerchantKey::from_seed(&[5; 32]).public_key()
    );
    let paid = wallet
        .already_paid(offer.scope(), offer.merchant_origin(), NOW)
        .unwrap();
    assert_eq!(paid.code(), "receipt");
    // Once the receipt's access ends, the link is for sale again.
    let later = NOW + time::Duration::seconds(61);
    assert!(matches!(
        wallet.decide_offer(&offer, later),
        Decision::Pay { .. }
    ));
}

#[test]
fn the_export_round_trips_and_bad_documents_are_refused() {
    let mut wallet = state(budgeted());
    let offer = item(1, Some(60));
    let record = bought(wallet.purchase_offer(&offer, NOW, false).unwrap());
    let receipt = receipt_for(&record, &offer, NOW);
    wallet
        .accept_receipt_from_response(&receipt, &url("https://merchant.example/x"), NOW)
        .unwrap();
    bought(wallet.purchase_offer(&item(2, None), NOW, false).unwrap());
    let json = wallet.to_json();
    let again = WalletState::from_json(&json).unwrap();
    assert_eq!(again.to_json(), json);
    assert_eq!(again.history(), wallet.history());
    assert_eq!(again.trusted_keys(), wallet.trusted_keys());
    assert_eq!(again.policy(), wallet.policy());

    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let broken = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut v = value.clone();
        change(&mut v);
        WalletState::from_json(&v.to_string()).unwrap_err()
    };
    broken(&|v| v["format"] = "other".into());
    broken(&|v| v["master_secret"] = "00".into());
    broken(&|v| v["history"][0]["token"] = "x".into());
    broken(&|v| v["history"][1]["id"] = 1.into());
    broken(&|v| v["history"][1]["receipt"] = v["history"][0]["receipt"].clone());
    broken(&|v| v["trusted_keys"][0]["trust"] = "guessed".into());
    broken(&|v| v["extra"] = 1.into());
    assert!(WalletState::from_json("[").is_err());
    // Debug never shows the master secret.
    assert!(!format!("{wallet:?}").contains("0707"));
}
