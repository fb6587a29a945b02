//! `micropay serve` processes sharing one PostgreSQL replay store (a throwaway cluster, see
//! micropay-pgtest; skipped with a notice where none can be started, required in CI): each
//! token accepted once across servers, a 503 `store-unavailable` while the database cannot
//! record, and servers that recover by themselves when it is back.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use micropay_pgtest::Cluster;

use crate::support::{
    Response, Server, Site, offer_of, receipt_auth, run_json, token, token_auth, try_http_get,
};

/// The public URL every server of a test sells under: one site, several processes.
const SITE: &str = "http://shop.example/";

/// Sends every `(server port, token)` of `jobs` to `/path` from `threads` client threads
/// (in the order given, so that neighbouring jobs race); the answers by job.
fn burst(jobs: &[(u16, String)], path: &str, threads: usize) -> Vec<Option<Response>> {
    let next = Arc::new(Mutex::new(0usize));
    let answers = Arc::new(Mutex::new(vec![None; 0]));
    answers.lock().unwrap().resize_with(jobs.len(), || None);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (next, answers) = (Arc::clone(&next), Arc::clone(&answers));
            scope.spawn(move || {
                loop {
                    let at = {
                        let mut next = next.lock().unwrap();
                        let at = *next;
                        *next += 1;
                        at
                    };
                    let Some((port, sent)) = jobs.get(at) else {
                        return;
                    };
                    let answer =
                        try_http_get(*port, path, &[("Authorization", &token_auth(sent))]).ok();
                    answers.lock().unwrap()[at] = answer;
                }
            });
        }
    });
    Arc::into_inner(answers).unwrap().into_inner().unwrap()
}

/// A throwaway cluster with the database `shop`, its URL, and the test site; `None` (after a
/// notice) without PostgreSQL.
fn shop(test: &str) -> Option<(Cluster, String, Site)> {
    let cluster = Cluster::start(test)?;
    let url = cluster.create_database("shop");
    Some((cluster, url, Site::new()))
}

/// Sends every token of `tokens` again, token `n` to `ports[n % ports.len()]`: each must be
/// a retry with the receipt `received` holds for it, or (when it holds none) a retry or a
/// payment now. Returns how many were paid now. The database then holds one row per token.
fn every_token_again(
    cluster: &Cluster,
    ports: &[u16],
    tokens: &[String],
    received: &BTreeMap<String, String>,
) -> usize {
    let mut paid_now = 0;
    for (n, sent) in tokens.iter().enumerate() {
        let port = ports[n % ports.len()];
        let again =
            try_http_get(port, "/long.txt", &[("Authorization", &token_auth(sent))]).unwrap();
        assert_eq!(again.status, 200, "{:?}", again.header("micropay-code"));
        match (again.header("micropay-code"), received.get(sent)) {
            (Some("retry"), Some(receipt)) => {
                assert_eq!(again.header("micropay-receipt"), Some(receipt.as_str()));
            }
            (Some("retry"), None) => {}
            (Some("paid"), None) => paid_now += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(stored_receipts(cluster, "shop").len(), tokens.len());
    paid_now
}

/// The receipt stored for each nonce, as the database holds them.
fn stored_receipts(cluster: &Cluster, database: &str) -> Vec<String> {
    let rows = cluster.psql(database, "SELECT receipt FROM micropay_replay_accepted");
    rows.lines().map(str::to_owned).collect()
}

#[test]
fn four_servers_on_one_database_accept_each_of_200_tokens_once() {
    let Some((cluster, url, site)) = shop("four_servers_on_one_database") else {
        return;
    };
    let servers: Vec<Server> = (0..4).map(|_| site.serve_shared(&url, SITE)).collect();
    // cheap.txt: no duration, so a replay within the retry grace gets the stored receipt.
    let cheap = offer_of(&site, SITE, 1);
    let tokens: Vec<String> = (0..200).map(|n| token(&cheap, n)).collect();
    // Each token to its own server, and at the same moment to every server again.
    let jobs: Vec<(u16, String)> = tokens
        .iter()
        .enumerate()
        .flat_map(|(n, sent)| {
            std::iter::once(servers[n % 4].port)
                .chain(servers.iter().map(|s| s.port))
                .map(move |port| (port, sent.clone()))
        })
        .collect();
    let answers = burst(&jobs, "/cheap.txt", 20);

    let mut paid: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for ((_, sent), answer) in jobs.iter().zip(&answers) {
        let answer = answer.as_ref().expect("every request is answered");
        let code = answer.header("micropay-code").unwrap_or_default();
        match (answer.status, code) {
            (200, "paid" | "retry") => {
                assert_eq!(answer.body, b"cheap content\n");
                let receipt = answer.header("micropay-receipt").unwrap().to_owned();
                if code == "paid" {
                    paid.entry(sent).or_default().push(receipt);
                } else {
                    paid.entry(sent).or_default();
                }
            }
            (409, "replayed-nonce") => {}
            other => panic!("unexpected answer {other:?}"),
        }
    }
    let paid_once = paid.values().filter(|receipts| receipts.len() == 1).count();
    assert_eq!(paid.values().map(Vec::len).sum::<usize>(), 200);
    assert_eq!(paid_once, 200);
    // Every retry got the receipt of the one acceptance.
    for ((_, sent), answer) in jobs.iter().zip(&answers) {
        if let Some(receipt) = answer.as_ref().unwrap().header("micropay-receipt") {
            assert_eq!(paid[sent.as_str()], [receipt.to_owned()]);
        }
    }
    let mut stored = stored_receipts(&cluster, "shop");
    let mut given: Vec<String> = paid.into_values().flatten().collect();
    stored.sort();
    given.sort();
    assert_eq!(stored, given);
}

#[test]
fn a_database_that_cannot_record_is_a_503_and_serves_nothing() {
    let Some((cluster, url, site)) = shop("a_database_that_cannot_record_is_a_503") else {
        return;
    };
    let server = site.serve_shared(&url, SITE);
    let long = offer_of(&site, SITE, 3);
    let sent = token(&long, 1);
    cluster.stop();
    let answer = try_http_get(
        server.port,
        "/long.txt",
        &[("Authorization", &token_auth(&sent))],
    )
    .unwrap();
    assert_eq!(answer.status, 503);
    assert_eq!(
        answer.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(answer.header("micropay-code"), Some("store-unavailable"));
    assert_eq!(answer.header("micropay-receipt"), None);
    assert_eq!(answer.code(), "store-unavailable");
    assert_eq!(answer.json()["status"], 503);
    assert!(!String::from_utf8_lossy(&answer.body).contains("long content"));
    // The detail names the store without its password, and nothing of the token was kept.
    cluster.restart();
    assert!(stored_receipts(&cluster, "shop").is_empty());
    // The same process, the same token: the database is used again and the token paid once.
    let again = try_http_get(
        server.port,
        "/long.txt",
        &[("Authorization", &token_auth(&sent))],
    )
    .unwrap();
    assert_eq!(
        (again.status, again.header("micropay-code")),
        (200, Some("paid"))
    );
    assert_eq!(again.body, b"long content\n");
    assert_eq!(
        stored_receipts(&cluster, "shop"),
        [again.header("micropay-receipt").unwrap().to_owned()]
    );
    assert!(
        server
            .log()
            .iter()
            .any(|line| line.ends_with("/long.txt 503 store-unavailable"))
    );
}

#[test]
fn postgres_stopped_and_started_during_a_burst_loses_nothing_and_accepts_nothing_twice() {
    let Some((cluster, url, site)) = shop("postgres_stopped_and_started_during_a_burst") else {
        return;
    };
    let servers: Vec<Server> = (0..2).map(|_| site.serve_shared(&url, SITE)).collect();
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let long = offer_of(&site, SITE, 3);
    let tokens: Vec<String> = (0..240).map(|n| token(&long, n)).collect();
    let jobs: Vec<(u16, String)> = tokens
        .iter()
        .enumerate()
        .map(|(n, sent)| (ports[n % 2], sent.clone()))
        .collect();

    // The database stops while the burst runs, and starts again.
    let answers = std::thread::scope(|scope| {
        let burst = scope.spawn(|| burst(&jobs, "/long.txt", 8));
        std::thread::sleep(std::time::Duration::from_millis(150));
        cluster.stop();
        std::thread::sleep(std::time::Duration::from_millis(500));
        cluster.restart();
        burst.join().unwrap()
    });
    let mut received = BTreeMap::new();
    let mut unavailable = 0;
    for ((_, sent), answer) in jobs.iter().zip(&answers) {
        let answer = answer.as_ref().expect("every request is answered");
        match (answer.status, answer.header("micropay-code")) {
            (200, Some("paid")) => {
                received.insert(
                    sent.clone(),
                    answer.header("micropay-receipt").unwrap().to_owned(),
                );
            }
            (503, Some("store-unavailable")) => {
                assert!(!String::from_utf8_lossy(&answer.body).contains("long content"));
                unavailable += 1;
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert!(unavailable > 0, "the database was stopped during the burst");

    // Every receipt a client received is in the database, and honoured by both servers.
    let stored = stored_receipts(&cluster, "shop");
    for receipt in received.values() {
        assert!(stored.contains(receipt), "a receipt given out was lost");
        for port in &ports {
            let honoured = try_http_get(
                *port,
                "/long.txt",
                &[("Authorization", &receipt_auth(receipt))],
            )
            .unwrap();
            assert_eq!(honoured.header("micropay-code"), Some("receipt"));
        }
    }
    // The same servers, never restarted, take every token again: one paid before is a retry
    // with its receipt; one refused with a 503 is paid now, or is a retry if its claim was
    // committed as the database went away. No token is paid twice.
    let turned: Vec<u16> = ports.iter().rev().copied().collect();
    assert!(every_token_again(&cluster, &turned, &tokens, &received) > 0);
}

#[test]
fn a_server_killed_during_a_burst_on_postgres_loses_no_receipt_it_sent() {
    let Some((cluster, url, site)) = shop("a_server_killed_during_a_burst_on_postgres") else {
        return;
    };
    let doomed = site.serve_shared(&url, SITE);
    let survivor = site.serve_shared(&url, SITE);
    let long = offer_of(&site, SITE, 3);
    let tokens: Vec<String> = (0..160).map(|n| token(&long, n)).collect();
    let jobs: Vec<(u16, String)> = tokens.iter().map(|t| (doomed.port, t.clone())).collect();
    let answers = std::thread::scope(|scope| {
        let burst = scope.spawn(|| burst(&jobs, "/long.txt", 8));
        std::thread::sleep(std::time::Duration::from_millis(150));
        doomed.kill();
        burst.join().unwrap()
    });
    let received: BTreeMap<String, String> = jobs
        .iter()
        .zip(&answers)
        .filter_map(|((_, sent), answer)| {
            let answer = answer.as_ref().filter(|a| a.status == 200)?;
            Some((sent.clone(), answer.header("micropay-receipt")?.to_owned()))
        })
        .collect();
    assert!(
        received.len() < tokens.len(),
        "the server was killed during the burst"
    );
    let stored = stored_receipts(&cluster, "shop");
    for receipt in received.values() {
        assert!(stored.contains(receipt), "a receipt sent was lost");
    }
    // The other server takes every token: a retry with the receipt sent, or paid now, once.
    every_token_again(&cluster, &[survivor.port], &tokens, &received);
}

#[test]
fn verify_takes_a_postgres_url() {
    let Some((cluster, url, site)) = shop("verify_takes_a_postgres_url") else {
        return;
    };
    let sent = token(&offer_of(&site, SITE, 1), 1);
    let page = format!("{SITE}index.html");
    let verify = |replay: &str| {
        run_json(&[
            "verify",
            "--key",
            &site.path("merchant.key"),
            "--replay",
            replay,
            "--page",
            &site.path("site/index.html"),
            "--base-url",
            &page,
            "--token",
            &sent,
        ])
    };
    let (accepted, code) = verify(&url);
    assert_eq!((accepted["verdict"].as_str(), code), (Some("accepted"), 0));
    assert_eq!(
        stored_receipts(&cluster, "shop"),
        [accepted["receipt"].as_str().unwrap().to_owned()]
    );
    let (again, code) = verify(&url);
    assert_eq!(
        (again["reason"].as_str(), code),
        (Some("replayed-nonce"), 4)
    );
    // Unreachable: exit 2, the password left out of the message.
    let nowhere = format!(
        "postgres://micropay:s3cret@127.0.0.1:{}/shop",
        cluster.port()
    );
    drop(cluster);
    let output = crate::support::run(&[
        "verify",
        "--key",
        &site.path("merchant.key"),
        "--replay",
        &nowhere,
        "--page",
        &site.path("site/index.html"),
        "--base-url",
        &page,
        "--token",
        &sent,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("PostgreSQL replay store postgres://micropay:***@"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn serve_prunes_the_store_while_it_serves() {
    let Some((cluster, url, site)) = shop("serve_prunes_the_store_while_it_serves") else {
        return;
    };
    let server = Server::start_with(
        &site,
        0,
        &["--replay", &url, "--base-url", SITE, "--prune-every", "1"],
    );
    // Three rows issued long before the replay window, as an old server would have left.
    cluster.psql(
        "shop",
        "INSERT INTO micropay_replay_accepted
         SELECT decode(md5(n::text), 'hex'), extract(epoch FROM now())::bigint - 10000,
                extract(epoch FROM now())::bigint - 10000, '\\x00', '\\x00', 'old'
         FROM generate_series(1, 3) AS n",
    );
    let sent = token(&offer_of(&site, SITE, 3), 1);
    let paid = try_http_get(
        server.port,
        "/long.txt",
        &[("Authorization", &token_auth(&sent))],
    )
    .unwrap();
    assert_eq!(paid.header("micropay-code"), Some("paid"));
    assert!(crate::support::eventually(|| stored_receipts(
        &cluster, "shop"
    )
    .len()
        == 1));
    assert_eq!(
        stored_receipts(&cluster, "shop"),
        [paid.header("micropay-receipt").unwrap().to_owned()]
    );
}
