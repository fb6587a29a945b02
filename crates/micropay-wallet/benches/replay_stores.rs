//! Tokens accepted per second by verifier processes sharing one replay store: 1, 2 and 4
//! processes on one PostgreSQL database (a throwaway cluster with the server's durable
//! defaults: `fsync` and `synchronous_commit` on), beside one process on an SQLite file, in
//! the same run on the same machine. Not criterion: the unit measured is a set of processes.
//!
//! Each process (this program again, as a worker) makes its share of the tokens first, says
//! it is ready, and on the word of the driver verifies them from 16 threads through one
//! `ConcurrentVerifier` (group commit), every token accepted once. The rate is all the
//! tokens over the wall-clock time from the word to the last process done.
//!
//! `cargo bench -p micropay-wallet --bench replay_stores` (`-- TOKENS` to change the 24 000
//! tokens of each configuration). Without PostgreSQL it measures SQLite only.

use std::io::{BufRead, BufReader, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use micropay_wallet::{ConcurrentVerifier, MerchantKey, ReplayStoreConfig, Verifier};

mod support;

use support::{NOW, item, tokens};

const THREADS: usize = 16;
const WORKER: &str = "MICROPAY_BENCH_WORKER";

fn main() {
    if let Ok(store) = std::env::var(WORKER) {
        worker(&store);
        return;
    }
    // cargo passes `--bench`; a number is the tokens of each configuration.
    let total: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(24_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sqlite = dir.path().join("replay.db").display().to_string();
    println!(
        "tokens accepted per second, {total} tokens per configuration, {THREADS} threads a process"
    );
    report("SQLite, 1 process", &sqlite, 1, total);
    let Some(cluster) = micropay_pgtest::Cluster::start_durable("replay_stores") else {
        return;
    };
    for processes in [1, 2, 4] {
        let url = cluster.create_database(&format!("bench{processes}"));
        report(
            &format!("PostgreSQL, {processes} process(es)"),
            &url,
            processes,
            total,
        );
    }
}

fn report(name: &str, store: &str, processes: usize, total: usize) {
    let (accepted, seconds) = run(store, processes, total / processes);
    assert_eq!(
        accepted,
        total / processes * processes,
        "{name}: every token once"
    );
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let rate = accepted as f64 / seconds;
    println!("{name:<28} {rate:>9.0} tokens/s ({accepted} in {seconds:.2} s)");
}

/// Starts `processes` workers on `store`, `each` tokens apiece; (tokens accepted, seconds).
fn run(store: &str, processes: usize, each: usize) -> (usize, f64) {
    let me = std::env::current_exe().expect("this program");
    let mut workers: Vec<(Child, BufReader<std::process::ChildStdout>)> = (0..processes)
        .map(|_| {
            let mut child = Command::new(&me)
                .env(WORKER, store)
                .env("MICROPAY_BENCH_TOKENS", each.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("a worker");
            let out = BufReader::new(child.stdout.take().expect("its output"));
            (child, out)
        })
        .collect();
    for (_, out) in &mut workers {
        assert_eq!(line(out), "ready");
    }
    let start = Instant::now();
    for (child, _) in &mut workers {
        writeln!(child.stdin.as_mut().expect("its input"), "go").expect("the word");
    }
    let mut accepted = 0;
    for (child, out) in &mut workers {
        accepted += line(out).parse::<usize>().expect("a count");
        child.wait().expect("the worker ends");
    }
    (accepted, start.elapsed().as_secs_f64())
}

fn line(out: &mut impl BufRead) -> String {
    let mut line = String::new();
    out.read_line(&mut line).expect("a line from the worker");
    line.trim().to_owned()
}

/// One verifier process: its tokens made, then verified on the word.
fn worker(store: &str) {
    let each: u64 = std::env::var("MICROPAY_BENCH_TOKENS")
        .ok()
        .and_then(|n| n.parse().ok())
        .expect("MICROPAY_BENCH_TOKENS");
    let offer = item(1);
    let store = store
        .parse::<ReplayStoreConfig>()
        .expect("a store")
        .open()
        .expect("the store opens");
    let mut verifier = Verifier::new(MerchantKey::from_seed(&[9; 32]), store, 300);
    verifier.publish(offer.clone());
    let shared = ConcurrentVerifier::new(verifier);
    let tokens = tokens(&offer, each);
    println!("ready");
    let mut word = String::new();
    std::io::stdin().read_line(&mut word).expect("the word");
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for share in tokens.chunks(tokens.len().div_ceil(THREADS).max(1)) {
            let (shared, accepted) = (&shared, &accepted);
            scope.spawn(move || {
                for token in share {
                    if shared.verify(token, NOW).expect("no store error").is_ok() {
                        accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    println!("{}", accepted.into_inner());
}
