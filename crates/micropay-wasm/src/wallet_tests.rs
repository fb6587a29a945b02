use micropay_wallet::{
    MasterSecret, MerchantKey, Offer, Policy, Receipt, SignedPurchaseRequest, Wallet, WalletState,
};
use serde_json::{Value, json};

use super::*;

const NOW: i64 = 1_772_366_400; // 2026-03-01 12:00 UTC

fn carrier(name: &str, price: &str) -> Value {
    json!({"params": [["price", price], ["textlink", name], ["requesturl", name],
                      ["paymentsystem", "https://ps.example/"], ["duration", "60"]],
           "has_fallback": true, "fallback_href": name})
}

fn page(carriers: &[Value], now: i64) -> PageInput {
    serde_json::from_value(json!({"document_url": "https://shop.example/",
        "now": now, "carriers": carriers}))
    .unwrap()
}

fn wallet() -> String {
    let policy = Policy::new(vec![Wallet::parse("https://ps.example/=USD").unwrap()])
        .with_budget(
            micropay_wallet::Budget::new(
                "1USD".parse().unwrap(),
                3600,
                micropay_wallet::BudgetScope::Overall,
            )
            .unwrap(),
        )
        .with_confirmation_above("0.5USD".parse().unwrap());
    WalletState::new(MasterSecret::from_bytes([3; 32]), policy).to_json()
}

fn states(marked: &[MarkedLink]) -> Vec<(Option<&str>, Option<&str>)> {
    marked
        .iter()
        .map(|m| (m.state, m.reason.as_deref()))
        .collect()
}

#[test]
fn each_link_gets_its_state() {
    let input = page(
        &[
            carrier("a", "0.25USD"),
            carrier("b", "5 USD"),
            carrier("c", "2USD"),
            carrier("d", "0.75USD"),
            json!({"params": [["movie", "x.swf"]]}),
        ],
        NOW,
    );
    let marked = mark_links(&input, Some(&wallet())).unwrap();
    assert_eq!(
        states(&marked),
        [
            (Some("payable"), None),
            (Some("invalid"), Some("invalid-price")),
            (Some("refused"), Some("over-budget")),
            (Some("needs-confirmation"), None),
            (None, None),
        ]
    );
    assert_eq!(marked[0].merchant.as_deref(), Some("https://shop.example"));
    let without = mark_links(&input, None).unwrap();
    assert_eq!(without[0].reason.as_deref(), Some("no-wallet"));
}

#[test]
fn a_purchase_then_its_receipt_then_no_second_payment() {
    let input = page(&[carrier("a", "0.25USD"), carrier("d", "0.75USD")], NOW);
    let bought = purchase(&wallet(), &input, 0, false).unwrap();
    assert_eq!(bought.outcome, "purchased", "{bought:?}");
    assert_eq!(bought.requesturl.as_deref(), Some("https://shop.example/a"));
    let stored = bought.wallet.unwrap();
    // The merchant's receipt for that token.
    let token = SignedPurchaseRequest::from_token(bought.token.as_deref().unwrap()).unwrap();
    let link = mark_page(&input).unwrap().remove(0).link.unwrap();
    let offer = Offer::from_link(&link, &"https://shop.example/".parse().unwrap()).unwrap();
    let merchant = MerchantKey::from_seed(&[9; 32]);
    let receipt = Receipt::new(
        token.request(),
        &offer,
        time::OffsetDateTime::from_unix_timestamp(NOW).unwrap(),
        merchant.public_key(),
    )
    .sign(&merchant)
    .to_token();
    let refused = accept_receipt(&stored, &receipt, "https://evil.example/", NOW).unwrap();
    assert_eq!(refused.rejection, Some("origin-mismatch"));
    let accepted = accept_receipt(&stored, &receipt, "https://shop.example/a", NOW).unwrap();
    assert_eq!(accepted.access_until, Some(NOW + 60));
    let stored = accepted.wallet.unwrap();
    // Clicked again within the duration: the stored receipt, nothing paid.
    let again = purchase(&stored, &input, 0, false).unwrap();
    assert_eq!((again.outcome, again.wallet.is_none()), ("paid", true));
    assert_eq!(again.receipt.as_deref(), Some(receipt.as_str()));
    assert_eq!(
        states(&mark_links(&input, Some(&stored)).unwrap())[0],
        (Some("paid"), Some("receipt"))
    );
    // Above the threshold: asked first, then bought once confirmed; the budget is then spent.
    let asked = purchase(&stored, &input, 1, false).unwrap();
    assert_eq!(
        (asked.outcome, asked.threshold.as_deref()),
        ("needs-confirmation", Some("0.5USD"))
    );
    let confirmed = purchase(&stored, &input, 1, true).unwrap();
    assert_eq!(confirmed.outcome, "purchased");
    let other = page(&[carrier("e", "0.25USD")], NOW);
    let over = purchase(&confirmed.wallet.unwrap(), &other, 0, false).unwrap();
    assert_eq!(
        (over.outcome, over.reason.as_deref()),
        ("refused", Some("over-budget"))
    );

    let view = describe_wallet(&stored).unwrap();
    let view = serde_json::to_value(&view).unwrap();
    assert_eq!(view["history"][0]["receipt_access_until"], NOW + 60);
    assert_eq!(view["trusted_keys"][0][1], "https-response");
}

#[test]
fn imports_and_policies_are_checked() {
    assert!(import_wallet("{}").is_err());
    let imported = import_wallet(&wallet()).unwrap();
    assert_eq!(imported, wallet());
    let changed = set_policy(
        &imported,
        r#"{"wallets": [{"payment_system": "https://ps.example/", "currencies": "any"}]}"#,
    )
    .unwrap();
    assert!(changed.contains("\"any\""));
    assert!(set_policy(&imported, r#"{"wallets": 3}"#).is_err());
    assert!(purchase("not json", &page(&[], NOW), 0, false).is_err());
    assert!(purchase(&imported, &page(&[], NOW), 5, false).is_err());
}
