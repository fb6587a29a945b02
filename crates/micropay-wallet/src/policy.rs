//! The user's policy: the wallets held (payment systems in preference order, each with the
//! currencies it holds), the most one link may cost, budgets over rolling windows (overall or
//! per merchant origin), the price above which the user is asked, whether https is required,
//! and blocked merchant origins.
//!
//! Prices are the parser's [`Price`] (one grammar for the whole project, P-3): `0.05USD`.
//! Budgets are written `PRICE/SECONDS` (`1USD/86400`: at most one dollar in any 24 hours).
//! The policy's JSON form, which the ledger stores and the CLI prints, is in
//! `policy_json.rs`.

use std::collections::BTreeSet;
use std::fmt;

use micropay_markup::{Currency, Finding, Price};
use url::Url;

use crate::origin::MerchantOrigin;

/// Why a policy setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A price or currency is not in the profile's form (P-3).
    #[error("{0}")]
    Price(Finding),
    /// A budget is not `PRICE/SECONDS` with a positive whole number of seconds.
    #[error("not a budget (expected e.g. 1USD/86400): {0:?}")]
    Budget(String),
    /// A wallet names no currency.
    #[error("a wallet must hold at least one currency")]
    NoCurrency,
    /// A payment system is not an absolute URI (P-5).
    #[error("not a payment system URI (an absolute URI such as https://ps.example/): {0:?}")]
    PaymentSystem(String),
    /// A merchant to block is not an http(s) URL or origin.
    #[error("not a merchant origin (e.g. https://shop.example): {0:?}")]
    Origin(String),
}

/// The currencies a wallet can pay in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Currencies {
    /// Whatever currency a link asks for (the payment system converts, or the user did not
    /// say).
    Any,
    /// Only these (never empty).
    Only(BTreeSet<Currency>),
}

/// One wallet the user holds: a payment system and the currencies it can pay in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    payment_system: Url,
    currencies: Currencies,
}

impl Wallet {
    /// A wallet of `payment_system` holding `currencies` (at least one).
    pub fn new(payment_system: Url, currencies: &[Currency]) -> Result<Self, PolicyError> {
        if currencies.is_empty() {
            return Err(PolicyError::NoCurrency);
        }
        Ok(Wallet {
            payment_system,
            currencies: Currencies::Only(currencies.iter().copied().collect()),
        })
    }

    /// A wallet of `payment_system` that pays in any currency.
    pub fn any_currency(payment_system: Url) -> Self {
        Wallet {
            payment_system,
            currencies: Currencies::Any,
        }
    }

    /// Parses the CLI form `URI`, `URI=*` (any currency) or `URI=USD,EUR` (those only).
    ///
    /// The text after the last `=` is taken as the currency list only when it is `*` or a
    /// comma-separated list of three upper-case letters (P-3 currency codes); otherwise the
    /// whole text is the URI. So a URI whose query ends in `=USD` is written with `=*` after
    /// it (`https://ps.example/?c=USD=*`).
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let (uri, currencies) = match text.rsplit_once('=') {
            Some((uri, "*")) => (uri, Some(Vec::new())),
            Some((uri, list)) if is_code_list(list) => {
                let codes = list
                    .split(',')
                    .map(Currency::parse)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(PolicyError::Price)?;
                (uri, Some(codes))
            }
            _ => (text, None),
        };
        // P-5: a payment system is identified by an absolute URI.
        let payment_system =
            Url::parse(uri).map_err(|_| PolicyError::PaymentSystem(uri.to_owned()))?;
        match currencies {
            Some(codes) if !codes.is_empty() => Wallet::new(payment_system, &codes),
            _ => Ok(Wallet::any_currency(payment_system)),
        }
    }

    /// The payment system's URI.
    pub fn payment_system(&self) -> &Url {
        &self.payment_system
    }

    /// The currencies it holds.
    pub fn currencies(&self) -> &Currencies {
        &self.currencies
    }

    /// Whether this wallet can pay in `currency`.
    pub fn holds(&self, currency: Currency) -> bool {
        match &self.currencies {
            Currencies::Any => true,
            Currencies::Only(codes) => codes.contains(&currency),
        }
    }
}

/// `[A-Z]{3}(,[A-Z]{3})*`: what makes the text after `=` a currency list.
fn is_code_list(text: &str) -> bool {
    text.split(',')
        .all(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()))
}

/// Whose spending a budget limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
        let price = Price::parse(price).map_err(PolicyError::Price)?;
        Budget::new(price, seconds, scope).map_err(|_| refuse())
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

    /// Whether `other` limits the same thing (currency, window and scope), so that setting
    /// it replaces this one.
    fn same_slot(&self, other: &Budget) -> bool {
        self.limit.currency() == other.limit.currency()
            && self.window_seconds == other.window_seconds
            && self.scope == other.scope
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
///
/// The setters amend: a wallet of a payment system already held replaces the old one in its
/// place of preference, a cap or threshold replaces the one in the same currency, a budget
/// the one with the same currency, window and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    wallets: Vec<Wallet>,
    link_caps: Vec<Price>,
    confirmation_thresholds: Vec<Price>,
    budgets: Vec<Budget>,
    require_https: bool,
    blocked_origins: BTreeSet<MerchantOrigin>,
}

impl Default for Policy {
    /// No wallet (so every link is refused with `no-common-payment-system`), https required,
    /// no cap, budget, threshold or blocked origin.
    fn default() -> Self {
        Policy::new(Vec::new())
    }
}

impl Policy {
    /// A policy with these wallets (in preference order), https required, and no cap, budget,
    /// confirmation threshold or blocked origin yet.
    pub fn new(wallets: Vec<Wallet>) -> Self {
        let mut policy = Policy {
            wallets: Vec::new(),
            link_caps: Vec::new(),
            confirmation_thresholds: Vec::new(),
            budgets: Vec::new(),
            require_https: true,
            blocked_origins: BTreeSet::new(),
        };
        for wallet in wallets {
            policy.accept(wallet);
        }
        policy
    }

    /// Holds `wallet`: replaces the wallet of the same payment system where it stands in the
    /// preference order, or adds it as the least preferred.
    pub fn accept(&mut self, wallet: Wallet) {
        match self
            .wallets
            .iter_mut()
            .find(|w| w.payment_system == wallet.payment_system)
        {
            Some(held) => *held = wallet,
            None => self.wallets.push(wallet),
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

    /// Adds a budget, replacing one with the same currency, window and scope.
    #[must_use]
    pub fn with_budget(mut self, budget: Budget) -> Self {
        match self.budgets.iter_mut().find(|b| b.same_slot(&budget)) {
            Some(slot) => *slot = budget,
            None => self.budgets.push(budget),
        }
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

    /// Pays `origin` again (undoes [`Policy::with_blocked_origin`]).
    #[must_use]
    pub fn without_blocked_origin(mut self, origin: &MerchantOrigin) -> Self {
        self.blocked_origins.remove(origin);
        self
    }

    /// The wallets in preference order.
    pub fn wallets(&self) -> &[Wallet] {
        &self.wallets
    }

    /// The per-link cap in `currency`, if any.
    pub fn link_cap(&self, currency: Currency) -> Option<&Price> {
        self.link_caps.iter().find(|p| p.currency() == currency)
    }

    /// Every per-link cap, one per currency.
    pub fn link_caps(&self) -> &[Price] {
        &self.link_caps
    }

    /// The confirmation threshold in `currency`, if any.
    pub fn confirmation_threshold(&self, currency: Currency) -> Option<&Price> {
        self.confirmation_thresholds
            .iter()
            .find(|p| p.currency() == currency)
    }

    /// Every confirmation threshold, one per currency.
    pub fn confirmation_thresholds(&self) -> &[Price] {
        &self.confirmation_thresholds
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

    /// The blocked merchant origins.
    pub fn blocked_origins(&self) -> impl Iterator<Item = &MerchantOrigin> {
        self.blocked_origins.iter()
    }
}

fn set_per_currency(list: &mut Vec<Price>, price: Price) {
    match list.iter_mut().find(|p| p.currency() == price.currency()) {
        Some(slot) => *slot = price,
        None => list.push(price),
    }
}

/// The merchant origin of the CLI's `--block` value: an origin (`https://shop.example`) or
/// any http(s) URL of the merchant (`https://shop.example/page.html`).
pub fn parse_blocked_origin(text: &str) -> Result<MerchantOrigin, PolicyError> {
    let refuse = || PolicyError::Origin(text.to_owned());
    let url = Url::parse(text).map_err(|_| refuse())?;
    MerchantOrigin::of(&url).ok_or_else(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(text: &str) -> Price {
        Price::parse(text).unwrap()
    }

    fn code(text: &str) -> Currency {
        Currency::parse(text).unwrap()
    }

    #[test]
    fn budgets_parse_the_cli_form() {
        let budget = Budget::parse("1USD/86400", BudgetScope::Overall).unwrap();
        assert_eq!(budget.limit().to_string(), "1USD");
        assert_eq!(budget.window_seconds(), 86400);
        assert_eq!(budget.to_string(), "1USD/86400s");
        assert_eq!(
            Budget::parse("1E-2USD/60", BudgetScope::Overall)
                .unwrap()
                .limit()
                .to_string(),
            "0.01USD"
        );
        for bad in [
            "1USD",
            "1USD/",
            "1USD/0",
            "1USD/-5",
            "1USD/1.5",
            "1usd/60",
            "/60",
            "1USD/60/2",
            "-1USD/60",
        ] {
            assert!(Budget::parse(bad, BudgetScope::Overall).is_err(), "{bad}");
        }
    }

    #[test]
    fn caps_are_per_currency_and_replaced() {
        let policy = Policy::default()
            .with_link_cap(price("0.05USD"))
            .with_link_cap(price("0.10USD"))
            .with_link_cap(price("1EUR"));
        assert_eq!(policy.link_cap(code("USD")).unwrap().to_string(), "0.1USD");
        assert_eq!(policy.link_cap(code("EUR")).unwrap().to_string(), "1EUR");
        assert!(policy.link_cap(code("JPY")).is_none());
        assert_eq!(policy.link_caps().len(), 2);
        assert!(policy.require_https());
    }

    #[test]
    fn budgets_replace_the_same_slot_only() {
        let policy = Policy::default()
            .with_budget(Budget::parse("1USD/60", BudgetScope::Overall).unwrap())
            .with_budget(Budget::parse("2USD/60", BudgetScope::Overall).unwrap())
            .with_budget(Budget::parse("3USD/60", BudgetScope::PerMerchant).unwrap())
            .with_budget(Budget::parse("4USD/3600", BudgetScope::Overall).unwrap())
            .with_budget(Budget::parse("5EUR/60", BudgetScope::Overall).unwrap());
        let shown: Vec<String> = policy.budgets().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "2USD/60s",
                "3USD/60s per merchant",
                "4USD/3600s",
                "5EUR/60s"
            ]
        );
    }

    #[test]
    fn wallets_need_currencies_and_keep_their_place() {
        let ps = Url::parse("https://ps.example/").unwrap();
        assert_eq!(Wallet::new(ps.clone(), &[]), Err(PolicyError::NoCurrency));
        let wallet = Wallet::new(ps.clone(), &[code("USD"), code("EUR")]).unwrap();
        assert!(wallet.holds(code("EUR")) && !wallet.holds(code("JPY")));
        assert!(Wallet::any_currency(ps.clone()).holds(code("JPY")));
        let other = Url::parse("https://other.example/").unwrap();
        let mut policy = Policy::new(vec![
            Wallet::any_currency(ps.clone()),
            Wallet::any_currency(other),
        ]);
        policy.accept(Wallet::new(ps.clone(), &[code("USD")]).unwrap());
        assert_eq!(policy.wallets().len(), 2);
        assert_eq!(policy.wallets()[0].payment_system(), &ps);
        assert!(!policy.wallets()[0].holds(code("EUR")));
    }

    #[test]
    fn wallets_parse_the_cli_form() {
        let any = Wallet::parse("https://ps.example/").unwrap();
        assert_eq!(any.currencies(), &Currencies::Any);
        let some = Wallet::parse("https://ps.example/=USD,EUR").unwrap();
        assert!(some.holds(code("USD")) && some.holds(code("EUR")) && !some.holds(code("JPY")));
        assert_eq!(some.payment_system().as_str(), "https://ps.example/");
        let query = Wallet::parse("https://ps.example/?c=USD=*").unwrap();
        assert_eq!(query.payment_system().as_str(), "https://ps.example/?c=USD");
        assert_eq!(query.currencies(), &Currencies::Any);
        let urn = Wallet::parse("urn:x-micropay:other-system=JPY").unwrap();
        assert_eq!(urn.payment_system().as_str(), "urn:x-micropay:other-system");
        let lower = Wallet::parse("https://ps.example/?lang=eng").unwrap();
        assert_eq!(
            lower.payment_system().as_str(),
            "https://ps.example/?lang=eng"
        );
        for bad in ["", "ps.example", "not a uri=USD", "=*"] {
            assert!(Wallet::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn blocked_origins_from_urls() {
        assert_eq!(
            parse_blocked_origin("https://Shop.Example/page.html")
                .unwrap()
                .as_str(),
            "https://shop.example"
        );
        assert!(parse_blocked_origin("shop.example").is_err());
        assert!(parse_blocked_origin("file:///tmp/x").is_err());
    }
}
