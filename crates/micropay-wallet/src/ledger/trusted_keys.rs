//! The ledger's table of the merchant keys the wallet trusts ([`KeyTrust`], trust.rs).

use ed25519_dalek::VerifyingKey;
use rusqlite::{Connection, OptionalExtension};
use time::OffsetDateTime;

use crate::canon;
use crate::error::Error;
use crate::origin::MerchantOrigin;
use crate::trust::{KeyTrust, TrustedKey};

/// The table of schema 2 of the ledger.
pub(crate) const TRUSTED_KEYS_TABLE: &str = "
CREATE TABLE trusted_keys (
    merchant_origin TEXT NOT NULL,
    public_key BLOB NOT NULL,
    trust TEXT NOT NULL,
    trusted_at INTEGER NOT NULL,
    PRIMARY KEY (merchant_origin, public_key)
) STRICT;
";

/// Whether `key` is trusted for `origin`.
pub(crate) fn is_trusted(
    conn: &Connection,
    origin: &MerchantOrigin,
    key: &VerifyingKey,
) -> Result<bool, Error> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM trusted_keys WHERE merchant_origin = ?1 AND public_key = ?2",
            (origin.as_str(), &key.as_bytes()[..]),
            |_| Ok(()),
        )
        .optional()
        .map_err(Error::sqlite)?
        .is_some())
}

/// Trusts `key` for `origin` as `trust` says (a key trusted before keeps its first record);
/// returns the record.
pub(crate) fn trust(
    conn: &Connection,
    origin: &MerchantOrigin,
    key: &VerifyingKey,
    trust: KeyTrust,
) -> Result<TrustedKey, Error> {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    conn.execute(
        "INSERT INTO trusted_keys (merchant_origin, public_key, trust, trusted_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        (origin.as_str(), &key.as_bytes()[..], trust.code(), now),
    )
    .map_err(Error::sqlite)?;
    let mut found = read(
        conn,
        "WHERE merchant_origin = ?1 AND public_key = ?2",
        (origin.as_str(), &key.as_bytes()[..]),
    )?;
    found
        .pop()
        .ok_or_else(|| Error::Corrupt("a trusted key was not stored".into()))
}

/// Every trusted key, by origin, then in the order trusted.
pub(crate) fn trusted_keys(conn: &Connection) -> Result<Vec<TrustedKey>, Error> {
    read(conn, "", ())
}

fn read(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<TrustedKey>, Error> {
    let mut statement = conn
        .prepare(&format!(
            "SELECT merchant_origin, public_key, trust, trusted_at FROM trusted_keys {filter}
         ORDER BY merchant_origin, trusted_at, rowid"
        ))
        .map_err(Error::sqlite)?;
    let rows = statement
        .query_map(params, |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Vec<u8>>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
            ))
        })
        .map_err(Error::sqlite)?;
    let mut keys = Vec::new();
    for row in rows {
        let (origin, key, trust, at) = row.map_err(Error::sqlite)?;
        let corrupt = |what: &str| Error::Corrupt(format!("a trusted key has {what}"));
        keys.push(TrustedKey {
            merchant_origin: MerchantOrigin::parse(&origin)
                .map_err(|_| corrupt("an unreadable origin"))?,
            public_key: <[u8; 32]>::try_from(key.as_slice())
                .ok()
                .and_then(|bytes| canon::canonical_public_key(&bytes))
                .ok_or_else(|| corrupt("an unreadable key"))?,
            trust: KeyTrust::from_code(&trust).ok_or_else(|| corrupt("an unknown trust code"))?,
            trusted_at: OffsetDateTime::from_unix_timestamp(at)
                .map_err(|_| corrupt("an unreadable instant"))?,
        });
    }
    Ok(keys)
}
