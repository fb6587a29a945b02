//! The files the wallet and the merchant commands open, through the real `micropay` binary:
//! a file that is not ours is never written to (whatever the command), a killed `init` leaves
//! no file or a complete one, and twenty verifiers creating one replay store at once all
//! succeed on a store that works.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

use common::Rng;

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
const KEY: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn run_ok(args: &[&str]) -> Value {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether the two files have the same bytes, as `cmp` says.
fn same_bytes(a: &Path, b: &Path) -> bool {
    match Command::new("cmp").arg(a).arg(b).output() {
        Ok(output) => output.status.success(),
        // No `cmp` on this machine: compare here.
        Err(_) => std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
    }
}

/// Files that are not ours, each in a directory of its own with a copy kept elsewhere.
fn foreign_files(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut made = Vec::new();
    let mut add = |name: &str, write: &dyn Fn(&Path)| {
        let dir = root.join(name);
        std::fs::create_dir(&dir).unwrap();
        let path = dir.join("file.db");
        write(&path);
        let copy = root.join(format!("{name}.copy"));
        std::fs::copy(&path, &copy).unwrap();
        made.push((path, copy));
    };
    add("empty", &|p| std::fs::write(p, b"").unwrap());
    add("text", &|p| {
        std::fs::write(p, "notes of another program, not a database\n").unwrap();
    });
    // Another application's SQLite databases: in the default (rollback journal) mode, and in
    // WAL mode, each closed cleanly.
    add("sqlite", &|p| {
        let conn = rusqlite::Connection::open(p).unwrap();
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
             INSERT INTO notes (body) VALUES ('keep me');",
        )
        .unwrap();
    });
    add("sqlite-wal", &|p| {
        let conn = rusqlite::Connection::open(p).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(
            "CREATE TABLE store_kind (kind TEXT, version INTEGER);
             INSERT INTO store_kind VALUES ('another-program', 1);",
        )
        .unwrap();
    });
    made
}

#[test]
fn files_that_are_not_ours_are_left_byte_for_byte() {
    let root = tempfile::tempdir().unwrap();
    let page = root.path().join("page.html");
    std::fs::write(&page, PAGE).unwrap();
    let page = page.display().to_string();
    let key = root.path().join("merchant.key");
    run_ok(&["merchant", "init", "--key", &key.display().to_string()]);
    let key = key.display().to_string();
    for (path, copy) in foreign_files(root.path()) {
        let dir = path.parent().unwrap().to_owned();
        let before = names_in(&dir);
        let file = path.display().to_string();
        let commands: Vec<Vec<&str>> = vec![
            vec!["wallet", "init", "--ledger", &file],
            vec!["wallet", "history", "--ledger", &file],
            vec!["wallet", "policy", "--ledger", &file],
            vec![
                "wallet",
                "policy",
                "--ledger",
                &file,
                "--accept",
                "https://ps.example/",
            ],
            vec!["wallet", "trusted", "--ledger", &file],
            vec![
                "wallet",
                "trust",
                "--ledger",
                &file,
                "https://merchant.example",
                KEY,
            ],
            vec!["wallet", "receipt", "--ledger", &file, "--receipt", "AAAA"],
            vec![
                "buy",
                "--ledger",
                &file,
                "--page",
                &page,
                "--base-url",
                BASE_URL,
                "--now",
                NOW,
            ],
            vec!["merchant", "init", "--key", &file],
            vec![
                "verify",
                "--key",
                &file,
                "--replay",
                &file,
                "--page",
                &page,
                "--base-url",
                BASE_URL,
                "--token",
                "AAAA",
            ],
            vec![
                "verify",
                "--key",
                &key,
                "--replay",
                &file,
                "--page",
                &page,
                "--base-url",
                BASE_URL,
                "--token",
                "AAAA",
            ],
        ];
        for args in commands {
            let output = run(&args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(output.stdout.is_empty(), "{args:?}");
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert!(
                same_bytes(&path, &copy),
                "{args:?} changed {}",
                path.display()
            );
            assert_eq!(names_in(&dir), before, "{args:?} left files beside it");
        }
    }
}

#[test]
fn a_killed_init_leaves_nothing_or_a_complete_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new();
    // The time one init takes sets the scale: each is killed at a random instant between its
    // start and twice that.
    let timed = dir.path().join("timed.db").display().to_string();
    let started = Instant::now();
    run_ok(&["wallet", "init", "--ledger", &timed]);
    let scale = u64::try_from(started.elapsed().as_micros()).unwrap().max(1);
    let (mut complete, mut absent) = (0, 0);
    for round in 0..24 {
        let (ledger, key) = (
            dir.path().join(format!("wallet-{round}.db")),
            dir.path().join(format!("merchant-{round}.key")),
        );
        let mut children = [
            Command::new(BIN)
                .args(["wallet", "init", "--ledger", &ledger.display().to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
            Command::new(BIN)
                .args(["merchant", "init", "--key", &key.display().to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        ];
        std::thread::sleep(Duration::from_micros(rng.below(2 * scale)));
        for child in &mut children {
            let _ = child.kill();
            child.wait().unwrap();
        }
        if ledger.exists() {
            complete += 1;
            run_ok(&[
                "wallet",
                "history",
                "--ledger",
                &ledger.display().to_string(),
            ]);
        } else {
            absent += 1;
            // Nothing is in the way of a new init.
            run_ok(&["wallet", "init", "--ledger", &ledger.display().to_string()]);
        }
        if key.exists() {
            let text = std::fs::read_to_string(&key).unwrap();
            assert!(text.starts_with("micropay-merchant-key-v1 ") && text.ends_with('\n'));
        }
    }
    println!("one init: {scale} µs; {complete} complete, {absent} absent");
}

#[test]
fn twenty_verifiers_create_one_replay_store() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, PAGE).unwrap();
    let page = page.display().to_string();
    let ledger = dir.path().join("wallet.db").display().to_string();
    run_ok(&["wallet", "init", "--ledger", &ledger]);
    run_ok(&[
        "wallet",
        "policy",
        "--ledger",
        &ledger,
        "--accept",
        "https://ps.example/",
    ]);
    let key = dir.path().join("merchant.key").display().to_string();
    run_ok(&["merchant", "init", "--key", &key]);
    // Twenty purchases of the link (it has no duration, so each is new).
    let tokens: Vec<String> = (0..20)
        .map(|_| {
            let paid = run_ok(&[
                "buy",
                "--ledger",
                &ledger,
                "--page",
                &page,
                "--base-url",
                BASE_URL,
                "--now",
                NOW,
            ]);
            paid["token"].as_str().unwrap().to_owned()
        })
        .collect();
    for round in 0..25 {
        let replay = dir
            .path()
            .join(format!("replay-{round}.db"))
            .display()
            .to_string();
        let verify = |token: &str| {
            let args = [
                "verify",
                "--key",
                &key,
                "--replay",
                &replay,
                "--page",
                &page,
                "--base-url",
                BASE_URL,
                "--token",
                token,
                "--now",
                NOW,
            ];
            Command::new(BIN)
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children: Vec<_> = tokens.iter().map(|token| verify(token)).collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "round {round}: {stderr}");
            let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(answer["verdict"], "accepted", "round {round}");
        }
        // The store holds every nonce: each token again is a replay.
        let output = verify(&tokens[round % 20]).wait_with_output().unwrap();
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(answer["reason"], "replayed-nonce", "round {round}");
        let names = names_in(dir.path());
        assert!(
            names.iter().all(|name| !name.starts_with(".replay")),
            "round {round}: {names:?}"
        );
    }
}
