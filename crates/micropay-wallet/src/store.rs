//! The SQLite settings both of this crate's stores share (the wallet's ledger and the
//! merchant's replay store); a new store file is created as every new file is (files.rs).
//!
//! Before anything writes to an existing file, [`inspect`] checks, without writing, that it is
//! ours: an SQLite database (its 16-byte header) holding our `store_kind` row, read through a
//! read-only connection. A file that is not ours is left exactly as it was. Every store runs in
//! WAL mode with `synchronous = FULL` (a committed transaction survives a crash of the process
//! or of the machine) and waits for other processes' locks instead of failing
//! (`busy_timeout`).

use std::fs::File;
use std::io::Read as _;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::error::Error;
use crate::files::{new_temp_for, persist_new};

/// How long a connection waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_mins(1);

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The files SQLite may keep beside a database, by suffix.
const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Creates a new store at `path`: the given schema and its version row, plus whatever `init`
/// writes, in one transaction, on a file built under a temporary name, switched to WAL mode
/// and closed (SQLite then folds its log into the file and removes its side files), then put
/// in place by [`persist_new`]. Refuses to replace an existing file.
pub(crate) fn create_store(
    path: &Path,
    kind: &str,
    version: i64,
    schema: &str,
    init: impl FnOnce(&Connection) -> Result<(), Error>,
) -> Result<Connection, Error> {
    let temp = new_temp_for(path)?;
    let built = build_store(temp.path(), kind, version, schema, init);
    // Whatever happened, no side file of the temporary name is left behind.
    for suffix in SIDE_FILES {
        let mut side = temp.path().as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io("remove", side, e));
            }
            _ => {}
        }
    }
    built?;
    persist_new(temp, path)?;
    open_store(path, kind, version)
}

/// Writes a complete store into the empty file at `path` and closes it.
fn build_store(
    path: &Path,
    kind: &str,
    version: i64,
    schema: &str,
    init: impl FnOnce(&Connection) -> Result<(), Error>,
) -> Result<(), Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(Error::sqlite)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(Error::sqlite)?;
    write_schema(&conn, kind, version, schema, init)?;
    set_wal(&conn, path)?;
    conn.close().map_err(|(_, e)| Error::sqlite(e))
}

/// A new `kind` store in memory, with the given schema and whatever `init` writes: gone when
/// the connection is dropped (examples and tests).
pub(crate) fn create_in_memory(
    kind: &str,
    version: i64,
    schema: &str,
    init: impl FnOnce(&Connection) -> Result<(), Error>,
) -> Result<Connection, Error> {
    let conn = Connection::open_in_memory().map_err(Error::sqlite)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(Error::sqlite)?;
    write_schema(&conn, kind, version, schema, init)?;
    Ok(conn)
}

/// The `store_kind` row, `schema` and what `init` writes, in one transaction.
fn write_schema(
    conn: &Connection,
    kind: &str,
    version: i64,
    schema: &str,
    init: impl FnOnce(&Connection) -> Result<(), Error>,
) -> Result<(), Error> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .map_err(Error::sqlite)?;
    tx.execute_batch(
        "CREATE TABLE store_kind (kind TEXT NOT NULL, version INTEGER NOT NULL) STRICT;",
    )
    .map_err(Error::sqlite)?;
    tx.execute(
        "INSERT INTO store_kind (kind, version) VALUES (?1, ?2)",
        (kind, version),
    )
    .map_err(Error::sqlite)?;
    tx.execute_batch(schema).map_err(Error::sqlite)?;
    init(&tx)?;
    tx.commit().map_err(Error::sqlite)?;
    Ok(())
}

/// Checks, without writing anything, that `path` is a `kind` store: an SQLite file whose
/// `store_kind` row names `kind`. Returns its schema version.
///
/// A database in WAL mode with no log beside it is read as an immutable file, so that SQLite
/// creates no side file next to a database that may be another program's; with a log (a
/// process has it open, or crashed), it is read through an ordinary read-only connection.
pub(crate) fn inspect(path: &Path, kind: &str) -> Result<i64, Error> {
    let not_ours =
        |why: String| Error::Corrupt(format!("{} is not a {kind}: {why}", path.display()));
    let mut header = [0u8; 20];
    let file = File::open(path).map_err(|e| Error::io("open", path, e))?;
    let complete = file
        .take(header.len() as u64)
        .read(&mut header)
        .is_ok_and(|n| n == header.len());
    if !complete || &header[..16] != SQLITE_HEADER {
        return Err(not_ours("not an SQLite database".into()));
    }
    let mut log = path.as_os_str().to_owned();
    log.push("-wal");
    let wal_mode = header[18] == 2 && header[19] == 2;
    let conn = if wal_mode && std::fs::symlink_metadata(&log).is_err() {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        Connection::open_with_flags(format!("{}?immutable=1", file_uri(path)), flags)
            .map_err(Error::sqlite)?
    } else {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(Error::sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(Error::sqlite)?;
        conn
    };
    let found: Option<(String, i64)> = conn
        .query_row("SELECT kind, version FROM store_kind", (), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(|e| not_ours(e.to_string()))?;
    conn.close().map_err(|(_, e)| Error::sqlite(e))?;
    match found {
        Some((found_kind, _)) if found_kind != kind => Err(Error::Corrupt(format!(
            "{} is a {found_kind}, not a {kind}",
            path.display()
        ))),
        Some((_, version)) => Ok(version),
        None => Err(not_ours("it has no schema version".into())),
    }
}

/// `file:` followed by `path`, its bytes percent-encoded except letters, digits, `/`, `-`,
/// `.`, `_` and `~` (SQLite's URI filenames).
fn file_uri(path: &Path) -> String {
    use std::fmt::Write as _;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut uri = String::from("file:");
    for &byte in absolute.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

/// Opens an existing `kind` store for reading only, after [`inspect`]: nothing is written to
/// it. Returns the connection and the store's schema version.
pub(crate) fn open_store_read_only(path: &Path, kind: &str) -> Result<(Connection, i64), Error> {
    let version = inspect(path, kind)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(Error::sqlite)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(Error::sqlite)?;
    Ok((conn, version))
}

/// Opens an existing store for reading and writing, checking first ([`inspect`]) that it is a
/// `kind` store of schema `version`.
pub(crate) fn open_store(path: &Path, kind: &str, version: i64) -> Result<Connection, Error> {
    let found = inspect(path, kind)?;
    if found != version {
        return Err(Error::UnsupportedSchema {
            found,
            supported: version,
        });
    }
    connect(path)
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
        .optional()
        .map_err(Error::sqlite)?;
    if found.is_some_and(|(k, version)| k == kind && version == from) {
        tx.execute_batch(upgrade).map_err(Error::sqlite)?;
        tx.execute("UPDATE store_kind SET version = ?1", [to])
            .map_err(Error::sqlite)?;
    }
    tx.commit().map_err(Error::sqlite)?;
    Ok(())
}

/// Opens `path` (which must exist) with the shared settings.
fn connect(path: &Path) -> Result<Connection, Error> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(Error::sqlite)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(Error::sqlite)?;
    set_wal(&conn, path)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(Error::sqlite)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(Error::sqlite)?;
    Ok(conn)
}

/// Puts the database of `conn` in WAL mode (a no-op when it is).
fn set_wal(conn: &Connection, path: &Path) -> Result<(), Error> {
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(Error::sqlite)?;
    if mode.eq_ignore_ascii_case("wal") {
        Ok(())
    } else {
        Err(Error::Corrupt(format!(
            "{} could not be put in WAL mode (journal_mode is {mode})",
            path.display()
        )))
    }
}

/// Begins a `BEGIN IMMEDIATE` transaction: the write lock is taken at once (waiting up to the
/// busy timeout), so a read-check-write sequence inside it cannot interleave with another
/// writer's.
pub(crate) fn immediate(conn: &Connection) -> Result<rusqlite::Transaction<'_>, Error> {
    rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .map_err(Error::sqlite)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn stores_are_created_complete_private_and_never_over_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let conn = create_store(
            &path,
            "test-store",
            1,
            "CREATE TABLE t (x INTEGER);",
            |_| Ok(()),
        )
        .unwrap();
        drop(conn);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Nothing of the temporary name is left: no file, no log, no shared memory.
        assert!(
            names_in(dir.path())
                .iter()
                .all(|name| name.starts_with("s.db")),
            "{:?}",
            names_in(dir.path())
        );
        // In WAL mode (header bytes 18 and 19 are 2) and complete in the file itself.
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!((bytes[18], bytes[19]), (2, 2));
        assert_eq!(inspect(&path, "test-store").unwrap(), 1);
        // A failed build leaves nothing either.
        let failed = dir.path().join("failed.db");
        assert!(create_store(&failed, "test-store", 1, "NOT SQL;", |_| Ok(())).is_err());
        assert!(
            names_in(dir.path())
                .iter()
                .all(|name| name.starts_with("s.db"))
        );
        let before = std::fs::read(&path).unwrap();
        assert!(matches!(
            create_store(&path, "test-store", 1, "", |_| Ok(())),
            Err(Error::AlreadyExists(_))
        ));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_new_file_never_replaces_one_that_appeared_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        let temp = new_temp_for(&path).unwrap();
        std::fs::write(&path, "someone else's").unwrap();
        assert!(matches!(
            persist_new(temp, &path),
            Err(Error::AlreadyExists(_))
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"someone else's");
        assert_eq!(names_in(dir.path()), ["key"]);
    }

    #[test]
    fn stores_check_kind_and_version_without_writing() {
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
        // Files that are not ours are refused and left as they were.
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        let junk = dir.path().join("junk.db");
        std::fs::write(
            &junk,
            b"this is not a database, just some text that is long enough",
        )
        .unwrap();
        let foreign = dir.path().join("foreign.db");
        {
            let conn = Connection::open(&foreign).unwrap();
            conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');")
                .unwrap();
        }
        for file in [&empty, &junk, &foreign] {
            let before = std::fs::read(file).unwrap();
            assert!(matches!(
                open_store(file, "test-store", 1),
                Err(Error::Corrupt(_))
            ));
            assert_eq!(std::fs::read(file).unwrap(), before, "{}", file.display());
        }
        let others: Vec<String> = names_in(dir.path())
            .into_iter()
            .filter(|name| !name.starts_with("s.db"))
            .collect();
        assert_eq!(others, ["empty.db", "foreign.db", "junk.db"]);
    }
}
