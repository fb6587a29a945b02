//! The merchant's replay store on SQLite: the nonces of the purchase requests accepted, in an
//! SQLite file shared by every verifier process of the merchant on one machine (store.rs gives
//! the settings; replay_store.rs the public type over this and the other stores).
//!
//! A nonce is recorded in the same immediate transaction that finds it new, and that
//! transaction is committed (`synchronous = FULL`: on disk, not only in the page cache) before
//! any receipt for it is returned. A batch of requests shares one transaction and therefore
//! one disk flush: that is what makes the store's cost per token small next to the signature
//! checks (docs/performance.md), without weakening the guarantee for any single token.
//!
//! The store is a log. Each accepted request is appended as a row numbered by `seq`, and no
//! number is ever handed out twice: SQLite numbers a new row one above the largest number in
//! the table, and [`SqliteStore::prune`] never deletes the row with the largest number, so
//! that number only grows (schema 3; schema 2 had SQLite keep a counter of its own,
//! AUTOINCREMENT, which every commit wrote: a page more per commit). The table has no index on
//! the nonce: nonces are 128 random bits, so a unique index puts each new one on a random page,
//! and every page a commit touches is written whole (4 KiB) to the log and flushed. Instead,
//! each `SqliteStore` holds the nonces in memory ([`Seen`]) and brings that index up to date
//! inside the immediate transaction, while it holds the store's write lock: first the rows of
//! the window it has not read yet, then the rows other processes appended since it last
//! looked. Rows are only ever appended in `seq` order, and a commit touches the last pages of
//! the table and of its `issued_at` index.
//!
//! Which nonces are looked up: every row issued within the replay window of the instant of
//! the verdict (twice the skew before it: the rows [`SqliteStore::prune`] would keep at that
//! instant). A request is only accepted if it was issued within the skew of that instant,
//! so the row of an earlier acceptance of the same token, which has the same `issued_at`, is
//! always among them: a replay is refused whether or not the store was ever pruned. A nonce
//! of a row issued before the window is not looked up, exactly as if the store had been
//! pruned at that instant (docs/decisions.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction};

use crate::error::Error;
use crate::store::{create_store, immediate, open_store, upgrade_store};
use crate::token::PurchaseRequest;
use crate::verdict::{Accepted, Rejection};

const KIND: &str = "micropay-merchant-replay-store";
/// The replay store schema version this build creates. It also reads and writes stores of
/// schema 2 as they are, and upgrades stores of schema 1 to this one.
pub const REPLAY_SCHEMA_VERSION: i64 = 3;

/// Schema 3. `seq` is the rowid; that it is never reused rests on [`PRUNE`].
const SCHEMA: &str = "
CREATE TABLE accepted (
    seq INTEGER PRIMARY KEY,
    nonce BLOB NOT NULL,
    issued_at INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    offer_digest BLOB NOT NULL,
    public_key BLOB NOT NULL,
    receipt TEXT NOT NULL
) STRICT;
CREATE INDEX accepted_by_issued_at ON accepted (issued_at);
";

/// Schema 2 is schema 3 with AUTOINCREMENT on `seq`: SQLite then keeps the largest number
/// ever handed out in a table of its own, which builds of schema 2 rely on since their prune
/// may delete every row. A store of schema 2 is used as it is, with no migration: builds of
/// either schema can share it, and this build's reads and writes are the same on both.
const SCHEMA_2: i64 = 2;

/// Schema 1 kept the nonce as the table's primary key (a unique index on random values).
/// Upgraded: the old table is set aside, [`SCHEMA`] is created, and the rows move to the log
/// in the order they were accepted; no row is lost.
const SET_SCHEMA_1_ASIDE: &str = "
DROP INDEX accepted_by_issued_at;
ALTER TABLE accepted RENAME TO accepted_schema_1;
";
const MOVE_SCHEMA_1_ROWS: &str = "
INSERT INTO accepted (nonce, issued_at, accepted_at, offer_digest, public_key, receipt)
SELECT nonce, issued_at, accepted_at, offer_digest, public_key, receipt
FROM accepted_schema_1 ORDER BY rowid;
DROP TABLE accepted_schema_1;
";

const INSERT: &str = "
INSERT INTO accepted (nonce, issued_at, accepted_at, offer_digest, public_key, receipt)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// The rows of the window not read yet: issued in `[?1, ?2)`, appended up to `?3`.
const WINDOW_ROWS: &str = "
SELECT nonce, issued_at FROM accepted
WHERE issued_at >= ?1 AND issued_at < ?2 AND seq <= ?3";

/// The receipt of an accepted request: same issue instant (indexed), nonce, buyer's key and
/// offer; the newest such row.
const STORED_RECEIPT: &str = "
SELECT receipt FROM accepted
WHERE issued_at = ?1 AND nonce = ?2 AND public_key = ?3 AND offer_digest = ?4
ORDER BY seq DESC LIMIT 1";

/// The rows appended after `?1`.
const NEW_ROWS: &str = "SELECT seq, nonce, issued_at FROM accepted WHERE seq > ?1";

/// Deletes the rows issued before `?1`, except the row with the largest `seq`: SQLite numbers
/// a new row one above the largest number left in the table, so were that row deleted, the
/// next row could get a number that a verifier has already read past, and the catch-up
/// ([`Seen::catch_up`]), which reads the rows numbered above the last one it saw, would never
/// see it. The row kept was issued before `?1` and so lies outside the replay window of every
/// later instant: it refuses no request there.
///
/// At most `?2` rows go per statement, each in a transaction of its own, so that a prune of a
/// large store holds the store's write lock only briefly at a time: commits of accepted
/// nonces go on between the chunks.
const PRUNE: &str = "
DELETE FROM accepted WHERE seq IN (
    SELECT seq FROM accepted
    WHERE issued_at < ?1 AND seq < (SELECT max(seq) FROM accepted)
    LIMIT ?2)";

/// The most rows one transaction of a prune deletes.
const PRUNE_CHUNK: i64 = 4096;

/// The nonces of the store this process knows, each with the latest instant a request with it
/// was issued (a nonce may be accepted again once its last request has left the window).
///
/// Invariant: for every row with `seq <= through` and `issued_at >= from`, `nonces` holds its
/// nonce with that `issued_at` or a later one. (It may hold more: rows issued before `from`,
/// or pruned by another process since; lookups compare the instant with the window, so these
/// change no answer.)
#[derive(Debug)]
struct Seen {
    nonces: HashMap<[u8; 16], i64>,
    /// The rows read are those up to this `seq` ...
    through: i64,
    /// ... issued at this instant (Unix seconds) or later.
    from: i64,
    /// How many nonces were left by the last [`Seen::sweep`].
    after_sweep: usize,
}

/// The index is swept when it holds twice as many nonces as its last sweep left, and at least
/// this many (small in tests, so that the property tests sweep often).
const SWEEP_FLOOR: usize = if cfg!(test) { 2 } else { 4096 };

impl Seen {
    /// Nothing read yet, of a store whose rows go up to `seq` `through`: the invariant holds
    /// with `from` after every instant.
    fn new(through: i64) -> Self {
        Seen {
            nonces: HashMap::new(),
            through,
            from: i64::MAX,
            after_sweep: 0,
        }
    }

    /// Forgets, once the index has doubled since it was last swept, the nonces whose last
    /// request was issued before `window_start`, and reads from there on: the rows of the
    /// store stay, and a later window that starts earlier reads them again
    /// ([`Seen::catch_up`]). So a verifier that never prunes holds in memory about the nonces
    /// of one window, not every nonce it has seen, at a cost per token that does not grow.
    fn sweep(&mut self, window_start: i64) {
        if self.nonces.len() < SWEEP_FLOOR.max(2 * self.after_sweep) {
            return;
        }
        self.nonces
            .retain(|_, issued_at| *issued_at >= window_start);
        self.from = self.from.max(window_start);
        self.after_sweep = self.nonces.len();
    }

    /// Reads what the index lacks to decide requests whose window starts at `window_start`:
    /// the rows issued from then on that it has not read, then every row appended since it
    /// last looked. Called inside an immediate transaction, so no other process appends
    /// meanwhile; afterwards every row of the store issued at `window_start` or later is in
    /// `nonces`.
    fn catch_up(&mut self, tx: &Transaction<'_>, window_start: i64) -> Result<(), Error> {
        if window_start < self.from {
            let mut rows = tx.prepare_cached(WINDOW_ROWS).map_err(Error::sqlite)?;
            let mut rows = rows
                .query((window_start, self.from, self.through))
                .map_err(Error::sqlite)?;
            while let Some(row) = rows.next().map_err(Error::sqlite)? {
                self.note(
                    nonce_of(row.get_ref(0).map_err(Error::sqlite)?)?,
                    row.get(1).map_err(Error::sqlite)?,
                );
            }
            self.from = window_start;
        }
        let mut rows = tx.prepare_cached(NEW_ROWS).map_err(Error::sqlite)?;
        let mut rows = rows.query([self.through]).map_err(Error::sqlite)?;
        while let Some(row) = rows.next().map_err(Error::sqlite)? {
            self.note(
                nonce_of(row.get_ref(1).map_err(Error::sqlite)?)?,
                row.get(2).map_err(Error::sqlite)?,
            );
            self.through = self.through.max(row.get(0).map_err(Error::sqlite)?);
        }
        Ok(())
    }

    /// Notes a request with `nonce` issued at `issued_at`.
    fn note(&mut self, nonce: [u8; 16], issued_at: i64) {
        let latest = self.nonces.entry(nonce).or_insert(issued_at);
        *latest = (*latest).max(issued_at);
    }

    /// Whether a request with `nonce` issued at `window_start` or later was accepted (once
    /// [`Seen::catch_up`] has read the window).
    fn accepted_since(&self, nonce: &[u8; 16], window_start: i64) -> bool {
        self.nonces
            .get(nonce)
            .is_some_and(|&issued_at| issued_at >= window_start)
    }
}

/// A stored nonce, which must be 16 bytes.
fn nonce_of(value: rusqlite::types::ValueRef<'_>) -> Result<[u8; 16], Error> {
    value
        .as_blob()
        .ok()
        .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
        .ok_or_else(|| Error::Corrupt("the replay store holds a nonce that is not 16 bytes".into()))
}

/// The nonces accepted so far, in an SQLite file.
#[derive(Debug)]
pub(crate) struct SqliteStore {
    conn: Connection,
    seen: Seen,
    path: PathBuf,
}

impl SqliteStore {
    /// A new store at `path` (refuses to overwrite a file).
    pub(crate) fn create(path: &Path) -> Result<Self, Error> {
        let conn = create_store(path, KIND, REPLAY_SCHEMA_VERSION, SCHEMA, |_| Ok(()))?;
        Self::with(conn, path)
    }

    /// The existing store at `path`: of schema 3, or of schema 2, used as it is; a store of
    /// schema 1 is upgraded to schema 3 first.
    pub(crate) fn open(path: &Path) -> Result<Self, Error> {
        let conn = match open_store(path, KIND, REPLAY_SCHEMA_VERSION) {
            Err(Error::UnsupportedSchema {
                found: SCHEMA_2, ..
            }) => open_store(path, KIND, SCHEMA_2)?,
            Err(Error::UnsupportedSchema { found: 1, .. }) => {
                let upgrade = [SET_SCHEMA_1_ASIDE, SCHEMA, MOVE_SCHEMA_1_ROWS].concat();
                upgrade_store(path, KIND, 1, REPLAY_SCHEMA_VERSION, &upgrade)?;
                open_store(path, KIND, REPLAY_SCHEMA_VERSION)?
            }
            opened => opened?,
        };
        Self::with(conn, path)
    }

    fn with(conn: Connection, path: &Path) -> Result<Self, Error> {
        let through = conn
            .query_row("SELECT coalesce(max(seq), 0) FROM accepted", (), |r| {
                r.get(0)
            })
            .map_err(Error::sqlite)?;
        Ok(SqliteStore {
            conn,
            seen: Seen::new(through),
            path: path.to_owned(),
        })
    }

    /// The store at `path`, created if there is none yet. A store is put in place complete
    /// (store.rs), so of several processes creating it at once one creates it and the others
    /// open it.
    pub(crate) fn open_or_create(path: &Path) -> Result<Self, Error> {
        if std::fs::symlink_metadata(path).is_err() {
            match Self::create(path) {
                Err(Error::AlreadyExists(_)) => {}
                created => return created,
            }
        }
        Self::open(path)
    }

    /// Records the nonce of every accepted request of `verdicts`, in order, in one immediate
    /// transaction: a nonce of a request accepted before and issued within the replay window
    /// of the verdict (`window` seconds before the instant it was decided at, which is when its
    /// receipt was issued), or earlier in `verdicts`, turns its verdict into
    /// [`Rejection::ReplayedNonce`]. Returns once the transaction is committed. On an error
    /// nothing is recorded and `verdicts` is left as it was.
    pub(crate) fn record(
        &mut self,
        verdicts: &mut [Result<Accepted, Rejection>],
        window: i64,
    ) -> Result<(), Error> {
        // Each verdict's window; the index is brought up to date for the earliest.
        let window_start = |accepted: &Accepted| {
            let decided = accepted.receipt.receipt().issued_at().unix_timestamp();
            decided.saturating_sub(window)
        };
        let Some(earliest) = verdicts.iter().flatten().map(window_start).min() else {
            return Ok(());
        };
        let tx = immediate(&self.conn)?;
        // Rows other processes committed are kept in the index even if this commit fails.
        self.seen.catch_up(&tx, earliest)?;
        let mut replayed = Vec::new();
        let mut fresh: HashMap<[u8; 16], i64> = HashMap::new();
        let mut through = self.seen.through;
        {
            let mut insert = tx.prepare_cached(INSERT).map_err(Error::sqlite)?;
            for (at, verdict) in verdicts.iter().enumerate() {
                let Ok(accepted) = verdict else { continue };
                let request = accepted.purchase.request();
                let nonce = request.nonce().0;
                // Earlier in `verdicts`: accepted a moment ago, within every window.
                if self.seen.accepted_since(&nonce, window_start(accepted))
                    || fresh.contains_key(&nonce)
                {
                    replayed.push(at);
                    continue;
                }
                insert
                    .execute((
                        &nonce[..],
                        request.issued_at_unix(),
                        // Accepted when its receipt was issued.
                        accepted.receipt.receipt().issued_at().unix_timestamp(),
                        &request.offer_digest().0[..],
                        &request.public_key().as_bytes()[..],
                        accepted.receipt.token(),
                    ))
                    .map_err(Error::sqlite)?;
                through = tx.last_insert_rowid();
                fresh.insert(nonce, request.issued_at_unix());
            }
        }
        tx.commit().map_err(Error::sqlite)?;
        for (nonce, issued_at) in fresh {
            self.seen.note(nonce, issued_at);
        }
        self.seen.through = through;
        self.seen.sweep(earliest);
        for at in replayed {
            verdicts[at] = Err(Rejection::ReplayedNonce);
        }
        Ok(())
    }

    /// The receipt token stored when `request` was accepted, if it was: the row with its
    /// issue instant, nonce, buyer's key and offer digest. Only the holder of the buyer's key
    /// can sign a request that matches a row, so a stranger who copies a nonce learns
    /// nothing.
    pub(crate) fn stored_receipt(
        &self,
        request: &PurchaseRequest,
    ) -> Result<Option<String>, Error> {
        let mut query = self
            .conn
            .prepare_cached(STORED_RECEIPT)
            .map_err(Error::sqlite)?;
        let mut rows = query
            .query((
                request.issued_at_unix(),
                &request.nonce().0[..],
                &request.public_key().as_bytes()[..],
                &request.offer_digest().0[..],
            ))
            .map_err(Error::sqlite)?;
        match rows.next().map_err(Error::sqlite)? {
            Some(row) => Ok(Some(row.get(0).map_err(Error::sqlite)?)),
            None => Ok(None),
        }
    }

    /// Refuses every write from now on, as a full disk or a read-only file would.
    #[cfg(test)]
    pub(crate) fn fail_writes(&self) {
        self.conn.pragma_update(None, "query_only", true).unwrap();
    }

    /// Forgets the nonces of requests issued before `before` (Unix seconds); returns how
    /// many were removed from the store. The newest row stays, whenever it was issued
    /// ([`PRUNE`]). The index of this process forgets them too; other processes' indexes keep
    /// them until they prune, which only refuses more.
    pub(crate) fn prune(&mut self, before: i64) -> Result<usize, Error> {
        let mut removed = 0;
        loop {
            let tx = immediate(&self.conn)?;
            let chunk = tx
                .execute(PRUNE, (before, PRUNE_CHUNK))
                .map_err(Error::sqlite)?;
            tx.commit().map_err(Error::sqlite)?;
            removed += chunk;
            if i64::try_from(chunk).is_ok_and(|chunk| chunk < PRUNE_CHUNK) {
                break;
            }
        }
        self.seen.nonces.retain(|_, issued_at| *issued_at >= before);
        Ok(removed)
    }

    /// Another connection to the same file, e.g. to prune it while this one commits.
    pub(crate) fn reopen(&self) -> Result<Self, Error> {
        Self::open(&self.path)
    }
}

#[cfg(test)]
mod tests {
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
            let mut probe =
                Verifier::create(merchant(), &dir.path().join("probe.db"), SKEW).unwrap();
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
}
