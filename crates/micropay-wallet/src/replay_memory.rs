//! The replay store in memory: the same decisions as the SQLite and PostgreSQL stores, kept
//! by this process only and lost when it exits. For tests, examples and a single server that
//! can afford to forget its nonces on a restart (a token accepted before a restart, and
//! replayed within the skew window after it, is accepted again).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::token::PurchaseRequest;
use crate::verdict::{Accepted, Rejection};

/// One accepted request.
#[derive(Debug, Clone)]
struct Row {
    issued_at: i64,
    offer_digest: [u8; 32],
    public_key: [u8; 32],
    receipt: String,
}

/// The accepted requests by nonce; every handle cloned from one store shares them.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryStore {
    rows: Arc<Mutex<HashMap<[u8; 16], Vec<Row>>>>,
}

impl MemoryStore {
    fn rows(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 16], Vec<Row>>> {
        // Every change below is one insertion or one retain: a panic leaves no half-change.
        self.rows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// As the SQLite store records a batch (replay.rs): a nonce accepted with a request
    /// issued within the replay window of the verdict, or earlier in `verdicts`, turns the
    /// verdict into [`Rejection::ReplayedNonce`].
    pub(crate) fn record(&self, verdicts: &mut [Result<Accepted, Rejection>], window: i64) {
        let mut rows = self.rows();
        for verdict in verdicts.iter_mut() {
            let Ok(accepted) = verdict else { continue };
            let decided = accepted.receipt.receipt().issued_at().unix_timestamp();
            let window_start = decided.saturating_sub(window);
            let request = accepted.purchase.request();
            let of_nonce = rows.entry(request.nonce().0).or_default();
            if of_nonce.iter().any(|row| row.issued_at >= window_start) {
                *verdict = Err(Rejection::ReplayedNonce);
                continue;
            }
            of_nonce.push(Row {
                issued_at: request.issued_at_unix(),
                offer_digest: request.offer_digest().0,
                public_key: request.public_key().to_bytes(),
                receipt: accepted.receipt.token().to_owned(),
            });
        }
    }

    /// The receipt stored for `request`: the newest row with its nonce, issue instant,
    /// buyer's key and offer.
    pub(crate) fn stored_receipt(&self, request: &PurchaseRequest) -> Option<String> {
        let rows = self.rows();
        rows.get(&request.nonce().0)?
            .iter()
            .rev()
            .find(|row| {
                row.issued_at == request.issued_at_unix()
                    && row.offer_digest == request.offer_digest().0
                    && row.public_key == request.public_key().to_bytes()
            })
            .map(|row| row.receipt.clone())
    }

    /// Forgets the requests issued before `before`; returns how many.
    pub(crate) fn prune(&self, before: i64) -> usize {
        let mut rows = self.rows();
        let mut removed = 0;
        rows.retain(|_, of_nonce| {
            let had = of_nonce.len();
            of_nonce.retain(|row| row.issued_at >= before);
            removed += had - of_nonce.len();
            !of_nonce.is_empty()
        });
        removed
    }
}
