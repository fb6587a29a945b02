//! Runs one of the wallet benchmarks' verifications a given number of times outside the
//! harness, for instruction counts under callgrind (`scripts/wallet-instructions.sh`): they
//! repeat to a few tenths of a per cent where the time of a shared machine does not (random
//! nonces make each signature check's steps differ a little), and they leave out what the
//! kernel does for the replay store (writes, flushes, locks), which the times of
//! benches/wallet.rs include.
//!
//! `cargo run --release -p micropay-wallet --example verify_once -- MODE COUNT [DIR]`
//!
//! MODE: `verify` (one token per `Verifier::verify`, one buyer), `verify-new-buyers` (each
//! token from a buyer of its own), `verify-batch-64` (`Verifier::verify_batch` in batches of
//! 64), `verify-strict` (a bare `verify_strict` of each token's bytes, the floor). The replay
//! store is created in a new directory inside DIR (default: the system's temporary
//! directory). Tokens are made, and for `verify-strict` decoded, before [`measured`] starts;
//! only [`measured`] is counted.

#[path = "../benches/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::process::ExitCode;

use micropay_wallet::{MerchantKey, SignedPurchaseRequest, Verifier};
use support::{NOW, item, tokens, tokens_of_new_buyers};

/// What one mode verifies: tokens for a verifier, or the inputs of a bare `verify_strict`.
enum Work {
    Verify {
        verifier: Box<Verifier>,
        tokens: Vec<String>,
        batch: usize,
    },
    Strict(
        Vec<(
            ed25519_dalek::VerifyingKey,
            Vec<u8>,
            ed25519_dalek::Signature,
        )>,
    ),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(mode), Some(count)) = (
        args.first(),
        args.get(1).and_then(|c| c.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: verify_once MODE COUNT [DIR]");
        return ExitCode::from(2);
    };
    let dir = args.get(2).map_or_else(std::env::temp_dir, Into::into);
    let Ok(dir) = tempfile::tempdir_in(&dir) else {
        eprintln!("verify_once: cannot make a directory in {}", dir.display());
        return ExitCode::from(2);
    };
    let offer = item(1);
    let verifier = || {
        let key = MerchantKey::from_seed(&[9; 32]);
        let mut verifier =
            Verifier::create(key, &dir.path().join("replay.db"), 300).expect("a new store");
        verifier.publish(offer.clone());
        verifier
    };
    let mut work = match mode.as_str() {
        "verify" | "verify-batch-64" => Work::Verify {
            verifier: Box::new(verifier()),
            tokens: tokens(&offer, count),
            batch: if mode == "verify" { 1 } else { 64 },
        },
        "verify-new-buyers" => Work::Verify {
            verifier: Box::new(verifier()),
            tokens: tokens_of_new_buyers(&offer, count),
            batch: 1,
        },
        "verify-strict" => Work::Strict(
            tokens(&offer, count)
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
        ),
        _ => {
            eprintln!("verify_once: no mode {mode}");
            return ExitCode::from(2);
        }
    };
    measured(&mut work);
    ExitCode::SUCCESS
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
        Work::Strict(inputs) => {
            for (key, bytes, signature) in inputs.iter() {
                assert!(key.verify_strict(black_box(bytes), signature).is_ok());
            }
        }
    }
}
