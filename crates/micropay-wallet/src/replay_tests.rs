//! Tests of replay.rs.

use time::OffsetDateTime;

use super::*;
use crate::offer::Offer;
use crate::verifier::Verifier;
use crate::verifier::tests::{
    NOW, SKEW, merchant, offer_with, rejection, reopened, token, verifier,
};

#[test]
fn a_failed_record_changes_no_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    let (catalogue, mut store) = verifier(&dir, &[&offer]).into_parts();
    let first = token(&offer, "https://ps.example/", 1, NOW);
    let mut verdicts = [
        catalogue.verdict(&first, NOW),
        catalogue.verdict(&first, NOW),
    ];
    let before = verdicts.clone();
    store.fail_writes();
    assert!(
        store
            .record(&mut verdicts, catalogue.replay_window())
            .is_err()
    );
    assert_eq!(verdicts, before);
}

/// Each nonce of the table, and how often it is there.
fn nonces_in(path: &Path) -> Vec<(Vec<u8>, i64)> {
    let conn = Connection::open(path).unwrap();
    let mut rows = conn
        .prepare("SELECT nonce, count(*) FROM accepted GROUP BY nonce")
        .unwrap();
    rows.query_map((), |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn an_index_read_later_still_finds_earlier_rows() {
    // The second verifier first decides at an instant whose window leaves out the first
    // token's row, then at the first token's own instant: its index must widen.
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    let ps = "https://ps.example/";
    let early = token(&offer, ps, 1, NOW);
    let later_instant = NOW + time::Duration::seconds(1_000);
    let late = token(&offer, ps, 2, later_instant);
    let mut first = verifier(&dir, &[&offer]);
    assert_eq!(rejection(&mut first, &early, NOW), None);
    let mut second = reopened(&dir, &offer);
    assert_eq!(rejection(&mut second, &late, later_instant), None);
    assert_eq!(rejection(&mut second, &early, NOW), Some("replayed-nonce"));
    assert_eq!(
        rejection(&mut first, &late, later_instant),
        Some("replayed-nonce")
    );
}

#[test]
fn a_verifier_that_never_prunes_keeps_one_window_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    // Twenty tokens, each issued 700 s after the one before: each window holds one.
    let at = |n: u8| NOW + time::Duration::seconds(700 * i64::from(n));
    let tokens: Vec<String> = (0..20u8)
        .map(|n| token(&offer, "https://ps.example/", n, at(n)))
        .collect();
    let mut verifier = verifier(&dir, &[&offer]);
    for (n, token) in (0..20u8).zip(&tokens) {
        assert_eq!(rejection(&mut verifier, token, at(n)), None);
    }
    let (catalogue, mut store) = verifier.into_parts();
    let held = store.as_sqlite().unwrap().seen.nonces.len();
    assert!(held <= SWEEP_FLOOR, "{held}");
    // The swept nonces are still in the store: asked at their own instants, they are read
    // again and refused.
    for n in [0, 7, 19] {
        let mut verdicts = [catalogue.verdict(&tokens[usize::from(n)], at(n))];
        store
            .record(&mut verdicts, catalogue.replay_window())
            .unwrap();
        assert_eq!(verdicts[0].as_ref().err(), Some(&Rejection::ReplayedNonce));
    }
}

#[test]
fn a_store_of_schema_1_is_upgraded_with_every_row() {
    const SCHEMA_1: &str = "
        CREATE TABLE accepted (
            nonce BLOB PRIMARY KEY,
            issued_at INTEGER NOT NULL,
            accepted_at INTEGER NOT NULL,
            offer_digest BLOB NOT NULL,
            public_key BLOB NOT NULL,
            receipt TEXT NOT NULL
        ) STRICT;
        CREATE INDEX accepted_by_issued_at ON accepted (issued_at);";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.db");
    let offer = offer_with(|_| {});
    let ps = "https://ps.example/";
    let old = token(&offer, ps, 1, NOW);
    let new = token(&offer, ps, 2, NOW);
    // A schema-1 store holding the first token's nonce, as an earlier build wrote it.
    let conn = create_store(&path, KIND, 1, SCHEMA_1, |_| Ok(())).unwrap();
    let accepted = {
        let mut probe = Verifier::create(merchant(), &dir.path().join("probe.db"), SKEW).unwrap();
        probe.publish(offer.clone());
        probe.verify(&old, NOW).unwrap().unwrap()
    };
    let request = accepted.purchase.request();
    conn.execute(
        "INSERT INTO accepted VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (
            &request.nonce().0[..],
            request.issued_at_unix(),
            NOW.unix_timestamp(),
            &request.offer_digest().0[..],
            &request.public_key().as_bytes()[..],
            accepted.receipt.to_token(),
        ),
    )
    .unwrap();
    drop(conn);

    let mut upgraded = reopened(&dir, &offer);
    assert_eq!(rejection(&mut upgraded, &old, NOW), Some("replayed-nonce"));
    assert_eq!(rejection(&mut upgraded, &new, NOW), None);
    assert_eq!(version_of(&path), REPLAY_SCHEMA_VERSION);
    let conn = Connection::open(&path).unwrap();
    let kept: (String, i64) = conn
        .query_row(
            "SELECT receipt, accepted_at FROM accepted WHERE seq = 1",
            (),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(kept, (accepted.receipt.to_token(), NOW.unix_timestamp()));
    assert_eq!(nonces_in(&path).len(), 2);
    // Opening it again finds schema 3 and changes nothing.
    drop(upgraded);
    let mut again = reopened(&dir, &offer);
    assert_eq!(rejection(&mut again, &new, NOW), Some("replayed-nonce"));
}

/// The schema version the store at `path` records.
fn version_of(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT version FROM store_kind", (), |r| r.get(0))
        .unwrap()
}

/// The largest `seq` in the store at `path`, and the `seq` SQLite's own counter
/// (AUTOINCREMENT, schema 2) holds, if the store has one.
fn numbers_in(path: &Path) -> (i64, Option<i64>) {
    let conn = Connection::open(path).unwrap();
    let largest = conn
        .query_row("SELECT coalesce(max(seq), 0) FROM accepted", (), |r| {
            r.get(0)
        })
        .unwrap();
    let counter = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'accepted'",
            (),
            |r| r.get(0),
        )
        .ok();
    (largest, counter)
}

/// Two verifiers on the store in `dir`: the first accepts a token, the second another,
/// then the first prunes at an instant before which both were issued and accepts a third
/// token. Returns what the prune removed and whether the second verifier refuses the
/// third token: it has read the store up to the second row, so it only sees the third if
/// that is numbered above the second.
fn prune_every_old_row_then_share(dir: &tempfile::TempDir, offer: &Offer) -> (usize, bool) {
    let ps = "https://ps.example/";
    let mut first = reopened(dir, offer);
    let mut second = reopened(dir, offer);
    assert_eq!(rejection(&mut first, &token(offer, ps, 1, NOW), NOW), None);
    assert_eq!(rejection(&mut second, &token(offer, ps, 2, NOW), NOW), None);
    let removed = first.prune(NOW + time::Duration::seconds(601)).unwrap();
    let later = NOW + time::Duration::seconds(1_000);
    let third = token(offer, ps, 3, later);
    assert_eq!(rejection(&mut first, &third, later), None);
    let refused = rejection(&mut second, &third, later) == Some("replayed-nonce");
    (removed, refused)
}

#[test]
fn a_prune_of_every_old_row_hands_out_no_number_again() {
    let dir = tempfile::tempdir().unwrap();
    let offer = offer_with(|_| {});
    drop(verifier(&dir, &[&offer]));
    // Both rows are older than the prune's window; the newest stays.
    assert_eq!(prune_every_old_row_then_share(&dir, &offer), (1, true));
    let path = dir.path().join("replay.db");
    assert_eq!(numbers_in(&path), (3, None));
    assert_eq!(nonces_in(&path).len(), 2);
}

#[test]
fn a_store_of_schema_2_is_shared_as_it_is() {
    let schema_2 = SCHEMA.replace(
        "seq INTEGER PRIMARY KEY,",
        "seq INTEGER PRIMARY KEY AUTOINCREMENT,",
    );
    assert_ne!(schema_2, SCHEMA);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replay.db");
    drop(create_store(&path, KIND, SCHEMA_2, &schema_2, |_| Ok(())).unwrap());
    let offer = offer_with(|_| {});
    assert_eq!(prune_every_old_row_then_share(&dir, &offer), (1, true));
    // Still schema 2, with SQLite's counter kept up to date as builds of schema 2 need.
    assert_eq!(version_of(&path), SCHEMA_2);
    assert_eq!(numbers_in(&path), (3, Some(3)));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

    /// Two verifiers on one store accept new tokens and prune, in any order, as time goes
    /// on (by 0 to 700 s a step, so prunes find rows both inside and outside the window,
    /// the newest among them or not): every row accepted is numbered above every row
    /// before it, and both verifiers refuse its token again at once, the one that
    /// accepted it and the other, which learns of it only by reading the rows numbered
    /// above the last it saw.
    #[test]
    fn row_numbers_only_grow_through_prunes(
        steps in proptest::collection::vec((0usize..2, proptest::bool::ANY, 0i64..700), 1..24),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("replay.db");
        let offer = offer_with(|_| {});
        let mut verifiers = [verifier(&dir, &[&offer]), reopened(&dir, &offer)];
        let mut now = NOW;
        let mut largest = 0;
        for (nonce, (which, accept, wait)) in (0u8..).zip(steps) {
            now += time::Duration::seconds(wait);
            if !accept {
                verifiers[which].prune(now).unwrap();
                continue;
            }
            let token = token(&offer, "https://ps.example/", nonce, now);
            proptest::prop_assert_eq!(rejection(&mut verifiers[which], &token, now), None);
            let (number, _) = numbers_in(&path);
            proptest::prop_assert!(number > largest, "row {number} after row {largest}");
            largest = number;
            for verifier in &mut verifiers {
                proptest::prop_assert_eq!(
                    rejection(verifier, &token, now),
                    Some("replayed-nonce")
                );
            }
        }
    }

    /// Verifiers on one store, taking turns in any order (two long-lived ones and, third,
    /// one opened just before its turn), decide as the rule says, whatever each one read
    /// before: a request is refused exactly when a request with its nonce, issued within
    /// the window of the verdict's instant (600 s before it), was accepted. Nonces come
    /// back at instants 7 and 40 minutes apart, inside and outside the window; every
    /// acceptance is one row of the store.
    #[test]
    fn verifiers_sharing_a_store_decide_as_the_rule_says(
        steps in proptest::collection::vec((0u8..3, 0u8..6, 0i64..3), 1..24),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let instant = |slot: u8| NOW + time::Duration::minutes([0, 7, 40][usize::from(slot)]);
        // Token n: nonce n % 2, issued at instant n / 2.
        let tokens: Vec<(String, u8, OffsetDateTime)> = (0..6u8)
            .map(|n| {
                let at = instant(n / 2);
                (token(&offer, "https://ps.example/", n % 2, at), n % 2, at)
            })
            .collect();
        let mut verifiers = [verifier(&dir, &[&offer]), reopened(&dir, &offer)];
        let mut accepted: Vec<(u8, OffsetDateTime)> = Vec::new();
        for (which, pick, shift) in steps {
            let (token, nonce, issued_at) = &tokens[usize::from(pick)];
            // Verified some minutes after it was issued, within the skew.
            let now = *issued_at + time::Duration::minutes(shift);
            let window_start = now - time::Duration::seconds(600);
            let expected = accepted
                .iter()
                .any(|(n, at)| n == nonce && *at >= window_start)
                .then_some("replayed-nonce");
            let code = match which {
                2 => rejection(&mut reopened(&dir, &offer), token, now),
                _ => rejection(&mut verifiers[usize::from(which)], token, now),
            };
            proptest::prop_assert_eq!(code, expected);
            if code.is_none() {
                accepted.push((*nonce, *issued_at));
            }
        }
        let stored: i64 = nonces_in(&dir.path().join("replay.db"))
            .iter()
            .map(|(_, count)| count)
            .sum();
        proptest::prop_assert_eq!(usize::try_from(stored).unwrap(), accepted.len());
    }
}
