//! The ledger's receipts and the merchant keys it trusts (trust.rs): a receipt is stored
//! only under a key trusted for its origin, or one trusted in the same transaction.

use ed25519_dalek::VerifyingKey;
use rusqlite::{Connection, OptionalExtension};

use super::ReceiptKey;
use super::trusted_keys as trust;
use super::{Ledger, SpendRecord, spend_record};
use crate::error::Error;
use crate::origin::MerchantOrigin;
use crate::receipt::{ReceiptRejection, SignedReceipt};
use crate::store::immediate;
use crate::token::Nonce;
use crate::trust::{KeyTrust, TrustedKey};

impl Ledger {
    /// Stores a receipt whose signature has been checked, after checking in the same
    /// transaction that its key is trusted for its merchant origin (or trusting it, as `key`
    /// says) and that it answers one of this ledger's spends.
    pub fn store_receipt(
        &mut self,
        receipt: &SignedReceipt,
        key: ReceiptKey,
    ) -> Result<Result<(), ReceiptRejection>, Error> {
        let tx = immediate(&self.conn)?;
        let (origin, merchant_key) = (
            receipt.receipt().merchant_origin(),
            receipt.receipt().merchant_key(),
        );
        if key == ReceiptKey::MustBeTrusted && !trust::is_trusted(&tx, origin, merchant_key)? {
            return Ok(Err(ReceiptRejection::UntrustedKey));
        }
        let Some(spend) = spend_by_nonce(&tx, receipt.receipt().nonce())? else {
            return Ok(Err(ReceiptRejection::UnknownPurchase));
        };
        if let Err(rejection) =
            ReceiptRejection::check_answers(receipt.receipt(), spend.purchase.request())
        {
            return Ok(Err(rejection));
        }
        let token = receipt.to_token();
        let stored: Option<String> = tx
            .query_row(
                "SELECT token FROM receipts WHERE spend_id = ?1",
                [spend.id],
                |row| row.get(0),
            )
            .optional()
            .map_err(Error::sqlite)?;
        match stored {
            Some(stored) if stored == token => {}
            Some(_) => return Ok(Err(ReceiptRejection::Duplicate)),
            None => {
                let r = receipt.receipt();
                tx.execute(
                    "INSERT INTO receipts (spend_id, scope, merchant_origin, access_until, token)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    (
                        spend.id,
                        r.scope().as_str(),
                        r.merchant_origin().as_str(),
                        r.access_until_unix(),
                        &token,
                    ),
                )
                .map_err(Error::sqlite)?;
            }
        }
        if let ReceiptKey::Trust(how) = key {
            trust::trust(&tx, origin, merchant_key, how)?;
        }
        tx.commit().map_err(Error::sqlite)?;
        Ok(Ok(()))
    }

    /// Trusts the merchant key `key` for `origin`, as the user named it (a key trusted before
    /// keeps its first record). Returns the record.
    pub fn trust_merchant_key(
        &mut self,
        origin: &MerchantOrigin,
        key: &VerifyingKey,
    ) -> Result<TrustedKey, Error> {
        let tx = immediate(&self.conn)?;
        let trusted = trust::trust(&tx, origin, key, KeyTrust::Named)?;
        tx.commit().map_err(Error::sqlite)?;
        Ok(trusted)
    }

    /// Every trusted merchant key, by origin, then in the order trusted.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>, Error> {
        if self.schema < 2 {
            // Schema 1 had no trusted keys (opened read-only, not upgraded).
            return Ok(Vec::new());
        }
        trust::trusted_keys(&self.conn)
    }
}

fn spend_by_nonce(conn: &Connection, nonce: Nonce) -> Result<Option<SpendRecord>, Error> {
    let row: Option<(i64, String, Option<i64>)> = conn
        .query_row(
            "SELECT id, token, access_until FROM spends WHERE nonce = ?1",
            [&nonce.0[..]],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(Error::sqlite)?;
    row.map(|(id, token, until)| spend_record(id, token, until))
        .transpose()
}
