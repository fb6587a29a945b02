//! `micropay get` against `micropay serve`, and every refusal with its status and code.

use std::time::Duration;

use serde_json::Value;

use crate::support::{Site, get, http_get, offer, receipt_auth, run_ok, token, token_auth};

fn spends(ledger: &str) -> usize {
    let history = run_ok(&["wallet", "history", "--ledger", ledger]);
    history["spends"].as_array().map_or(0, Vec::len)
}

#[test]
fn get_pays_then_presents_the_receipt_then_pays_again_after_the_duration() {
    let site = Site::new();
    let server = site.serve();
    let ledger = site.wallet("reader");
    let url = server.url("story.txt");

    let (paid, code, content) = get(&url, &ledger, &[]);
    assert_eq!(code, 0, "{paid}");
    assert_eq!(paid["decision"], "paid");
    assert_eq!(content.as_deref(), Some("story content\n"));
    assert!(paid["receipt"].is_string() && paid["token"].is_string());
    assert_eq!(paid["authenticated_channel"], true);
    assert_eq!(spends(&ledger), 1);

    // Within the two seconds of `duration`: the stored receipt, no new spend.
    let (again, code, content) = get(&url, &ledger, &[]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["decision"], "already-paid");
    assert_eq!(again["reason"], "receipt");
    assert_eq!(again["receipt"], paid["receipt"]);
    assert_eq!(content.as_deref(), Some("story content\n"));
    assert_eq!(spends(&ledger), 1);

    std::thread::sleep(Duration::from_millis(3100));
    let (later, code, _) = get(&url, &ledger, &[]);
    assert_eq!(code, 0, "{later}");
    assert_eq!(later["decision"], "paid");
    assert_ne!(later["token"], paid["token"]);
    assert_eq!(spends(&ledger), 2);

    assert_eq!(server.count("/story.txt", "200 paid"), 2);
    assert_eq!(server.count("/story.txt", "200 receipt"), 1);
    assert!(server.count("/story.txt", "402 payment-required") >= 3);
}

#[test]
fn get_buys_a_link_of_a_page_and_fetches_free_urls_as_they_are() {
    let site = Site::new();
    let server = site.serve();
    let ledger = site.wallet("reader");
    let (bought, code, content) = get(&server.url("index.html"), &ledger, &["--link", "1"]);
    assert_eq!(code, 0, "{bought}");
    assert_eq!(bought["decision"], "paid");
    assert_eq!(bought["price"]["amount"], "0.01");
    assert_eq!(content.as_deref(), Some("cheap content\n"));

    let (free, code, content) = get(&server.url("free.txt"), &ledger, &[]);
    assert_eq!((free["decision"].as_str(), code), (Some("free"), 0));
    assert_eq!(content.as_deref(), Some("free content\n"));
    assert_eq!(spends(&ledger), 1);

    // A link the page does not have, a missing file: bad usage or transport, exit 2.
    let output = crate::support::run(&[
        "get",
        &server.url("index.html"),
        "--ledger",
        &ledger,
        "--link",
        "9",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no per-fee-link 9"));
    let output = crate::support::run(&["get", &server.url("nothing.txt"), "--ledger", &ledger]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_wallet_policy_decides_before_anything_is_sent() {
    let site = Site::new();
    let server = site.serve();
    let ledger = site.wallet("careful");
    run_ok(&[
        "wallet",
        "policy",
        "--ledger",
        &ledger,
        "--max-per-link",
        "0.10USD",
    ]);
    let (refused, code, content) = get(&server.url("dear.txt"), &ledger, &[]);
    assert_eq!(
        (refused["decision"].as_str(), code),
        (Some("refused"), 4),
        "{refused}"
    );
    assert_eq!(content, None);
    assert_eq!(spends(&ledger), 0);
    assert_eq!(server.count("/dear.txt", "200 paid"), 0);
}

#[test]
fn refusals_have_their_status_and_code() {
    let site = Site::new();
    let server = site.serve();
    let port = server.port;
    let cheap = offer(&site, port, 1);
    let story = offer(&site, port, 0);

    // A token for the cheap URL never unlocks the dear one, and stays unspent.
    let cheap_token = token(&cheap, 1);
    let wrong = http_get(
        port,
        "/dear.txt",
        &[("Authorization", &token_auth(&cheap_token))],
    );
    assert_eq!(
        (wrong.status, wrong.code().as_str()),
        (402, "offer-mismatch")
    );
    assert!(wrong.headers["www-authenticate"][0].starts_with("Micropay realm="));
    let right = http_get(
        port,
        "/cheap.txt",
        &[("Authorization", &token_auth(&cheap_token))],
    );
    assert_eq!(right.status, 200);
    let cheap_receipt = right.header("micropay-receipt").unwrap().to_owned();

    // A receipt for another scope.
    let other = http_get(
        port,
        "/story.txt",
        &[("Authorization", &receipt_auth(&cheap_receipt))],
    );
    assert_eq!(
        (other.status, other.code().as_str()),
        (402, "receipt-out-of-scope")
    );

    // A forged receipt: one character of its signature changed.
    let paid = http_get(
        port,
        "/story.txt",
        &[("Authorization", &token_auth(&token(&story, 2)))],
    );
    assert_eq!(paid.status, 200);
    let receipt = paid.header("micropay-receipt").unwrap().to_owned();
    let mut forged = receipt.clone().into_bytes();
    let at = forged.len() - 10;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let refused = http_get(
        port,
        "/story.txt",
        &[("Authorization", &receipt_auth(&forged))],
    );
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (402, "bad-signature")
    );
    // A receipt signed by another merchant's key.
    let foreign = foreign_receipt(&story, &receipt);
    let refused = http_get(
        port,
        "/story.txt",
        &[("Authorization", &receipt_auth(&foreign))],
    );
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (402, "foreign-receipt")
    );

    // The genuine receipt works until its two seconds are over, then it has expired.
    let ok = http_get(
        port,
        "/story.txt",
        &[("Authorization", &receipt_auth(&receipt))],
    );
    assert_eq!(
        (ok.status, ok.header("micropay-code")),
        (200, Some("receipt"))
    );
    std::thread::sleep(Duration::from_millis(3100));
    let expired = http_get(
        port,
        "/story.txt",
        &[("Authorization", &receipt_auth(&receipt))],
    );
    assert_eq!(
        (expired.status, expired.code().as_str()),
        (402, "receipt-expired")
    );
    // A token for an offer the site does not make, and one issued an hour ago.
    let mut fields = cheap.fields().clone();
    fields.price = micropay_markup::Price::parse("0.001USD").unwrap();
    let unknown = token(&micropay_wallet::Offer::new(fields).unwrap(), 3);
    let refused = http_get(
        port,
        "/cheap.txt",
        &[("Authorization", &token_auth(&unknown))],
    );
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (402, "unknown-offer")
    );
    let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let stale = crate::support::token_at(&cheap, 4, hour_ago);
    let refused = http_get(
        port,
        "/cheap.txt",
        &[("Authorization", &token_auth(&stale))],
    );
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (402, "stale-request")
    );
    // Each 402 is a fresh challenge: the URL's offer, in the header and the body.
    assert!(refused.headers["www-authenticate"][0].starts_with("Micropay realm="));
    assert_eq!(refused.json()["offers"][0]["price"]["amount"], "0.01");

    // Malformed credentials are 400; another scheme is no credential at all.
    let bad = http_get(
        port,
        "/story.txt",
        &[("Authorization", "Micropay token=\"not a token\"")],
    );
    assert_eq!(
        (bad.status, bad.code().as_str()),
        (400, "malformed-credential")
    );
    let bad = http_get(
        port,
        "/story.txt",
        &[("Authorization", "Micropay token=\"AAAA\"")],
    );
    assert_eq!((bad.status, bad.code().as_str()), (400, "malformed-token"));
    let bad = http_get(
        port,
        "/story.txt",
        &[("Authorization", "Micropay receipt=\"AAAA\"")],
    );
    assert_eq!(
        (bad.status, bad.code().as_str()),
        (400, "malformed-receipt")
    );
    let basic = http_get(
        port,
        "/story.txt",
        &[("Authorization", "Basic dXNlcjpwdw==")],
    );
    assert_eq!(
        (basic.status, basic.code().as_str()),
        (402, "payment-required")
    );
    for response in [&bad, &basic, &expired] {
        assert_eq!(response.header("cache-control"), Some("no-store"));
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json")
        );
        let problem: Value = response.json();
        assert_eq!(
            problem["type"],
            format!("tag:micropay,2026:{}", problem["code"].as_str().unwrap())
        );
    }
}

/// `receipt` re-signed by a key that is not the merchant's (naming that key).
fn foreign_receipt(offer: &micropay_wallet::Offer, receipt: &str) -> String {
    use micropay_wallet::{MerchantKey, PurchaseRequest, Receipt, SignedReceipt};
    let genuine = SignedReceipt::from_token(receipt).unwrap();
    let other = MerchantKey::from_seed(&[9; 32]);
    let ps = micropay_markup::Url::parse(crate::support::PAYMENT_SYSTEM).unwrap();
    let buyer =
        micropay_wallet::MasterSecret::from_bytes([3; 32]).origin_key(offer.merchant_origin());
    let request = PurchaseRequest::new(
        offer,
        &ps,
        genuine.receipt().nonce(),
        genuine.receipt().issued_at(),
        buyer.public_key(),
    );
    Receipt::new(
        &request,
        offer,
        genuine.receipt().issued_at(),
        other.public_key(),
    )
    .sign(&other)
    .to_token()
}

#[test]
fn a_token_presented_again_gets_its_stored_receipt_while_access_lasts_then_409() {
    let site = Site::new();
    let server = site.serve();
    let port = server.port;
    let story = offer(&site, port, 0);
    let sent = token(&story, 5);
    let auth = token_auth(&sent);
    let first = http_get(port, "/story.txt", &[("Authorization", &auth)]);
    assert_eq!(
        (first.status, first.header("micropay-code")),
        (200, Some("paid"))
    );
    // The response was lost; the wallet sends the same token again: same receipt, content.
    let retry = http_get(port, "/story.txt", &[("Authorization", &auth)]);
    assert_eq!(
        (retry.status, retry.header("micropay-code")),
        (200, Some("retry"))
    );
    assert_eq!(
        retry.header("micropay-receipt"),
        first.header("micropay-receipt")
    );
    assert_eq!(retry.body, b"story content\n");
    std::thread::sleep(Duration::from_millis(3100));
    let late = http_get(port, "/story.txt", &[("Authorization", &auth)]);
    assert_eq!((late.status, late.code().as_str()), (409, "replayed-nonce"));
    assert_eq!(
        crate::support::stored_nonces(std::path::Path::new(&site.path("replay.db"))).len(),
        1
    );
}

#[test]
fn verify_checks_a_receipt_token_as_a_receipt() {
    let site = Site::new();
    let server = site.serve();
    let ledger = site.wallet("reader");
    let (paid, code, _) = get(&server.url("long.txt"), &ledger, &[]);
    assert_eq!(code, 0, "{paid}");
    let receipt = paid["receipt"].as_str().unwrap();
    let base = server.url("index.html");
    let verify = |key: &str| {
        crate::support::run_json(&[
            "verify",
            "--key",
            key,
            "--replay",
            &site.path("verify-replay.db"),
            "--page",
            &site.path("site/index.html"),
            "--base-url",
            &base,
            "--token",
            receipt,
        ])
    };
    let (answer, code) = verify(&site.path("merchant.key"));
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        (answer["kind"].as_str(), answer["verdict"].as_str()),
        (Some("receipt"), Some("accepted"))
    );
    assert_eq!(answer["scope"], server.url("long.txt"));
    run_ok(&["merchant", "init", "--key", &site.path("other.key")]);
    let (answer, code) = verify(&site.path("other.key"));
    assert_eq!(code, 4, "{answer}");
    assert_eq!(answer["reason"], "foreign-receipt");
}
