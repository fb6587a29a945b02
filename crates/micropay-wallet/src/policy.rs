//! The user's policy: the wallets held (payment systems in preference order, each with the
//! currencies it holds), the most one link may cost, budgets over rolling windows (overall or
//! per merchant origin), the price above which the user is asked, whether https is required,
//! and blocked merchant origins.
//!
//! Amounts are given in the profile's price form (`0.05USD`) and budgets as
//! `AMOUNT CURRENCY / SECONDS` (`1USD/86400`: at most one dollar in any 24 hours).

use std::collections::BTreeSet;
use std::fmt;

use url::Url;

use crate::origin::MerchantOrigin;
use crate::price::{Price, PriceError, check_currency, parse_price};

/// Why a policy setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A price is not in the profile's form.
    #[error(transparent)]
    Price(#[from] PriceError),
    /// A budget is not `PRICE/SECONDS` with a positive whole number of seconds.
    #[error("not a budget (expected e.g. 1USD/86400): {0:?}")]
    Budget(String),
    /// A wallet names no currency.
    #[error("a wallet must hold at least one currency")]
    NoCurrency,
}

/// One wallet the user holds: a payment system and the currencies it can pay in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    payment_system: Url,
    currencies: BTreeSet<String>,
}

impl Wallet {
    /// A wallet of `payment_system` holding `currencies` (three-letter codes, at least one).
    pub fn new(payment_system: Url, currencies: &[&str]) -> Result<Self, PolicyError> {
        if currencies.is_empty() {
            return Err(PolicyError::NoCurrency);
        }
        for code in currencies {
            check_currency(code)?;
        }
        Ok(Wallet {
            payment_system,
            currencies: currencies.iter().map(|c| (*c).to_owned()).collect(),
        })
    }

    /// The payment system's URI.
    pub fn payment_system(&self) -> &Url {
        &self.payment_system
    }

    /// Whether this wallet can pay in `currency`.
    pub fn holds(&self, currency: &str) -> bool {
        self.currencies.contains(currency)
    }
}

/// Whose spending a budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetScope {
    /// All purchases together.
    Overall,
    /// The purchases from each merchant origin, separately.
    PerMerchant,
}

/// At most `limit` spent within any `window_seconds` (a spend counts while it is less than
/// `window_seconds` old).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    limit: Price,
    window_seconds: u64,
    scope: BudgetScope,
}

impl Budget {
    /// A budget; the window must be at least one second.
    pub fn new(limit: Price, window_seconds: u64, scope: BudgetScope) -> Result<Self, PolicyError> {
        if window_seconds == 0 {
            return Err(PolicyError::Budget(format!("{limit}/0")));
        }
        Ok(Budget {
            limit,
            window_seconds,
            scope,
        })
    }

    /// Parses the CLI form `PRICE/SECONDS`, e.g. `1USD/86400`.
    pub fn parse(text: &str, scope: BudgetScope) -> Result<Self, PolicyError> {
        let refuse = || PolicyError::Budget(text.to_owned());
        let (price, seconds) = text.split_once('/').ok_or_else(refuse)?;
        if seconds.is_empty() || !seconds.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refuse());
        }
        let seconds = seconds.parse().map_err(|_| refuse())?;
        Budget::new(parse_price(price)?, seconds, scope).map_err(|_| refuse())
    }

    /// The most that may be spent within the window.
    pub fn limit(&self) -> &Price {
        &self.limit
    }

    /// The window's length in seconds.
    pub fn window_seconds(&self) -> u64 {
        self.window_seconds
    }

    /// Overall or per merchant origin.
    pub fn scope(&self) -> BudgetScope {
        self.scope
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scope = match self.scope {
            BudgetScope::Overall => "",
            BudgetScope::PerMerchant => " per merchant",
        };
        write!(f, "{}/{}s{scope}", self.limit, self.window_seconds)
    }
}

/// Everything the wallet controller obeys when deciding whether to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    wallets: Vec<Wallet>,
    link_caps: Vec<Price>,
    confirmation_thresholds: Vec<Price>,
    budgets: Vec<Budget>,
    require_https: bool,
    blocked_origins: BTreeSet<MerchantOrigin>,
}

impl Policy {
    /// A policy with these wallets (in preference order), https required, and no cap, budget,
    /// confirmation threshold or blocked origin yet.
    pub fn new(wallets: Vec<Wallet>) -> Self {
        Policy {
            wallets,
            link_caps: Vec::new(),
            confirmation_thresholds: Vec::new(),
            budgets: Vec::new(),
            require_https: true,
            blocked_origins: BTreeSet::new(),
        }
    }

    /// Refuses links costing more than `cap` (per currency; replaces that currency's cap).
    #[must_use]
    pub fn with_link_cap(mut self, cap: Price) -> Self {
        set_per_currency(&mut self.link_caps, cap);
        self
    }

    /// Asks the user before paying more than `threshold` for one link (per currency).
    #[must_use]
    pub fn with_confirmation_above(mut self, threshold: Price) -> Self {
        set_per_currency(&mut self.confirmation_thresholds, threshold);
        self
    }

    /// Adds a budget.
    #[must_use]
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budgets.push(budget);
        self
    }

    /// Whether `requesturl` must be https and the document https or a local file (the
    /// default).
    #[must_use]
    pub fn with_require_https(mut self, require: bool) -> Self {
        self.require_https = require;
        self
    }

    /// Never pays `origin`.
    #[must_use]
    pub fn with_blocked_origin(mut self, origin: MerchantOrigin) -> Self {
        self.blocked_origins.insert(origin);
        self
    }

    /// The wallets in preference order.
    pub fn wallets(&self) -> &[Wallet] {
        &self.wallets
    }

    /// The per-link cap in `currency`, if any.
    pub fn link_cap(&self, currency: &str) -> Option<&Price> {
        self.link_caps.iter().find(|p| p.currency() == currency)
    }

    /// The confirmation threshold in `currency`, if any.
    pub fn confirmation_threshold(&self, currency: &str) -> Option<&Price> {
        self.confirmation_thresholds
            .iter()
            .find(|p| p.currency() == currency)
    }

    /// The budgets.
    pub fn budgets(&self) -> &[Budget] {
        &self.budgets
    }

    /// Whether https is required.
    pub fn require_https(&self) -> bool {
        self.require_https
    }

    /// Whether `origin` is blocked.
    pub fn is_blocked(&self, origin: &MerchantOrigin) -> bool {
        self.blocked_origins.contains(origin)
    }
}

fn set_per_currency(list: &mut Vec<Price>, price: Price) {
    list.retain(|p| p.currency() != price.currency());
    list.push(price);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_parse_the_cli_form() {
        let budget = Budget::parse("1USD/86400", BudgetScope::Overall).unwrap();
        assert_eq!(budget.limit().to_string(), "1USD");
        assert_eq!(budget.window_seconds(), 86400);
        assert_eq!(budget.to_string(), "1USD/86400s");
        for bad in [
            "1USD",
            "1USD/",
            "1USD/0",
            "1USD/-5",
            "1USD/1.5",
            "1usd/60",
            "/60",
            "1USD/60/2",
        ] {
            assert!(Budget::parse(bad, BudgetScope::Overall).is_err(), "{bad}");
        }
    }

    #[test]
    fn caps_are_per_currency_and_replaced() {
        let policy = Policy::new(Vec::new())
            .with_link_cap(Price::parse("0.05USD").unwrap())
            .with_link_cap(Price::parse("0.10USD").unwrap())
            .with_link_cap(Price::parse("1EUR").unwrap());
        assert_eq!(policy.link_cap("USD").unwrap().to_string(), "0.1USD");
        assert_eq!(policy.link_cap("EUR").unwrap().to_string(), "1EUR");
        assert!(policy.link_cap("JPY").is_none());
        assert!(policy.require_https());
    }

    #[test]
    fn wallets_need_valid_currencies() {
        let ps = Url::parse("https://ps.example/").unwrap();
        assert_eq!(Wallet::new(ps.clone(), &[]), Err(PolicyError::NoCurrency));
        assert!(Wallet::new(ps.clone(), &["usd"]).is_err());
        let wallet = Wallet::new(ps, &["USD", "EUR"]).unwrap();
        assert!(wallet.holds("EUR") && !wallet.holds("JPY"));
    }
}
