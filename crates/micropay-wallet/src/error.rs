//! Failures of a call: the file system, SQLite, PostgreSQL, the operating system's random
//! source, a ledger that is not what this crate wrote, or an input refused by one of the
//! crate's narrower errors ([`OfferError`], [`PolicyError`], [`OriginError`],
//! [`DecodeError`]), each of which converts into [`Error`] so that `?` joins them.
//!
//! A refusal to pay ([`crate::Refusal`]), a merchant's rejection of a token
//! ([`crate::Rejection`]) and a wallet's rejection of a receipt ([`crate::ReceiptRejection`])
//! are answers, not failures: they are returned as data inside `Ok`.

use std::path::PathBuf;

use crate::canon::DecodeError;
use crate::offer::OfferError;
use crate::origin::OriginError;
use crate::policy::PolicyError;

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
    Random(#[source] RandomError),
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
    /// A link or its fields make no offer a wallet can act on.
    #[error("no offer: {0}")]
    Offer(#[from] OfferError),
    /// A policy setting was refused.
    #[error("policy: {0}")]
    Policy(#[from] PolicyError),
    /// A text is not a merchant origin.
    #[error(transparent)]
    Origin(#[from] OriginError),
    /// A token, a receipt or a key is not in its canonical encoding.
    #[error("not canonical: {0}")]
    Decode(#[from] DecodeError),
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

/// A failure of the operating system's random source: its message, with the underlying
/// error as the [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct RandomError(getrandom::Error);

impl std::fmt::Display for RandomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for RandomError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl Error {
    /// Wraps an error of SQLite.
    #[cfg(feature = "sqlite")]
    pub(crate) fn sqlite(error: rusqlite::Error) -> Self {
        Error::Sqlite(SqliteError(error))
    }

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
    getrandom::fill(buf).map_err(|e| Error::Random(RandomError(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MerchantOrigin, SignedPurchaseRequest, Wallet};

    /// Each narrower error joins [`Error`] through `?`, and says the same.
    #[test]
    fn every_narrower_error_converts_with_question_mark() {
        fn origin() -> Result<MerchantOrigin, Error> {
            Ok(MerchantOrigin::parse("not an origin")?)
        }
        fn wallet() -> Result<Wallet, Error> {
            Ok(Wallet::parse("no-scheme=USD")?)
        }
        fn token() -> Result<SignedPurchaseRequest, Error> {
            Ok(SignedPurchaseRequest::from_token("!")?)
        }
        assert!(matches!(origin(), Err(Error::Origin(_))));
        assert!(matches!(wallet(), Err(Error::Policy(_))));
        assert!(matches!(token(), Err(Error::Decode(DecodeError::Base64))));
        let offer: Error = OfferError::NoPaymentSystem.into();
        assert_eq!(offer.to_string(), "no offer: no payment system offered");
        assert_eq!(
            origin().unwrap_err().to_string(),
            MerchantOrigin::parse("not an origin")
                .unwrap_err()
                .to_string()
        );
    }
}
