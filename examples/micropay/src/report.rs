//! The JSON answers of the wallet's commands (`micropay buy`, `micropay verify`,
//! `micropay wallet receipt`, `micropay wallet history`), shared by the CLI and the
//! conformance suite so that both speak exactly the same contract (docs/wallet.md).
//!
//! Key order is part of the contract; prices are `{"amount", "currency"}` objects as in
//! the JSON of docs/cli.md; instants are RFC 3339 in UTC (`2026-03-01T12:00:00Z`); digests, nonces
//! and keys are lower-case hex.

use std::fmt::Write as _;

use micropay_markup::{Amount, Code, Diagnostic, Price, Severity};
use micropay_wallet::time::OffsetDateTime;
use micropay_wallet::time::format_description::well_known::Rfc3339;
use micropay_wallet::{
    Accepted, Budget, BudgetScope, Decimal, Decision, HistoryEntry, MerchantOrigin,
    PurchaseOutcome, ReceiptRejection, Refusal, Rejection, SignedReceipt, SpendRecord, TrustedKey,
    Url,
};
use serde::Serialize;

/// The reason given with `needs-confirmation`.
pub const ABOVE_CONFIRMATION_THRESHOLD: &str = "above-confirmation-threshold";

/// `micropay buy`: what the wallet controller did with one link.
///
/// The members after `receipt` say why: the budget state of a budget refusal, the cap of
/// `above-link-cap`, the threshold of `needs-confirmation` (each `null` otherwise), and the
/// page's diagnostics that bear on the answer ([`BuyReport::with_findings`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BuyReport {
    /// `paid`, `already-paid`, `needs-confirmation` or `refused`.
    pub decision: &'static str,
    /// The refusal's code; for `already-paid`, what covers the link (`receipt` or
    /// `pending-purchase`); for `needs-confirmation`, `above-confirmation-threshold`;
    /// `null` for `paid`.
    pub reason: Option<&'static str>,
    /// The purchase token: the new one (`paid`) or the earlier purchase's (`already-paid`).
    pub token: Option<String>,
    /// The payment system used or to be used.
    pub payment_system: Option<Url>,
    /// The price paid, to be paid, or (refused) asked by the link, when it parsed.
    pub price: Option<Price>,
    /// For `already-paid`: the stored receipt that covers the link, if there is one.
    pub receipt: Option<String>,
    /// For `over-budget` and `over-merchant-budget`: the budget that refused.
    pub budget: Option<BudgetReport>,
    /// For the same: what was spent within the budget's window (with this merchant, for a
    /// per-merchant budget).
    pub spent: Option<Price>,
    /// For the same: what was left of the budget (less than the price).
    pub remaining: Option<Price>,
    /// For `above-link-cap`: the most the user pays for one link.
    pub cap: Option<Price>,
    /// For `needs-confirmation`: the confirmation threshold the price is above.
    pub threshold: Option<Price>,
    /// The page's diagnostics about the link that bear on the answer: for `invalid-link`, the
    /// errors that made it invalid (P-9); otherwise its `displayed-price-mismatch` and
    /// `cross-origin-requesturl` warnings, which the user should see before paying. Empty
    /// until [`BuyReport::with_findings`] gives them.
    pub diagnostics: Vec<Diagnostic>,
}

/// A budget, in a [`BuyReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetReport {
    /// `overall` or `per-merchant`.
    pub scope: &'static str,
    /// The most spent within the window.
    pub limit: Price,
    /// The rolling window, in seconds.
    pub window_seconds: u64,
}

impl BudgetReport {
    fn of(budget: &Budget) -> Self {
        BudgetReport {
            scope: match budget.scope() {
                BudgetScope::Overall => "overall",
                BudgetScope::PerMerchant => "per-merchant",
                // A scope this build does not know.
                _ => "other",
            },
            limit: *budget.limit(),
            window_seconds: budget.window_seconds(),
        }
    }
}

/// `amount` in the currency of `like`, as a price (`None` if it is no P-3 amount).
fn price_in(amount: Decimal, like: &Price) -> Option<Price> {
    Amount::from_decimal(amount).map(|a| Price::new(a, like.currency()))
}

impl BuyReport {
    /// The report of a purchase attempt; `offered` is the link's price (shown with a
    /// refusal).
    pub fn of(outcome: &PurchaseOutcome, offered: Option<&Price>) -> Self {
        match outcome {
            PurchaseOutcome::Purchased(record) => BuyReport {
                decision: "paid",
                reason: None,
                token: Some(record.token.clone()),
                payment_system: Some(record.request().payment_system().clone()),
                price: Some(*record.request().price()),
                receipt: None,
                ..BuyReport::default()
            },
            PurchaseOutcome::NotPurchased(decision) => BuyReport::of_decision(decision, offered),
            // An outcome this build does not know: nothing was bought.
            _ => BuyReport {
                decision: "refused",
                price: offered.copied(),
                ..BuyReport::default()
            },
        }
    }

    /// The report of a decision (nothing bought: `Pay` shows as `paid` without a token).
    pub fn of_decision(decision: &Decision, offered: Option<&Price>) -> Self {
        let mut report = Self::of_decision_alone(decision, offered);
        match decision {
            Decision::Refuse(refusal) => report.explain(refusal),
            Decision::NeedsConfirmation { threshold, .. } => report.threshold = Some(*threshold),
            _ => {}
        }
        report
    }

    /// Why `refusal` refused, as the decision found it (`decide.rs`).
    fn explain(&mut self, refusal: &Refusal) {
        if let Some((budget, spent, remaining)) = refusal.budget_state() {
            self.budget = Some(BudgetReport::of(budget));
            self.spent = price_in(spent, budget.limit());
            self.remaining = price_in(remaining, budget.limit());
        }
        self.cap = refusal.cap().copied();
    }

    /// The report with the diagnostics of the page about link `index` that bear on it (see
    /// [`BuyReport::diagnostics`]), from all of the page's `diagnostics`.
    #[must_use]
    pub fn with_findings(mut self, index: usize, diagnostics: &[Diagnostic]) -> Self {
        let invalid = self.reason == Some("invalid-link");
        self.diagnostics = diagnostics
            .iter()
            .filter(|d| d.link() == Some(index))
            .filter(|d| {
                if invalid {
                    d.severity() == Severity::Error
                } else {
                    matches!(
                        d.code(),
                        Code::DisplayedPriceMismatch | Code::CrossOriginRequesturl
                    )
                }
            })
            .cloned()
            .collect();
        self
    }

    fn of_decision_alone(decision: &Decision, offered: Option<&Price>) -> Self {
        match decision {
            Decision::Pay {
                payment_system,
                price,
            } => BuyReport {
                decision: "paid",
                reason: None,
                token: None,
                payment_system: Some(payment_system.clone()),
                price: Some(*price),
                receipt: None,
                ..BuyReport::default()
            },
            Decision::NeedsConfirmation {
                payment_system,
                price,
                ..
            } => BuyReport {
                decision: "needs-confirmation",
                reason: Some(ABOVE_CONFIRMATION_THRESHOLD),
                token: None,
                payment_system: Some(payment_system.clone()),
                price: Some(*price),
                receipt: None,
                ..BuyReport::default()
            },
            Decision::Refuse(refusal) => BuyReport {
                decision: "refused",
                reason: Some(refusal.code()),
                token: None,
                payment_system: None,
                price: offered.copied(),
                receipt: None,
                ..BuyReport::default()
            },
            Decision::AlreadyPaid(paid) => BuyReport {
                decision: "already-paid",
                reason: Some(paid.code()),
                token: Some(paid.spend.token.clone()),
                payment_system: Some(paid.spend.request().payment_system().clone()),
                price: Some(*paid.spend.request().price()),
                receipt: paid.receipt.as_ref().map(SignedReceipt::to_token),
                ..BuyReport::default()
            },
            // A decision this build does not know: nothing is bought.
            _ => BuyReport {
                decision: "refused",
                price: offered.copied(),
                ..BuyReport::default()
            },
        }
    }
}

/// `micropay verify`: the merchant's verdict on a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// `accepted` or `rejected`.
    pub verdict: &'static str,
    /// The rejection's code, `null` when accepted.
    pub reason: Option<&'static str>,
    /// The receipt token, when accepted.
    pub receipt: Option<String>,
    /// Until when (exclusive) the receipt grants access, when accepted.
    pub access_until: Option<String>,
}

impl VerifyReport {
    /// The report of a verification.
    pub fn of(result: &Result<Accepted, Rejection>) -> Self {
        match result {
            Ok(accepted) => VerifyReport {
                verdict: "accepted",
                reason: None,
                receipt: Some(accepted.receipt.to_token()),
                access_until: Some(rfc3339(accepted.receipt.receipt().access_until())),
            },
            Err(rejection) => VerifyReport {
                verdict: "rejected",
                reason: Some(rejection.code()),
                receipt: None,
                access_until: None,
            },
        }
    }
}

/// `micropay wallet receipt`: whether a merchant's receipt was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptReport {
    /// Whether the receipt is stored (also when it was stored before).
    pub stored: bool,
    /// The rejection's code, `null` when stored.
    pub reason: Option<&'static str>,
    /// What the receipt covers, when stored.
    pub scope: Option<Url>,
    /// Until when (exclusive) it grants access, when stored.
    pub access_until: Option<String>,
}

impl ReceiptReport {
    /// The report of [`micropay_wallet::WalletController::accept_receipt`].
    pub fn of(result: &Result<SignedReceipt, ReceiptRejection>) -> Self {
        match result {
            Ok(receipt) => ReceiptReport {
                stored: true,
                reason: None,
                scope: Some(receipt.receipt().scope().clone()),
                access_until: Some(rfc3339(receipt.receipt().access_until())),
            },
            Err(rejection) => ReceiptReport {
                stored: false,
                reason: Some(rejection.code()),
                scope: None,
                access_until: None,
            },
        }
    }
}

/// `micropay wallet trust` (one key) and `micropay wallet trusted` (each key): a merchant key
/// the wallet trusts for an origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedKeyReport {
    /// The merchant origin.
    pub merchant_origin: MerchantOrigin,
    /// The merchant's public key, hex.
    pub public_key: String,
    /// How it came to be trusted: `named`, `https-response` or `loopback-response`.
    pub trusted_by: &'static str,
    /// When.
    pub trusted_at: String,
}

impl TrustedKeyReport {
    /// The report of one trusted key.
    pub fn of(key: &TrustedKey) -> Self {
        TrustedKeyReport {
            merchant_origin: key.merchant_origin.clone(),
            public_key: hex(key.public_key.as_bytes()),
            trusted_by: key.trust.code(),
            trusted_at: rfc3339(key.trusted_at),
        }
    }
}

/// `micropay wallet trusted`: every trusted merchant key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedKeysReport {
    /// The keys, by origin, then in the order trusted.
    pub trusted_keys: Vec<TrustedKeyReport>,
}

impl TrustedKeysReport {
    /// The report of [`micropay_wallet::Ledger::trusted_keys`].
    pub fn of(keys: &[TrustedKey]) -> Self {
        TrustedKeysReport {
            trusted_keys: keys.iter().map(TrustedKeyReport::of).collect(),
        }
    }
}

/// `micropay wallet history`: every spend in the order recorded, with its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryReport {
    /// The spends.
    pub spends: Vec<SpendReport>,
}

/// One spend of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendReport {
    /// The ledger's row id (increasing in the order recorded).
    pub id: i64,
    /// When the purchase request was issued.
    pub issued_at: String,
    /// The merchant origin.
    pub merchant_origin: MerchantOrigin,
    /// What it covers: `buyid`, else `requesturl`.
    pub scope: Url,
    /// The offer's `requesturl`.
    pub requesturl: Url,
    /// The offer's `buyid`.
    pub buyid: Option<Url>,
    /// The price paid.
    pub price: Price,
    /// The payment system used.
    pub payment_system: Url,
    /// The offer digest, hex.
    pub offer_digest: String,
    /// The nonce, hex.
    pub nonce: String,
    /// Until when a repeated purchase of the scope is "already paid" without a receipt
    /// (issued-at + the offer's duration), `null` without a duration.
    pub access_until: Option<String>,
    /// The purchase token that left.
    pub token: String,
    /// The merchant's receipt, once stored.
    pub receipt: Option<ReceiptEntry>,
}

/// A stored receipt in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptEntry {
    /// When the merchant accepted the purchase.
    pub issued_at: String,
    /// Until when (exclusive) it grants access.
    pub access_until: String,
    /// The merchant's public key, hex.
    pub merchant_public_key: String,
    /// The receipt token.
    pub token: String,
}

impl HistoryReport {
    /// The report of [`micropay_wallet::Ledger::history`].
    pub fn of(history: &[HistoryEntry]) -> Self {
        HistoryReport {
            spends: history.iter().map(spend_report).collect(),
        }
    }
}

fn spend_report(entry: &HistoryEntry) -> SpendReport {
    let SpendRecord {
        id,
        token,
        access_until,
        ..
    } = &entry.spend;
    let request = entry.spend.request();
    SpendReport {
        id: *id,
        issued_at: rfc3339(request.issued_at()),
        merchant_origin: request.merchant_origin().clone(),
        scope: request.scope().clone(),
        requesturl: request.requesturl().clone(),
        buyid: request.buyid().cloned(),
        price: *request.price(),
        payment_system: request.payment_system().clone(),
        offer_digest: request.offer_digest().to_string(),
        nonce: request.nonce().to_string(),
        access_until: access_until.map(rfc3339),
        token: token.clone(),
        receipt: entry.receipt.as_ref().map(|signed| {
            let receipt = signed.receipt();
            ReceiptEntry {
                issued_at: rfc3339(receipt.issued_at()),
                access_until: rfc3339(receipt.access_until()),
                merchant_public_key: hex(receipt.merchant_key().as_bytes()),
                token: signed.to_token(),
            }
        }),
    }
}

/// RFC 3339 in UTC, whole seconds: `2026-03-01T12:00:00Z`.
pub fn rfc3339(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    utc.format(&Rfc3339)
        .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_are_utc_with_z() {
        assert_eq!(
            rfc3339(datetime!(2026-03-01 13:00 +01:00)),
            "2026-03-01T12:00:00Z"
        );
        assert_eq!(
            rfc3339(datetime!(9999-12-31 23:59:59 UTC)),
            "9999-12-31T23:59:59Z"
        );
    }

    #[test]
    fn refusals_show_the_offered_price_and_nothing_else() {
        let price = Price::parse("0.05USD").unwrap();
        let report = BuyReport::of_decision(
            &Decision::Refuse(Refusal::NoCommonPaymentSystem),
            Some(&price),
        );
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::json!({
                "decision": "refused", "reason": "no-common-payment-system", "token": null,
                "payment_system": null, "price": {"amount": "0.05", "currency": "USD"},
                "receipt": null, "budget": null, "spent": null, "remaining": null, "cap": null,
                "threshold": null, "diagnostics": []
            })
        );
    }

    #[test]
    fn budget_refusals_say_the_budget_the_spend_and_what_is_left() {
        let price = Price::parse("0.30USD").unwrap();
        let refusal = Refusal::OverMerchantBudget {
            budget: Budget::parse("1USD/3600", BudgetScope::PerMerchant).unwrap(),
            spent: Decimal::new(80, 2),
        };
        let report = BuyReport::of_decision(&Decision::Refuse(refusal), Some(&price));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["budget"],
            serde_json::json!({"scope": "per-merchant", "limit": {"amount": "1", "currency": "USD"}, "window_seconds": 3600})
        );
        assert_eq!(
            json["spent"],
            serde_json::json!({"amount": "0.8", "currency": "USD"})
        );
        assert_eq!(
            json["remaining"],
            serde_json::json!({"amount": "0.2", "currency": "USD"})
        );
        let capped = Refusal::AboveLinkCap {
            price,
            cap: Price::parse("0.25USD").unwrap(),
        };
        let report = BuyReport::of_decision(&Decision::Refuse(capped), Some(&price));
        assert_eq!(report.cap, Some(Price::parse("0.25USD").unwrap()));
        assert_eq!(report.budget, None);
    }
}
