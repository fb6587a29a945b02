//! Many clients at once, and a server killed in the middle of a burst.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use crate::support::{
    BIN, Site, http_get, offer, receipt_auth, stored_nonces, token, token_auth, try_http_get,
};

#[test]
fn fifty_wallets_pay_for_the_same_url_at_once_each_once() {
    let site = Site::new();
    let server = site.serve();
    let url = server.url("cheap.txt");
    let ledgers: Vec<String> = (0..50).map(|n| site.wallet(&format!("w{n}"))).collect();
    let children: Vec<_> = ledgers
        .iter()
        .map(|ledger| {
            Command::new(BIN)
                .args([
                    "get",
                    &url,
                    "--ledger",
                    ledger,
                    "-o",
                    &format!("{ledger}.out"),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut receipts = BTreeSet::new();
    for (child, ledger) in children.into_iter().zip(&ledgers) {
        let output = child.wait_with_output().unwrap();
        let answer: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
        assert_eq!(output.status.code(), Some(0), "{answer}");
        assert_eq!(answer["decision"], "paid");
        receipts.insert(answer["receipt"].as_str().unwrap().to_owned());
        let content = std::fs::read_to_string(format!("{ledger}.out")).unwrap();
        assert_eq!(content, "cheap content\n");
    }
    assert_eq!(receipts.len(), 50);
    assert_eq!(server.count("/cheap.txt", "200 paid"), 50);
    let nonces = stored_nonces(Path::new(&site.path("replay.db")));
    assert_eq!(nonces.iter().collect::<BTreeSet<_>>().len(), 50);
    assert_eq!(nonces.len(), 50);
}

#[test]
fn one_token_sent_by_twenty_clients_at_once_is_paid_for_once() {
    let site = Site::new();
    let server = site.serve();
    let port = server.port;
    let sent = token(&offer(&site, port, 3), 1);
    let barrier = Arc::new(Barrier::new(20));
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            let auth = token_auth(&sent);
            std::thread::spawn(move || {
                barrier.wait();
                http_get(port, "/long.txt", &[("Authorization", &auth)])
            })
        })
        .collect();
    let responses: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let mut codes = BTreeMap::new();
    let mut receipts = BTreeSet::new();
    for response in &responses {
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"long content\n");
        *codes
            .entry(response.header("micropay-code").unwrap().to_owned())
            .or_insert(0) += 1;
        receipts.insert(response.header("micropay-receipt").unwrap().to_owned());
    }
    // Accepted once; the others are retries answered with the receipt stored for it.
    assert_eq!(codes.get("paid"), Some(&1), "{codes:?}");
    assert_eq!(codes.get("retry"), Some(&19), "{codes:?}");
    assert_eq!(receipts.len(), 1);
    assert_eq!(stored_nonces(Path::new(&site.path("replay.db"))).len(), 1);
}

#[test]
fn a_server_killed_during_a_burst_honours_every_receipt_and_no_token_twice() {
    let site = Site::new();
    let server = site.serve();
    let port = server.port;
    let long = offer(&site, port, 3);
    let tokens: Vec<String> = (0..120).map(|n| token(&long, n)).collect();
    // Eight clients send the tokens one after another; the server is killed meanwhile.
    let results = Arc::new(std::sync::Mutex::new(BTreeMap::new()));
    let threads: Vec<_> = tokens
        .chunks(15)
        .map(|chunk| {
            let chunk = chunk.to_vec();
            let results = Arc::clone(&results);
            std::thread::spawn(move || {
                for sent in chunk {
                    let answer =
                        try_http_get(port, "/long.txt", &[("Authorization", &token_auth(&sent))]);
                    if let Ok(response) = answer {
                        results.lock().unwrap().insert(sent, response);
                    }
                }
            })
        })
        .collect();
    assert!(crate::support::eventually(
        || results.lock().unwrap().len() >= 20
    ));
    server.kill();
    for thread in threads {
        thread.join().unwrap();
    }
    let received: BTreeMap<String, String> = results
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, r)| r.status == 200)
        .map(|(t, r)| (t.clone(), r.header("micropay-receipt").unwrap().to_owned()))
        .collect();
    assert!(
        received.len() >= 20 && received.len() < tokens.len(),
        "{}",
        received.len()
    );

    // The same store and address, a new process.
    let _server = site.serve_on(port);
    for receipt in received.values() {
        let honoured = http_get(
            port,
            "/long.txt",
            &[("Authorization", &receipt_auth(receipt))],
        );
        assert_eq!(
            (honoured.status, honoured.header("micropay-code")),
            (200, Some("receipt"))
        );
    }
    // Every token again: one received before is a retry with the very same receipt; one
    // whose answer was lost is a retry too if it was committed, else accepted now, once.
    let mut accepted_now = 0;
    for sent in &tokens {
        let again = http_get(port, "/long.txt", &[("Authorization", &token_auth(sent))]);
        assert_eq!(again.status, 200);
        match (again.header("micropay-code"), received.get(sent)) {
            (Some("retry"), Some(receipt)) => {
                assert_eq!(again.header("micropay-receipt"), Some(receipt.as_str()));
            }
            (Some("retry"), None) => {}
            (Some("paid"), None) => accepted_now += 1,
            other => panic!("{other:?}"),
        }
        let third = http_get(port, "/long.txt", &[("Authorization", &token_auth(sent))]);
        assert_eq!(third.header("micropay-code"), Some("retry"));
    }
    let nonces = stored_nonces(Path::new(&site.path("replay.db")));
    assert_eq!(
        nonces.len(),
        tokens.len(),
        "each token accepted exactly once"
    );
    assert_eq!(nonces.iter().collect::<BTreeSet<_>>().len(), tokens.len());
    // The tokens accepted now are among those whose answer never came.
    assert!(accepted_now <= tokens.len() - received.len());
}
