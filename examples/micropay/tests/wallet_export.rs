//! `micropay wallet export` through the real binary: the document holds the ledger's master
//! secret, policy, spends and trusted keys, and reads back as the same wallet.

use std::process::Command;

use micropay_wallet::{MasterSecret, WalletState};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_micropay");
const PAGE: &str = r#"<object type="application/x-micropayment">
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="title" value="Today's cartoon">
  <param name="requesturl" value="today.html">
  <param name="paymentsystem" value="https://ps.example/">
  <a href="today.html">Today's cartoon</a>
</object>
"#;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(BIN)
        .args(args)
        .env("MICROPAY_PASSPHRASE", "correct horse")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_export_is_the_whole_wallet() {
    let dir = tempfile::tempdir().unwrap();
    for encrypt in [false, true] {
        let ledger = dir.path().join(format!("wallet-{encrypt}.db"));
        let ledger = ledger.to_str().unwrap();
        let page = dir.path().join("page.html");
        std::fs::write(&page, PAGE).unwrap();
        let mut init = vec!["wallet", "init", "--ledger", ledger];
        if encrypt {
            init.push("--encrypt");
        }
        assert_eq!(run(&init).0, Some(0));
        let policy = [
            "wallet",
            "policy",
            "--ledger",
            ledger,
            "--accept",
            "https://ps.example/=USD",
        ];
        assert_eq!(run(&policy).0, Some(0));
        let buy = [
            "buy",
            "--ledger",
            ledger,
            "--page",
            page.to_str().unwrap(),
            "--base-url",
            "https://merchant.example/",
            "--now",
            "2026-03-01T12:00:00Z",
        ];
        let (code, _, stderr) = run(&buy);
        assert_eq!(code, Some(0), "{stderr}");

        let (code, out, stderr) = run(&["wallet", "export", "--ledger", ledger]);
        assert_eq!(code, Some(0), "{stderr}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["format"], "micropay-wallet");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["master_secret"].as_str().unwrap().len(), 64);
        assert_eq!(
            doc["policy"]["wallets"][0]["payment_system"],
            "https://ps.example/"
        );
        assert_eq!(doc["history"].as_array().unwrap().len(), 1);
        let state = WalletState::from_json(&out).unwrap();
        // The spend was signed with the key the exported master secret derives.
        let request = state.history()[0].spend.request();
        let mut secret = [0u8; 32];
        let hex = doc["master_secret"].as_str().unwrap();
        for (i, byte) in secret.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
        }
        assert_eq!(
            request.public_key(),
            &MasterSecret::from_bytes(secret)
                .origin_key(request.merchant_origin())
                .public_key()
        );
    }
    let (code, _, stderr) = run(&["wallet", "export", "--ledger", "/nonexistent/w.db"]);
    assert_eq!(code, Some(2), "{stderr}");
}
