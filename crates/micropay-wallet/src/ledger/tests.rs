use super::*;
use crate::offer::Offer;
use crate::offer::tests::sample_fields;
use crate::policy::{Budget, BudgetScope, Wallet};
use crate::token::Nonce;
use crate::token::PurchaseRequest;
use crate::trust::KeyTrust;
use micropay_markup::Price;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn signed(master: &MasterSecret, n: u8, price: &str, origin: &str) -> SignedPurchaseRequest {
    let mut fields = sample_fields();
    fields.price = Price::parse(price).unwrap();
    fields.requesturl = Url::parse(&format!("{origin}/item/{n}")).unwrap();
    let offer = Offer::new(fields).unwrap();
    let key = master.origin_key(offer.merchant_origin());
    let ps = offer.fields().paymentsystems[0].id.clone();
    PurchaseRequest::new(&offer, &ps, Nonce([n; 16]), NOW, key.public_key()).sign(&key)
}

fn policy() -> Policy {
    Policy::new(vec![Wallet::parse("https://ps.example/=USD").unwrap()])
        .with_budget(Budget::parse("1USD/60", BudgetScope::Overall).unwrap())
}

#[test]
fn created_private_in_wal_mode_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    let ledger = Ledger::create(&path).unwrap();
    let mode: String = ledger
        .conn
        .query_row("PRAGMA journal_mode", (), |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(matches!(
        Ledger::create(&path),
        Err(Error::AlreadyExists(_))
    ));
    ledger.check_integrity().unwrap();
}

#[test]
fn reopens_after_drop_with_everything_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    let master = MasterSecret::from_bytes([4; 32]);
    let mut ledger = Ledger::create_with_master_secret(&path, &master).unwrap();
    let first = signed(&master, 1, "0.25USD", "https://a.example");
    let second = signed(&master, 2, "0.5USD", "https://b.example");
    for purchase in [&first, &second] {
        let reservation = ledger
            .reserve_spend(&policy(), purchase, Some(60), NOW)
            .unwrap();
        assert!(matches!(reservation, Reservation::Reserved(_)));
    }
    drop(ledger);
    let ledger = Ledger::open(&path).unwrap();
    ledger.check_integrity().unwrap();
    assert_eq!(
        ledger.master_secret().unwrap().as_bytes(),
        master.as_bytes()
    );
    let history = ledger.history().unwrap();
    let tokens: Vec<_> = history.iter().map(|h| h.spend.token.clone()).collect();
    assert_eq!(tokens, [first.to_token(), second.to_token()]);
    assert_eq!(history[0].spend.purchase, first);
    assert_eq!(
        history[0].spend.access_until,
        Some(NOW + time::Duration::minutes(1))
    );
    assert_eq!(
        ledger
            .spent_since(usd(), NOW.unix_timestamp() - 1, None)
            .unwrap(),
        Price::parse("0.75USD").unwrap().amount().as_decimal()
    );
    let a = MerchantOrigin::parse("https://a.example").unwrap();
    assert_eq!(
        ledger
            .spent_since(usd(), NOW.unix_timestamp() - 1, Some(&a))
            .unwrap(),
        Price::parse("0.25USD").unwrap().amount().as_decimal()
    );
    assert_eq!(
        ledger
            .spent_since(usd(), NOW.unix_timestamp(), None)
            .unwrap(),
        Decimal::ZERO
    );
}

#[test]
fn a_refused_or_already_paid_reservation_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let master = MasterSecret::from_bytes([4; 32]);
    let mut ledger = Ledger::create_with_master_secret(&dir.path().join("w.db"), &master).unwrap();
    let first = signed(&master, 1, "0.75USD", "https://a.example");
    assert!(matches!(
        ledger
            .reserve_spend(&policy(), &first, Some(60), NOW)
            .unwrap(),
        Reservation::Reserved(_)
    ));
    // Another item: 0.75 + 0.75 is over the 1 USD budget.
    let other = signed(&master, 2, "0.75USD", "https://a.example");
    match ledger.reserve_spend(&policy(), &other, None, NOW).unwrap() {
        Reservation::Refused(refusal) => assert_eq!(refusal.code(), "over-budget"),
        other => panic!("{other:?}"),
    }
    // The same item again (same scope, fresh nonce) within its duration.
    let mut repeat = signed(&master, 1, "0.75USD", "https://a.example")
        .request()
        .canonical_bytes();
    let nonce_at = repeat.len() - 32 - 8 - 16;
    repeat[nonce_at..nonce_at + 16].copy_from_slice(&[9; 16]);
    let repeat = PurchaseRequest::from_canonical_bytes(&repeat).unwrap();
    assert_eq!(repeat.scope(), first.request().scope());
    let repeat = repeat.sign(&master.origin_key(first.request().merchant_origin()));
    match ledger
        .reserve_spend(&policy(), &repeat, Some(60), NOW)
        .unwrap()
    {
        Reservation::AlreadyPaid(paid) => {
            assert_eq!(paid.spend.purchase, first);
            assert!(paid.receipt.is_none());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ledger.history().unwrap().len(), 1);
}

#[test]
fn the_policy_is_stored_and_amended_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut ledger = Ledger::create(&path).unwrap();
    assert_eq!(ledger.policy().unwrap(), Policy::default());
    ledger.set_policy(&policy()).unwrap();
    let amended = ledger
        .update_policy(|p| p.with_link_cap(Price::parse("0.05USD").unwrap()))
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.policy().unwrap(), amended);
    assert_eq!(
        amended,
        policy().with_link_cap(Price::parse("0.05USD").unwrap())
    );
    ledger
        .conn
        .execute("UPDATE settings SET value = '{\"wallets\": 1}'", ())
        .unwrap();
    assert!(matches!(ledger.policy(), Err(Error::Corrupt(_))));
}

#[test]
fn opening_something_else_fails() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Ledger::open(&dir.path().join("missing.db")),
        Err(Error::Io { .. })
    ));
    let replay = dir.path().join("replay.db");
    drop(crate::Verifier::create(crate::MerchantKey::from_seed(&[1; 32]), &replay, 60).unwrap());
    assert!(matches!(Ledger::open(&replay), Err(Error::Corrupt(_))));
}

#[test]
fn a_ledger_of_schema_1_is_upgraded_trusting_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    let master = MasterSecret::from_bytes([7; 32]);
    drop(
        create_store(&path, KIND, 1, SCHEMA_1_TABLES, |conn| {
            conn.execute(
                "INSERT INTO secrets (name, value) VALUES ('master', ?1)",
                [&master.as_bytes()[..]],
            )
            .map_err(Error::sqlite)?;
            Ok(())
        })
        .unwrap(),
    );
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.master_secret().unwrap().as_bytes(),
        master.as_bytes()
    );
    assert!(ledger.trusted_keys().unwrap().is_empty());
    let version: i64 = ledger
        .conn
        .query_row("SELECT version FROM store_kind", (), |r| r.get(0))
        .unwrap();
    assert_eq!(version, LEDGER_SCHEMA_VERSION);
    let origin = MerchantOrigin::parse("https://merchant.example").unwrap();
    let key = crate::MerchantKey::from_seed(&[5; 32]).public_key();
    let trusted = ledger.trust_merchant_key(&origin, &key).unwrap();
    assert_eq!((trusted.public_key, trusted.trust), (key, KeyTrust::Named));
    drop(ledger);
    assert_eq!(
        Ledger::open(&path).unwrap().trusted_keys().unwrap().len(),
        1
    );
}
