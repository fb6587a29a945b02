//! The master secret encrypted at rest, through the real `micropay` binary: `wallet init
//! --encrypt`, the passphrase from `MICROPAY_PASSPHRASE` (no terminal here), commands that
//! only read working without it, a wrong or missing passphrase changing nothing (exit 2), and
//! `wallet passphrase` setting, changing and removing it.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_micropay");
const BASE_URL: &str = "https://merchant.example/cartoons/";
const NOW: &str = "2026-03-01T12:00:00Z";
const PAGE: &str = r#"<!DOCTYPE html>
<title>Cartoons</title>
<object type="application/x-micropayment">
  <param name="price" value="0.01USD">
  <param name="textlink" value="Today's cartoon">
  <param name="title" value="Today's cartoon">
  <param name="requesturl" value="today.html">
  <param name="paymentsystem" value="https://ps.example/">
  <a href="today.html">Today's cartoon</a>
</object>
"#;

/// Runs the binary with standard input closed (no terminal) and the passphrase variables
/// set as given (`None`: unset).
fn run(args: &[&str], passphrase: Option<&str>, new: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdin(Stdio::null())
        .env_remove("MICROPAY_PASSPHRASE")
        .env_remove("MICROPAY_NEW_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("MICROPAY_PASSPHRASE", passphrase);
    }
    if let Some(new) = new {
        command.env("MICROPAY_NEW_PASSPHRASE", new);
    }
    command.output().unwrap()
}

fn ok(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Exit 2, nothing on standard output, one line on standard error containing `needle`.
fn fails(output: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains(needle), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

fn spends(ledger: &str) -> usize {
    let history = ok(&run(&["wallet", "history", "--ledger", ledger], None, None));
    history["spends"].as_array().unwrap().len()
}

#[test]
fn an_encrypted_ledger_needs_its_passphrase_to_pay_only() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, PAGE).unwrap();
    let page = page.display().to_string();
    let ledger_path = dir.path().join("wallet.db");
    let ledger = ledger_path.display().to_string();
    // No passphrase and no terminal: nothing is created.
    fails(
        &run(
            &["wallet", "init", "--encrypt", "--ledger", &ledger],
            None,
            None,
        ),
        "MICROPAY_PASSPHRASE",
    );
    fails(
        &run(
            &["wallet", "init", "--encrypt", "--ledger", &ledger],
            Some(""),
            None,
        ),
        "empty",
    );
    assert!(!ledger_path.exists());
    let created = ok(&run(
        &["wallet", "init", "--encrypt", "--ledger", &ledger],
        Some("first phrase"),
        None,
    ));
    assert_eq!(created["encrypted"], true);
    // Reading and amending the policy, history, trust: no passphrase.
    ok(&run(
        &[
            "wallet",
            "policy",
            "--ledger",
            &ledger,
            "--accept",
            "https://ps.example/",
        ],
        None,
        None,
    ));
    ok(&run(&["wallet", "policy", "--ledger", &ledger], None, None));
    ok(&run(
        &["wallet", "trusted", "--ledger", &ledger],
        None,
        None,
    ));
    assert_eq!(spends(&ledger), 0);
    let buy = [
        "buy",
        "--ledger",
        &ledger,
        "--page",
        &page,
        "--base-url",
        BASE_URL,
        "--now",
        NOW,
    ];
    // Paying without it, or with a wrong one: exit 2, the file as it was.
    let before = std::fs::read(&ledger_path).unwrap();
    fails(&run(&buy, None, None), "MICROPAY_PASSPHRASE");
    fails(&run(&buy, Some("first phrase "), None), "wrong passphrase");
    assert_eq!(std::fs::read(&ledger_path).unwrap(), before);
    assert_eq!(spends(&ledger), 0);
    assert_eq!(
        ok(&run(&buy, Some("first phrase"), None))["decision"],
        "paid"
    );
    assert_eq!(spends(&ledger), 1);

    // Changing it: the current one from MICROPAY_PASSPHRASE, the new one from
    // MICROPAY_NEW_PASSPHRASE. A wrong current one changes nothing.
    let change = ["wallet", "passphrase", "--ledger", &ledger];
    fails(
        &run(&change, Some("nope"), Some("second")),
        "wrong passphrase",
    );
    fails(
        &run(&change, Some("first phrase"), None),
        "MICROPAY_NEW_PASSPHRASE",
    );
    fails(&run(&change, Some("first phrase"), Some("")), "empty");
    assert_eq!(
        ok(&run(&buy, Some("first phrase"), None))["decision"],
        "paid"
    );
    let changed = ok(&run(&change, Some("first phrase"), Some("second")));
    assert_eq!(changed["encrypted"], true);
    fails(&run(&buy, Some("first phrase"), None), "wrong passphrase");
    assert_eq!(ok(&run(&buy, Some("second"), None))["decision"], "paid");
    // Removing it: then no passphrase is asked for.
    let remove = ["wallet", "passphrase", "--ledger", &ledger, "--remove"];
    fails(&run(&remove, None, None), "MICROPAY_PASSPHRASE");
    assert_eq!(ok(&run(&remove, Some("second"), None))["encrypted"], false);
    assert_eq!(ok(&run(&buy, None, None))["decision"], "paid");
    // And setting it on a ledger without one needs only the new one.
    assert_eq!(ok(&run(&change, None, Some("third")))["encrypted"], true);
    fails(&run(&buy, None, None), "MICROPAY_PASSPHRASE");
    assert_eq!(ok(&run(&buy, Some("third"), None))["decision"], "paid");
    assert_eq!(spends(&ledger), 5);
    assert!(Path::new(&ledger).exists());
}

/// Runs `micropay ARGS` on a terminal (`script` from util-linux gives it one), typing
/// `typed`; `None` when this machine has no `script`.
fn on_a_terminal(args: &str, typed: &str) -> Option<Output> {
    let mut child = Command::new("script")
        .args(["-qec", &format!("{BIN} {args}"), "/dev/null"])
        .env_remove("MICROPAY_PASSPHRASE")
        .env_remove("MICROPAY_NEW_PASSPHRASE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), typed.as_bytes()).unwrap();
    Some(child.wait_with_output().unwrap())
}

#[test]
fn on_a_terminal_the_passphrase_is_asked_without_echo() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("wallet.db").display().to_string();
    let Some(created) = on_a_terminal(
        &format!("wallet init --encrypt --ledger {ledger}"),
        "typed phrase\ntyped phrase\n",
    ) else {
        println!("NOTICE: no `script` on this machine: the terminal prompt was not tested");
        return;
    };
    let text = String::from_utf8_lossy(&created.stdout);
    assert!(created.status.success(), "{text}");
    assert!(
        text.contains("New passphrase: ") && text.contains("\"encrypted\": true"),
        "{text}"
    );
    // Two different answers: nothing is created.
    let other = dir.path().join("other.db").display().to_string();
    let refused = on_a_terminal(
        &format!("wallet init --encrypt --ledger {other}"),
        "one\ntwo\n",
    )
    .unwrap();
    assert!(!refused.status.success());
    assert!(!Path::new(&other).exists());
    // The passphrase typed opens the ledger.
    let removed = on_a_terminal(
        &format!("wallet passphrase --remove --ledger {ledger}"),
        "typed phrase\n",
    )
    .unwrap();
    let text = String::from_utf8_lossy(&removed.stdout);
    assert!(removed.status.success(), "{text}");
    assert!(text.contains("\"encrypted\": false"), "{text}");
}
