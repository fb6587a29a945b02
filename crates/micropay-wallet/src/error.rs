//! Failures of a call: the file system, SQLite, PostgreSQL, the operating system's random source, or a
//! ledger that is not what this crate wrote.
//!
//! A refusal to pay ([`crate::Refusal`]), a merchant's rejection of a token
//! ([`crate::Rejection`]) and a wallet's rejection of a receipt ([`crate::ReceiptRejection`])
//! are answers, not failures: they are returned as data inside `Ok`.

use std::path::PathBuf;

/// Why a call of this crate could not be carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("create", "read", ...).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file that must be new already exists; nothing was overwritten.
    #[error("{0} already exists; refusing to overwrite it")]
    AlreadyExists(PathBuf),
    /// SQLite reported an error.
    #[cfg(feature = "sqlite")]
    #[error("SQLite: {0}")]
    Sqlite(#[source] SqliteError),
    /// The PostgreSQL replay store could not be reached, or failed a call (it is then
    /// unavailable: nothing was accepted that it did not record). Only with the feature
    /// `postgres`.
    #[error("PostgreSQL replay store {store}: {reason}")]
    Postgres {
        /// The database's URL, without its password.
        store: String,
        /// What failed.
        reason: String,
    },
    /// The ledger or replay store does not hold what this crate wrote there.
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// The store was written by a newer (or unknown) schema version.
    #[error("unsupported schema version {found} (this build reads version {supported})")]
    UnsupportedSchema {
        /// The version found in the file.
        found: i64,
        /// The version this build understands.
        supported: i64,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed: {0}")]
    Random(getrandom::Error),
    /// A page could not be read as a document (see `micropay_markup::Error`).
    #[error("cannot extract the page: {0}")]
    Page(#[from] micropay_markup::Error),
    /// The thread committing this token's group in a [`crate::ConcurrentVerifier`]
    /// panicked; no receipt was issued for the token.
    #[error("the commit of this token's group was interrupted; no receipt was issued")]
    CommitInterrupted,
    /// The ledger's master secret is sealed under a passphrase, and none was given.
    #[error("the master secret is encrypted: a passphrase is needed")]
    PassphraseRequired,
    /// The passphrase does not open the sealed master secret (or the seal was altered).
    #[error("wrong passphrase (the encrypted master secret does not open with it)")]
    WrongPassphrase,
    /// A key file is not in the expected format.
    #[error("{path} is not a micropay merchant key file: {reason}")]
    KeyFile {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        reason: &'static str,
    },
}

#[cfg(feature = "sqlite")]
/// An error of SQLite (the ledger, the replay store): its message, with SQLite's own error as
/// the [`source`](std::error::Error::source). The SQLite binding is not part of this crate's
/// API, so it can change without breaking callers.
#[derive(Debug)]
pub struct SqliteError(rusqlite::Error);

#[cfg(feature = "sqlite")]
impl std::fmt::Display for SqliteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(feature = "sqlite")]
impl std::error::Error for SqliteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[cfg(feature = "sqlite")]
/// The crate's own `?` on SQLite calls.
#[doc(hidden)]
impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::Sqlite(SqliteError(error))
    }
}

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(Error::Random)
}
