//! New files this crate creates (a store, the merchant's key): built complete under a
//! temporary name in the directory they go to, readable by their owner only, flushed to disk,
//! and then linked into place in one step that never replaces an existing file; the directory
//! is flushed after. A process killed while creating leaves nothing at the path, or the
//! complete file (and at worst a `.NAME.*.tmp` file beside it, which nothing reads).

use std::path::Path;

use tempfile::NamedTempFile;

use crate::error::Error;

/// A new, empty file with mode 0600 (on Unix) under a temporary name in the directory of
/// `path`, to be put in place by [`persist_new`]. Refuses at once when `path` exists.
pub(crate) fn new_temp_for(path: &Path) -> Result<NamedTempFile, Error> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(Error::AlreadyExists(path.to_owned()));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "new".into(), |name| name.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file beside", path, e))
}

/// Flushes `temp` to disk and links it at `path`, which must not exist (nothing is ever
/// replaced); then flushes the directory, so that the new name survives a crash too.
pub(crate) fn persist_new(temp: NamedTempFile, path: &Path) -> Result<(), Error> {
    temp.as_file()
        .sync_all()
        .map_err(|e| Error::io("flush", temp.path(), e))?;
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::AlreadyExists(path.to_owned())
        } else {
            Error::io("create", path, e.error)
        }
    })?;
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|dir| dir.sync_all())
            .map_err(|e| Error::io("flush the directory of", path, e))?;
    }
    Ok(())
}
