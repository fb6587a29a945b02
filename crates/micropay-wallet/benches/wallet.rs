//! Wallet throughput, through the public API only.
//!
//! - `purchase`: the user's side of one purchase: decide under the policy, derive the
//!   merchant-origin key, sign, and reserve the spend in the SQLite ledger (WAL, `synchronous =
//!   FULL`) in one immediate transaction, in a temporary directory.
//! - `verify`: the merchant's side of one token: strict decoding, `verify_strict`, offer
//!   lookup and field checks, the receipt signed, the nonce committed to the replay store.
//!   Once with the store on the disk of the temporary directory, once on tmpfs (`/dev/shm`,
//!   when there is one) to show what the durable commit costs.
//! - `verify-batch-64`: the same checks for batches of 64 tokens with `verify_batch`, whose
//!   nonces are committed in one transaction (group commit): one disk flush per batch. Also
//!   on tmpfs. Criterion's time is per token.
//! - `verify-concurrent-32`: 32 threads (a server's connections) share a
//!   `ConcurrentVerifier` with the store on disk, which commits the nonces that arrive
//!   together in one transaction. Criterion's time is wall-clock time per token.
//! - `verify-checks-32`: what each of those threads does before the store: strict decoding,
//!   `verify_strict`, and the receipt built, signed and encoded; no replay store.
//! - `verify-strict-32`: the floor of `verify-concurrent-32`: the same number of threads, each
//!   running bare `verify_strict` on its share of the tokens.
//! - `decode-and-verify-strict`: strict decoding plus `verify_strict`, no store.
//! - `receipt-sign` and `decompress-key`: the two parts of `verify` beyond the floor that are
//!   not the store: signing the receipt with the merchant's key, and reading the request's
//!   public key from its 32 bytes (the floor is handed a decompressed key).
//! - `verify-strict`: a bare `verify_strict` of the same bytes and signature: the floor.
//!
//! Every token is verified once (each has its own nonce); the tokens are made outside the
//! timed part. docs/performance.md reports `verify` as a ratio to `verify-strict`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use micropay_wallet::{
    ConcurrentVerifier, Ledger, MerchantKey, Offer, Policy, PurchaseOutcome, Receipt,
    SignedPurchaseRequest, Verifier, Wallet, WalletController,
};

mod support;

use support::{NOW, item, tokens, tokens_of_new_buyers, url};

fn purchase(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let ledger = Ledger::create(&dir.path().join("wallet.db")).expect("a new ledger");
    let policy = Policy::new(vec![
        Wallet::new(
            url("https://ps.example/"),
            &[micropay_markup::Currency::parse("USD").expect("a currency code")],
        )
        .expect("a valid wallet"),
    ]);
    let mut controller = WalletController::new(policy, ledger).expect("a controller");
    let mut n = 0;
    c.bench_function("purchase", |b| {
        b.iter_batched(
            || {
                n += 1;
                item(n)
            },
            |offer| {
                let outcome = controller
                    .purchase_offer(&offer, NOW, false)
                    .expect("no I/O error");
                assert!(matches!(outcome, PurchaseOutcome::Purchased(_)));
                outcome
            },
            BatchSize::SmallInput,
        );
    });
}

/// How many tokens `verify-batch-64` verifies per call.
const BATCH: usize = 64;

/// Times `verify` over fresh tokens made by `make` (count), with the replay store in `dir`,
/// one token per call (`batch` 1) or `batch` tokens per `verify_batch` call; the time
/// reported is per token.
fn verify_in(
    c: &mut Criterion,
    name: &str,
    dir: &Path,
    batch: usize,
    make: fn(&Offer, u64) -> Vec<String>,
) {
    let offer = item(1);
    let key = MerchantKey::from_seed(&[9; 32]);
    std::fs::create_dir_all(dir).expect("a directory for the store");
    let mut verifier = Verifier::create(key, &dir.join("replay.db"), 300).expect("a store");
    verifier.publish(offer.clone());
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let tokens = make(&offer, iters);
            let start = Instant::now();
            if batch == 1 {
                for token in &tokens {
                    let accepted = verifier.verify(token, NOW).expect("no I/O error");
                    assert!(accepted.is_ok());
                }
            } else {
                for chunk in tokens.chunks(batch) {
                    let verdicts = verifier.verify_batch(chunk, NOW).expect("no I/O error");
                    assert!(verdicts.iter().all(Result::is_ok));
                }
            }
            start.elapsed()
        });
    });
}

fn verify(c: &mut Criterion) {
    let disk = tempfile::tempdir().expect("a temporary directory");
    verify_in(c, "verify", &disk.path().join("one"), 1, tokens);
    verify_in(
        c,
        "verify-batch-64",
        &disk.path().join("batch"),
        BATCH,
        tokens,
    );
    if Path::new("/dev/shm").is_dir()
        && let Ok(shm) = tempfile::tempdir_in("/dev/shm")
    {
        verify_in(c, "verify-tmpfs", &shm.path().join("one"), 1, tokens);
        verify_in(
            c,
            "verify-tmpfs-new-buyers",
            &shm.path().join("new"),
            1,
            tokens_of_new_buyers,
        );
        verify_in(
            c,
            "verify-batch-64-tmpfs",
            &shm.path().join("batch"),
            BATCH,
            tokens,
        );
    }
}

/// How many threads share the verifier in `verify-concurrent-32`.
const THREADS: usize = 32;
/// Tokens per timed iteration of the concurrent benchmarks: enough that every thread has a
/// long run of tokens and starting the threads does not count; times are divided by it.
const PER_ITERATION: u32 = 512;

/// Splits `tokens` into `THREADS` shares and runs `work` on each share in a thread of its
/// own; returns the wall-clock time until all are done, per token.
fn in_threads<T: Sync>(tokens: &[T], work: impl Fn(&[T]) + Sync) -> Duration {
    let share = tokens.len().div_ceil(THREADS).max(1);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for chunk in tokens.chunks(share) {
            let work = &work;
            scope.spawn(move || work(chunk));
        }
    });
    start.elapsed() / PER_ITERATION
}

/// Times a `ConcurrentVerifier` with its replay store in `dir`.
fn concurrent_in(c: &mut Criterion, name: &str, dir: &Path) {
    let offer = item(1);
    let key = MerchantKey::from_seed(&[9; 32]);
    let mut verifier = Verifier::create(key, &dir.join("replay.db"), 300).expect("a store");
    verifier.publish(offer.clone());
    let shared = ConcurrentVerifier::new(verifier);
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let tokens = tokens(&offer, iters * u64::from(PER_ITERATION));
            in_threads(&tokens, |share| {
                for token in share {
                    let accepted = shared.verify(token, NOW).expect("no I/O error");
                    assert!(accepted.is_ok());
                }
            })
        });
    });
}

fn verify_concurrent(c: &mut Criterion) {
    let disk = tempfile::tempdir().expect("a temporary directory");
    concurrent_in(c, "verify-concurrent-32", disk.path());
    if Path::new("/dev/shm").is_dir()
        && let Ok(shm) = tempfile::tempdir_in("/dev/shm")
    {
        concurrent_in(c, "verify-concurrent-32-tmpfs", shm.path());
    }
    let offer = item(1);
    let merchant = MerchantKey::from_seed(&[9; 32]);
    c.bench_function("verify-checks-32", |b| {
        b.iter_custom(|iters| {
            let tokens = tokens(&offer, iters * u64::from(PER_ITERATION));
            in_threads(&tokens, |share| {
                for token in share {
                    let signed = SignedPurchaseRequest::from_token(token).expect("a valid token");
                    assert!(signed.verify().is_ok());
                    black_box(
                        Receipt::new(signed.request(), &offer, NOW, merchant.public_key())
                            .sign(&merchant)
                            .to_token(),
                    );
                }
            })
        });
    });
    c.bench_function("verify-strict-32", |b| {
        b.iter_custom(|iters| {
            let signed = signed_inputs(&offer, iters * u64::from(PER_ITERATION));
            in_threads(&signed, |share| {
                for (key, bytes, signature) in share {
                    assert!(key.verify_strict(black_box(bytes), signature).is_ok());
                }
            })
        });
    });
}

/// The public key, canonical bytes and signature of `count` fresh tokens.
fn signed_inputs(
    offer: &Offer,
    count: u64,
) -> Vec<(
    ed25519_dalek::VerifyingKey,
    Vec<u8>,
    ed25519_dalek::Signature,
)> {
    tokens(offer, count)
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
        .collect()
}

fn parts(c: &mut Criterion) {
    let offer = item(1);
    let signed = SignedPurchaseRequest::from_token(&tokens(&offer, 1)[0]).expect("a valid token");
    let merchant = MerchantKey::from_seed(&[9; 32]);
    c.bench_function("receipt-sign", |b| {
        b.iter(|| {
            Receipt::new(signed.request(), &offer, NOW, merchant.public_key())
                .sign(black_box(&merchant))
        });
    });
    let bytes = signed.request().public_key().to_bytes();
    c.bench_function("decompress-key", |b| {
        b.iter(|| ed25519_dalek::VerifyingKey::from_bytes(black_box(&bytes)).expect("a key"));
    });
}

fn floors(c: &mut Criterion) {
    let offer = item(1);
    c.bench_function("decode-and-verify-strict", |b| {
        b.iter_custom(|iters| {
            let tokens = tokens(&offer, iters);
            let start = Instant::now();
            for token in &tokens {
                let signed = SignedPurchaseRequest::from_token(token).expect("a valid token");
                assert!(signed.verify().is_ok());
            }
            start.elapsed()
        });
    });
    c.bench_function("verify-strict", |b| {
        b.iter_custom(|iters| {
            let inputs = signed_inputs(&offer, iters);
            let start = Instant::now();
            for (key, bytes, signature) in &inputs {
                assert!(key.verify_strict(black_box(bytes), signature).is_ok());
            }
            start.elapsed()
        });
    });
}

criterion_group! {
    name = wallet;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = purchase, verify, verify_concurrent, parts, floors
}
criterion_main!(wallet);
