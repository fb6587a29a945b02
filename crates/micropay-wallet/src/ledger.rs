//! The wallet's durable ledger: its master secret, the user's policy, every spend (with the
//! token that left), and the receipts merchants returned. One SQLite file (WAL mode,
//! `synchronous = FULL`), readable by its owner only.
//!
//! The spend is recorded before its token is handed out: [`Ledger::reserve_spend`] runs the
//! "already paid?" lookup, the budget check and the insert in one `BEGIN IMMEDIATE`
//! transaction and commits it before returning. Immediate transactions of all processes on
//! one file are serialised by SQLite, so several controllers sharing a ledger never
//! overspend; a process killed at any instant leaves either the whole spend or none of it.

use std::path::{Path, PathBuf};

use micropay_markup::Currency;
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use url::Url;

use crate::canon;
use crate::decide::check_budgets;
use crate::error::Error;
use crate::history::{HistoryEntry, Paid, SpendHistory, SpendRecord};
use crate::keys::MasterSecret;
use crate::refusal::Refusal;

mod receipts;
mod secret;
mod trusted_keys;

use crate::origin::MerchantOrigin;
use crate::policy::Policy;
use crate::receipt::SignedReceipt;
use crate::store::{
    self, create_store, immediate, open_store, open_store_read_only, upgrade_store,
};
use crate::token::SignedPurchaseRequest;
use crate::trust::KeyTrust;
use trusted_keys::TRUSTED_KEYS_TABLE;

const KIND: &str = "micropay-wallet-ledger";
/// The name of the master secret in the clear.
const PLAIN: &str = "master";
/// The name of the sealed master secret.
const SEALED: &str = "master-sealed";
/// The ledger schema version this build reads and writes. Schema 2 added the trusted
/// merchant keys; a ledger of schema 1 is upgraded when it is opened for writing.
pub const LEDGER_SCHEMA_VERSION: i64 = 2;

const SCHEMA_1_TABLES: &str = "
CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE spends (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    merchant_origin TEXT NOT NULL,
    scope TEXT NOT NULL,
    access_until INTEGER,
    currency TEXT NOT NULL,
    amount TEXT NOT NULL,
    nonce BLOB NOT NULL UNIQUE,
    token TEXT NOT NULL
) STRICT;
CREATE INDEX spends_by_currency ON spends (currency, created_at);
CREATE INDEX spends_by_scope ON spends (scope, merchant_origin);
CREATE TABLE receipts (
    spend_id INTEGER PRIMARY KEY REFERENCES spends (id),
    scope TEXT NOT NULL,
    merchant_origin TEXT NOT NULL,
    access_until INTEGER NOT NULL,
    token TEXT NOT NULL
) STRICT;
CREATE INDEX receipts_by_scope ON receipts (scope, merchant_origin, access_until);
";

/// The outcome of [`Ledger::reserve_spend`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reservation {
    /// The spend is committed; its token may be handed out.
    Reserved(Box<SpendRecord>),
    /// Nothing was recorded: an earlier purchase covers the scope.
    AlreadyPaid(Box<Paid>),
    /// Nothing was recorded: a budget would be exceeded.
    Refused(Refusal),
}

/// How [`Ledger::store_receipt`] treats the receipt's merchant key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReceiptKey {
    /// The key must already be trusted for the receipt's origin (`untrusted-merchant-key`
    /// otherwise).
    MustBeTrusted,
    /// The key becomes trusted for the receipt's origin, recorded so, in the transaction that
    /// stores the receipt (nothing is trusted when the receipt is refused).
    Trust(KeyTrust),
}

/// The wallet's ledger file.
#[derive(Debug)]
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    /// The schema of the file (an older one only when opened read-only).
    schema: i64,
}

impl Ledger {
    /// Creates a new ledger with a fresh master secret; refuses to overwrite a file.
    pub fn create(path: &Path) -> Result<Self, Error> {
        Self::create_with_master_secret(path, &MasterSecret::generate()?)
    }

    /// Creates a new ledger holding `secret` (restoring a backup, test vectors).
    pub fn create_with_master_secret(path: &Path, secret: &MasterSecret) -> Result<Self, Error> {
        Self::create_holding(path, PLAIN, &secret.as_bytes()[..])
    }

    /// A new ledger in memory with a fresh master secret, for examples and tests: nothing is
    /// written to disk, and everything is gone when it is dropped. Its [`Ledger::path`] is
    /// `:memory:`.
    pub fn in_memory() -> Result<Self, Error> {
        let master = MasterSecret::generate()?;
        let conn = store::create_in_memory(KIND, LEDGER_SCHEMA_VERSION, &Self::schema(), |conn| {
            Self::hold(conn, PLAIN, &master.as_bytes()[..])
        })?;
        Ok(Ledger {
            conn,
            path: PathBuf::from(":memory:"),
            schema: LEDGER_SCHEMA_VERSION,
        })
    }

    /// The tables of a new ledger.
    fn schema() -> String {
        [SCHEMA_1_TABLES, TRUSTED_KEYS_TABLE].concat()
    }

    /// Stores `value` under `name` in the `secrets` table of a new ledger.
    fn hold(conn: &Connection, name: &str, value: &[u8]) -> Result<(), Error> {
        conn.execute(
            "INSERT INTO secrets (name, value) VALUES (?1, ?2)",
            (name, value),
        )
        .map_err(Error::sqlite)?;
        Ok(())
    }

    /// Creates a new ledger whose `secrets` table holds `value` under `name`.
    fn create_holding(path: &Path, name: &str, value: &[u8]) -> Result<Self, Error> {
        let conn = create_store(path, KIND, LEDGER_SCHEMA_VERSION, &Self::schema(), |conn| {
            Self::hold(conn, name, value)
        })?;
        Ok(Ledger {
            conn,
            path: path.to_owned(),
            schema: LEDGER_SCHEMA_VERSION,
        })
    }

    /// Opens an existing ledger; one of schema 1 is upgraded to schema 2 first (in one
    /// transaction: the table of trusted keys is added, empty, so the merchant keys of the
    /// receipts stored before are not trusted by the upgrade).
    pub fn open(path: &Path) -> Result<Self, Error> {
        let conn = match open_store(path, KIND, LEDGER_SCHEMA_VERSION) {
            Err(Error::UnsupportedSchema { found: 1, .. }) => {
                upgrade_store(path, KIND, 1, LEDGER_SCHEMA_VERSION, TRUSTED_KEYS_TABLE)?;
                open_store(path, KIND, LEDGER_SCHEMA_VERSION)?
            }
            opened => opened?,
        };
        Ok(Ledger {
            conn,
            path: path.to_owned(),
            schema: LEDGER_SCHEMA_VERSION,
        })
    }

    /// Opens an existing ledger for reading only: nothing is ever written to the file (not
    /// even an upgrade of an older schema, which is read as it is), so commands that only
    /// report can read a ledger they must not change. Calls that write fail.
    pub fn open_read_only(path: &Path) -> Result<Self, Error> {
        let (conn, schema) = open_store_read_only(path, KIND)?;
        if !(1..=LEDGER_SCHEMA_VERSION).contains(&schema) {
            return Err(Error::UnsupportedSchema {
                found: schema,
                supported: LEDGER_SCHEMA_VERSION,
            });
        }
        Ok(Ledger {
            conn,
            path: path.to_owned(),
            schema,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored policy; [`Policy::default`] (nothing held) when none was ever stored.
    pub fn policy(&self) -> Result<Policy, Error> {
        read_policy(&self.conn)
    }

    /// Stores `policy`, replacing the stored one.
    pub fn set_policy(&mut self, policy: &Policy) -> Result<(), Error> {
        self.update_policy(|_| policy.clone()).map(drop)
    }

    /// Reads the stored policy, changes it with `change` and stores the result, in one
    /// immediate transaction (two processes amending the policy at once both take effect).
    /// Returns the policy stored.
    pub fn update_policy(
        &mut self,
        change: impl FnOnce(Policy) -> Policy,
    ) -> Result<Policy, Error> {
        let tx = immediate(&self.conn)?;
        let policy = change(read_policy(&tx)?);
        let json = serde_json::to_string(&policy)
            .map_err(|e| Error::Corrupt(format!("the policy cannot be written as JSON: {e}")))?;
        tx.execute(
            "INSERT INTO settings (name, value) VALUES ('policy', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [&json],
        )
        .map_err(Error::sqlite)?;
        tx.commit().map_err(Error::sqlite)?;
        Ok(policy)
    }

    /// The sum spent in `currency` strictly after Unix second `since` (with `origin` only, when
    /// given).
    pub fn spent_since(
        &self,
        currency: Currency,
        since: i64,
        origin: Option<&MerchantOrigin>,
    ) -> Result<Decimal, Error> {
        spent_since(&self.conn, currency, since, origin)
    }

    /// The earlier purchase that still covers `scope` of `origin` at `now`, if any: a stored
    /// receipt with access left, else a spend without receipt whose duration has not ended.
    pub fn already_paid(
        &self,
        scope: &Url,
        origin: &MerchantOrigin,
        now: OffsetDateTime,
    ) -> Result<Option<Paid>, Error> {
        already_paid(&self.conn, scope, origin, now)
    }

    /// In one immediate transaction: the "already paid?" lookup, the budget check of `policy`
    /// at `now`, and the insert of the spend; committed before returning.
    pub fn reserve_spend(
        &mut self,
        policy: &Policy,
        purchase: &SignedPurchaseRequest,
        duration: Option<u64>,
        now: OffsetDateTime,
    ) -> Result<Reservation, Error> {
        let request = purchase.request();
        let tx = immediate(&self.conn)?;
        if let Some(paid) = already_paid(&tx, request.scope(), request.merchant_origin(), now)? {
            return Ok(Reservation::AlreadyPaid(Box::new(paid)));
        }
        let budgets = check_budgets(
            policy,
            request.merchant_origin(),
            request.price(),
            now,
            |currency, since, origin| spent_since(&tx, currency, since, origin),
        )?;
        if let Err(refusal) = budgets {
            return Ok(Reservation::Refused(refusal));
        }
        let token = purchase.to_token();
        let access_until = duration.map(|d| canon::add_seconds(request.issued_at_unix(), d));
        tx.execute(
            "INSERT INTO spends (created_at, merchant_origin, scope, access_until, currency,
                                 amount, nonce, token)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            (
                request.issued_at_unix(),
                request.merchant_origin().as_str(),
                request.scope().as_str(),
                access_until,
                request.price().currency().as_str(),
                request.price().amount().to_string(),
                &request.nonce().0[..],
                &token,
            ),
        )
        .map_err(Error::sqlite)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(Error::sqlite)?;
        Ok(Reservation::Reserved(Box::new(SpendRecord {
            id,
            purchase: purchase.clone(),
            token,
            access_until: access_until.map(canon::instant),
        })))
    }

    /// Every spend in the order recorded, with its receipt.
    pub fn history(&self) -> Result<Vec<HistoryEntry>, Error> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT s.id, s.token, s.access_until, r.token
             FROM spends s LEFT JOIN receipts r ON r.spend_id = s.id ORDER BY s.id",
            )
            .map_err(Error::sqlite)?;
        let rows = statement
            .query_map((), |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            })
            .map_err(Error::sqlite)?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, token, access_until, receipt) = row.map_err(Error::sqlite)?;
            entries.push(HistoryEntry {
                spend: spend_record(id, token, access_until)?,
                receipt: receipt.as_deref().map(receipt_from_store).transpose()?,
            });
        }
        Ok(entries)
    }

    /// Runs SQLite's integrity check; `Ok(())` when the file is consistent.
    pub fn check_integrity(&self) -> Result<(), Error> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", (), |row| row.get(0))
            .map_err(Error::sqlite)?;
        if result == "ok" {
            Ok(())
        } else {
            Err(Error::Corrupt(result))
        }
    }
}

/// The ledger's spends and receipts, as the decision reads them (the same answers as
/// [`Ledger::spent_since`] and [`Ledger::already_paid`]).
impl SpendHistory for Ledger {
    type Error = Error;

    fn spent_since(
        &self,
        currency: Currency,
        since: i64,
        origin: Option<&MerchantOrigin>,
    ) -> Result<Decimal, Error> {
        spent_since(&self.conn, currency, since, origin)
    }

    fn already_paid(
        &self,
        scope: &Url,
        origin: &MerchantOrigin,
        now: OffsetDateTime,
    ) -> Result<Option<Paid>, Error> {
        already_paid(&self.conn, scope, origin, now)
    }
}

fn read_policy(conn: &Connection) -> Result<Policy, Error> {
    let json: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE name = 'policy'",
            (),
            |row| row.get(0),
        )
        .optional()
        .map_err(Error::sqlite)?;
    json.map_or_else(
        || Ok(Policy::default()),
        |json| {
            serde_json::from_str(&json)
                .map_err(|e| Error::Corrupt(format!("the stored policy is unreadable: {e}")))
        },
    )
}

fn spent_since(
    conn: &Connection,
    currency: Currency,
    since: i64,
    origin: Option<&MerchantOrigin>,
) -> Result<Decimal, Error> {
    let mut statement = conn
        .prepare_cached(
            "SELECT amount FROM spends WHERE currency = ?1 AND created_at > ?2
                AND (?3 IS NULL OR merchant_origin = ?3)",
        )
        .map_err(Error::sqlite)?;
    let amounts = statement
        .query_map(
            (currency.as_str(), since, origin.map(MerchantOrigin::as_str)),
            |row| row.get::<_, String>(0),
        )
        .map_err(Error::sqlite)?;
    let mut total = Decimal::ZERO;
    for amount in amounts {
        let amount = amount.map_err(Error::sqlite)?;
        let amount = Decimal::from_str_exact(&amount)
            .map_err(|_| Error::Corrupt(format!("spend amount {amount:?} is not a decimal")))?;
        total = total.checked_add(amount).unwrap_or(Decimal::MAX);
    }
    Ok(total)
}

fn already_paid(
    conn: &Connection,
    scope: &Url,
    origin: &MerchantOrigin,
    now: OffsetDateTime,
) -> Result<Option<Paid>, Error> {
    let now = now.unix_timestamp();
    let receipt: Option<(i64, String, Option<i64>, String)> = conn
        .query_row(
            "SELECT s.id, s.token, s.access_until, r.token
             FROM receipts r JOIN spends s ON s.id = r.spend_id
             WHERE r.scope = ?1 AND r.merchant_origin = ?2 AND r.access_until > ?3
             ORDER BY r.access_until DESC, s.id DESC LIMIT 1",
            (scope.as_str(), origin.as_str(), now),
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()
        .map_err(Error::sqlite)?;
    if let Some((id, token, until, receipt)) = receipt {
        return Ok(Some(Paid {
            spend: spend_record(id, token, until)?,
            receipt: Some(receipt_from_store(&receipt)?),
        }));
    }
    let pending: Option<(i64, String, Option<i64>)> = conn
        .query_row(
            "SELECT id, token, access_until FROM spends s
             WHERE scope = ?1 AND merchant_origin = ?2 AND access_until > ?3
               AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.spend_id = s.id)
             ORDER BY id DESC LIMIT 1",
            (scope.as_str(), origin.as_str(), now),
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(Error::sqlite)?;
    pending
        .map(|(id, token, until)| {
            spend_record(id, token, until).map(|spend| Paid {
                spend,
                receipt: None,
            })
        })
        .transpose()
}

fn spend_record(id: i64, token: String, access_until: Option<i64>) -> Result<SpendRecord, Error> {
    let purchase = SignedPurchaseRequest::from_token(&token)
        .map_err(|e| Error::Corrupt(format!("spend {id} holds an unreadable token: {e}")))?;
    let access_until = access_until
        .map(|t| {
            OffsetDateTime::from_unix_timestamp(t)
                .map_err(|_| Error::Corrupt(format!("spend {id} has access_until {t}")))
        })
        .transpose()?;
    Ok(SpendRecord {
        id,
        purchase,
        token,
        access_until,
    })
}

fn receipt_from_store(token: &str) -> Result<SignedReceipt, Error> {
    SignedReceipt::from_token(token)
        .map_err(|e| Error::Corrupt(format!("a stored receipt is unreadable: {e}")))
}

#[cfg(test)]
mod tests;
