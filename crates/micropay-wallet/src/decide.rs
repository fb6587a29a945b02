//! The decision on one offer: pay (with which payment system), ask the user first, refuse
//! (with a reason that has a stable kebab-case code), or present an earlier purchase.
//!
//! The rules are pure functions of the policy, the offer, the instant and the amounts already
//! spent; the controller runs the budget rule again inside the ledger transaction that
//! records the spend, so that concurrent purchases cannot overspend.
//!
//! Order of the checks: invalid link, insecure scheme, merchant blocked, already paid, expired
//! offer, no common payment system, currency not held, above the link cap, over a budget
//! (overall, then per merchant), above the confirmation threshold.

use std::fmt;

use rust_decimal::Decimal;
use time::OffsetDateTime;
use url::Url;

use crate::error::Error;
use crate::ledger::SpendRecord;
use crate::offer::{Offer, OfferError};
use crate::origin::MerchantOrigin;
use crate::policy::{Budget, BudgetScope, Policy};
use crate::price::Price;
use crate::receipt::SignedReceipt;

/// What the wallet controller does with an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Pay this price with this payment system.
    Pay {
        /// The payment system chosen (the user's most preferred one the link offers).
        payment_system: Url,
        /// The price.
        price: Price,
    },
    /// Paying is allowed, but the price is above the confirmation threshold: ask the user.
    NeedsConfirmation {
        /// The payment system that would be used.
        payment_system: Url,
        /// The price.
        price: Price,
        /// The threshold it exceeds.
        threshold: Price,
    },
    /// Do not pay.
    Refuse(Refusal),
    /// Do not pay again: an earlier purchase still covers this offer's scope.
    AlreadyPaid(Box<Paid>),
}

/// The earlier purchase that covers an offer's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// A verified, stored receipt whose access has not ended: present it.
    Receipt(SignedReceipt),
    /// A purchase whose request was issued less than the offer's `duration` ago and whose
    /// receipt has not been stored yet.
    Pending(SpendRecord),
}

/// Why the wallet controller will not pay. Each variant has a stable code ([`Refusal::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// `invalid-link`: the link has errors (P-9) or its fields make no offer a wallet can
    /// act on.
    InvalidLink(String),
    /// `expired-offer`: the offer's expiration is before the instant of the decision (P-7).
    ExpiredOffer(OffsetDateTime),
    /// `no-common-payment-system`: no wallet the user holds is of a payment system the link
    /// offers.
    NoCommonPaymentSystem,
    /// `currency-not-held`: wallets of offered payment systems are held, but none of them
    /// holds the price's currency.
    CurrencyNotHeld(String),
    /// `above-link-cap`: the price is above the most the user pays for one link.
    AboveLinkCap {
        /// The price.
        price: Price,
        /// The cap.
        cap: Price,
    },
    /// `over-budget`: paying would exceed an overall budget.
    OverBudget {
        /// The budget.
        budget: Budget,
        /// What has been spent within its window.
        spent: Decimal,
    },
    /// `over-merchant-budget`: paying would exceed a per-merchant budget for this origin.
    OverMerchantBudget {
        /// The budget.
        budget: Budget,
        /// What has been spent with this merchant within its window.
        spent: Decimal,
    },
    /// `merchant-blocked`: the user blocked the merchant origin.
    MerchantBlocked(MerchantOrigin),
    /// `insecure-scheme`: https is required and the document or `requesturl` is not https.
    InsecureScheme(Url),
}

impl Refusal {
    /// The stable kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::InvalidLink(_) => "invalid-link",
            Refusal::ExpiredOffer(_) => "expired-offer",
            Refusal::NoCommonPaymentSystem => "no-common-payment-system",
            Refusal::CurrencyNotHeld(_) => "currency-not-held",
            Refusal::AboveLinkCap { .. } => "above-link-cap",
            Refusal::OverBudget { .. } => "over-budget",
            Refusal::OverMerchantBudget { .. } => "over-merchant-budget",
            Refusal::MerchantBlocked(_) => "merchant-blocked",
            Refusal::InsecureScheme(_) => "insecure-scheme",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.code())?;
        match self {
            Refusal::InvalidLink(why) => write!(f, "the link is not valid ({why})"),
            Refusal::ExpiredOffer(at) => write!(f, "the offer expired at {at}"),
            Refusal::NoCommonPaymentSystem => {
                f.write_str("no wallet held is of a payment system the link offers")
            }
            Refusal::CurrencyNotHeld(currency) => write!(f, "no usable wallet holds {currency}"),
            Refusal::AboveLinkCap { price, cap } => write!(f, "{price} is above the cap {cap}"),
            Refusal::OverBudget { budget, spent }
            | Refusal::OverMerchantBudget { budget, spent } => {
                write!(f, "{spent} already spent of the budget {budget}")
            }
            Refusal::MerchantBlocked(origin) => write!(f, "{origin} is blocked"),
            Refusal::InsecureScheme(url) => write!(f, "{url} is not https"),
        }
    }
}

impl From<OfferError> for Refusal {
    fn from(error: OfferError) -> Self {
        Refusal::InvalidLink(error.to_string())
    }
}

/// The checks that need neither the ledger nor the instant: insecure scheme, blocked merchant.
pub(crate) fn gate(policy: &Policy, offer: &Offer) -> Result<(), Refusal> {
    if policy.require_https() {
        let fields = offer.fields();
        for url in [&fields.document_url, &fields.requesturl] {
            if url.scheme() != "https" {
                return Err(Refusal::InsecureScheme(url.clone()));
            }
        }
    }
    if policy.is_blocked(offer.merchant_origin()) {
        return Err(Refusal::MerchantBlocked(offer.merchant_origin().clone()));
    }
    Ok(())
}

/// Expiry, the payment system, the currency and the link cap; returns the payment system.
pub(crate) fn choose(policy: &Policy, offer: &Offer, now: OffsetDateTime) -> Result<Url, Refusal> {
    if let Some(expiration) = offer
        .fields()
        .expiration
        .filter(|_| offer.is_expired_at(now))
    {
        return Err(Refusal::ExpiredOffer(expiration));
    }
    let price = offer.price();
    let mut common = policy
        .wallets()
        .iter()
        .filter(|w| offer.offers(w.payment_system()))
        .peekable();
    if common.peek().is_none() {
        return Err(Refusal::NoCommonPaymentSystem);
    }
    let wallet = common
        .find(|w| w.holds(price.currency()))
        .ok_or_else(|| Refusal::CurrencyNotHeld(price.currency().to_owned()))?;
    let cap = policy.link_cap(price.currency());
    if let Some(cap) = cap.filter(|cap| price.amount() > cap.amount()) {
        return Err(Refusal::AboveLinkCap {
            price: price.clone(),
            cap: cap.clone(),
        });
    }
    Ok(wallet.payment_system().clone())
}

/// The budgets in the price's currency. `spent(currency, since, origin)` must return the sum
/// of the spends in `currency` made strictly after Unix second `since` (with `origin` only,
/// when given).
pub(crate) fn check_budgets(
    policy: &Policy,
    origin: &MerchantOrigin,
    price: &Price,
    now: OffsetDateTime,
    mut spent: impl FnMut(&str, i64, Option<&MerchantOrigin>) -> Result<Decimal, Error>,
) -> Result<Result<(), Refusal>, Error> {
    let mut budgets: Vec<&Budget> = policy
        .budgets()
        .iter()
        .filter(|b| b.limit().currency() == price.currency())
        .collect();
    budgets.sort_by_key(|b| b.scope() == BudgetScope::PerMerchant);
    for budget in budgets {
        let window = i64::try_from(budget.window_seconds()).unwrap_or(i64::MAX);
        let since = now.unix_timestamp().saturating_sub(window);
        let per_merchant = budget.scope() == BudgetScope::PerMerchant;
        let already = spent(price.currency(), since, per_merchant.then_some(origin))?;
        let fits = already
            .checked_add(price.amount())
            .is_some_and(|total| total <= budget.limit().amount());
        if !fits {
            let budget = budget.clone();
            return Ok(Err(if per_merchant {
                Refusal::OverMerchantBudget {
                    budget,
                    spent: already,
                }
            } else {
                Refusal::OverBudget {
                    budget,
                    spent: already,
                }
            }));
        }
    }
    Ok(Ok(()))
}

/// Pay, or ask first when the price is above the confirmation threshold.
pub(crate) fn pay_or_confirm(policy: &Policy, payment_system: Url, price: &Price) -> Decision {
    match policy.confirmation_threshold(price.currency()) {
        Some(threshold) if price.amount() > threshold.amount() => Decision::NeedsConfirmation {
            payment_system,
            price: price.clone(),
            threshold: threshold.clone(),
        },
        _ => Decision::Pay {
            payment_system,
            price: price.clone(),
        },
    }
}
