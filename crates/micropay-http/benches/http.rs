//! Paid GETs per second through `PaymentLayer` on loopback, beside free GETs of the same
//! server and the crypto floor measured in the same run (docs/performance.md, "HTTP").
//!
//! A load driver, not a criterion harness: the server (axum with the layer, as `micropay
//! serve` runs it, replay store on disk under the target directory, on its own tokio
//! runtime) and 64 concurrent clients (reqwest, keep-alive, on another runtime) share one
//! process and the machine's cores. Tokens are signed before the clock starts (signing is
//! the wallet's work); each paid request carries a new token. The crypto floor is what the
//! server cannot avoid per paid request: one strict signature check of the token and one
//! receipt signature, run on every core.
//!
//! Each round measures the floor, free GETs and paid GETs one after the other, so that a
//! ratio compares figures taken under the same load; the summary gives the median of the
//! rounds. Besides requests per second, the CPU time per request of the server's threads
//! (its runtime's and the verifier's committing thread) and of the load generator's is read
//! from `/proc/self/task/*/schedstat`. The load generator's CPU time is not the server's:
//! the headline ratio is the floor's CPU time per operation divided by the server's CPU time
//! per paid GET, the share of the server's work that is the unavoidable cryptography, i.e. the
//! throughput ratio the server reaches with the cores to itself. The wall-clock ratio, with
//! the load generator on the same two cores, is printed beside it.
//!
//! `cargo bench -p micropay-http --bench http [-- REQUESTS [ROUNDS]]` (default 4096 requests a
//! mode, 5 rounds).

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
/// Thread names (at most 15 bytes): whose CPU time is counted as whose. The server is its
/// runtime's threads and the verifier's committing thread.
const SERVER: &str = "mp-server";
const COMMITTER: &str = "micropay-commit";
const CLIENT: &str = "mp-client";
const FLOOR: &str = "mp-floor";

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

/// The CPU time so far of this process's threads whose name starts with one of `names`
/// (`/proc/self/task/*/schedstat`: nanoseconds on a CPU, user and kernel).
fn cpu_of(names: &[&str]) -> Duration {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").into_iter().flatten() {
        let Ok(task) = task else { continue };
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if !names.iter().any(|name| comm.starts_with(name)) {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
        total += stat
            .split_whitespace()
            .next()
            .and_then(|ns| ns.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Duration::from_nanos(total)
}

/// One mode's figures.
#[derive(Clone, Copy)]
struct Figures {
    /// Requests per second.
    rate: f64,
    p50: Duration,
    p99: Duration,
    /// CPU time per request of the server's threads (or the floor's).
    cpu: Duration,
    /// CPU time per request of the load generator's threads.
    client_cpu: Duration,
}

/// `CLIENTS` clients sending `auth.len()` GETs of `url` (one `Authorization` value each, or
/// none), each expecting a 200.
async fn drive(client: &reqwest::Client, url: &Url, auth: Vec<Option<String>>) -> Figures {
    let total = auth.len();
    let queue = Arc::new(std::sync::Mutex::new(auth));
    let (start, cpu, client_cpu) = (
        Instant::now(),
        cpu_of(&[SERVER, COMMITTER]),
        cpu_of(&[CLIENT]),
    );
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
    let (elapsed, cpu, client_cpu) = (
        start.elapsed(),
        cpu_of(&[SERVER, COMMITTER]).saturating_sub(cpu),
        cpu_of(&[CLIENT]).saturating_sub(client_cpu),
    );
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
    Figures {
        rate: per_second(total, elapsed),
        p50: at(0.50),
        p99: at(0.99),
        cpu: cpu / u32::try_from(total).unwrap(),
        client_cpu: client_cpu / u32::try_from(total).unwrap(),
    }
}

#[allow(clippy::cast_precision_loss)]
fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

/// On every core: one strict check of a token and one receipt signature each.
fn crypto_floor(offer: &Offer, tokens: &[String]) -> Figures {
    let key = Arc::new(MerchantKey::from_seed(&[9; 32]));
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (start, cpu) = (Instant::now(), cpu_of(&[FLOOR]));
    // The CPU time is read before the threads end (a thread gone has no schedstat).
    let barrier = std::sync::Barrier::new(cores + 1);
    let cpu = std::thread::scope(|scope| {
        for chunk in tokens.chunks(tokens.len().div_ceil(cores)) {
            let (key, barrier) = (Arc::clone(&key), &barrier);
            std::thread::Builder::new()
                .name(FLOOR.to_owned())
                .spawn_scoped(scope, move || {
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
                    barrier.wait();
                    barrier.wait();
                })
                .unwrap();
        }
        barrier.wait();
        let cpu = cpu_of(&[FLOOR]).saturating_sub(cpu);
        barrier.wait();
        cpu
    });
    let elapsed = start.elapsed();
    Figures {
        rate: per_second(tokens.len(), elapsed),
        p50: Duration::ZERO,
        p99: Duration::ZERO,
        cpu: cpu / u32::try_from(tokens.len()).unwrap(),
        client_cpu: Duration::ZERO,
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let mut numbers = std::env::args().skip(1).filter_map(|a| a.parse().ok());
    let requests: usize = numbers.next().unwrap_or(4096);
    let rounds: usize = numbers.next().unwrap_or(5).max(1);
    let server = tokio::runtime::Builder::new_multi_thread()
        .thread_name(SERVER)
        // No blocking thread ends (and takes its CPU time along) within a run.
        .thread_keep_alive(Duration::from_hours(1))
        .enable_all()
        .build()
        .unwrap();
    let clients = tokio::runtime::Builder::new_multi_thread()
        .thread_name(CLIENT)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let site = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let document = Extractor::new()
        .document_url(site.clone())
        .extract_str(&page(&site))
        .unwrap();
    let offer = Offer::from_link(&document.links()[0], &site).unwrap();
    let mut merchant = Merchant::builder(
        MerchantKey::from_seed(&[9; 32]),
        &dir.path().join("replay.db"),
        site.clone(),
    )
    .unwrap();
    merchant.page(&document, &site);
    let app = Router::new()
        .route("/story", get(|| async { "a story\n" }))
        .route("/free", get(|| async { "a story\n" }))
        .layer(PaymentLayer::new(merchant.build()));
    server.spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();

    let floor_tokens = tokens(&offer, requests);
    let paid_tokens: Vec<Vec<Option<String>>> = (0..rounds)
        .map(|_| {
            tokens(&offer, requests)
                .into_iter()
                .map(|t| Some(format!("Micropay token=\"{t}\"")))
                .collect()
        })
        .collect();
    let (free_url, paid_url) = (site.join("free").unwrap(), site.join("story").unwrap());
    // Warm-up: connections open, the store's first pages read.
    clients.block_on(drive(&client, &free_url, vec![None; CLIENTS * 4]));

    let load_before = loadavg();
    println!(
        "{requests} requests a mode, {CLIENTS} concurrent clients, replay store on disk, \
         {} cores; load average {load_before}",
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    println!(
        "| round | floor /s | free /s | paid /s | paid ÷ floor | paid p50 | paid p99 | server CPU µs/paid | floor CPU µs | floor CPU ÷ server CPU |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut results = Vec::new();
    for (round, auth) in paid_tokens.into_iter().enumerate() {
        let floor = crypto_floor(&offer, &floor_tokens);
        let free = clients.block_on(drive(&client, &free_url, vec![None; requests]));
        let paid = clients.block_on(drive(&client, &paid_url, auth));
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.2} | {:.1} ms | {:.1} ms | {:.0} | {:.0} | {:.2} |",
            round + 1,
            floor.rate,
            free.rate,
            paid.rate,
            paid.rate / floor.rate,
            ms(paid.p50),
            ms(paid.p99),
            us(paid.cpu),
            us(floor.cpu),
            floor.cpu.as_secs_f64() / paid.cpu.as_secs_f64(),
        );
        results.push((floor, free, paid));
    }
    let m =
        |f: &dyn Fn(&(Figures, Figures, Figures)) -> f64| median(results.iter().map(f).collect());
    println!();
    println!(
        "median of {rounds} rounds; load average {load_before} before, {} after",
        loadavg()
    );
    println!(
        "| mode | per second | p50 | p99 | server CPU per request | load generator CPU per request |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| crypto floor (verify_strict + receipt signature, all cores) | {:.0} | | | {:.0} µs | |",
        m(&|r| r.0.rate),
        m(&|r| us(r.0.cpu)),
    );
    for (name, pick) in [
        (
            "free GET",
            (|r| r.1) as fn(&(Figures, Figures, Figures)) -> Figures,
        ),
        ("paid GET", |r| r.2),
    ] {
        println!(
            "| {name} | {:.0} | {:.1} ms | {:.1} ms | {:.0} µs | {:.0} µs |",
            m(&|r| pick(r).rate),
            m(&|r| ms(pick(r).p50)),
            m(&|r| ms(pick(r).p99)),
            m(&|r| us(pick(r).cpu)),
            m(&|r| us(pick(r).client_cpu)),
        );
    }
    println!();
    println!(
        "paid ÷ floor by server CPU (floor CPU per operation ÷ server CPU per paid GET: the \
         rate the server reaches with the cores to itself): {:.2}",
        m(&|r| r.0.cpu.as_secs_f64() / r.2.cpu.as_secs_f64()),
    );
    println!(
        "paid ÷ floor by wall clock (the load generator shares the cores): {:.2}",
        m(&|r| r.2.rate / r.0.rate),
    );
    clients.shutdown_background();
    server.shutdown_background();
}
