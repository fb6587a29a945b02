//! What a wallet has bought: its spends, the receipts they earned, and the questions the
//! decision asks of them ([`SpendHistory`]): how much was spent lately, and whether an
//! earlier purchase still covers an offer. The SQLite `Ledger` answers them (feature
//! `sqlite`), and so does a list of [`HistoryEntry`] in memory (what `Ledger::history`
//! returns), for a wallet that keeps its purchases elsewhere and calls
//! [`decide`](crate::decide()).

use std::convert::Infallible;

use micropay_markup::{Currency, Decimal};
use time::OffsetDateTime;
use url::Url;

use crate::origin::MerchantOrigin;
use crate::receipt::SignedReceipt;
use crate::token::{PurchaseRequest, SignedPurchaseRequest};

/// One recorded spend: the signed purchase request that left, and until when it covers its
/// scope (issued-at + the offer's `duration`; `None` without a duration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendRecord {
    /// Row id, increasing in the order spends were recorded.
    pub id: i64,
    /// The signed purchase request.
    pub purchase: SignedPurchaseRequest,
    /// The transport token handed out.
    pub token: String,
    /// Until when (exclusive) a repeated purchase of the same scope is "already paid".
    pub access_until: Option<OffsetDateTime>,
}

impl SpendRecord {
    /// The purchase request.
    pub fn request(&self) -> &PurchaseRequest {
        self.purchase.request()
    }
}

/// A spend and the receipt the merchant returned for it, if stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The spend.
    pub spend: SpendRecord,
    /// Its receipt.
    pub receipt: Option<SignedReceipt>,
}

/// The earlier purchase that covers an offer's scope: either its stored receipt grants
/// access until after now, or it has no receipt yet and was issued less than the offer's
/// `duration` ago.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    /// The earlier spend.
    pub spend: SpendRecord,
    /// Its verified receipt, to present to the merchant; `None` while the purchase is
    /// pending (no receipt stored yet).
    pub receipt: Option<SignedReceipt>,
}

impl Paid {
    /// `receipt` when a stored receipt covers the scope, `pending-purchase` when a purchase
    /// without receipt does.
    pub fn code(&self) -> &'static str {
        if self.receipt.is_some() {
            "receipt"
        } else {
            "pending-purchase"
        }
    }
}

/// The wallet's record of its purchases, as [`decide`](crate::decide()) reads it.
pub trait SpendHistory {
    /// Why the history could not be read.
    type Error;

    /// The sum spent in `currency` strictly after Unix second `since` (with `origin` only,
    /// when given).
    fn spent_since(
        &self,
        currency: Currency,
        since: i64,
        origin: Option<&MerchantOrigin>,
    ) -> Result<Decimal, Self::Error>;

    /// The earlier purchase that still covers `scope` of `origin` at `now`, if any: a stored
    /// receipt with access left, else a spend without receipt whose duration has not ended.
    fn already_paid(
        &self,
        scope: &Url,
        origin: &MerchantOrigin,
        now: OffsetDateTime,
    ) -> Result<Option<Paid>, Self::Error>;
}

/// Spends and receipts held in memory answer as the ledger does: the sum of the prices of the
/// spends issued strictly after `since`; the stored receipt of the scope with the latest
/// access (then the latest spend), else the latest spend without receipt whose duration has
/// not ended.
impl SpendHistory for [HistoryEntry] {
    type Error = Infallible;

    fn spent_since(
        &self,
        currency: Currency,
        since: i64,
        origin: Option<&MerchantOrigin>,
    ) -> Result<Decimal, Infallible> {
        Ok(self
            .iter()
            .map(|entry| entry.spend.request())
            .filter(|request| {
                request.price().currency() == currency
                    && request.issued_at_unix() > since
                    && origin.is_none_or(|origin| request.merchant_origin() == origin)
            })
            .fold(Decimal::ZERO, |total, request| {
                total
                    .checked_add(request.price().amount().as_decimal())
                    .unwrap_or(Decimal::MAX)
            }))
    }

    fn already_paid(
        &self,
        scope: &Url,
        origin: &MerchantOrigin,
        now: OffsetDateTime,
    ) -> Result<Option<Paid>, Infallible> {
        let covers = |request: &PurchaseRequest| {
            request.scope() == scope && request.merchant_origin() == origin
        };
        let receipted = self
            .iter()
            .filter_map(|entry| Some((entry, entry.receipt.as_ref()?)))
            .filter(|(entry, receipt)| {
                covers(entry.spend.request()) && receipt.receipt().access_until() > now
            })
            .max_by_key(|(entry, receipt)| (receipt.receipt().access_until(), entry.spend.id));
        if let Some((entry, receipt)) = receipted {
            return Ok(Some(Paid {
                spend: entry.spend.clone(),
                receipt: Some(receipt.clone()),
            }));
        }
        Ok(self
            .iter()
            .filter(|entry| {
                entry.receipt.is_none()
                    && covers(entry.spend.request())
                    && entry.spend.access_until.is_some_and(|until| until > now)
            })
            .max_by_key(|entry| entry.spend.id)
            .map(|entry| Paid {
                spend: entry.spend.clone(),
                receipt: None,
            }))
    }
}
