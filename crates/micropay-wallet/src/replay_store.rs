//! The merchant's replay store, one type over three kinds: an SQLite file (the embedded
//! default, shared by the verifier processes of one machine), a PostgreSQL database (shared
//! by the verifiers of many machines) and memory (one process, for tests and examples).
//! [`Verifier`](crate::Verifier), [`ConcurrentVerifier`](crate::ConcurrentVerifier) and the
//! HTTP middleware all take a [`ReplayStore`]; [`ReplayStoreConfig`] reads which one from a
//! command line's `--replay` value. Every kind decides the same way (replay.rs): a nonce is
//! accepted once within the replay window, and the receipt is stored with the nonce.

#[cfg(all(feature = "sqlite", feature = "postgres"))]
use std::fmt;
#[cfg(feature = "sqlite")]
use std::path::Path;
#[cfg(all(feature = "sqlite", feature = "postgres"))]
use std::path::PathBuf;
#[cfg(all(feature = "sqlite", feature = "postgres"))]
use std::str::FromStr;

use crate::error::Error;
#[cfg(feature = "sqlite")]
use crate::replay::SqliteStore;
use crate::replay_memory::MemoryStore;
#[cfg(feature = "postgres")]
use crate::replay_postgres::PostgresStore;
#[cfg(all(feature = "sqlite", feature = "postgres"))]
use crate::replay_postgres::redact;
use crate::token::PurchaseRequest;
use crate::verdict::{Accepted, Rejection};

#[cfg(all(feature = "sqlite", feature = "postgres"))]
/// Where a replay store is: an SQLite file, or a PostgreSQL database.
///
/// Parsed from text ([`FromStr`]): a `postgres://` or `postgresql://` URL names a PostgreSQL
/// database, anything else is the path of an SQLite file. Shown ([`fmt::Display`]) without
/// the URL's password.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplayStoreConfig {
    /// An SQLite file, created on first use.
    Sqlite(PathBuf),
    /// A PostgreSQL database, by its URL (libpq's URL form); the schema is created on first
    /// use.
    Postgres(String),
}

#[cfg(all(feature = "sqlite", feature = "postgres"))]
impl ReplayStoreConfig {
    /// Opens the store, creating the SQLite file or the PostgreSQL schema if there is none
    /// yet.
    pub fn open(&self) -> Result<ReplayStore, Error> {
        match self {
            ReplayStoreConfig::Sqlite(path) => ReplayStore::sqlite(path),
            ReplayStoreConfig::Postgres(url) => ReplayStore::postgres(url),
        }
    }
}

#[cfg(all(feature = "sqlite", feature = "postgres"))]
impl FromStr for ReplayStoreConfig {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        Ok(
            if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
                ReplayStoreConfig::Postgres(s.to_owned())
            } else {
                ReplayStoreConfig::Sqlite(PathBuf::from(s))
            },
        )
    }
}

#[cfg(all(feature = "sqlite", feature = "postgres"))]
impl From<&Path> for ReplayStoreConfig {
    fn from(path: &Path) -> Self {
        ReplayStoreConfig::Sqlite(path.to_owned())
    }
}

#[cfg(all(feature = "sqlite", feature = "postgres"))]
impl fmt::Display for ReplayStoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayStoreConfig::Sqlite(path) => write!(f, "{}", path.display()),
            ReplayStoreConfig::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

#[cfg(all(feature = "sqlite", feature = "postgres"))]
impl fmt::Debug for ReplayStoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayStoreConfig::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            ReplayStoreConfig::Postgres(url) => {
                f.debug_tuple("Postgres").field(&redact(url)).finish()
            }
        }
    }
}

/// The nonces and receipts of the purchase requests a merchant accepted.
///
/// Its calls block until the store has answered (an SQLite commit, a PostgreSQL round
/// trip): in an async server, call the verifier from a blocking task.
#[derive(Debug)]
pub struct ReplayStore {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    #[cfg(feature = "sqlite")]
    Sqlite(SqliteStore),
    Memory(MemoryStore),
    #[cfg(feature = "postgres")]
    Postgres(PostgresStore),
}

impl ReplayStore {
    #[cfg(feature = "sqlite")]
    /// The SQLite store at `path`, created if there is none yet (of several processes
    /// creating it at once, one creates it and the others open it).
    pub fn sqlite(path: &Path) -> Result<Self, Error> {
        Ok(Self::of(Kind::Sqlite(SqliteStore::open_or_create(path)?)))
    }

    #[cfg(feature = "sqlite")]
    /// A new SQLite store at `path`; refuses to overwrite a file.
    pub fn sqlite_create(path: &Path) -> Result<Self, Error> {
        Ok(Self::of(Kind::Sqlite(SqliteStore::create(path)?)))
    }

    #[cfg(feature = "sqlite")]
    /// The existing SQLite store at `path` (upgraded if it is of an older schema).
    pub fn sqlite_open(path: &Path) -> Result<Self, Error> {
        Ok(Self::of(Kind::Sqlite(SqliteStore::open(path)?)))
    }

    /// A new, empty store in memory. Its clones ([`ReplayStore::try_clone`]) share it;
    /// nothing else does, and it is gone when the last handle is.
    pub fn memory() -> Self {
        Self::of(Kind::Memory(MemoryStore::default()))
    }

    #[cfg(feature = "postgres")]
    /// The PostgreSQL store of the database at `url` (`postgres://user@host/db`, libpq's
    /// URL form; no TLS: a unix socket or a trusted network). Connects, creates or migrates
    /// the schema, and refuses a database of a newer schema
    /// ([`Error::UnsupportedSchema`]). An unreachable server is an [`Error::Postgres`].
    pub fn postgres(url: &str) -> Result<Self, Error> {
        Ok(Self::of(Kind::Postgres(PostgresStore::connect(url)?)))
    }

    fn of(kind: Kind) -> Self {
        ReplayStore { kind }
    }

    /// Another handle on the same store: a new connection to the SQLite file; the same pool
    /// of the PostgreSQL store, or the same memory.
    pub fn try_clone(&self) -> Result<Self, Error> {
        Ok(Self::of(match &self.kind {
            #[cfg(feature = "sqlite")]
            Kind::Sqlite(store) => Kind::Sqlite(store.reopen()?),
            Kind::Memory(store) => Kind::Memory(store.clone()),
            #[cfg(feature = "postgres")]
            Kind::Postgres(store) => Kind::Postgres(store.clone()),
        }))
    }

    /// Records the nonce and receipt of every accepted request of `verdicts`, in order: a
    /// nonce accepted before with a request issued within the replay window of the verdict
    /// (`window` seconds before the instant it was decided at), or earlier in `verdicts`,
    /// turns its verdict into [`Rejection::ReplayedNonce`]. Returns once the store has made
    /// it durable; on an error no verdict is changed and no caller may be told it was
    /// accepted.
    // Only the memory store, which cannot fail, without the features.
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres")),
        allow(clippy::unnecessary_wraps)
    )]
    pub(crate) fn record(
        &mut self,
        verdicts: &mut [Result<Accepted, Rejection>],
        window: i64,
    ) -> Result<(), Error> {
        match &mut self.kind {
            #[cfg(feature = "sqlite")]
            Kind::Sqlite(store) => store.record(verdicts, window),
            Kind::Memory(store) => {
                store.record(verdicts, window);
                Ok(())
            }
            #[cfg(feature = "postgres")]
            Kind::Postgres(store) => store.record(verdicts, window),
        }
    }

    /// The receipt token stored when `request` was accepted, if it was.
    // Only the memory store, which cannot fail, without the features.
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres")),
        allow(clippy::unnecessary_wraps)
    )]
    pub(crate) fn stored_receipt(
        &self,
        request: &PurchaseRequest,
    ) -> Result<Option<String>, Error> {
        match &self.kind {
            #[cfg(feature = "sqlite")]
            Kind::Sqlite(store) => store.stored_receipt(request),
            Kind::Memory(store) => Ok(store.stored_receipt(request)),
            #[cfg(feature = "postgres")]
            Kind::Postgres(store) => store.stored_receipt(request),
        }
    }

    /// Forgets the nonces of requests issued before `before` (Unix seconds); returns how
    /// many were removed.
    // Only the memory store, which cannot fail, without the features.
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres")),
        allow(clippy::unnecessary_wraps)
    )]
    pub(crate) fn prune(&mut self, before: i64) -> Result<usize, Error> {
        match &mut self.kind {
            #[cfg(feature = "sqlite")]
            Kind::Sqlite(store) => store.prune(before),
            Kind::Memory(store) => Ok(store.prune(before)),
            #[cfg(feature = "postgres")]
            Kind::Postgres(store) => store.prune(before),
        }
    }

    /// Refuses every write from now on (SQLite only), as a full disk would.
    #[cfg(all(test, feature = "sqlite"))]
    #[allow(clippy::match_wildcard_for_single_variants)] // other kinds by feature
    pub(crate) fn fail_writes(&self) {
        match &self.kind {
            Kind::Sqlite(store) => store.fail_writes(),
            _ => unimplemented!("only the SQLite store fails on demand"),
        }
    }

    /// The SQLite store, for its tests.
    #[cfg(all(test, feature = "sqlite"))]
    #[allow(clippy::match_wildcard_for_single_variants)] // other kinds by feature
    pub(crate) fn as_sqlite(&self) -> Option<&SqliteStore> {
        match &self.kind {
            Kind::Sqlite(store) => Some(store),
            _ => None,
        }
    }

    /// The PostgreSQL store, for its tests.
    #[cfg(all(test, feature = "sqlite", feature = "postgres"))]
    #[allow(clippy::match_wildcard_for_single_variants)] // other kinds by feature
    pub(crate) fn as_postgres(&self) -> Option<&PostgresStore> {
        match &self.kind {
            Kind::Postgres(store) => Some(store),
            _ => None,
        }
    }
}

#[cfg(all(test, feature = "sqlite", feature = "postgres"))]
#[path = "replay_store_tests.rs"]
mod tests;
