//! The wallet's state as data, for a wallet whose storage is not a file of this crate: the
//! browser extension keeps it in the browser's storage and hands it to the WebAssembly build
//! of this crate for every decision. Its JSON form is that of `micropay wallet export`.
//!
//! The rules are those of the SQLite ledger: the same decision ([`crate::decide`] over the
//! history, [`SpendHistory`]), the same checks of a receipt before it is stored, in the same
//! order and with the same rejection codes. The
//! keeper of the state is its single writer: it runs one call at a time on the latest state
//! and stores the changed state (the spend with its token) before the token leaves.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

use crate::canon;
use crate::decide::{Decision, decide};
use crate::error::Error;
use crate::history::{HistoryEntry, Paid, SpendHistory, SpendRecord};
use crate::keys::MasterSecret;
use crate::offer::Offer;
use crate::origin::MerchantOrigin;
use crate::policy::Policy;
use crate::receipt::{ReceiptRejection, SignedReceipt};
use crate::token::{Nonce, PurchaseRequest, SignedPurchaseRequest};
use crate::trust::{KeyTrust, TrustedKey, public_key_from_hex};

/// The `format` of the export document.
pub const WALLET_EXPORT_FORMAT: &str = "micropay-wallet";
/// The `version` of the export document this crate writes and reads.
pub const WALLET_EXPORT_VERSION: u32 = 1;

/// Everything a wallet holds: master secret, policy, spends with their receipts, trusted
/// merchant keys. Debug never shows the master secret.
#[derive(Debug, Clone)]
pub struct WalletState {
    master: MasterSecret,
    policy: Policy,
    history: Vec<HistoryEntry>,
    trusted: Vec<TrustedKey>,
}

impl WalletState {
    /// A new wallet: its master secret and policy, no spend, no trusted key.
    pub fn new(master: MasterSecret, policy: Policy) -> Self {
        WalletState {
            master,
            policy,
            history: Vec::new(),
            trusted: Vec::new(),
        }
    }

    /// A wallet with the state of a ledger (`Ledger::history`, `Ledger::trusted_keys`).
    pub fn from_parts(
        master: MasterSecret,
        policy: Policy,
        history: Vec<HistoryEntry>,
        trusted: Vec<TrustedKey>,
    ) -> Self {
        WalletState {
            master,
            policy,
            history,
            trusted,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Replaces the policy.
    pub fn set_policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// Every spend in the order recorded, with its receipt.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    /// The trusted merchant keys, in the order trusted.
    pub fn trusted_keys(&self) -> &[TrustedKey] {
        &self.trusted
    }

    /// What to do with `offer` at `now` ([`crate::decide`] over this state's history).
    pub fn decide_offer(&self, offer: &Offer, now: OffsetDateTime) -> Decision {
        match decide(&self.policy, offer, now, self.history.as_slice()) {
            Ok(decision) => decision,
            Err(never) => match never {},
        }
    }

    /// Buys `offer` at `now` if the decision allows it (`confirmed`: the user agreed to a
    /// price above the confirmation threshold): signs the purchase request with the key of
    /// the merchant origin and records the spend in this state, which the caller must store
    /// before the token leaves. `Ok(Err(decision))`: nothing was bought, the decision says
    /// why.
    pub fn purchase_offer(
        &mut self,
        offer: &Offer,
        now: OffsetDateTime,
        confirmed: bool,
    ) -> Result<Result<SpendRecord, Decision>, Error> {
        let payment_system = match self.decide_offer(offer, now) {
            Decision::Pay { payment_system, .. } => payment_system,
            Decision::NeedsConfirmation { payment_system, .. } if confirmed => payment_system,
            other => return Ok(Err(other)),
        };
        let key = self.master.origin_key(offer.merchant_origin());
        let signed = PurchaseRequest::new(
            offer,
            &payment_system,
            Nonce::random()?,
            now,
            key.public_key(),
        )
        .sign(&key);
        let request = signed.request();
        let access_until = offer
            .fields()
            .duration
            .map(|d| canon::instant(canon::add_seconds(request.issued_at_unix(), d)));
        let record = SpendRecord {
            id: self
                .history
                .last()
                .map_or(1, |e| e.spend.id.saturating_add(1)),
            token: signed.to_token(),
            purchase: signed,
            access_until,
        };
        self.history.push(HistoryEntry {
            spend: record.clone(),
            receipt: None,
        });
        Ok(Ok(record))
    }

    /// Checks and stores a receipt that came in the response, from `response_url`, to the
    /// request that carried its purchase token, at `now`: the checks of
    /// `WalletController::accept_receipt_from_response`, in its order, with the same
    /// rejection codes. A refused receipt changes nothing.
    pub fn accept_receipt_from_response(
        &mut self,
        token: &str,
        response_url: &Url,
        now: OffsetDateTime,
    ) -> Result<SignedReceipt, ReceiptRejection> {
        let signed = SignedReceipt::from_token(token).map_err(ReceiptRejection::Malformed)?;
        if signed.verify().is_err() {
            return Err(ReceiptRejection::BadSignature);
        }
        let receipt = signed.receipt();
        let origin = receipt.merchant_origin();
        if MerchantOrigin::of(response_url).as_ref() != Some(origin) {
            return Err(ReceiptRejection::OriginMismatch);
        }
        let channel = KeyTrust::of_response_url(response_url);
        let known = self
            .trusted
            .iter()
            .any(|k| &k.merchant_origin == origin && &k.public_key == receipt.merchant_key());
        if channel.is_none() && !known {
            return Err(ReceiptRejection::UntrustedKey);
        }
        let nonce = receipt.nonce();
        let Some(entry) = self
            .history
            .iter_mut()
            .find(|e| e.spend.request().nonce() == nonce)
        else {
            return Err(ReceiptRejection::UnknownPurchase);
        };
        ReceiptRejection::check_answers(receipt, entry.spend.request())?;
        match &entry.receipt {
            Some(stored) if stored.to_token() == signed.to_token() => {}
            Some(_) => return Err(ReceiptRejection::Duplicate),
            None => entry.receipt = Some(signed.clone()),
        }
        if let (Some(how), false) = (channel, known) {
            self.trusted.push(TrustedKey {
                merchant_origin: origin.clone(),
                public_key: *receipt.merchant_key(),
                trust: how,
                trusted_at: canon::instant(now.unix_timestamp()),
            });
        }
        Ok(signed)
    }

    /// The earlier purchase that covers `scope` of `origin` at `now` (as
    /// [`SpendHistory::already_paid`] answers for the history).
    pub fn already_paid(
        &self,
        scope: &Url,
        origin: &MerchantOrigin,
        now: OffsetDateTime,
    ) -> Option<Paid> {
        match self.history.as_slice().already_paid(scope, origin, now) {
            Ok(paid) => paid,
            Err(never) => match never {},
        }
    }

    /// The export document (`micropay wallet export`), as JSON.
    pub fn to_json(&self) -> String {
        let doc = ExportDoc {
            format: WALLET_EXPORT_FORMAT.to_owned(),
            version: WALLET_EXPORT_VERSION,
            master_secret: hex(self.master.as_bytes()),
            policy: self.policy.clone(),
            history: self
                .history
                .iter()
                .map(|e| EntryDoc {
                    id: e.spend.id,
                    token: e.spend.token.clone(),
                    access_until: e.spend.access_until.map(OffsetDateTime::unix_timestamp),
                    receipt: e.receipt.as_ref().map(SignedReceipt::to_token),
                })
                .collect(),
            trusted_keys: self
                .trusted
                .iter()
                .map(|k| KeyDoc {
                    merchant_origin: k.merchant_origin.clone(),
                    public_key: hex(k.public_key.as_bytes()),
                    trust: k.trust.code().to_owned(),
                    trusted_at: k.trusted_at.unix_timestamp(),
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).expect("the export document is plain data")
    }

    /// Reads an export document; every token, receipt and key is decoded and checked as the
    /// ledger checks what it reads, and a receipt must answer its spend.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let doc: ExportDoc = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if doc.format != WALLET_EXPORT_FORMAT || doc.version != WALLET_EXPORT_VERSION {
            return Err(format!(
                "not a wallet export of version {WALLET_EXPORT_VERSION} (format {:?}, version {})",
                doc.format, doc.version
            ));
        }
        let master = MasterSecret::from_bytes(
            secret_from_hex(&doc.master_secret).ok_or("master_secret: not 64 hex digits")?,
        );
        let mut history: Vec<HistoryEntry> = Vec::with_capacity(doc.history.len());
        for e in doc.history {
            if history.last().is_some_and(|last| last.spend.id >= e.id) {
                return Err(format!("spend {}: ids must increase", e.id));
            }
            let purchase = SignedPurchaseRequest::from_token(&e.token)
                .map_err(|err| format!("spend {}: token: {err}", e.id))?;
            let access_until = e
                .access_until
                .map(|t| OffsetDateTime::from_unix_timestamp(t).map_err(|err| err.to_string()))
                .transpose()
                .map_err(|err| format!("spend {}: access_until: {err}", e.id))?;
            let receipt = e
                .receipt
                .map(|r| SignedReceipt::from_token(&r))
                .transpose()
                .map_err(|err| format!("spend {}: receipt: {err}", e.id))?;
            if let Some(receipt) = &receipt {
                receipt
                    .verify()
                    .map_err(|_| format!("spend {}: receipt: bad signature", e.id))?;
                ReceiptRejection::check_answers(receipt.receipt(), purchase.request())
                    .map_err(|r| format!("spend {}: receipt: {}", e.id, r.code()))?;
            }
            history.push(HistoryEntry {
                spend: SpendRecord {
                    id: e.id,
                    purchase,
                    token: e.token,
                    access_until,
                },
                receipt,
            });
        }
        let trusted = doc
            .trusted_keys
            .into_iter()
            .map(|k| {
                Ok(TrustedKey {
                    public_key: public_key_from_hex(&k.public_key)
                        .map_err(|e| format!("trusted key of {}: {e}", k.merchant_origin))?,
                    trust: KeyTrust::from_code(&k.trust)
                        .ok_or_else(|| format!("trusted key: unknown trust {:?}", k.trust))?,
                    trusted_at: OffsetDateTime::from_unix_timestamp(k.trusted_at)
                        .map_err(|e| e.to_string())?,
                    merchant_origin: k.merchant_origin,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(WalletState {
            master,
            policy: doc.policy,
            history,
            trusted,
        })
    }
}

/// The export document.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportDoc {
    format: String,
    version: u32,
    master_secret: String,
    policy: Policy,
    history: Vec<EntryDoc>,
    trusted_keys: Vec<KeyDoc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDoc {
    id: i64,
    token: String,
    access_until: Option<i64>,
    receipt: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyDoc {
    merchant_origin: MerchantOrigin,
    public_key: String,
    trust: String,
    trusted_at: i64,
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn secret_from_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 || !bytes.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
#[path = "wallet_state_tests.rs"]
mod tests;
