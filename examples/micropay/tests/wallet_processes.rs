//! The wallet's multi-process promises, through the real `micropay` binary: twenty `buy`
//! processes at once never overspend, `buy` processes killed at random instants leave a
//! consistent ledger holding every token they printed, and the whole round trip (wallet
//! init, policy, buy, merchant verify, receipt, already paid, replay) works end to end.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use micropay_wallet::Ledger;
use serde_json::Value;

mod common;

use common::Rng;

const BIN: &str = env!("CARGO_BIN_EXE_micropay");
const BASE_URL: &str = "https://merchant.example/cartoons/";
const NOW: &str = "2026-03-01T12:00:00Z";

/// A page with one per-fee-link at `price`, with a `duration` param when given.
fn page(price: &str, duration: Option<u64>) -> String {
    let duration = duration.map_or(String::new(), |d| {
        format!(r#"<param name="duration" value="{d}">"#)
    });
    format!(
        r#"<!DOCTYPE html>
<title>Cartoons</title>
<object type="application/x-micropayment">
  <param name="price" value="{price}">
  <param name="textlink" value="Today's cartoon">
  <param name="title" value="Today's cartoon">
  <param name="requesturl" value="today.html">
  <param name="paymentsystem" value="https://ps.example/">
  {duration}
  <a href="today.html">Today's cartoon</a>
</object>
"#
    )
}

/// A temporary directory with a ledger and a page.
struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(page_text: &str, policy: &[&str]) -> Setup {
        let setup = Setup {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(setup.path("page.html"), page_text).unwrap();
        let ledger = setup.ledger();
        run_ok(&["wallet", "init", "--ledger", &ledger]);
        let mut args = vec!["wallet", "policy", "--ledger", &ledger];
        args.extend_from_slice(policy);
        run_ok(&args);
        setup
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ledger(&self) -> String {
        self.path("wallet.db").display().to_string()
    }

    fn buy_args(&self, now: &str) -> Vec<String> {
        [
            "buy",
            "--ledger",
            &self.ledger(),
            "--page",
            &self.path("page.html").display().to_string(),
            "--base-url",
            BASE_URL,
            "--now",
            now,
        ]
        .map(str::to_owned)
        .to_vec()
    }

    fn history_tokens(&self) -> BTreeSet<String> {
        let ledger = Ledger::open(Path::new(&self.ledger())).unwrap();
        ledger.check_integrity().unwrap();
        let history = run_ok(&["wallet", "history", "--ledger", &self.ledger()]);
        history["spends"]
            .as_array()
            .unwrap()
            .iter()
            .map(|spend| spend["token"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

/// Runs the binary; returns its JSON answer and exit code (the answer is `null` when
/// nothing was printed).
fn run_json(args: &[&str]) -> (Value, i32) {
    let output = run(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let value = if stdout.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
    };
    (value, output.status.code().unwrap())
}

fn run_ok(args: &[&str]) -> Value {
    let (value, code) = run_json(args);
    assert_eq!(code, 0, "{args:?}: {value}");
    value
}

/// `base` followed by `extra`.
fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    [base, extra].concat()
}

fn spawn(args: &[String]) -> Child {
    Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Every token a (possibly killed) `buy` printed: the value of each complete `"token"`.
fn printed_tokens(stdout: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut rest = stdout;
    while let Some(at) = rest.find("\"token\": \"") {
        let after = &rest[at + "\"token\": \"".len()..];
        let Some(end) = after.find('"') else { break };
        tokens.push(after[..end].to_owned());
        rest = &after[end..];
    }
    tokens
}

#[test]
fn twenty_buys_at_once_with_room_for_five() {
    let setup = Setup::new(
        &page("1USD", None),
        &[
            "--accept",
            "https://ps.example/=USD",
            "--budget",
            "5USD/86400",
        ],
    );
    let args = setup.buy_args(NOW);
    let children: Vec<Child> = (0..20).map(|_| spawn(&args)).collect();
    let mut printed = BTreeSet::new();
    let mut decisions = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
        let code = output.status.code().unwrap();
        match (answer["decision"].as_str().unwrap(), code) {
            ("paid", 0) => {
                printed.insert(answer["token"].as_str().unwrap().to_owned());
            }
            ("refused", 4) => assert_eq!(answer["reason"], "over-budget"),
            other => panic!("unexpected {other:?}: {answer}"),
        }
        decisions.push(answer["decision"].as_str().unwrap().to_owned());
    }
    let paid = decisions.iter().filter(|d| *d == "paid").count();
    assert_eq!((paid, printed.len()), (5, 5), "{decisions:?}");
    assert_eq!(setup.history_tokens(), printed);
}

#[test]
fn killed_buys_leave_a_consistent_ledger_with_every_printed_token() {
    let setup = Setup::new(&page("0.01USD", None), &["--accept", "https://ps.example/"]);
    let args = setup.buy_args(NOW);
    // The time one buy takes sets the scale: each process is killed at a random instant
    // between its start and three times that, so some die before opening the ledger, some
    // inside the transaction, some after printing.
    let started = Instant::now();
    let first = spawn(&args).wait_with_output().unwrap();
    let scale = u64::try_from(started.elapsed().as_micros()).unwrap().max(1);
    let mut printed: BTreeSet<String> = printed_tokens(&String::from_utf8(first.stdout).unwrap())
        .into_iter()
        .collect();
    let mut rng = Rng::new();
    let mut finished = 0;
    for _round in 0..6 {
        let children: Vec<std::thread::JoinHandle<(String, bool)>> = (0..6)
            .map(|_| {
                let delay = Duration::from_micros(rng.below(3 * scale));
                let mut child = spawn(&args);
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    let _ = child.kill();
                    let status = child.wait().unwrap();
                    let mut stdout = String::new();
                    let _ = child.stdout.take().unwrap().read_to_string(&mut stdout);
                    (stdout, status.success())
                })
            })
            .collect();
        for child in children {
            let (stdout, success) = child.join().unwrap();
            finished += usize::from(success);
            printed.extend(printed_tokens(&stdout));
        }
    }
    let recorded = setup.history_tokens();
    println!(
        "one buy: {scale} µs; {finished} of 36 killed buys finished; {} tokens printed; {} spends recorded",
        printed.len(),
        recorded.len()
    );
    let missing: Vec<_> = printed.difference(&recorded).collect();
    assert!(missing.is_empty(), "printed but not recorded: {missing:?}");
    // The ledger is usable afterwards: one more purchase goes through.
    let (answer, code) = run_json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!((answer["decision"].as_str(), code), (Some("paid"), 0));
    assert_eq!(setup.history_tokens().len(), recorded.len() + 1);
}

#[test]
fn wallet_and_merchant_end_to_end() {
    let setup = Setup::new(
        &page("0.25USD", Some(3600)),
        &[
            "--accept",
            "https://ps.example/=USD,EUR",
            "--max-per-link",
            "1USD",
            "--budget",
            "5USD/86400",
        ],
    );
    let key = setup.path("merchant.key").display().to_string();
    let replay = setup.path("replay.db").display().to_string();
    let page_path = setup.path("page.html").display().to_string();
    let init = run_ok(&["merchant", "init", "--key", &key]);
    let public_key = init["public_key"].as_str().unwrap();
    assert_eq!(public_key.len(), 64);

    let buy = setup.buy_args(NOW);
    let buy: Vec<&str> = buy.iter().map(String::as_str).collect();
    let paid = run_ok(&buy);
    assert_eq!(paid["decision"], "paid");
    assert_eq!(paid["reason"], Value::Null);
    assert_eq!(paid["payment_system"], "https://ps.example/");
    assert_eq!(
        paid["price"],
        serde_json::json!({"amount": "0.25", "currency": "USD"})
    );
    let token = paid["token"].as_str().unwrap();

    let verify = |token: &str, now: &str| {
        run_json(&[
            "verify",
            "--key",
            &key,
            "--replay",
            &replay,
            "--page",
            &page_path,
            "--base-url",
            BASE_URL,
            "--token",
            token,
            "--now",
            now,
        ])
    };
    let (accepted, code) = verify(token, "2026-03-01T12:00:05Z");
    assert_eq!((accepted["verdict"].as_str(), code), (Some("accepted"), 0));
    assert_eq!(accepted["access_until"], "2026-03-01T13:00:05Z");
    let receipt = accepted["receipt"].as_str().unwrap();

    // Pasted by hand, the receipt is not trusted on first sight: exit 4, nothing stored.
    let receipt_args = [
        "wallet",
        "receipt",
        "--ledger",
        &setup.ledger(),
        "--receipt",
        receipt,
    ];
    let (refused, code) = run_json(&receipt_args);
    assert_eq!(
        (
            refused["stored"].as_bool(),
            refused["reason"].as_str(),
            code
        ),
        (Some(false), Some("untrusted-merchant-key"), 4)
    );
    // Another key named with it: refused, and not trusted.
    let other_key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let (refused, code) = run_json(&with(&receipt_args, &["--merchant-key", other_key]));
    assert_eq!(
        (refused["reason"].as_str(), code),
        (Some("untrusted-merchant-key"), 4)
    );
    let trusted = run_ok(&["wallet", "trusted", "--ledger", &setup.ledger()]);
    assert_eq!(trusted, serde_json::json!({"trusted_keys": []}));
    // With the merchant's key as `merchant init` printed it: stored, and the key trusted.
    let stored = run_ok(&with(&receipt_args, &["--merchant-key", public_key]));
    assert_eq!(stored["stored"], true);
    let trusted = run_ok(&["wallet", "trusted", "--ledger", &setup.ledger()]);
    let keys = trusted["trusted_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["merchant_origin"], "https://merchant.example");
    assert_eq!(keys[0]["public_key"], public_key);
    assert_eq!(keys[0]["trusted_by"], "named");
    // From then on the same receipt is accepted without naming the key.
    assert_eq!(run_ok(&receipt_args)["stored"], true);
    assert_eq!(
        stored["scope"],
        "https://merchant.example/cartoons/today.html"
    );

    // Within the duration: already paid, nothing spent, the receipt presented.
    let later = setup.buy_args("2026-03-01T12:30:00Z");
    let again = run_ok(&later.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(again["decision"], "already-paid");
    assert_eq!(again["reason"], "receipt");
    assert_eq!(again["token"], token);
    assert_eq!(again["receipt"], receipt);
    let history = run_ok(&["wallet", "history", "--ledger", &setup.ledger()]);
    let spends = history["spends"].as_array().unwrap();
    assert_eq!(spends.len(), 1);
    assert_eq!(spends[0]["receipt"]["token"], receipt);

    // The merchant accepts a token once.
    let (replayed, code) = verify(token, "2026-03-01T12:00:10Z");
    assert_eq!(
        (
            replayed["verdict"].as_str(),
            replayed["reason"].as_str(),
            code
        ),
        (Some("rejected"), Some("replayed-nonce"), 4)
    );
    assert_eq!(replayed["receipt"], Value::Null);
}

#[test]
fn verify_takes_a_batch_of_tokens() {
    let one = page("0.25USD", None);
    let two = one.replace("today.html", "yesterday.html");
    let body = format!("{one}{}", &two[two.find("<object").unwrap()..]);
    let setup = Setup::new(&body, &["--accept", "https://ps.example/"]);
    let key = setup.path("merchant.key").display().to_string();
    run_ok(&["merchant", "init", "--key", &key]);
    let tokens: Vec<String> = ["0", "1"]
        .iter()
        .map(|link| {
            let mut args = setup.buy_args(NOW);
            args.extend(["--link".to_owned(), (*link).to_owned()]);
            let paid = run_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
            paid["token"].as_str().unwrap().to_owned()
        })
        .collect();
    let replay = setup.path("replay.db").display().to_string();
    let page_path = setup.path("page.html").display().to_string();
    let base = [
        "verify",
        "--key",
        &key,
        "--replay",
        &replay,
        "--page",
        &page_path,
        "--base-url",
        BASE_URL,
    ];
    let file = setup.path("tokens.txt").display().to_string();
    let verify = |text: &str| {
        std::fs::write(&file, text).unwrap();
        run_json(&with(&base, &["--now", NOW, "--tokens", &file]))
    };
    let verdicts = |answer: &Value| -> Vec<(String, Value)> {
        answer["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["verdict"].as_str().unwrap().to_owned(),
                    v["reason"].clone(),
                )
            })
            .collect()
    };
    // All accepted: exit 0, one verdict per token, empty lines skipped, \r\n ends a line.
    let text = format!("{}\r\n\n{}\n", tokens[0], tokens[1]);
    let (answer, code) = verify(&text);
    assert_eq!(code, 0, "{answer}");
    assert_eq!(
        verdicts(&answer),
        [
            ("accepted".into(), Value::Null),
            ("accepted".into(), Value::Null)
        ]
    );
    assert!(answer["verdicts"][1]["receipt"].is_string());
    // Any rejection: exit 4, in the order given; spaces are part of a token.
    let text = format!("{}\nnot-a-token\n {}\n", tokens[1], tokens[0]);
    let (answer, code) = verify(&text);
    assert_eq!(code, 4, "{answer}");
    assert_eq!(
        verdicts(&answer),
        [
            ("rejected".into(), Value::from("replayed-nonce")),
            ("rejected".into(), Value::from("malformed-token")),
            ("rejected".into(), Value::from("malformed-token"))
        ]
    );
    // `-` reads the tokens from standard input.
    let mut child = Command::new(BIN)
        .args(with(&base, &["--now", NOW, "--tokens", "-"]))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), tokens[0].as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(4));
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        verdicts(&answer),
        [("rejected".into(), Value::from("replayed-nonce"))]
    );
    // `--token -` reads one token from standard input, less one final line ending; the
    // value of `--token` is taken exactly.
    let one = |stdin: &str, token: &str| {
        let mut child = Command::new(BIN)
            .args(with(&base, &["--now", NOW, "--token", token]))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
        answer["reason"].as_str().unwrap_or("accepted").to_owned()
    };
    for (stdin, token, reason) in [
        (format!("{}\n", tokens[0]), "-", "replayed-nonce"),
        (format!("{}\r\n", tokens[0]), "-", "replayed-nonce"),
        (tokens[0].clone(), "-", "replayed-nonce"),
        (format!("{}\n\n", tokens[0]), "-", "malformed-token"),
        (format!("{} \n", tokens[0]), "-", "malformed-token"),
        (
            String::new(),
            &*format!("{}\n", tokens[0]),
            "malformed-token",
        ),
        (
            String::new(),
            &*format!(" {}", tokens[0]),
            "malformed-token",
        ),
    ] {
        assert_eq!(one(&stdin, token), reason, "{stdin:?} {token:?}");
    }
    // `--token` and `--tokens` exclude each other; one of them is required; a missing file
    // is an error of the call.
    let missing = setup.path("none.txt").display().to_string();
    for args in [
        with(&base, &[]),
        with(&base, &["--token", "x", "--tokens", "-"]),
        with(&base, &["--tokens", &missing]),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn merchant_keys_are_trusted_by_name() {
    let setup = Setup::new(&page("1USD", None), &[]);
    let ledger = setup.ledger();
    let key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    let trusted = run_ok(&[
        "wallet",
        "trust",
        "--ledger",
        &ledger,
        "https://merchant.example/any/page.html",
        &key.to_uppercase(),
    ]);
    assert_eq!(trusted["merchant_origin"], "https://merchant.example");
    assert_eq!(trusted["public_key"], key);
    assert_eq!(trusted["trusted_by"], "named");
    // Trusting it again changes nothing; another origin is another entry.
    assert_eq!(
        run_ok(&[
            "wallet",
            "trust",
            "--ledger",
            &ledger,
            "https://merchant.example",
            key
        ]),
        trusted
    );
    run_ok(&[
        "wallet",
        "trust",
        "--ledger",
        &ledger,
        "http://127.0.0.1:8402",
        key,
    ]);
    let listed = run_ok(&["wallet", "trusted", "--ledger", &ledger]);
    let origins: Vec<&str> = listed["trusted_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["merchant_origin"].as_str().unwrap())
        .collect();
    assert_eq!(
        origins,
        ["http://127.0.0.1:8402", "https://merchant.example"]
    );
    // Not a key: 63 digits, not hex, a second encoding (y ≥ p) of a point, no origin.
    let second = format!("f0{}7f", "ff".repeat(30));
    for (origin, bad) in [
        ("https://merchant.example", &key[1..]),
        ("https://merchant.example", &*key.replace('d', "g")),
        ("https://merchant.example", &*second),
        ("file:///tmp/x", key),
    ] {
        let output = run(&["wallet", "trust", "--ledger", &ledger, origin, bad]);
        assert_eq!(output.status.code(), Some(2), "{origin} {bad}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn confirmation_and_refusal_exit_codes() {
    let setup = Setup::new(
        &page("0.25USD", None),
        &[
            "--accept",
            "https://ps.example/=USD",
            "--confirm-above",
            "0.10USD",
        ],
    );
    let buy = setup.buy_args(NOW);
    let mut buy: Vec<&str> = buy.iter().map(String::as_str).collect();
    let (asked, code) = run_json(&buy);
    assert_eq!(
        (asked["decision"].as_str(), asked["reason"].as_str(), code),
        (
            Some("needs-confirmation"),
            Some("above-confirmation-threshold"),
            3
        )
    );
    assert_eq!(asked["token"], Value::Null);
    assert!(setup.history_tokens().is_empty());
    buy.push("--yes");
    assert_eq!(run_ok(&buy)["decision"], "paid");
    run_ok(&[
        "wallet",
        "policy",
        "--ledger",
        &setup.ledger(),
        "--block",
        "https://merchant.example/anything.html",
    ]);
    let (refused, code) = run_json(&buy);
    assert_eq!(
        (
            refused["decision"].as_str(),
            refused["reason"].as_str(),
            code
        ),
        (Some("refused"), Some("merchant-blocked"), 4)
    );
}

#[test]
fn the_policy_is_amended_and_reset() {
    let setup = Setup::new(&page("1USD", None), &["--accept", "https://ps.example/"]);
    let ledger = setup.ledger();
    let policy = run_ok(&[
        "wallet",
        "policy",
        "--ledger",
        &ledger,
        "--accept",
        "urn:x-micropay:other=JPY",
        "--merchant-budget",
        "1USD/60",
    ]);
    assert_eq!(policy["wallets"].as_array().unwrap().len(), 2);
    assert_eq!(policy["wallets"][0]["currencies"], "any");
    assert_eq!(policy["budgets"][0]["scope"], "per-merchant");
    let shown = run_ok(&["wallet", "policy", "--ledger", &ledger]);
    assert_eq!(shown, policy);
    let reset = run_ok(&[
        "wallet",
        "policy",
        "--ledger",
        &ledger,
        "--reset",
        "--allow-http",
    ]);
    assert_eq!(
        reset,
        serde_json::json!({"wallets": [], "max_per_link": [], "confirm_above": [],
                           "budgets": [], "require_https": false, "blocked_origins": []})
    );
}

#[test]
fn errors_of_the_call_exit_2_with_one_line() {
    let setup = Setup::new(&page("1USD", None), &[]);
    let ledger = setup.ledger();
    let junk = setup.path("junk.db");
    std::fs::write(
        &junk,
        "this is not a ledger, only some text, long enough to be read",
    )
    .unwrap();
    let junk = junk.display().to_string();
    let missing = setup.path("missing.db").display().to_string();
    let page_path = setup.path("page.html").display().to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["wallet", "init", "--ledger", &ledger],
        vec!["wallet", "history", "--ledger", &missing],
        vec!["wallet", "history", "--ledger", &junk],
        vec![
            "wallet",
            "policy",
            "--ledger",
            &ledger,
            "--max-per-link",
            "0.05 USD",
        ],
        vec![
            "wallet", "policy", "--ledger", &ledger, "--budget", "1USD/0",
        ],
        vec![
            "buy",
            "--ledger",
            &ledger,
            "--page",
            "/nonexistent.html",
            "--base-url",
            BASE_URL,
        ],
        vec![
            "buy",
            "--ledger",
            &ledger,
            "--page",
            &page_path,
            "--base-url",
            "relative/",
        ],
        vec![
            "buy",
            "--ledger",
            &ledger,
            "--page",
            &page_path,
            "--base-url",
            BASE_URL,
            "--link",
            "1",
        ],
        vec![
            "buy",
            "--ledger",
            &ledger,
            "--page",
            &page_path,
            "--base-url",
            BASE_URL,
            "--now",
            "noon",
        ],
        vec!["merchant", "init", "--key", &ledger],
        vec![
            "verify",
            "--key",
            &ledger,
            "--replay",
            &missing,
            "--page",
            &page_path,
            "--base-url",
            BASE_URL,
            "--token",
            "x",
        ],
    ];
    for args in cases {
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.trim().is_empty(), "{args:?}");
    }
    // `micropay:` errors are one line; the ledger was never overwritten.
    let output = run(&["wallet", "init", "--ledger", &ledger]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("refusing to overwrite"), "{stderr}");
    assert!(setup.history_tokens().is_empty());
}

#[test]
fn buy_answers_say_why() {
    // A page that shows another amount than it charges, and one link with an error.
    let shown = page("0.25USD", None).replace(
        r#"name="textlink" value="Today's cartoon""#,
        r#"name="textlink" value="Today's cartoon ($0.05)""#,
    );
    let setup = Setup::new(
        &shown,
        &[
            "--accept",
            "https://ps.example/=USD",
            "--confirm-above",
            "0.10USD",
            "--merchant-budget",
            "1USD/3600",
        ],
    );
    let buy = setup.buy_args(NOW);
    let mut buy: Vec<&str> = buy.iter().map(String::as_str).collect();
    // Asking for confirmation names the warning the buyer should see.
    let (asked, code) = run_json(&buy);
    assert_eq!(
        (asked["decision"].as_str(), code),
        (Some("needs-confirmation"), 3)
    );
    assert_eq!(
        asked["threshold"],
        serde_json::json!({"amount": "0.1", "currency": "USD"})
    );
    let warnings = asked["diagnostics"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{asked}");
    assert_eq!(warnings[0]["code"], "displayed-price-mismatch");
    buy.push("--yes");
    for _ in 0..4 {
        let (paid, _) = run_json(&buy);
        assert_eq!(paid["decision"], "paid", "{paid}");
        assert_eq!(paid["diagnostics"][0]["code"], "displayed-price-mismatch");
    }
    // The fifth purchase would pass the merchant budget: its state is in the answer.
    let (refused, code) = run_json(&buy);
    assert_eq!(
        (refused["reason"].as_str(), code),
        (Some("over-merchant-budget"), 4)
    );
    assert_eq!(
        refused["budget"],
        serde_json::json!({"scope": "per-merchant", "limit": {"amount": "1", "currency": "USD"}, "window_seconds": 3600})
    );
    assert_eq!(
        refused["spent"],
        serde_json::json!({"amount": "1", "currency": "USD"})
    );
    assert_eq!(
        refused["remaining"],
        serde_json::json!({"amount": "0", "currency": "USD"})
    );

    // An invalid link names the errors that made it so.
    std::fs::write(setup.path("page.html"), page("0,25 USD", None)).unwrap();
    let (refused, code) = run_json(&buy);
    assert_eq!(
        (refused["reason"].as_str(), code),
        (Some("invalid-link"), 4)
    );
    let errors = refused["diagnostics"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{refused}");
    assert_eq!(errors[0]["code"], "invalid-price");

    // The link cap is said.
    let setup = Setup::new(
        &page("0.25USD", None),
        &[
            "--accept",
            "https://ps.example/=USD",
            "--max-per-link",
            "0.20USD",
        ],
    );
    let buy = setup.buy_args(NOW);
    let buy: Vec<&str> = buy.iter().map(String::as_str).collect();
    let (refused, _) = run_json(&buy);
    assert_eq!(refused["reason"], "above-link-cap");
    assert_eq!(
        refused["cap"],
        serde_json::json!({"amount": "0.2", "currency": "USD"})
    );
}

#[test]
fn buy_reads_the_page_from_standard_input() {
    let setup = Setup::new(
        &page("0.05USD", None),
        &["--accept", "https://ps.example/=USD"],
    );
    let mut args = setup.buy_args(NOW);
    let at = args.iter().position(|a| a == "--page").unwrap();
    args[at + 1] = "-".to_owned();
    let mut child = Command::new(BIN)
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        page("0.05USD", None).as_bytes(),
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["decision"], "paid", "{answer}");
}
