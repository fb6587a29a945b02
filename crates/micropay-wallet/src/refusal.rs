//! Why the wallet will not pay for an offer ([`Refusal`]), each reason with a stable
//! kebab-case code.

use std::fmt;

use micropay_markup::{Currency, Price};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use url::Url;

use crate::offer::OfferError;
use crate::origin::MerchantOrigin;
use crate::policy::Budget;

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
    CurrencyNotHeld(Currency),
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
    /// `insecure-scheme`: https is required and `requesturl` is not https, or the document
    /// is neither https nor a local file.
    InsecureScheme(Url),
}

impl Refusal {
    /// For `over-budget` and `over-merchant-budget`: the budget, what was spent within its
    /// window when the decision was taken, and what was left of it (the limit less that, never
    /// below zero; the price is more than that).
    pub fn budget_state(&self) -> Option<(&Budget, Decimal, Decimal)> {
        match self {
            Refusal::OverBudget { budget, spent }
            | Refusal::OverMerchantBudget { budget, spent } => {
                let limit = budget.limit().amount().as_decimal();
                let remaining = limit
                    .checked_sub(*spent)
                    .unwrap_or(Decimal::ZERO)
                    .max(Decimal::ZERO);
                Some((budget, *spent, remaining))
            }
            _ => None,
        }
    }

    /// For `above-link-cap`: the cap the price is above.
    pub fn cap(&self) -> Option<&Price> {
        match self {
            Refusal::AboveLinkCap { cap, .. } => Some(cap),
            _ => None,
        }
    }

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
