//! Runs one of the wallet benchmarks' verifications a given number of times outside the
//! harness, for instruction counts under callgrind (`scripts/wallet-instructions.sh`): they
//! repeat to a few tenths of a per cent where the time of a shared machine does not (random
//! nonces make each signature check's steps differ a little), and they leave out what the
//! kernel does for the replay store (writes, flushes, locks), which the times of
//! benches/wallet.rs include.
//!
//! `cargo bench -p micropay-wallet --bench verify_once -- MODE COUNT [DIR]`
//! `cargo bench -p micropay-wallet --bench verify_once -- interleave COUNT ROUNDS [DIR]`
//!
//! MODE: `verify` (one token per `Verifier::verify`, one buyer), `verify-new-buyers` (each
//! token from a buyer of its own), `verify-batch-64` (`Verifier::verify_batch` in batches of
//! 64), `verify-strict` (a bare `verify_strict` of each token's bytes, the floor). The replay
//! store is created in a new directory inside DIR (default: the system's temporary
//! directory). Tokens are made, and for `verify-strict` decoded, before [`measured`] starts;
//! only [`measured`] is counted.

mod support;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use micropay_wallet::{MerchantKey, SignedPurchaseRequest, Verifier};
use support::{NOW, item, tokens, tokens_of_new_buyers};

/// What one mode verifies: tokens for a verifier, or the inputs of a bare `verify_strict`.
enum Work {
    Verify {
        verifier: Box<Verifier>,
        tokens: Vec<String>,
        batch: usize,
    },
    Strict {
        inputs: Vec<(
            ed25519_dalek::VerifyingKey,
            Vec<u8>,
            ed25519_dalek::Signature,
        )>,
    },
}

const MODES: [&str; 4] = [
    "verify-strict",
    "verify",
    "verify-new-buyers",
    "verify-batch-64",
];

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.is_empty() && std::env::args().any(|a| a == "--bench") {
        eprintln!(
            "verify_once runs by hand: cargo bench -p micropay-wallet --bench verify_once -- MODE COUNT [DIR]"
        );
        return ExitCode::SUCCESS;
    }
    let (Some(mode), Some(count)) = (
        args.first(),
        args.get(1).and_then(|c| c.parse::<u64>().ok()),
    ) else {
        eprintln!(
            "usage: verify_once MODE COUNT [DIR] | verify_once interleave COUNT ROUNDS [DIR]"
        );
        return ExitCode::from(2);
    };
    let interleaved = mode == "interleave";
    let rounds = args.get(2).and_then(|r| r.parse::<usize>().ok());
    if interleaved && rounds.is_none() {
        eprintln!("verify_once: interleave COUNT ROUNDS [DIR]");
        return ExitCode::from(2);
    }
    let dir = args
        .get(if interleaved { 3 } else { 2 })
        .map_or_else(std::env::temp_dir, Into::into);
    let Ok(dir) = tempfile::tempdir_in(&dir) else {
        eprintln!("verify_once: cannot make a directory in {}", dir.display());
        return ExitCode::from(2);
    };
    let mut setup = Setup {
        offer: item(1),
        dir,
        stores: 0,
    };
    if let (true, Some(rounds)) = (interleaved, rounds) {
        interleave(&mut setup, count, rounds.max(1));
        return ExitCode::SUCCESS;
    }
    let Some(mut work) = setup.work(mode, count, None) else {
        eprintln!("verify_once: no mode {mode}");
        return ExitCode::from(2);
    };
    measured(&mut work);
    ExitCode::SUCCESS
}

/// The offer, and the directory of the replay stores.
struct Setup {
    offer: micropay_wallet::Offer,
    dir: tempfile::TempDir,
    /// How many stores were created.
    stores: u32,
}

impl Setup {
    /// `count` fresh tokens for `mode`, verified by `verifier` if given, else by a verifier
    /// on a new store.
    fn work(&mut self, mode: &str, count: u64, verifier: Option<Box<Verifier>>) -> Option<Work> {
        let offer = &self.offer;
        let verifier = || {
            verifier.unwrap_or_else(|| {
                self.stores += 1;
                let path = self.dir.path().join(format!("replay-{}.db", self.stores));
                let key = MerchantKey::from_seed(&[9; 32]);
                let mut verifier = Verifier::create(key, &path, 300).expect("a new store");
                verifier.publish(offer.clone());
                Box::new(verifier)
            })
        };
        Some(match mode {
            "verify" | "verify-batch-64" => Work::Verify {
                verifier: verifier(),
                tokens: tokens(offer, count),
                batch: if mode == "verify" { 1 } else { 64 },
            },
            "verify-new-buyers" => Work::Verify {
                verifier: verifier(),
                tokens: tokens_of_new_buyers(offer, count),
                batch: 1,
            },
            "verify-strict" => Work::Strict {
                inputs: tokens(offer, count)
                    .iter()
                    .map(|t| {
                        let signed = SignedPurchaseRequest::from_token(t).expect("a valid token");
                        let request = signed.request();
                        (
                            *request.public_key(),
                            request.canonical_bytes(),
                            *signed.signature(),
                        )
                    })
                    .collect(),
            },
            _ => return None,
        })
    }
}

/// Times every mode on `count` tokens, round after round, each round in an order of its own
/// (rotated, and reversed every other round, so that no mode always follows the same one),
/// each mode's verifier kept from round to round; prints each mode's fastest and median time
/// per token and their ratios to `verify-strict`. The first round warms up and is not counted.
fn interleave(setup: &mut Setup, count: u64, rounds: usize) {
    let mut verifiers: [Option<Box<Verifier>>; MODES.len()] = Default::default();
    let mut times: [Vec<Duration>; MODES.len()] = Default::default();
    for round in 0..=rounds {
        let mut order: Vec<usize> = (0..MODES.len()).collect();
        order.rotate_left(round % MODES.len());
        if round % 2 == 1 {
            order.reverse();
        }
        for m in order {
            let mut work = setup
                .work(MODES[m], count, verifiers[m].take())
                .expect("a mode");
            let start = Instant::now();
            measured(&mut work);
            let took = start.elapsed() / u32::try_from(count).expect("a count below 2^32");
            if round > 0 {
                times[m].push(took);
            }
            if let Work::Verify { verifier, .. } = work {
                verifiers[m] = Some(verifier);
            }
        }
    }
    let stats: Vec<(Duration, Duration)> = times
        .iter_mut()
        .map(|spent| {
            spent.sort_unstable();
            (spent[0], spent[spent.len() / 2])
        })
        .collect();
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "{count} tokens a mode, {rounds} rounds; per token: fastest, median, each ÷ verify-strict"
    );
    for (mode, (fastest, median)) in MODES.iter().zip(&stats) {
        println!(
            "  {mode:<18} {fastest:>10.2?} {median:>10.2?} {:>6.3} {:>6.3}",
            ratio(*fastest, stats[0].0),
            ratio(*median, stats[0].1),
        );
    }
}

/// What callgrind counts.
#[inline(never)]
fn measured(work: &mut Work) {
    match work {
        Work::Verify {
            verifier,
            tokens,
            batch,
        } => {
            if *batch == 1 {
                for token in tokens.iter() {
                    let verdict = verifier.verify(token, NOW).expect("no I/O error");
                    assert!(verdict.is_ok());
                }
            } else {
                for chunk in tokens.chunks(*batch) {
                    let verdicts = verifier.verify_batch(chunk, NOW).expect("no I/O error");
                    assert!(verdicts.iter().all(Result::is_ok));
                }
            }
        }
        Work::Strict { inputs } => {
            for (key, bytes, signature) in inputs.iter() {
                assert!(key.verify_strict(black_box(bytes), signature).is_ok());
            }
        }
    }
}
