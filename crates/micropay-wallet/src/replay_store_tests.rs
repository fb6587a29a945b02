//! The same decisions from every kind of store: SQLite, memory and (when a PostgreSQL
//! cluster can be started, see micropay-pgtest) PostgreSQL.

use time::Duration;

use super::*;
use crate::group_commit::ConcurrentVerifier;
use crate::offer::Offer;
use crate::token::SignedPurchaseRequest;
use crate::verifier::Verifier;
use crate::verifier::tests::{NOW, SKEW, merchant, offer_with, token};

const PS: &str = "https://ps.example/";

fn on(store: ReplayStore, offer: &Offer) -> Verifier {
    let mut verifier = Verifier::new(merchant(), store, SKEW);
    verifier.publish(offer.clone());
    verifier
}

fn code(verdict: &Result<Accepted, Rejection>) -> Option<&'static str> {
    verdict.as_ref().err().map(Rejection::code)
}

/// Every decision of a store, through two handles `a` and `b` on it (two processes' view).
fn decides_as_every_store(a: ReplayStore, b: ReplayStore) {
    let offer = offer_with(|f| f.duration = Some(3600));
    let mut first = on(a, &offer);
    let mut second = on(b, &offer);

    // Accepted once, by either handle; a replay to the other is refused.
    let one = token(&offer, PS, 1, NOW);
    let accepted = first.verify(&one, NOW).unwrap().unwrap();
    assert_eq!(
        code(&first.verify(&one, NOW).unwrap()),
        Some("replayed-nonce")
    );
    assert_eq!(
        code(&second.verify(&one, NOW).unwrap()),
        Some("replayed-nonce")
    );

    // A batch: each nonce once, in order, duplicates within it refused.
    let (two, three) = (token(&offer, PS, 2, NOW), token(&offer, PS, 3, NOW));
    let codes: Vec<_> = second
        .verify_batch(&[&two, &three, &two, &one], NOW)
        .unwrap()
        .iter()
        .map(code)
        .collect();
    assert_eq!(
        codes,
        [None, None, Some("replayed-nonce"), Some("replayed-nonce")]
    );

    // The receipt is stored with the nonce and found again for a retry, by the other handle;
    // the same nonce with another instant was never accepted.
    let shared = ConcurrentVerifier::new(second);
    let purchase = SignedPurchaseRequest::from_token(&one).unwrap();
    assert_eq!(
        shared.stored_receipt(&purchase).unwrap(),
        Some(accepted.receipt.clone())
    );
    let moved =
        SignedPurchaseRequest::from_token(&token(&offer, PS, 1, NOW + Duration::seconds(1)))
            .unwrap();
    assert_eq!(shared.stored_receipt(&moved).unwrap(), None);

    // A nonce whose last request left the replay window may be used again, pruned or not.
    let much_later = NOW + Duration::seconds(1000);
    let reused = token(&offer, PS, 1, much_later);
    assert_eq!(code(&first.verify(&reused, much_later).unwrap()), None);
    assert_eq!(
        code(&first.verify(&reused, much_later).unwrap()),
        Some("replayed-nonce")
    );

    // Pruning keeps what could still be fresh and removes the rest: nothing was issued
    // before NOW; nonces 2 and 3 were (and nonce 1's first request, and the request of
    // nonce 4, which some stores replaced or keep), and the request of nonce 1 reused later
    // stays refused.
    let four = token(&offer, PS, 4, NOW + Duration::seconds(300));
    assert_eq!(
        code(&first.verify(&four, NOW + Duration::seconds(300)).unwrap()),
        None
    );
    assert_eq!(first.prune(NOW + Duration::seconds(600)).unwrap(), 0);
    assert!(shared.prune(NOW + Duration::seconds(901)).unwrap() >= 2);
    assert_eq!(
        code(&first.verify(&reused, much_later).unwrap()),
        Some("replayed-nonce")
    );
    assert_eq!(shared.prune(NOW + Duration::seconds(901)).unwrap(), 0);
}

#[test]
fn sqlite_decides_as_every_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.db");
    let a = ReplayStore::sqlite(&path).unwrap();
    decides_as_every_store(a, ReplayStore::sqlite(&path).unwrap());
}

#[test]
fn memory_decides_as_every_store() {
    let a = ReplayStore::memory();
    let b = a.try_clone().unwrap();
    decides_as_every_store(a, b);
}

#[test]
fn a_replay_store_is_named_by_a_path_or_a_url() {
    let parse = |s: &str| s.parse::<ReplayStoreConfig>().unwrap();
    assert_eq!(
        parse("replay.db"),
        ReplayStoreConfig::Sqlite(PathBuf::from("replay.db"))
    );
    assert_eq!(
        parse("postgres://shop@db/replay"),
        ReplayStoreConfig::Postgres("postgres://shop@db/replay".into())
    );
    assert_eq!(
        parse("PostgreSQL://shop@db/replay"),
        ReplayStoreConfig::Postgres("PostgreSQL://shop@db/replay".into())
    );
    // A relative path that merely starts like a scheme's name is a path.
    assert!(matches!(
        parse("postgres/replay.db"),
        ReplayStoreConfig::Sqlite(_)
    ));
    let shown = parse("postgres://shop:pw@db/replay");
    assert_eq!(shown.to_string(), "postgres://shop:***@db/replay");
    assert!(!format!("{shown:?}").contains("pw"));
}

/// The PostgreSQL store, on a throwaway cluster: the decisions above, a newer schema refused,
/// two verifiers' threads on one database, and a server stopped and started under a
/// verifier that is not.
#[test]
fn postgres_decides_as_every_store() {
    let Some(cluster) = micropay_pgtest::Cluster::start("postgres_decides_as_every_store") else {
        return;
    };

    let url = cluster.create_database("decisions");
    let a = ReplayStore::postgres(&url).unwrap();
    decides_as_every_store(a, ReplayStore::postgres(&url).unwrap());

    // The schema is there once, versioned; a newer one is refused with a clear error.
    let store = ReplayStore::postgres(&url).unwrap();
    assert_eq!(
        cluster.psql("decisions", "SELECT version FROM micropay_replay_schema"),
        "1"
    );
    store.as_postgres().unwrap().set_schema_version(2).unwrap();
    let refused = ReplayStore::postgres(&url).unwrap_err();
    assert!(
        matches!(
            refused,
            Error::UnsupportedSchema {
                found: 2,
                supported: 1
            }
        ),
        "{refused}"
    );
    assert!(refused.to_string().contains("unsupported schema version 2"));

    many_threads_of_two_verifiers_accept_each_nonce_once(&cluster.create_database("threads"));
    a_stopped_server_is_unavailable_then_used_again(&cluster);

    // Unreachable: a clear error naming the store, its password left out.
    let nowhere = format!(
        "postgres://micropay:secret@127.0.0.1:{}/none",
        cluster.port()
    );
    drop(cluster);
    let error = ReplayStore::postgres(&nowhere).unwrap_err();
    assert!(matches!(error, Error::Postgres { .. }), "{error}");
    assert!(!error.to_string().contains("secret"), "{error}");
}

fn many_threads_of_two_verifiers_accept_each_nonce_once(url: &str) {
    let offer = offer_with(|_| {});
    let verifiers: Vec<_> = (0..2)
        .map(|_| ConcurrentVerifier::new(on(ReplayStore::postgres(url).unwrap(), &offer)))
        .collect();
    let tokens: Vec<_> = (0..40).map(|n| token(&offer, PS, n, NOW)).collect();
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let (verifiers, tokens, accepted) = (&verifiers, &tokens, &accepted);
            scope.spawn(move || {
                for token in tokens {
                    if verifiers[thread % 2].verify(token, NOW).unwrap().is_ok() {
                        accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert_eq!(accepted.into_inner(), tokens.len());
}

fn a_stopped_server_is_unavailable_then_used_again(cluster: &micropay_pgtest::Cluster) {
    let url = cluster.create_database("faults");
    let offer = offer_with(|_| {});
    let mut verifier = on(ReplayStore::postgres(&url).unwrap(), &offer);
    let shared = ConcurrentVerifier::new(on(ReplayStore::postgres(&url).unwrap(), &offer));
    assert!(
        verifier
            .verify(&token(&offer, PS, 1, NOW), NOW)
            .unwrap()
            .is_ok()
    );
    cluster.stop();
    let refused = verifier
        .verify(&token(&offer, PS, 2, NOW), NOW)
        .unwrap_err();
    assert!(matches!(refused, Error::Postgres { .. }), "{refused}");
    // Every caller of a group that could not be recorded gets the error.
    let tokens: Vec<_> = (10..18).map(|n| token(&offer, PS, n, NOW)).collect();
    std::thread::scope(|scope| {
        for token in &tokens {
            let shared = &shared;
            scope.spawn(move || {
                let refused = shared.verify(token, NOW).unwrap_err();
                assert!(matches!(refused, Error::Postgres { .. }), "{refused}");
            });
        }
    });
    cluster.restart();
    for token in &tokens {
        assert!(shared.verify(token, NOW).unwrap().is_ok());
    }
    // The same verifier, with no restart: a new connection; nothing was recorded before.
    assert!(
        verifier
            .verify(&token(&offer, PS, 2, NOW), NOW)
            .unwrap()
            .is_ok()
    );
    assert_eq!(
        code(&verifier.verify(&token(&offer, PS, 1, NOW), NOW).unwrap()),
        Some("replayed-nonce")
    );
}
