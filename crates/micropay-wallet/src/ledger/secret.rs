//! The ledger's master secret as stored: in the clear (`master`, 32 bytes) or sealed under a
//! passphrase (`master-sealed`, sealed.rs), exactly one of the two in the `secrets` table.

use std::path::Path;

use rusqlite::Connection;
use zeroize::Zeroizing;

use super::{Ledger, PLAIN, SEALED};
use crate::error::Error;
use crate::keys::MasterSecret;
use crate::sealed::{self, Passphrase};
use crate::store::immediate;

impl Ledger {
    /// Creates a new ledger with a fresh master secret, stored sealed under `passphrase`
    /// (Argon2id and XChaCha20-Poly1305, docs/wallet.md); refuses to overwrite a file. The
    /// secret is never written in the clear.
    pub fn create_encrypted(path: &Path, passphrase: &Passphrase) -> Result<Self, Error> {
        Self::create_encrypted_with_master_secret(path, &MasterSecret::generate()?, passphrase)
    }

    /// [`Ledger::create_encrypted`] holding `secret` (restoring a backup).
    pub fn create_encrypted_with_master_secret(
        path: &Path,
        secret: &MasterSecret,
        passphrase: &Passphrase,
    ) -> Result<Self, Error> {
        Self::create_holding(path, SEALED, &sealed::seal(secret, passphrase)?)
    }

    /// The master secret stored in the ledger; [`Error::PassphraseRequired`] when it is
    /// encrypted (see [`Ledger::unlock`]).
    pub fn master_secret(&self) -> Result<MasterSecret, Error> {
        match read_secret(&self.conn)? {
            StoredSecret::Plain(secret) => Ok(secret),
            StoredSecret::Sealed(_) => Err(Error::PassphraseRequired),
        }
    }

    /// Whether the master secret is encrypted under a passphrase.
    pub fn is_encrypted(&self) -> Result<bool, Error> {
        Ok(matches!(read_secret(&self.conn)?, StoredSecret::Sealed(_)))
    }

    /// The master secret, decrypted in memory with `passphrase` when it is encrypted
    /// ([`Error::WrongPassphrase`] when the passphrase does not open it); a secret stored in
    /// the clear is returned as it is.
    pub fn unlock(&self, passphrase: &Passphrase) -> Result<MasterSecret, Error> {
        match read_secret(&self.conn)? {
            StoredSecret::Plain(secret) => Ok(secret),
            StoredSecret::Sealed(sealed) => sealed::unseal(&sealed, passphrase),
        }
    }

    /// Sets, changes or removes the passphrase: `current` opens the secret when it is
    /// encrypted; `new` seals it (`None`: it is stored in the clear). A wrong `current`
    /// changes nothing ([`Error::WrongPassphrase`]). The key derivations run before the
    /// write transaction, which replaces the stored form only if it is still the one read,
    /// with SQLite's `secure_delete` on so the replaced bytes are overwritten in the file.
    pub fn change_passphrase(
        &mut self,
        current: Option<&Passphrase>,
        new: Option<&Passphrase>,
    ) -> Result<(), Error> {
        let stored = read_secret(&self.conn)?;
        let secret = match (&stored, current) {
            (StoredSecret::Plain(secret), _) => secret.clone(),
            (StoredSecret::Sealed(sealed), Some(passphrase)) => sealed::unseal(sealed, passphrase)?,
            (StoredSecret::Sealed(_), None) => return Err(Error::PassphraseRequired),
        };
        let (name, value) = match new {
            Some(passphrase) => (SEALED, Zeroizing::new(sealed::seal(&secret, passphrase)?)),
            None => (PLAIN, Zeroizing::new(secret.as_bytes().to_vec())),
        };
        self.conn
            .pragma_update(None, "secure_delete", true)
            .map_err(Error::sqlite)?;
        let tx = immediate(&self.conn)?;
        if !read_secret(&tx)?.same_as(&stored) {
            return Err(Error::Corrupt(
                "the master secret changed while its passphrase was being changed".into(),
            ));
        }
        tx.execute(
            "DELETE FROM secrets WHERE name IN ('master', 'master-sealed')",
            (),
        )
        .map_err(Error::sqlite)?;
        tx.execute(
            "INSERT INTO secrets (name, value) VALUES (?1, ?2)",
            (name, &value[..]),
        )
        .map_err(Error::sqlite)?;
        tx.commit().map_err(Error::sqlite)?;
        // Fold the log into the file and empty it, so that the replaced form is gone from the
        // log as well (best effort: another process may hold the log open).
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", (), |_| Ok(()));
        Ok(())
    }
}

/// The master secret as stored: in the clear, or sealed under a passphrase.
enum StoredSecret {
    Plain(MasterSecret),
    Sealed(Zeroizing<Vec<u8>>),
}

impl StoredSecret {
    /// Whether both are the same stored form (the same bytes).
    fn same_as(&self, other: &StoredSecret) -> bool {
        match (self, other) {
            (StoredSecret::Plain(a), StoredSecret::Plain(b)) => a.as_bytes() == b.as_bytes(),
            (StoredSecret::Sealed(a), StoredSecret::Sealed(b)) => a == b,
            _ => false,
        }
    }
}

fn read_secret(conn: &Connection) -> Result<StoredSecret, Error> {
    let mut statement = conn
        .prepare("SELECT name, value FROM secrets WHERE name IN ('master', 'master-sealed')")
        .map_err(Error::sqlite)?;
    let rows = statement
        .query_map((), |row| {
            Ok((
                row.get::<_, String>(0)?,
                Zeroizing::new(row.get::<_, Vec<u8>>(1)?),
            ))
        })
        .map_err(Error::sqlite)?;
    let mut found = Vec::new();
    for row in rows {
        found.push(row.map_err(Error::sqlite)?);
    }
    match found.pop() {
        Some((name, value)) if found.is_empty() => {
            if name == SEALED {
                return Ok(StoredSecret::Sealed(value));
            }
            let bytes: [u8; 32] = value
                .as_slice()
                .try_into()
                .map_err(|_| Error::Corrupt("the master secret is not 32 bytes".into()))?;
            Ok(StoredSecret::Plain(MasterSecret::from_bytes(bytes)))
        }
        Some(_) => Err(Error::Corrupt(
            "the ledger holds its master secret both in the clear and encrypted".into(),
        )),
        None => Err(Error::Corrupt("the ledger has no master secret".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passphrase_is_set_changed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wallet.db");
        let master = MasterSecret::from_bytes([6; 32]);
        let mut ledger = Ledger::create_with_master_secret(&path, &master).unwrap();
        let (first, second) = (Passphrase::new("first"), Passphrase::new("second"));
        ledger.change_passphrase(None, Some(&first)).unwrap();
        assert!(ledger.is_encrypted().unwrap());
        // A wrong or missing current passphrase changes nothing.
        assert!(matches!(
            ledger.change_passphrase(Some(&second), None),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(
            ledger.change_passphrase(None, None),
            Err(Error::PassphraseRequired)
        ));
        assert_eq!(ledger.unlock(&first).unwrap().as_bytes(), master.as_bytes());
        ledger
            .change_passphrase(Some(&first), Some(&second))
            .unwrap();
        assert!(matches!(ledger.unlock(&first), Err(Error::WrongPassphrase)));
        assert_eq!(
            ledger.unlock(&second).unwrap().as_bytes(),
            master.as_bytes()
        );
        ledger.change_passphrase(Some(&second), None).unwrap();
        assert!(!ledger.is_encrypted().unwrap());
        assert_eq!(
            ledger.master_secret().unwrap().as_bytes(),
            master.as_bytes()
        );
        // Sealed again, the file no longer holds the secret in the clear.
        ledger.change_passphrase(None, Some(&first)).unwrap();
        drop(ledger);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(32).any(|w| w == [6; 32]));
    }
}
