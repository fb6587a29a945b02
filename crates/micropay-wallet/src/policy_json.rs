//! The JSON form of a [`Policy`]: what the ledger stores, what `micropay wallet policy`
//! prints, and what the wallet scenarios of spec-fixtures/wallet/ give.
//!
//! ```json
//! {
//!   "wallets": [{"payment_system": "https://ps.example/", "currencies": ["EUR", "USD"]},
//!               {"payment_system": "urn:x-micropay:other-system", "currencies": "any"}],
//!   "max_per_link": [{"amount": "0.05", "currency": "USD"}],
//!   "confirm_above": [{"amount": "0.5", "currency": "USD"}],
//!   "budgets": [{"limit": {"amount": "1", "currency": "USD"}, "window_seconds": 86400,
//!                "scope": "overall"}],
//!   "require_https": true,
//!   "blocked_origins": ["https://blocked.example"]
//! }
//! ```
//!
//! Prices are the objects of the JSON contract (docs/cli.md); reading also accepts the text
//! form `"0.05USD"`, through the same P-3 parser. Every key may be left out when reading
//! (its default: nothing held, https required); unknown keys are refused.

use micropay_markup::{Currency, Price};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::origin::MerchantOrigin;
use crate::policy::{Budget, BudgetScope, Currencies, Policy, PolicyError, Wallet};

/// The document form of a policy.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct PolicyDoc {
    wallets: Vec<WalletDoc>,
    max_per_link: Vec<Price>,
    confirm_above: Vec<Price>,
    budgets: Vec<BudgetDoc>,
    require_https: bool,
    blocked_origins: Vec<MerchantOrigin>,
}

impl Default for PolicyDoc {
    fn default() -> Self {
        PolicyDoc {
            wallets: Vec::new(),
            max_per_link: Vec::new(),
            confirm_above: Vec::new(),
            budgets: Vec::new(),
            require_https: true,
            blocked_origins: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WalletDoc {
    payment_system: Url,
    currencies: CurrenciesDoc,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum CurrenciesDoc {
    Any(AnyWord),
    Only(Vec<Currency>),
}

#[derive(Debug, Serialize, Deserialize)]
enum AnyWord {
    #[serde(rename = "any")]
    Any,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetDoc {
    limit: Price,
    window_seconds: u64,
    scope: ScopeDoc,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ScopeDoc {
    Overall,
    PerMerchant,
}

impl From<&Policy> for PolicyDoc {
    fn from(policy: &Policy) -> Self {
        PolicyDoc {
            wallets: policy
                .wallets()
                .iter()
                .map(|w| WalletDoc {
                    payment_system: w.payment_system().clone(),
                    currencies: match w.currencies() {
                        Currencies::Any => CurrenciesDoc::Any(AnyWord::Any),
                        Currencies::Only(codes) => {
                            CurrenciesDoc::Only(codes.iter().copied().collect())
                        }
                    },
                })
                .collect(),
            max_per_link: policy.link_caps().to_vec(),
            confirm_above: policy.confirmation_thresholds().to_vec(),
            budgets: policy
                .budgets()
                .iter()
                .map(|b| BudgetDoc {
                    limit: *b.limit(),
                    window_seconds: b.window_seconds(),
                    scope: match b.scope() {
                        BudgetScope::Overall => ScopeDoc::Overall,
                        BudgetScope::PerMerchant => ScopeDoc::PerMerchant,
                    },
                })
                .collect(),
            require_https: policy.require_https(),
            blocked_origins: policy.blocked_origins().cloned().collect(),
        }
    }
}

impl TryFrom<PolicyDoc> for Policy {
    type Error = PolicyError;

    fn try_from(doc: PolicyDoc) -> Result<Self, PolicyError> {
        let mut policy = Policy::default();
        for wallet in doc.wallets {
            policy.accept(match wallet.currencies {
                CurrenciesDoc::Any(AnyWord::Any) => Wallet::any_currency(wallet.payment_system),
                CurrenciesDoc::Only(codes) => Wallet::new(wallet.payment_system, &codes)?,
            });
        }
        for cap in doc.max_per_link {
            policy = policy.with_link_cap(cap);
        }
        for threshold in doc.confirm_above {
            policy = policy.with_confirmation_above(threshold);
        }
        for budget in doc.budgets {
            let scope = match budget.scope {
                ScopeDoc::Overall => BudgetScope::Overall,
                ScopeDoc::PerMerchant => BudgetScope::PerMerchant,
            };
            policy = policy.with_budget(Budget::new(budget.limit, budget.window_seconds, scope)?);
        }
        for origin in doc.blocked_origins {
            policy = policy.with_blocked_origin(origin);
        }
        Ok(policy.with_require_https(doc.require_https))
    }
}

impl Serialize for Policy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PolicyDoc::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = PolicyDoc::deserialize(deserializer)?;
        Policy::try_from(doc).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_through_json() {
        let policy = Policy::new(vec![
            Wallet::parse("https://ps.example/=USD,EUR").unwrap(),
            Wallet::parse("urn:x-micropay:other-system").unwrap(),
        ])
        .with_link_cap(Price::parse("0.05USD").unwrap())
        .with_confirmation_above(Price::parse("0.50USD").unwrap())
        .with_budget(Budget::parse("1USD/86400", BudgetScope::Overall).unwrap())
        .with_budget(Budget::parse("0.2USD/3600", BudgetScope::PerMerchant).unwrap())
        .with_blocked_origin(MerchantOrigin::parse("https://blocked.example").unwrap())
        .with_require_https(false);
        let value = serde_json::to_value(&policy).unwrap();
        assert_eq!(
            value,
            json!({
                "wallets": [
                    {"payment_system": "https://ps.example/", "currencies": ["EUR", "USD"]},
                    {"payment_system": "urn:x-micropay:other-system", "currencies": "any"}
                ],
                "max_per_link": [{"amount": "0.05", "currency": "USD"}],
                "confirm_above": [{"amount": "0.5", "currency": "USD"}],
                "budgets": [
                    {"limit": {"amount": "1", "currency": "USD"}, "window_seconds": 86400,
                     "scope": "overall"},
                    {"limit": {"amount": "0.2", "currency": "USD"}, "window_seconds": 3600,
                     "scope": "per-merchant"}
                ],
                "require_https": false,
                "blocked_origins": ["https://blocked.example"]
            })
        );
        assert_eq!(serde_json::from_value::<Policy>(value).unwrap(), policy);
    }

    #[test]
    fn missing_keys_take_defaults_and_text_prices_parse() {
        let policy: Policy = serde_json::from_value(json!({"max_per_link": ["5E-2USD"]})).unwrap();
        assert_eq!(
            policy,
            Policy::default().with_link_cap(Price::parse("0.05USD").unwrap())
        );
        assert!(policy.require_https());
    }

    #[test]
    fn bad_documents_are_refused() {
        for bad in [
            json!({"wallet": []}),
            json!({"wallets": [{"payment_system": "https://ps.example/", "currencies": []}]}),
            json!({"wallets": [{"payment_system": "https://ps.example/", "currencies": "all"}]}),
            json!({"wallets": [{"payment_system": "ps", "currencies": "any"}]}),
            json!({"max_per_link": ["-1USD"]}),
            json!({"budgets": [{"limit": "1USD", "window_seconds": 0, "scope": "overall"}]}),
            json!({"budgets": [{"limit": "1USD", "window_seconds": 5, "scope": "merchant"}]}),
            json!({"blocked_origins": ["https://shop.example/"]}),
        ] {
            assert!(
                serde_json::from_value::<Policy>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
