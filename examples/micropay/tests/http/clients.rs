//! Independent clients: curl reads the challenge and pays with a token from `micropay buy`;
//! headless Chromium shows the 402 page (a screenshot is kept in the test's output folder).

use std::process::Command;

use micropay_markup::Extractor;
use serde_json::Value;

use crate::support::{Site, program, run_json, run_ok};

/// curl -s -i with extra arguments; the status, the raw head and the body.
fn curl(curl: &std::path::Path, url: &str, extra: &[&str]) -> (u16, String, String) {
    let output = Command::new(curl)
        .args(["-s", "-i", "--max-time", "30"])
        .args(extra)
        .arg(url)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

#[test]
fn curl_sees_the_challenge_and_pays_with_a_token_from_buy() {
    let Some(curl_bin) = program(
        "curl",
        "curl_sees_the_challenge_and_pays_with_a_token_from_buy",
    ) else {
        return;
    };
    let site = Site::new();
    let server = site.serve();
    let url = server.url("long.txt");

    let (status, head, body) = curl(&curl_bin, &url, &[]);
    let head = head.to_ascii_lowercase();
    assert_eq!(status, 402);
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(head.contains("cache-control: no-store"), "{head}");
    let realm = format!(
        "www-authenticate: micropay realm=\"http://127.0.0.1:{}\", offer=\"",
        server.port
    );
    assert_eq!(head.matches(&realm).count(), 1, "{head}");
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 402);
    assert_eq!(problem["code"], "payment-required");
    assert_eq!(problem["type"], "tag:micropay,2026:payment-required");
    assert_eq!(problem["document_url"], url);
    assert_eq!(problem["offers"][0]["price"]["amount"], "0.02");
    assert_eq!(problem["offers"][0]["requesturl"], url);

    // Asked for HTML, the 402 is a page holding the per-fee-link (with its fallback).
    let (status, head, html) = curl(&curl_bin, &url, &["-H", "Accept: text/html"]);
    let head = head.to_ascii_lowercase();
    assert_eq!(status, 402);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let document = Extractor::new()
        .document_url(url.parse().unwrap())
        .extract_str(&html)
        .unwrap();
    let link = &document.links()[0];
    assert!(link.is_valid());
    assert_eq!(link.price().unwrap().to_string(), "0.02USD");
    assert!(html.contains(&format!("<a href=\"{url}\">")), "{html}");

    // A token from `micropay buy` (the page read locally, served at the server's URL).
    let ledger = site.wallet("curl");
    let bought = run_ok(&[
        "buy",
        "--ledger",
        &ledger,
        "--page",
        &site.path("site/index.html"),
        "--base-url",
        &server.url("index.html"),
        "--link",
        "3",
    ]);
    let token = bought["token"].as_str().unwrap();
    let auth = format!("Authorization: Micropay token=\"{token}\"");
    let (status, head, body) = curl(&curl_bin, &url, &["-H", &auth]);
    assert_eq!(status, 200, "{head}{body}");
    assert_eq!(body, "long content\n");
    let receipt = head
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("micropay-receipt"))
        })
        .map(|(_, v)| v.trim().to_owned())
        .expect("a Micropay-Receipt header");
    // Pasted by hand, a receipt is stored only under a merchant key the user names.
    let receipt_args = [
        "wallet",
        "receipt",
        "--ledger",
        &ledger,
        "--receipt",
        &receipt,
    ];
    let (refused, code) = run_json(&receipt_args);
    assert_eq!(
        (refused["reason"].as_str(), code),
        (Some("untrusted-merchant-key"), 4),
        "{refused}"
    );
    let named = [&receipt_args[..], &["--merchant-key", &site.merchant_key]].concat();
    let stored = run_ok(&named);
    assert_eq!(stored["stored"], true, "{stored}");
    assert_eq!(server.count("/long.txt", "200 paid"), 1);
}

#[test]
fn chromium_shows_the_402_page() {
    let Some(chromium) = program("chromium", "chromium_shows_the_402_page") else {
        return;
    };
    let site = Site::new();
    let server = site.serve();
    let url = server.url("story.txt");
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("http-chromium");
    std::fs::create_dir_all(&out).unwrap();
    let screenshot = out.join("402-page.png");
    let _ = std::fs::remove_file(&screenshot);
    let profile = tempfile::tempdir().unwrap();
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let user_data = format!("--user-data-dir={}", profile.path().display());
    let dom = Command::new(&chromium)
        .args(flags)
        .arg(&user_data)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("Payment required"), "{dom}");
    assert!(dom.contains("Buy story.txt"), "the link's fallback: {dom}");
    let shot = Command::new(&chromium)
        .args(flags)
        .arg(&user_data)
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg("--window-size=800,600")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let png = std::fs::read(&screenshot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 1000);
    eprintln!("screenshot of the 402 page: {}", screenshot.display());
    // The browser asked for HTML and got the 402 page, never the content.
    assert!(server.count("/story.txt", "402 payment-required") >= 2);
    assert_eq!(server.count("/story.txt", "200 paid"), 0);
}
