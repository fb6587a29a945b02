//! Several controllers on one ledger file: threads with their own connections, separate
//! processes started at once, and processes killed in the middle of buying.
//!
//! The child processes are this test binary run again on one of the `#[ignore]`d tests at
//! the bottom, with the ledger's path in an environment variable.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};

use micropay_wallet::{
    Budget, BudgetScope, Decision, Ledger, Offer, OfferFields, Policy, Price, PurchaseOutcome,
    SignedPurchaseRequest, Wallet, WalletController,
};
use time::OffsetDateTime;
use time::macros::datetime;
use url::Url;

const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);
const LEDGER_VAR: &str = "MICROPAY_TEST_LEDGER";
const ITEM_VAR: &str = "MICROPAY_TEST_ITEM";
const GO_VAR: &str = "MICROPAY_TEST_GO";

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// Item `n` of the merchant, at 1 USD, no duration.
fn item(n: u64) -> Offer {
    let fields = OfferFields::new(
        url("https://merchant.example/"),
        Price::parse("1USD").unwrap(),
        "An item",
        url(&format!("https://merchant.example/item/{n}")),
    )
    .with_paymentsystem(url("https://ps.example/"), None);
    Offer::new(fields).unwrap()
}

/// Room for `dollars` purchases of 1 USD per day.
fn policy(dollars: u32) -> Policy {
    Policy::new(vec![Wallet::parse("https://ps.example/=USD").unwrap()])
        .with_budget(Budget::parse(&format!("{dollars}USD/86400"), BudgetScope::Overall).unwrap())
}

fn history_tokens(path: &Path) -> BTreeSet<String> {
    let ledger = Ledger::open(path).unwrap();
    ledger.check_integrity().unwrap();
    ledger
        .history()
        .unwrap()
        .into_iter()
        .map(|entry| entry.spend.token)
        .collect()
}

#[test]
fn threads_with_their_own_connections_never_overspend() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    drop(Ledger::create(&path).unwrap());
    let threads = 8;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (path, barrier) = (path.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let ledger = Ledger::open(&path).unwrap();
                let mut wallet = WalletController::new(policy(5), ledger).unwrap();
                barrier.wait();
                let mut tokens = Vec::new();
                for i in 0..2 {
                    match wallet
                        .purchase_offer(&item(t as u64 * 10 + i), NOW, false)
                        .unwrap()
                    {
                        PurchaseOutcome::Purchased(record) => tokens.push(record.token.clone()),
                        PurchaseOutcome::NotPurchased(Decision::Refuse(r)) => {
                            assert_eq!(r.code(), "over-budget");
                        }
                        other => panic!("{other:?}"),
                    }
                }
                tokens
            })
        })
        .collect();
    let printed: BTreeSet<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_eq!(printed.len(), 5);
    assert_eq!(history_tokens(&path), printed);
}

/// The text after `marker` on a line of a child's output (the test harness may have
/// written "test NAME ... " before it on the same line).
fn marked<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.split_once(marker).map(|(_, rest)| rest)
}

fn spawn_child(test: &str, path: &Path, item: u64, go: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(LEDGER_VAR, path)
        .env(ITEM_VAR, item.to_string())
        .env(GO_VAR, go)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits (without any time limit) for the parent to create the `go` file, so that the
/// children start buying together.
fn wait_for_go() {
    let go = PathBuf::from(std::env::var_os(GO_VAR).unwrap());
    while !go.exists() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn twenty_processes_at_once_with_room_for_five() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    let go = dir.path().join("go");
    drop(Ledger::create(&path).unwrap());
    let children: Vec<Child> = (0..20)
        .map(|n| spawn_child("child_buys_one_item", &path, n, &go))
        .collect();
    std::fs::write(&go, b"").unwrap();
    let mut printed = BTreeSet::new();
    let mut refused = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        for line in stdout.lines() {
            if let Some(token) = marked(line, "PURCHASED ") {
                printed.insert(token.to_owned());
            } else if marked(line, "REFUSED ") == Some("over-budget") {
                refused += 1;
            }
        }
    }
    assert_eq!((printed.len(), refused), (5, 15));
    assert_eq!(history_tokens(&path), printed);
}

#[test]
fn processes_killed_while_buying_leave_a_consistent_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wallet.db");
    let go = dir.path().join("go");
    drop(Ledger::create(&path).unwrap());
    let mut children: Vec<Child> = (0..4)
        .map(|n| spawn_child("child_buys_until_killed", &path, n * 1_000_000, &go))
        .collect();
    std::fs::write(&go, b"").unwrap();
    let mut printed = BTreeSet::new();
    for (k, child) in children.iter_mut().enumerate() {
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill each child right after it has printed its (k+1)-th token, wherever it then is.
        let mut seen = 0;
        while seen <= k {
            let line = lines.next().unwrap().unwrap();
            if let Some(token) = marked(&line, "PURCHASED ") {
                printed.insert(token.to_owned());
                seen += 1;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Whatever was printed before the kill took effect counts too.
        for line in lines.map_while(Result::ok) {
            if let Some(token) = marked(&line, "PURCHASED ") {
                printed.insert(token.to_owned());
            }
        }
    }
    let recorded = history_tokens(&path);
    assert!(printed.is_subset(&recorded), "a printed token is missing");
    for token in &recorded {
        SignedPurchaseRequest::from_token(token)
            .unwrap()
            .verify()
            .unwrap();
    }
    // The ledger is usable afterwards.
    let mut wallet =
        WalletController::new(policy(1_000_000), Ledger::open(&path).unwrap()).unwrap();
    assert!(matches!(
        wallet.purchase_offer(&item(u64::MAX), NOW, false).unwrap(),
        PurchaseOutcome::Purchased(_)
    ));
}

fn child_controller(budget: u32) -> Option<(WalletController, u64)> {
    let path = PathBuf::from(std::env::var_os(LEDGER_VAR)?);
    let item = std::env::var(ITEM_VAR).ok()?.parse().ok()?;
    let wallet = WalletController::new(policy(budget), Ledger::open(&path).unwrap()).unwrap();
    Some((wallet, item))
}

/// Child process of `twenty_processes_at_once_with_room_for_five`.
#[test]
#[ignore = "run as a child process by the tests above"]
fn child_buys_one_item() {
    let Some((mut wallet, n)) = child_controller(5) else {
        return;
    };
    wait_for_go();
    match wallet.purchase_offer(&item(n), NOW, false).unwrap() {
        PurchaseOutcome::Purchased(record) => println!("PURCHASED {}", record.token),
        PurchaseOutcome::NotPurchased(Decision::Refuse(r)) => println!("REFUSED {}", r.code()),
        other => panic!("{other:?}"),
    }
}

/// Child process of `processes_killed_while_buying_leave_a_consistent_ledger`.
#[test]
#[ignore = "run as a child process by the tests above"]
fn child_buys_until_killed() {
    use std::io::Write as _;
    let Some((mut wallet, first)) = child_controller(1_000_000) else {
        return;
    };
    wait_for_go();
    let mut stdout = std::io::stdout().lock();
    for n in first.. {
        if let PurchaseOutcome::Purchased(record) =
            wallet.purchase_offer(&item(n), NOW, false).unwrap()
        {
            writeln!(stdout, "PURCHASED {}", record.token).unwrap();
            stdout.flush().unwrap();
        }
    }
}
