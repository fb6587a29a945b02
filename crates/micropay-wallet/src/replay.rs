//! The merchant's replay store: the nonces of the purchase requests accepted, in an SQLite
//! file shared by every verifier process of the merchant (store.rs gives the settings).
//!
//! A nonce is recorded in the same immediate transaction that finds it new, and that
//! transaction is committed (`synchronous = FULL`: on disk, not only in the page cache) before
//! any receipt for it is returned. A batch of requests shares one transaction and therefore
//! one disk flush: that is what makes the store's cost per token small next to the signature
//! checks (docs/performance.md), without weakening the guarantee for any single token.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::Error;
use crate::store::{create_store, immediate, is_blank, open_store};
use crate::verifier::{Accepted, Rejection};

const KIND: &str = "micropay-merchant-replay-store";
/// How many times (20 ms apart) [`ReplayStore::open_or_create`] waits for a store another
/// process is creating.
const CREATION_WAITS: u32 = 250;
/// The replay store schema version this build reads and writes.
pub const REPLAY_SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE accepted (
    nonce BLOB PRIMARY KEY,
    issued_at INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    offer_digest BLOB NOT NULL,
    public_key BLOB NOT NULL,
    receipt TEXT NOT NULL
) STRICT;
CREATE INDEX accepted_by_issued_at ON accepted (issued_at);
";

const INSERT: &str = "
INSERT INTO accepted (nonce, issued_at, accepted_at, offer_digest, public_key, receipt)
VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (nonce) DO NOTHING";

/// The nonces accepted so far.
#[derive(Debug)]
pub(crate) struct ReplayStore {
    conn: Connection,
}

impl ReplayStore {
    /// A new store at `path` (refuses to overwrite a file).
    pub(crate) fn create(path: &Path) -> Result<Self, Error> {
        let conn = create_store(path, KIND, REPLAY_SCHEMA_VERSION, SCHEMA, |_| Ok(()))?;
        Ok(ReplayStore { conn })
    }

    /// The existing store at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self, Error> {
        let conn = open_store(path, KIND, REPLAY_SCHEMA_VERSION)?;
        Ok(ReplayStore { conn })
    }

    /// The store at `path`, created if there is none yet. When several processes create it
    /// at once, one creates it and the others wait for it to be ready.
    pub(crate) fn open_or_create(path: &Path) -> Result<Self, Error> {
        if !path.exists() {
            match Self::create(path) {
                Err(Error::AlreadyExists(_)) => {}
                created => return created,
            }
        }
        // Another process may have just created the file and not yet written its schema.
        let mut attempts = 0;
        loop {
            match Self::open(path) {
                Err(Error::Corrupt(_)) if attempts < CREATION_WAITS && is_blank(path) => {
                    attempts += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    /// Records the nonce of every accepted request of `verdicts`, in order, in one immediate
    /// transaction: a nonce already in the store, or earlier in `verdicts`, turns its verdict
    /// into [`Rejection::ReplayedNonce`]. Returns once the transaction is committed. On an
    /// error nothing is recorded and `verdicts` is left as it was.
    pub(crate) fn record(&self, verdicts: &mut [Result<Accepted, Rejection>]) -> Result<(), Error> {
        if verdicts.iter().all(Result::is_err) {
            return Ok(());
        }
        let mut replayed = Vec::new();
        let tx = immediate(&self.conn)?;
        {
            let mut insert = tx.prepare_cached(INSERT)?;
            for (at, verdict) in verdicts.iter().enumerate() {
                let Ok(accepted) = verdict else { continue };
                let request = accepted.purchase.request();
                let inserted = insert.execute((
                    &request.nonce().0[..],
                    request.issued_at_unix(),
                    // Accepted when its receipt was issued.
                    accepted.receipt.receipt().issued_at().unix_timestamp(),
                    &request.offer_digest().0[..],
                    &request.public_key().as_bytes()[..],
                    accepted.receipt.to_token(),
                ))?;
                if inserted == 0 {
                    replayed.push(at);
                }
            }
        }
        tx.commit()?;
        for at in replayed {
            verdicts[at] = Err(Rejection::ReplayedNonce);
        }
        Ok(())
    }

    /// Refuses every write from now on, as a full disk or a read-only file would.
    #[cfg(test)]
    pub(crate) fn fail_writes(&self) {
        self.conn.pragma_update(None, "query_only", true).unwrap();
    }

    /// Forgets the nonces of requests issued before `before` (Unix seconds); returns how
    /// many were removed.
    pub(crate) fn prune(&self, before: i64) -> Result<usize, Error> {
        let tx = immediate(&self.conn)?;
        let removed = tx.execute("DELETE FROM accepted WHERE issued_at < ?1", [before])?;
        tx.commit()?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use crate::verifier::tests::{NOW, offer_with, token, verifier};

    #[test]
    fn a_failed_record_changes_no_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let (catalogue, store) = verifier(&dir, &[&offer]).into_parts();
        let first = token(&offer, "https://ps.example/", 1, NOW);
        let mut verdicts = [
            catalogue.verdict(&first, NOW),
            catalogue.verdict(&first, NOW),
        ];
        let before = verdicts.clone();
        store.fail_writes();
        assert!(store.record(&mut verdicts).is_err());
        assert_eq!(verdicts, before);
    }
}
