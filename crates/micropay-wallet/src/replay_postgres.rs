//! The replay store on PostgreSQL, shared by the verifiers of any number of processes on any
//! number of hosts (docs/wallet.md says what that needs).
//!
//! One table, keyed by the nonce. A batch of accepted requests is claimed by one statement,
//! one round trip and one transaction (group commit): `INSERT … ON CONFLICT (nonce) DO
//! UPDATE … WHERE` the row there was issued before the new request's replay window, `RETURNING`
//! the nonces claimed. The receipt is a column of the row that claims the nonce, so it is
//! committed with the claim or not at all; a nonce not returned was taken by a request
//! within the window (`replayed-nonce`). An existing row outside the window is replaced, as if
//! it had been pruned: the same decisions as the SQLite store (replay.rs), whether or not
//! anyone pruned. The statement's rows are sorted by nonce, so that two servers' batches lock
//! in the same order and never deadlock each other.
//!
//! The sessions run with `synchronous_commit = on` (unless the URL's `options` set it): a
//! claim is on disk, and on the synchronous standbys if any, before its receipt is returned.
//!
//! The calls are synchronous, as those of the SQLite store: the driver (tokio-postgres) and
//! its pool (deadpool-postgres) run on a small runtime of the store's own, and a caller waits
//! for its answer, so the store works in a plain program and in a blocking task of a server
//! alike. A connection that fails is dropped from the pool and a new one is made at the next
//! call: a server restarted or back on the network is used again without restarting the
//! verifier. Every call has a time limit; a call that fails or times out is an
//! [`Error::Postgres`], and whatever its outcome on the server, no receipt leaves the
//! verifier for it (a retry of the same token finds the stored receipt if the claim did
//! commit).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use crate::error::Error;
use crate::token::PurchaseRequest;
use crate::verdict::{Accepted, Rejection};

#[path = "replay_postgres_schema.rs"]
mod schema;

pub use schema::POSTGRES_SCHEMA_VERSION;
use schema::migrate;

/// Claims the nonces of a batch (arrays `$1`..`$6`, sorted by nonce) with `$7` the replay
/// window in seconds; returns the nonces claimed.
const CLAIM: &str = "
INSERT INTO micropay_replay_accepted AS taken
    (nonce, issued_at, accepted_at, offer_digest, public_key, receipt)
SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[], $4::bytea[], $5::bytea[], $6::text[])
ORDER BY 1
ON CONFLICT (nonce) DO UPDATE SET
    issued_at = EXCLUDED.issued_at,
    accepted_at = EXCLUDED.accepted_at,
    offer_digest = EXCLUDED.offer_digest,
    public_key = EXCLUDED.public_key,
    receipt = EXCLUDED.receipt
-- Accepted when its receipt was issued: the window of the verdict starts `$7` before then.
WHERE taken.issued_at < EXCLUDED.accepted_at - $7
RETURNING nonce";

const STORED_RECEIPT: &str = "
SELECT receipt FROM micropay_replay_accepted
WHERE nonce = $1 AND issued_at = $2 AND public_key = $3 AND offer_digest = $4";

/// At most `$2` rows issued before `$1`; rows a claim holds are skipped, never waited for.
const PRUNE: &str = "
DELETE FROM micropay_replay_accepted WHERE nonce IN (
    SELECT nonce FROM micropay_replay_accepted WHERE issued_at < $1
    LIMIT $2 FOR UPDATE SKIP LOCKED)";

const PRUNE_CHUNK: i64 = 4096;

/// How long one call may take, waiting for a connection included.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long making a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections per process: one commits at a time; prunes and receipt lookups beside it.
const POOL_SIZE: usize = 4;
/// How often a claim that lost a deadlock is tried again (none happen with sorted batches;
/// this covers other writers of the table).
const DEADLOCK_RETRIES: usize = 3;

/// A handle on the PostgreSQL store; clones share the pool.
#[derive(Clone)]
pub(crate) struct PostgresStore {
    engine: Arc<Engine>,
}

struct Engine {
    /// `Some` until dropped; shut down in the background, so that a store may be dropped
    /// anywhere, in an async task too.
    runtime: Option<tokio::runtime::Runtime>,
    pool: Pool,
    /// The URL without its password, for messages.
    target: String,
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.engine.target)
            .finish_non_exhaustive()
    }
}

/// Why a call failed, before it is told as an [`Error`].
enum Failure {
    Db(tokio_postgres::Error),
    Pool(deadpool_postgres::PoolError),
    TimedOut,
    Schema(i64),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Db(e)
    }
}

impl Failure {
    fn into_error(self, target: &str) -> Error {
        let reason = match self {
            Failure::Db(e) => match e.as_db_error() {
                Some(db) => format!("{}: {}", db.code().code(), db.message()),
                None => e.to_string(),
            },
            Failure::Pool(e) => e.to_string(),
            Failure::TimedOut => format!("no answer within {} s", CALL_TIMEOUT.as_secs()),
            Failure::Schema(found) => {
                return Error::UnsupportedSchema {
                    found,
                    supported: POSTGRES_SCHEMA_VERSION,
                };
            }
        };
        Error::Postgres {
            store: target.to_owned(),
            reason,
        }
    }
}

/// `url` without the password of its user information or of a `password` parameter.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{hosts}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) if name.eq_ignore_ascii_case("password") => {
                        format!("{name}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://` or `postgresql://`, with the
    /// parameters libpq's URLs take) and creates or migrates the schema; refuses a database
    /// of a newer schema ([`Error::UnsupportedSchema`]).
    pub(crate) fn connect(url: &str) -> Result<Self, Error> {
        let target = redact(url);
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| Error::Postgres {
            store: target.clone(),
            reason: format!("not a PostgreSQL URL: {e}"),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.keepalives_idle(Duration::from_secs(30));
        let options = config.get_options().unwrap_or_default().to_owned();
        if !options.contains("synchronous_commit") {
            config.options(format!("{options} -c synchronous_commit=on").trim_start());
        }
        if config.get_application_name().is_none() {
            config.application_name("micropay-verifier");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("micropay-replay-store")
            .enable_all()
            .build()
            .map_err(|e| Error::Postgres {
                store: target.clone(),
                reason: format!("cannot start the driver's runtime: {e}"),
            })?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(CALL_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| Error::Postgres {
                store: target.clone(),
                reason: e.to_string(),
            })?;
        let store = PostgresStore {
            engine: Arc::new(Engine {
                runtime: Some(runtime),
                pool,
                target,
            }),
        };
        store.call(|pool| async move {
            let mut client = connection(&pool).await?;
            let migrated = timed(migrate(&mut client)).await;
            settle(client, migrated)
        })?;
        Ok(store)
    }

    /// Runs `call` on the store's runtime and waits for its answer.
    fn call<T, F>(&self, call: impl FnOnce(Pool) -> F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, Failure>> + Send + 'static,
    {
        let runtime = self
            .engine
            .runtime
            .as_ref()
            .expect("the runtime lives as long as the store");
        let (tell, told) = std::sync::mpsc::sync_channel(1);
        let future = call(self.engine.pool.clone());
        runtime.spawn(async move {
            let _ = tell.send(future.await);
        });
        match told.recv() {
            Ok(answer) => answer.map_err(|f| f.into_error(&self.engine.target)),
            // The task was dropped: the runtime is shutting down.
            Err(_) => Err(Failure::TimedOut.into_error(&self.engine.target)),
        }
    }

    /// Claims the nonces of the accepted requests of `verdicts` (see the module's text);
    /// on an error nothing is changed in `verdicts`.
    pub(crate) fn record(
        &self,
        verdicts: &mut [Result<Accepted, Rejection>],
        window: i64,
    ) -> Result<(), Error> {
        // The first request with each nonce goes to the database; later ones in the batch
        // are replays of it.
        let mut first: HashMap<[u8; 16], usize> = HashMap::new();
        let mut again = Vec::new();
        let mut rows = Vec::new();
        for (at, verdict) in verdicts.iter().enumerate() {
            let Ok(accepted) = verdict else { continue };
            let request = accepted.purchase.request();
            let nonce = request.nonce().0;
            if first.contains_key(&nonce) {
                again.push(at);
                continue;
            }
            first.insert(nonce, at);
            rows.push(Claim {
                nonce,
                issued_at: request.issued_at_unix(),
                accepted_at: accepted.receipt.receipt().issued_at().unix_timestamp(),
                offer_digest: request.offer_digest().0,
                public_key: request.public_key().to_bytes(),
                receipt: accepted.receipt.token().to_owned(),
            });
        }
        if rows.is_empty() {
            return Ok(());
        }
        rows.sort_by_key(|row| row.nonce);
        let claimed = self.call(move |pool| claim(pool, rows, window))?;
        for (nonce, at) in first {
            if !claimed.contains(&nonce) {
                verdicts[at] = Err(Rejection::ReplayedNonce);
            }
        }
        for at in again {
            verdicts[at] = Err(Rejection::ReplayedNonce);
        }
        Ok(())
    }

    /// The receipt stored for `request`, if its nonce was claimed by it.
    pub(crate) fn stored_receipt(
        &self,
        request: &PurchaseRequest,
    ) -> Result<Option<String>, Error> {
        let key = (
            request.nonce().0.to_vec(),
            request.issued_at_unix(),
            request.public_key().to_bytes().to_vec(),
            request.offer_digest().0.to_vec(),
        );
        self.call(move |pool| async move {
            let client = connection(&pool).await?;
            let found = timed(async {
                let statement = client.prepare_cached(STORED_RECEIPT).await?;
                let row = client
                    .query_opt(&statement, &[&key.0, &key.1, &key.2, &key.3])
                    .await?;
                Ok(row.map(|row| row.get::<_, String>(0)))
            })
            .await;
            settle(client, found)
        })
    }

    /// Deletes the rows issued before `before`, a chunk per transaction, skipping rows that
    /// a claim holds at that moment; returns how many went.
    pub(crate) fn prune(&self, before: i64) -> Result<usize, Error> {
        self.call(move |pool| async move {
            let mut removed = 0;
            loop {
                let client = connection(&pool).await?;
                let chunk = timed(async {
                    let statement = client.prepare_cached(PRUNE).await?;
                    Ok(client.execute(&statement, &[&before, &PRUNE_CHUNK]).await?)
                })
                .await;
                let chunk = settle(client, chunk)?;
                removed += usize::try_from(chunk).unwrap_or(usize::MAX);
                if chunk < PRUNE_CHUNK.unsigned_abs() {
                    return Ok(removed);
                }
            }
        })
    }

    /// Sets the schema version of the database, as a newer build would.
    #[cfg(all(test, feature = "sqlite"))]
    pub(crate) fn set_schema_version(&self, version: i64) -> Result<(), Error> {
        self.call(move |pool| async move {
            let client = connection(&pool).await?;
            let done = timed(async {
                client
                    .execute(
                        "UPDATE micropay_replay_schema SET version = $1",
                        &[&version],
                    )
                    .await?;
                Ok(())
            })
            .await;
            settle(client, done)
        })
    }
}

/// One row of a claim.
struct Claim {
    nonce: [u8; 16],
    issued_at: i64,
    accepted_at: i64,
    offer_digest: [u8; 32],
    public_key: [u8; 32],
    receipt: String,
}

/// A connection from the pool (a new one if none is idle and sound).
async fn connection(pool: &Pool) -> Result<Object, Failure> {
    pool.get().await.map_err(Failure::Pool)
}

/// `call` within [`CALL_TIMEOUT`].
async fn timed<T>(call: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    tokio::time::timeout(CALL_TIMEOUT, call)
        .await
        .unwrap_or(Err(Failure::TimedOut))
}

/// Gives `client` back to the pool after a call that succeeded; after one that failed it is
/// closed instead (it may be broken, or still busy with a call that timed out).
fn settle<T>(client: Object, outcome: Result<T, Failure>) -> Result<T, Failure> {
    if outcome.is_err() {
        drop(Object::take(client));
    }
    outcome
}

/// Claims `rows` in one statement; the nonces claimed.
async fn claim(pool: Pool, rows: Vec<Claim>, window: i64) -> Result<HashSet<[u8; 16]>, Failure> {
    let nonces: Vec<&[u8]> = rows.iter().map(|r| &r.nonce[..]).collect();
    let issued: Vec<i64> = rows.iter().map(|r| r.issued_at).collect();
    let accepted: Vec<i64> = rows.iter().map(|r| r.accepted_at).collect();
    let digests: Vec<&[u8]> = rows.iter().map(|r| &r.offer_digest[..]).collect();
    let keys: Vec<&[u8]> = rows.iter().map(|r| &r.public_key[..]).collect();
    let receipts: Vec<&str> = rows.iter().map(|r| r.receipt.as_str()).collect();
    let mut tries = 0;
    loop {
        let client = connection(&pool).await?;
        let claimed = timed(async {
            let statement = client.prepare_cached(CLAIM).await?;
            let claimed = client
                .query(
                    &statement,
                    &[
                        &nonces, &issued, &accepted, &digests, &keys, &receipts, &window,
                    ],
                )
                .await?;
            Ok(claimed)
        })
        .await;
        match settle(client, claimed) {
            Ok(claimed) => {
                return claimed
                    .iter()
                    .map(|row| {
                        let nonce: &[u8] = row.try_get(0)?;
                        // The table's check keeps nonces at 16 bytes.
                        Ok(<[u8; 16]>::try_from(nonce).unwrap_or_default())
                    })
                    .collect();
            }
            Err(Failure::Db(e))
                if e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED)
                    && tries < DEADLOCK_RETRIES =>
            {
                tries += 1;
            }
            Err(failure) => return Err(failure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://shop:s3cret@db.example:5432/replay?sslmode=disable"),
            "postgres://shop:***@db.example:5432/replay?sslmode=disable"
        );
        assert_eq!(
            redact("postgresql://shop@db.example/replay"),
            "postgresql://shop@db.example/replay"
        );
        assert_eq!(
            redact("postgres:///replay?host=/run/pg"),
            "postgres:///replay?host=/run/pg"
        );
        assert_eq!(
            redact("postgres://a:b@h1,h2/db"),
            "postgres://a:***@h1,h2/db"
        );
    }
}
