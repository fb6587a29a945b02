//! Paid GETs per second through `PaymentLayer` on loopback, beside free GETs of the same
//! server and the crypto floor measured in the same run (docs/performance.md, "HTTP").
//!
//! A load driver, not a criterion harness: the server (axum with the layer, as `micropay
//! serve` runs it, replay store on disk under the target directory) and 64 concurrent
//! clients (reqwest, keep-alive) share one process and the machine's cores. Tokens are signed
//! before the clock starts (signing is the wallet's work); each request carries a new token.
//! The crypto floor is what the server cannot avoid per paid request: one strict signature
//! check of the token and one receipt signature, run on every core.
//!
//! `cargo bench -p micropay-http --bench http [-- REQUESTS]` (default 4096 per mode).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use micropay_http::{Merchant, PaymentLayer};
use micropay_markup::Extractor;
use micropay_wallet::{
    MasterSecret, MerchantKey, Nonce, Offer, PurchaseRequest, Receipt, SignedPurchaseRequest,
};
use time::OffsetDateTime;
use url::Url;

const CLIENTS: usize = 64;
const PAYMENT_SYSTEM: &str = "https://pay.example/";

fn page(site: &Url) -> String {
    format!(
        r#"<object type="application/x-per-fee-link">
  <param name="price" value="0.01USD">
  <param name="textlink" value="A story">
  <param name="requesturl" value="{site}story">
  <param name="paymentsystem" value="{PAYMENT_SYSTEM}">
  <a href="{site}story">A story</a></object>"#
    )
}

/// `count` fresh tokens for `offer`, from `CLIENTS` buyers.
fn tokens(offer: &Offer, count: usize) -> Vec<String> {
    let ps = Url::parse(PAYMENT_SYSTEM).unwrap();
    let keys: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let mut seed = [3u8; 32];
            seed[0] = u8::try_from(n).unwrap();
            MasterSecret::from_bytes(seed).origin_key(offer.merchant_origin())
        })
        .collect();
    (0..count)
        .map(|n| {
            let key = &keys[n % CLIENTS];
            PurchaseRequest::new(
                offer,
                &ps,
                Nonce::random().unwrap(),
                OffsetDateTime::now_utc(),
                key.public_key(),
            )
            .sign(key)
            .to_token()
        })
        .collect()
}

/// Requests per second and the 50th and 99th percentile latencies of `CLIENTS` clients
/// sending `auth.len()` GETs of `url` (one `Authorization` value each, or none).
async fn drive(url: &Url, auth: Vec<Option<String>>) -> (f64, Duration, Duration) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let total = auth.len();
    let queue = Arc::new(std::sync::Mutex::new(auth));
    let start = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (client, url, queue) = (client.clone(), url.clone(), Arc::clone(&queue));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let Some(auth) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let began = Instant::now();
                    let mut request = client.get(url.clone());
                    if let Some(auth) = auth {
                        request = request.header("authorization", auth);
                    }
                    let response = request.send().await.unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                    latencies.push(began.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let at = |q: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((latencies.len() as f64 * q) as usize).min(latencies.len() - 1);
        latencies[i]
    };
    #[allow(clippy::cast_precision_loss)]
    let rate = total as f64 / elapsed.as_secs_f64();
    (rate, at(0.50), at(0.99))
}

/// Per second, on every core: one strict check of a token and one receipt signature each.
fn crypto_floor(offer: &Offer, tokens: &[String]) -> f64 {
    let key = Arc::new(MerchantKey::from_seed(&[9; 32]));
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for chunk in tokens.chunks(tokens.len().div_ceil(cores)) {
            let key = Arc::clone(&key);
            scope.spawn(move || {
                for token in chunk {
                    let purchase = SignedPurchaseRequest::from_token(token).unwrap();
                    purchase.verify().unwrap();
                    let receipt = Receipt::new(
                        purchase.request(),
                        offer,
                        OffsetDateTime::now_utc(),
                        key.public_key(),
                    )
                    .sign(&key);
                    std::hint::black_box(receipt);
                }
            });
        }
    });
    #[allow(clippy::cast_precision_loss)]
    let rate = tokens.len() as f64 / start.elapsed().as_secs_f64();
    rate
}

fn main() {
    let requests: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(4096);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let site = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let document = Extractor::new().document_url(site.clone()).extract_str(&page(&site)).unwrap();
        let offer = Offer::from_link(&document.links()[0], &site).unwrap();
        let mut merchant =
            Merchant::builder(MerchantKey::from_seed(&[9; 32]), &dir.path().join("replay.db"), site.clone())
                .unwrap();
        merchant.page(&document, &site);
        let app = Router::new()
            .route("/story", get(|| async { "a story\n" }))
            .route("/free", get(|| async { "a story\n" }))
            .layer(PaymentLayer::new(merchant.build()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let floor_tokens = tokens(&offer, requests);
        let floor = crypto_floor(&offer, &floor_tokens);
        let free = drive(&site.join("free").unwrap(), vec![None; requests]).await;
        let paid_tokens = tokens(&offer, requests);
        let auth = paid_tokens.iter().map(|t| Some(format!("Micropay token=\"{t}\""))).collect();
        let paid = drive(&site.join("story").unwrap(), auth).await;

        println!("{requests} requests a mode, {CLIENTS} concurrent clients, replay store on disk");
        println!("| mode | per second | ÷ crypto floor | p50 | p99 |");
        println!("|---|---:|---:|---:|---:|");
        println!("| crypto floor (verify_strict + receipt signature, all cores) | {floor:.0} | 1.00 | | |");
        for (name, (rate, p50, p99)) in [("free GET", free), ("paid GET", paid)] {
            println!(
                "| {name} | {rate:.0} | {:.2} | {:.2} ms | {:.2} ms |",
                rate / floor,
                p50.as_secs_f64() * 1e3,
                p99.as_secs_f64() * 1e3
            );
        }
    });
}
