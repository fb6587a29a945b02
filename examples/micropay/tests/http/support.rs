//! A site, a server process, wallets, and a minimal HTTP/1.1 client over a TCP socket (so
//! that the tests see exactly the bytes on the wire).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use micropay_markup::Extractor;
use micropay_markup::Url;
use micropay_wallet::{MasterSecret, Nonce, Offer, PurchaseRequest};
use serde_json::Value;
use time::OffsetDateTime;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_micropay");
pub(crate) const PAYMENT_SYSTEM: &str = "https://pay.example/";

/// One per-fee-link selling `path` of the site.
fn link(path: &str, price: &str, extra: &str) -> String {
    format!(
        r#"<object type="application/x-per-fee-link">
  <param name="price" value="{price}">
  <param name="textlink" value="Buy {path}">
  <param name="requesturl" value="{path}">
  <param name="paymentsystem" value="{PAYMENT_SYSTEM}">
  {extra}
  <a href="{path}">Buy {path} for {price}</a>
</object>
"#
    )
}

/// The test site: index.html sells, in this order (link indexes 0..), `story.txt` (0.05 USD,
/// 2 s of access), `cheap.txt` (0.01 USD, no duration), `dear.txt` (0.50 USD, no
/// duration), `long.txt` (0.02 USD, an hour of access); `free.txt` is free.
pub(crate) struct Site {
    pub(crate) dir: tempfile::TempDir,
    /// The merchant's public key, as `merchant init` printed it.
    pub(crate) merchant_key: String,
}

impl Site {
    pub(crate) fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir(&site).unwrap();
        let page = [
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Shop</title></head><body>\n"
                .to_owned(),
            link("story.txt", "0.05USD", r#"<param name="duration" value="2">"#),
            link("cheap.txt", "0.01USD", ""),
            link("dear.txt", "0.50USD", ""),
            link("long.txt", "0.02USD", r#"<param name="duration" value="3600">"#),
            "</body></html>\n".to_owned(),
        ]
        .concat();
        std::fs::write(site.join("index.html"), page).unwrap();
        for name in ["story", "cheap", "dear", "long", "free"] {
            std::fs::write(
                site.join(format!("{name}.txt")),
                format!("{name} content\n"),
            )
            .unwrap();
        }
        let key_file = dir.path().join("merchant.key").display().to_string();
        let init = run_ok(&["merchant", "init", "--key", &key_file]);
        let merchant_key = init["public_key"].as_str().unwrap().to_owned();
        Site { dir, merchant_key }
    }

    pub(crate) fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// A wallet paying with the site's payment system over http, at most 1 USD a link.
    pub(crate) fn wallet(&self, name: &str) -> String {
        let ledger = self.path(&format!("{name}.db"));
        run_ok(&["wallet", "init", "--ledger", &ledger]);
        run_ok(&[
            "wallet",
            "policy",
            "--ledger",
            &ledger,
            "--accept",
            PAYMENT_SYSTEM,
            "--allow-http",
            "--max-per-link",
            "1USD",
        ]);
        ledger
    }

    /// Starts `micropay serve` on the site, its replay store in the site's folder.
    pub(crate) fn serve(&self) -> Server {
        Server::start(self, 0)
    }

    /// [`Site::serve`] on a given port (a restart keeps the site's URL, hence its offers).
    pub(crate) fn serve_on(&self, port: u16) -> Server {
        Server::start(self, port)
    }

    /// `micropay serve` on the replay store `replay` (a path or a URL) with the site's
    /// public URL `base_url`: several servers on one store sell the same offers.
    pub(crate) fn serve_shared(&self, replay: &str, base_url: &str) -> Server {
        Server::start_with(self, 0, &["--replay", replay, "--base-url", base_url])
    }
}

/// A running `micropay serve`; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(site: &Site, port: u16) -> Server {
        Server::start_with(site, port, &["--replay", &site.path("replay.db")])
    }

    pub(crate) fn start_with(site: &Site, port: u16, args: &[&str]) -> Server {
        let addr = format!("127.0.0.1:{port}");
        let mut child = Command::new(BIN)
            .args([
                "serve",
                &site.path("site"),
                "--key",
                &site.path("merchant.key"),
                "--addr",
                &addr,
            ])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut port = None;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                port = rest.split('/').next().and_then(|p| p.parse().ok());
                break;
            }
        }
        let port = port.expect("the server says where it listens");
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Server { child, port, log }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// The request lines logged so far (waits a moment for the last ones).
    pub(crate) fn log(&self) -> Vec<String> {
        std::thread::sleep(Duration::from_millis(100));
        self.log.lock().unwrap().clone()
    }

    /// How many logged requests end with `status code`.
    pub(crate) fn count(&self, path: &str, status_code: &str) -> usize {
        let suffix = format!("{path} {status_code}");
        self.log().iter().filter(|l| l.ends_with(&suffix)).count()
    }

    /// SIGKILL, at once.
    pub(crate) fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

/// The binary's JSON answer on stdout and its exit code.
pub(crate) fn run_json(args: &[&str]) -> (Value, i32) {
    let output = run(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout} / {stderr}"));
    (value, output.status.code().unwrap())
}

pub(crate) fn run_ok(args: &[&str]) -> Value {
    let (value, code) = run_json(args);
    assert_eq!(code, 0, "{args:?}: {value}");
    value
}

/// `micropay get URL --ledger DB -o FILE ...`: the answer, the exit code, the content.
pub(crate) fn get(url: &str, ledger: &str, extra: &[&str]) -> (Value, i32, Option<String>) {
    let out = format!("{ledger}.content");
    let _ = std::fs::remove_file(&out);
    let mut args = vec!["get", url, "--ledger", ledger, "-o", &out];
    args.extend_from_slice(extra);
    let (value, code) = run_json(&args);
    (value, code, std::fs::read_to_string(&out).ok())
}

/// A response as it came off the socket.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// Lower-case names; repeated headers in order.
    pub(crate) headers: BTreeMap<String, Vec<String>>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The problem's code, if the body is a problem.
    pub(crate) fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// GET `path` with extra header lines, over a fresh connection.
pub(crate) fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> Response {
    try_http_get(port, path, headers).unwrap()
}

/// [`http_get`], failing softly (the server may be gone).
pub(crate) fn try_http_get(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            map.entry(name.trim().to_ascii_lowercase())
                .or_default()
                .push(value.trim().to_owned());
        }
    }
    Ok(Response {
        status,
        headers: map,
        body: raw[split + 4..].to_vec(),
    })
}

/// The `Authorization` header of a token or receipt.
pub(crate) fn token_auth(token: &str) -> String {
    format!("Micropay token=\"{token}\"")
}

pub(crate) fn receipt_auth(receipt: &str) -> String {
    format!("Micropay receipt=\"{receipt}\"")
}

/// The offer of link `index` of the site's index page as served on `port`.
pub(crate) fn offer(site: &Site, port: u16, index: usize) -> Offer {
    offer_of(site, &format!("http://127.0.0.1:{port}/"), index)
}

/// The offer of link `index` of the site's index page on the site at `base_url`.
pub(crate) fn offer_of(site: &Site, base_url: &str, index: usize) -> Offer {
    let page = std::fs::read(site.path("site/index.html")).unwrap();
    let url = Url::parse(base_url).unwrap().join("index.html").unwrap();
    let document = Extractor::new()
        .document_url(url.clone())
        .extract(&page)
        .unwrap();
    Offer::from_link(&document.links()[index], &url).unwrap()
}

/// A purchase token for `offer` signed by buyer number `buyer`, issued now.
pub(crate) fn token(offer: &Offer, buyer: u32) -> String {
    token_at(offer, buyer, OffsetDateTime::now_utc())
}

/// [`token`] issued at `at`.
pub(crate) fn token_at(offer: &Offer, buyer: u32, at: OffsetDateTime) -> String {
    let mut seed = [7u8; 32];
    seed[..4].copy_from_slice(&buyer.to_le_bytes());
    let key = MasterSecret::from_bytes(seed).origin_key(offer.merchant_origin());
    let ps = Url::parse(PAYMENT_SYSTEM).unwrap();
    PurchaseRequest::new(offer, &ps, Nonce::random().unwrap(), at, key.public_key())
        .sign(&key)
        .to_token()
}

/// Polls `until` for up to ten seconds.
pub(crate) fn eventually(mut until: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if until() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The program's path, or `None` with a notice when it is not installed.
pub(crate) fn program(name: &str, test: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        eprintln!("SKIP {test}: `{name}` is not installed (.ci/run installs it)");
    }
    found
}

/// The number of accepted requests in the replay store.
pub(crate) fn stored_nonces(store: &Path) -> Vec<Vec<u8>> {
    let conn = rusqlite::Connection::open(store).unwrap();
    let mut query = conn.prepare("SELECT nonce FROM accepted").unwrap();
    query
        .query_map((), |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}
