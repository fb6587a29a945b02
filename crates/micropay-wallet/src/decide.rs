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

use micropay_markup::{Currency, Price};
use rust_decimal::Decimal;
use time::OffsetDateTime;
use url::Url;

use crate::history::{Paid, SpendHistory};
use crate::offer::Offer;
use crate::origin::MerchantOrigin;
use crate::policy::{Budget, BudgetScope, Policy};
use crate::refusal::Refusal;

/// What the wallet controller does with an offer.
///
/// Display says it in a line; Debug is as compact, with URLs and prices as text:
///
/// ```
/// use micropay_wallet::{Decision, Price, Url};
///
/// let decision = Decision::Pay {
///     payment_system: Url::parse("https://ps.example/").unwrap(),
///     price: "0.05USD".parse::<Price>().unwrap(),
/// };
/// assert_eq!(decision.to_string(), "pay 0.05USD via https://ps.example/");
/// assert_eq!(
///     format!("{decision:?}"),
///     r#"Pay { payment_system: "https://ps.example/", price: 0.05USD }"#
/// );
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
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

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Pay {
                payment_system,
                price,
            } => write!(f, "pay {price} via {payment_system}"),
            Decision::NeedsConfirmation {
                payment_system,
                price,
                threshold,
            } => write!(
                f,
                "ask the user: {price} via {payment_system} is above {threshold}"
            ),
            Decision::Refuse(refusal) => write!(f, "refuse: {refusal}"),
            Decision::AlreadyPaid(paid) => {
                write!(f, "already paid ({}, spend {})", paid.code(), paid.spend.id)
            }
        }
    }
}

impl fmt::Debug for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Pay {
                payment_system,
                price,
            } => f
                .debug_struct("Pay")
                .field("payment_system", &payment_system.as_str())
                .field("price", &format_args!("{price}"))
                .finish(),
            Decision::NeedsConfirmation {
                payment_system,
                price,
                threshold,
            } => f
                .debug_struct("NeedsConfirmation")
                .field("payment_system", &payment_system.as_str())
                .field("price", &format_args!("{price}"))
                .field("threshold", &format_args!("{threshold}"))
                .finish(),
            Decision::Refuse(refusal) => f.debug_tuple("Refuse").field(refusal).finish(),
            Decision::AlreadyPaid(paid) => f
                .debug_struct("AlreadyPaid")
                .field("code", &paid.code())
                .field("spend", &paid.spend.id)
                .finish(),
        }
    }
}

/// What to do with `offer` at `now`, under `policy`, given what `history` says was bought
/// before. The checks, in order: insecure scheme, merchant blocked, already paid, expired
/// offer, no common payment system, currency not held, above the link cap, over a budget
/// (overall, then per merchant), above the confirmation threshold.
///
/// The answer is advisory: a wallet that then buys must check "already paid" and the budgets
/// again where it records the spend, atomically (as [`Ledger::reserve_spend`](crate::Ledger)
/// does), so that concurrent purchases cannot overspend.
pub fn decide<H: SpendHistory + ?Sized>(
    policy: &Policy,
    offer: &Offer,
    now: OffsetDateTime,
    history: &H,
) -> Result<Decision, H::Error> {
    if let Err(refusal) = gate(policy, offer) {
        return Ok(Decision::Refuse(refusal));
    }
    if let Some(paid) = history.already_paid(offer.scope(), offer.merchant_origin(), now)? {
        return Ok(Decision::AlreadyPaid(Box::new(paid)));
    }
    let payment_system = match choose(policy, offer, now) {
        Ok(payment_system) => payment_system,
        Err(refusal) => return Ok(Decision::Refuse(refusal)),
    };
    let budgets = check_budgets(
        policy,
        offer.merchant_origin(),
        offer.price(),
        now,
        |currency, since, origin| history.spent_since(currency, since, origin),
    )?;
    if let Err(refusal) = budgets {
        return Ok(Decision::Refuse(refusal));
    }
    Ok(pay_or_confirm(policy, payment_system, offer.price()))
}

/// The checks that need neither the ledger nor the instant: insecure scheme, blocked merchant.
pub(crate) fn gate(policy: &Policy, offer: &Offer) -> Result<(), Refusal> {
    if policy.require_https() {
        // The token travels to requesturl; the offer came from the document, which may also
        // be a local file (nothing travelled over the network then).
        let fields = offer.fields();
        if fields.requesturl.scheme() != "https" {
            return Err(Refusal::InsecureScheme(fields.requesturl.clone()));
        }
        if !matches!(fields.document_url.scheme(), "https" | "file") {
            return Err(Refusal::InsecureScheme(fields.document_url.clone()));
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
        .ok_or(Refusal::CurrencyNotHeld(price.currency()))?;
    let cap = policy.link_cap(price.currency());
    if let Some(cap) = cap.filter(|cap| price.amount() > cap.amount()) {
        return Err(Refusal::AboveLinkCap {
            price: *price,
            cap: *cap,
        });
    }
    Ok(wallet.payment_system().clone())
}

/// The budgets in the price's currency. `spent(currency, since, origin)` must return the sum
/// of the spends in `currency` made strictly after Unix second `since` (with `origin` only,
/// when given).
pub(crate) fn check_budgets<E>(
    policy: &Policy,
    origin: &MerchantOrigin,
    price: &Price,
    now: OffsetDateTime,
    mut spent: impl FnMut(Currency, i64, Option<&MerchantOrigin>) -> Result<Decimal, E>,
) -> Result<Result<(), Refusal>, E> {
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
            .checked_add(price.amount().as_decimal())
            .is_some_and(|total| total <= budget.limit().amount().as_decimal());
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
            price: *price,
            threshold: *threshold,
        },
        _ => Decision::Pay {
            payment_system,
            price: *price,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::tests::sample_fields;
    use crate::offer::{OfferError, OfferFields};
    use crate::policy::Wallet;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn price(s: &str) -> Price {
        Price::parse(s).unwrap()
    }

    fn policy() -> Policy {
        Policy::new(vec![
            Wallet::parse("https://unrelated-ps.example/=USD").unwrap(),
            Wallet::parse("https://other-ps.example/pay=EUR").unwrap(),
            Wallet::parse("https://ps.example/=USD,EUR").unwrap(),
        ])
    }

    fn offer_with(change: impl FnOnce(&mut OfferFields)) -> Offer {
        let mut fields = sample_fields();
        change(&mut fields);
        Offer::new(fields).unwrap()
    }

    fn refusal_of(policy: &Policy, offer: &Offer) -> Option<&'static str> {
        gate(policy, offer)
            .and_then(|()| choose(policy, offer, NOW).map(drop))
            .err()
            .map(|r| r.code())
    }

    #[test]
    fn preferred_wallet_that_holds_the_currency_is_chosen() {
        let usd = offer_with(|_| {});
        assert_eq!(
            choose(&policy(), &usd, NOW).unwrap(),
            url("https://ps.example/")
        );
        let eur = offer_with(|f| f.price = price("0.01EUR"));
        assert_eq!(
            choose(&policy(), &eur, NOW).unwrap(),
            url("https://other-ps.example/pay")
        );
    }

    #[test]
    fn insecure_scheme() {
        let http_request = offer_with(|f| f.requesturl = url("http://merchant.example/a"));
        let http_page = offer_with(|f| f.document_url = url("http://merchant.example/"));
        let ftp_page = offer_with(|f| f.document_url = url("ftp://merchant.example/a.html"));
        for offer in [&http_request, &http_page, &ftp_page] {
            assert_eq!(refusal_of(&policy(), offer), Some("insecure-scheme"));
            assert_eq!(refusal_of(&policy().with_require_https(false), offer), None);
        }
        let local_page = offer_with(|f| f.document_url = url("file:///home/u/page.html"));
        assert_eq!(refusal_of(&policy(), &local_page), None);
    }

    #[test]
    fn merchant_blocked() {
        let offer = offer_with(|_| {});
        let policy = policy().with_blocked_origin(offer.merchant_origin().clone());
        assert_eq!(refusal_of(&policy, &offer), Some("merchant-blocked"));
    }

    #[test]
    fn expired_offer() {
        let offer = offer_with(|f| f.expiration = Some(datetime!(2026-03-01 11:59:59 UTC)));
        assert_eq!(refusal_of(&policy(), &offer), Some("expired-offer"));
        let offer = offer_with(|f| f.expiration = Some(NOW));
        assert_eq!(refusal_of(&policy(), &offer), None);
    }

    #[test]
    fn no_common_payment_system() {
        let offer = offer_with(|f| {
            f.paymentsystems.clear();
            f.paymentsystems.push(crate::OfferPaymentSystem {
                id: url("https://never-held.example/"),
                info: None,
            });
        });
        assert_eq!(
            refusal_of(&policy(), &offer),
            Some("no-common-payment-system")
        );
        assert_eq!(
            refusal_of(&Policy::new(Vec::new()), &offer_with(|_| {})),
            Some("no-common-payment-system")
        );
    }

    #[test]
    fn currency_not_held() {
        let offer = offer_with(|f| f.price = price("5JPY"));
        assert_eq!(refusal_of(&policy(), &offer), Some("currency-not-held"));
    }

    #[test]
    fn above_link_cap() {
        let offer = offer_with(|f| f.price = price("0.06USD"));
        let capped = policy().with_link_cap(price("0.05USD"));
        assert_eq!(refusal_of(&capped, &offer), Some("above-link-cap"));
        let at_cap = offer_with(|f| f.price = price("0.05USD"));
        assert_eq!(refusal_of(&capped, &at_cap), None);
        let other_currency = policy().with_link_cap(price("0.05EUR"));
        assert_eq!(refusal_of(&other_currency, &offer), None);
    }

    #[test]
    fn budgets_overall_then_per_merchant() {
        let offer = offer_with(|f| f.price = price("0.30USD"));
        let origin = offer.merchant_origin().clone();
        let policy = policy()
            .with_budget(Budget::parse("1USD/3600", BudgetScope::PerMerchant).unwrap())
            .with_budget(Budget::parse("2USD/86400", BudgetScope::Overall).unwrap())
            .with_budget(Budget::parse("0EUR/60", BudgetScope::Overall).unwrap());
        let check = |overall: &str, merchant: &str| {
            let (overall, merchant) = (
                price(overall).amount().as_decimal(),
                price(merchant).amount().as_decimal(),
            );
            check_budgets(
                &policy,
                &origin,
                offer.price(),
                NOW,
                |currency, since, o| {
                    assert_eq!(currency.as_str(), "USD");
                    Ok::<_, std::convert::Infallible>(match o {
                        None => {
                            assert_eq!(since, NOW.unix_timestamp() - 86400);
                            overall
                        }
                        Some(o) => {
                            assert_eq!((o, since), (&origin, NOW.unix_timestamp() - 3600));
                            merchant
                        }
                    })
                },
            )
            .unwrap()
            .err()
            .map(|r| r.code())
        };
        assert_eq!(check("1.70USD", "0.70USD"), None);
        assert_eq!(check("1.71USD", "0USD"), Some("over-budget"));
        assert_eq!(check("1.71USD", "0.71USD"), Some("over-budget"));
        assert_eq!(check("1USD", "0.71USD"), Some("over-merchant-budget"));
        let refused = check_budgets(&policy, &origin, offer.price(), NOW, |_, _, o| {
            Ok::<_, std::convert::Infallible>(if o.is_some() {
                Decimal::new(71, 2)
            } else {
                Decimal::ONE
            })
        })
        .unwrap()
        .unwrap_err();
        let (budget, spent, remaining) = refused.budget_state().unwrap();
        assert_eq!(budget.limit(), &price("1USD"));
        assert_eq!(
            (spent, remaining),
            (Decimal::new(71, 2), Decimal::new(29, 2))
        );
        let over = Refusal::OverBudget {
            budget: budget.clone(),
            spent: Decimal::new(3, 0),
        };
        assert_eq!(over.budget_state().unwrap().2, Decimal::ZERO);
        assert_eq!(over.cap(), None);
        let huge = Decimal::MAX;
        let overflow = check_budgets(&policy, &origin, offer.price(), NOW, |_, _, _| {
            Ok::<_, std::convert::Infallible>(huge)
        });
        assert!(matches!(overflow, Ok(Err(Refusal::OverBudget { .. }))));
    }

    #[test]
    fn confirmation_threshold() {
        let policy = policy().with_confirmation_above(price("0.10USD"));
        let ps = url("https://ps.example/");
        assert!(matches!(
            pay_or_confirm(&policy, ps.clone(), &price("0.10USD")),
            Decision::Pay { .. }
        ));
        assert!(matches!(
            pay_or_confirm(&policy, ps.clone(), &price("0.11USD")),
            Decision::NeedsConfirmation { .. }
        ));
        assert!(matches!(
            pay_or_confirm(&policy, ps, &price("5EUR")),
            Decision::Pay { .. }
        ));
    }

    #[test]
    fn invalid_link() {
        let refusal = Refusal::from(OfferError::EmptyTextlink);
        assert_eq!(refusal.code(), "invalid-link");
        assert_eq!(
            refusal.to_string(),
            "invalid-link: the link is not valid (textlink is empty)"
        );
    }

    #[test]
    fn codes_are_distinct_and_kebab_case() {
        let budget = Budget::parse("1USD/60", BudgetScope::Overall).unwrap();
        let all = [
            Refusal::InvalidLink(String::new()),
            Refusal::ExpiredOffer(NOW),
            Refusal::NoCommonPaymentSystem,
            Refusal::CurrencyNotHeld(Currency::parse("JPY").unwrap()),
            Refusal::AboveLinkCap {
                price: price("1USD"),
                cap: price("0.5USD"),
            },
            Refusal::OverBudget {
                budget: budget.clone(),
                spent: Decimal::ONE,
            },
            Refusal::OverMerchantBudget {
                budget,
                spent: Decimal::ONE,
            },
            Refusal::MerchantBlocked(crate::MerchantOrigin::parse("https://m.example").unwrap()),
            Refusal::InsecureScheme(url("http://m.example/")),
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(Refusal::code).collect();
        assert_eq!(codes.len(), all.len());
        for refusal in &all {
            let code = refusal.code();
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert!(refusal.to_string().starts_with(code));
        }
    }
}
