//! Files this crate creates and the SQLite settings both of its stores share (the wallet's
//! ledger and the merchant's replay store).
//!
//! Every store is created as a new file readable by its owner only, runs in WAL mode with
//! `synchronous = FULL` (a committed transaction survives a crash of the process or of the
//! machine) and waits for other processes' locks instead of failing (`busy_timeout`).

use std::fs::{File, OpenOptions};
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::error::Error;

/// How long a connection waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_mins(1);

/// Creates a new file with mode 0600 (on Unix); refuses to replace an existing one.
pub(crate) fn create_private_file(path: &Path) -> Result<File, Error> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::AlreadyExists(path.to_owned())
        } else {
            Error::io("create", path, e)
        }
    })
}

/// Creates a new store at `path`: a private file, the given schema and its version row, all
/// in one immediate transaction, plus whatever `init` writes in that same transaction.
pub(crate) fn create_store(
    path: &Path,
    kind: &str,
    version: i64,
    schema: &str,
    init: impl FnOnce(&Connection) -> Result<(), Error>,
) -> Result<Connection, Error> {
    drop(create_private_file(path)?);
    let conn = connect(path)?;
    let tx = rusqlite::Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE store_kind (kind TEXT NOT NULL, version INTEGER NOT NULL) STRICT;",
    )?;
    tx.execute(
        "INSERT INTO store_kind (kind, version) VALUES (?1, ?2)",
        (kind, version),
    )?;
    tx.execute_batch(schema)?;
    init(&tx)?;
    tx.commit()?;
    Ok(conn)
}

/// Opens an existing store, checking that it is a `kind` store of schema `version`.
pub(crate) fn open_store(path: &Path, kind: &str, version: i64) -> Result<Connection, Error> {
    if !path.exists() {
        return Err(Error::io(
            "open",
            path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    let conn = connect(path)?;
    let found: Option<(String, i64)> = conn
        .query_row("SELECT kind, version FROM store_kind", (), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(..) => {
                Error::Corrupt(format!("{} is not a {kind}: {e}", path.display()))
            }
            other => Error::Sqlite(other),
        })?;
    match found {
        Some((found_kind, _)) if found_kind != kind => Err(Error::Corrupt(format!(
            "{} is a {found_kind}, not a {kind}",
            path.display()
        ))),
        Some((_, found)) if found != version => Err(Error::UnsupportedSchema {
            found,
            supported: version,
        }),
        Some(_) => Ok(conn),
        None => Err(Error::Corrupt(format!(
            "{} has no schema version",
            path.display()
        ))),
    }
}

/// Upgrades the `kind` store at `path` from schema `from` to schema `to`: `upgrade` runs and
/// the version row changes in one immediate transaction, so a crash leaves the store as it
/// was, and of several processes opening an old store at once, the first upgrades it and the
/// others find it done. Any other kind or version is left alone for [`open_store`] to report.
pub(crate) fn upgrade_store(
    path: &Path,
    kind: &str,
    from: i64,
    to: i64,
    upgrade: &str,
) -> Result<(), Error> {
    let conn = connect(path)?;
    let tx = immediate(&conn)?;
    let found: Option<(String, i64)> = tx
        .query_row("SELECT kind, version FROM store_kind", (), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    if found.is_some_and(|(k, version)| k == kind && version == from) {
        tx.execute_batch(upgrade)?;
        tx.execute("UPDATE store_kind SET version = ?1", [to])?;
    }
    tx.commit()?;
    Ok(())
}

/// Whether `path` is a database without any table yet: a store another process has created
/// and not yet initialised (see [`create_store`]), or an empty file.
pub(crate) fn is_blank(path: &Path) -> bool {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags)
        .and_then(|conn| {
            conn.query_row("SELECT count(*) FROM sqlite_master", (), |row| {
                row.get::<_, i64>(0)
            })
        })
        .is_ok_and(|tables| tables == 0)
}

/// Opens `path` (which must exist) with the shared settings.
fn connect(path: &Path) -> Result<Connection, Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Corrupt(format!(
            "{} could not be put in WAL mode (journal_mode is {mode})",
            path.display()
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Begins a `BEGIN IMMEDIATE` transaction: the write lock is taken at once (waiting up to the
/// busy timeout), so a read-check-write sequence inside it cannot interleave with another
/// writer's.
pub(crate) fn immediate(conn: &Connection) -> Result<rusqlite::Transaction<'_>, Error> {
    Ok(rusqlite::Transaction::new_unchecked(
        conn,
        TransactionBehavior::Immediate,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_files_are_new_and_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        drop(create_private_file(&path).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(matches!(
            create_private_file(&path),
            Err(Error::AlreadyExists(_))
        ));
    }

    #[test]
    fn stores_check_kind_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(
            create_store(
                &path,
                "test-store",
                1,
                "CREATE TABLE t (x INTEGER);",
                |_| Ok(()),
            )
            .unwrap(),
        );
        assert!(open_store(&path, "test-store", 1).is_ok());
        assert!(matches!(
            open_store(&path, "other-store", 1),
            Err(Error::Corrupt(_))
        ));
        assert!(matches!(
            open_store(&path, "test-store", 2),
            Err(Error::UnsupportedSchema {
                found: 1,
                supported: 2
            })
        ));
        assert!(matches!(
            open_store(&dir.path().join("missing.db"), "test-store", 1),
            Err(Error::Io { .. })
        ));
        assert!(!is_blank(&path));
        let blank = dir.path().join("blank.db");
        drop(create_private_file(&blank).unwrap());
        assert!(is_blank(&blank));
        let junk = dir.path().join("junk.db");
        std::fs::write(
            &junk,
            b"this is not a database, just some text that is long enough",
        )
        .unwrap();
        assert!(open_store(&junk, "test-store", 1).is_err());
        assert!(!is_blank(&junk));
    }
}
