//! What the merchant's replay store writes per token, and the time it takes, with batches of
//! 64 tokens (`Verifier::verify_batch`), on the disk of a directory of your choice.
//!
//! `cargo bench -p micropay-wallet --bench replay_bytes -- [DIR] [STORED] [MEASURED]`
//!
//! The store is created in a new temporary directory inside DIR (default: the system's
//! temporary directory; give `/dev/shm` for tmpfs). STORED tokens (default 20,000) are
//! verified first, so that the store is not empty; then MEASURED tokens (default 6,400) are
//! verified and the program prints the bytes the process wrote in that time (`wchar` of
//! `/proc/self/io`, Linux only: what SQLite handed the kernel, log and checkpoints included)
//! and the time, per token. The tokens are signed before the time starts. Last, a second
//! verifier is opened on the store, as another process would, and the time of its first token
//! (which reads the nonces of the window: every token so far, all issued at the same instant)
//! and of its second is printed.

mod support;

use std::process::ExitCode;
use std::time::Instant;

use micropay_wallet::{MerchantKey, Verifier};
use support::{NOW, item, tokens};

const BATCH: usize = 64;
/// The verifiers' skew window, in seconds (the CLI's default).
const SKEW: u64 = 300;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.is_empty() && std::env::args().any(|a| a == "--bench") {
        eprintln!(
            "replay_bytes runs by hand: cargo bench -p micropay-wallet --bench replay_bytes -- DIR [STORED] [MEASURED]"
        );
        return ExitCode::SUCCESS;
    }
    let dir = args.first().map_or_else(std::env::temp_dir, Into::into);
    let number =
        |at: usize, default: u64| args.get(at).and_then(|n| n.parse().ok()).unwrap_or(default);
    let (stored, measured) = (number(1, 20_000), number(2, 6_400));
    let Ok(dir) = tempfile::tempdir_in(&dir) else {
        eprintln!("replay_bytes: cannot make a directory in {}", dir.display());
        return ExitCode::from(2);
    };
    let offer = item(1);
    let store = dir.path().join("replay.db");
    let key = || MerchantKey::from_seed(&[9; 32]);
    let mut verifier = Verifier::create(key(), &store, SKEW).expect("a new store");
    verifier.publish(offer.clone());
    let verify = |verifier: &mut Verifier, tokens: &[String]| {
        for chunk in tokens.chunks(BATCH) {
            let verdicts = verifier.verify_batch(chunk, NOW).expect("no I/O error");
            assert!(verdicts.iter().all(Result::is_ok));
        }
    };
    verify(&mut verifier, &tokens(&offer, stored));
    let measured_tokens = tokens(&offer, measured);
    let (Some(before), start) = (written(), Instant::now()) else {
        eprintln!("replay_bytes: /proc/self/io cannot be read here");
        return ExitCode::from(2);
    };
    verify(&mut verifier, &measured_tokens);
    let elapsed = start.elapsed();
    let after = written().expect("/proc/self/io was readable before");
    // Counts far below 2^52: exact as f64.
    #[allow(clippy::cast_precision_loss)]
    let per_token = |total: u64| total as f64 / measured as f64;
    println!(
        "{measured} tokens after {stored}, batches of {BATCH}, in {}: {:.0} bytes written and {:.1} µs per token",
        dir.path().display(),
        per_token(after - before),
        per_token(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)) / 1e3,
    );
    let mut opened = Verifier::open(key(), &store, SKEW).expect("the store");
    opened.publish(offer.clone());
    let [first, second] = [(); 2].map(|()| {
        let token = &tokens(&offer, 1)[0];
        let start = Instant::now();
        let verdict = opened.verify(token, NOW).expect("no I/O error");
        assert!(verdict.is_ok());
        start.elapsed()
    });
    println!(
        "a verifier opened on the {} tokens: first token {first:.2?} (reads the window), second {second:.2?}",
        stored + measured,
    );
    ExitCode::SUCCESS
}

/// Bytes this process has written so far (`wchar` of `/proc/self/io`).
fn written() -> Option<u64> {
    std::fs::read_to_string("/proc/self/io")
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("wchar: "))?
        .trim()
        .parse()
        .ok()
}
