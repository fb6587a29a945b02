//! The wallet controller on the wallet's state as the extension stores it (the JSON of
//! `micropay wallet export`, [`WalletState`]): the state of each link of a page, a purchase,
//! a receipt, the policy.

use micropay_markup::{Diagnostic, PerFeeLink, Severity};
use micropay_wallet::{Decision, Offer, Policy, Refusal, SignedReceipt, WalletState};
use serde::Serialize;
use time::OffsetDateTime;
use url::Url;

use crate::page::{CarrierOutput, PageInput, mark_page};

/// What the content script shows for one carrier.
#[derive(Debug, Serialize)]
pub struct MarkedLink {
    /// `payable`, `needs-confirmation`, `paid`, `refused`, `invalid`; `null` for an object
    /// that is no per-fee-link.
    pub state: Option<&'static str>,
    /// The refusal's code, the first error's code of an invalid link, `receipt` or
    /// `pending-purchase` for a paid one.
    pub reason: Option<String>,
    /// The merchant origin the wallet would pay (that of `requesturl`).
    pub merchant: Option<String>,
    /// The link and its diagnostics (`link`, `diagnostics`).
    #[serde(flatten)]
    pub carrier: CarrierOutput,
}

/// The answer to a click.
#[derive(Debug, Default, Serialize)]
pub struct Purchase {
    /// `purchased` (a new spend: send `token`), `paid` (present `receipt`), `pending` (paid
    /// earlier, no receipt yet), `needs-confirmation`, `refused`, `invalid`.
    pub outcome: &'static str,
    /// The refusal's or invalidity's code.
    pub reason: Option<String>,
    /// A sentence for the user.
    pub message: String,
    /// The new state to store before the token leaves (`purchased` only).
    pub wallet: Option<String>,
    /// The purchase token (`purchased`) to send in `Authorization: Micropay token="…"`.
    pub token: Option<String>,
    /// The stored receipt (`paid`) to send in `Authorization: Micropay receipt="…"`.
    pub receipt: Option<String>,
    /// Where the content is fetched.
    pub requesturl: Option<String>,
    /// The link's `target`.
    pub target: Option<String>,
    /// The price, as `0.05USD`.
    pub price: Option<String>,
    /// The confirmation threshold it is above (`needs-confirmation`).
    pub threshold: Option<String>,
    /// The merchant origin.
    pub merchant: Option<String>,
}

fn instant(now: i64) -> Result<OffsetDateTime, String> {
    OffsetDateTime::from_unix_timestamp(now).map_err(|e| format!("instant {now}: {e}"))
}

fn first_error(diagnostics: &[Diagnostic]) -> Option<String> {
    diagnostics
        .iter()
        .find(|d| d.severity() == Severity::Error)
        .map(|d| d.code().as_str().to_owned())
}

/// The offer of a valid link, or the reason there is none.
fn offer_of(
    link: &PerFeeLink,
    diagnostics: &[Diagnostic],
    document_url: Option<&Url>,
) -> Result<Offer, String> {
    if !link.is_valid() {
        return Err(first_error(diagnostics).unwrap_or_else(|| "invalid-link".to_owned()));
    }
    let document_url = document_url.ok_or("invalid-link")?;
    Offer::from_link(link, document_url).map_err(|e| Refusal::from(e).code().to_owned())
}

/// The state of a decision, with its reason.
fn state_of(decision: &Decision) -> (&'static str, Option<String>) {
    match decision {
        Decision::Pay { .. } => ("payable", None),
        Decision::NeedsConfirmation { .. } => ("needs-confirmation", None),
        Decision::Refuse(refusal) => ("refused", Some(refusal.code().to_owned())),
        Decision::AlreadyPaid(paid) => ("paid", Some(paid.code().to_owned())),
        _ => ("refused", Some("unknown-decision".to_owned())),
    }
}

/// Every carrier of `input` with the state the wallet gives it; without a wallet (`None`),
/// valid links are refused as `no-wallet`.
pub fn mark_links(input: &PageInput, wallet: Option<&str>) -> Result<Vec<MarkedLink>, String> {
    let wallet = wallet.map(WalletState::from_json).transpose()?;
    let now = instant(input.now)?;
    let document_url = input
        .document_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    let carriers = mark_page(input)?;
    Ok(carriers
        .into_iter()
        .map(|carrier| {
            let Some(link) = &carrier.link else {
                return MarkedLink {
                    state: None,
                    reason: None,
                    merchant: None,
                    carrier,
                };
            };
            let merchant = link
                .requesturl()
                .and_then(|u| Url::parse(u.as_str()).ok())
                .map(|u| u.origin().ascii_serialization());
            let (state, reason) = match offer_of(link, &carrier.diagnostics, document_url.as_ref())
            {
                Err(reason) => ("invalid", Some(reason)),
                Ok(offer) => match &wallet {
                    None => ("refused", Some("no-wallet".to_owned())),
                    Some(wallet) => state_of(&wallet.decide_offer(&offer, now)),
                },
            };
            MarkedLink {
                state: Some(state),
                reason,
                merchant,
                carrier,
            }
        })
        .collect())
}

/// A click on carrier `index` of `input` (the page as the service worker reads it again):
/// decides and, when the decision allows it (`confirmed`: the user agreed in the
/// extension's dialog), signs and records the spend in the returned state.
pub fn purchase(
    wallet: &str,
    input: &PageInput,
    index: usize,
    confirmed: bool,
) -> Result<Purchase, String> {
    let mut wallet = WalletState::from_json(wallet)?;
    let now = instant(input.now)?;
    let document_url = input
        .document_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    let carriers = mark_page(input)?;
    let carrier = carriers.get(index).ok_or("no such carrier")?;
    let link = carrier.link.as_ref().ok_or("not a per-fee-link")?;
    let offer = match offer_of(link, &carrier.diagnostics, document_url.as_ref()) {
        Ok(offer) => offer,
        Err(reason) => {
            return Ok(Purchase {
                outcome: "invalid",
                message: format!("this link cannot be bought ({reason})"),
                reason: Some(reason),
                ..Purchase::default()
            });
        }
    };
    let mut answer = Purchase {
        requesturl: Some(offer.fields().requesturl.to_string()),
        target: offer.fields().target.clone(),
        price: Some(offer.price().to_string()),
        merchant: Some(offer.merchant_origin().to_string()),
        ..Purchase::default()
    };
    match wallet
        .purchase_offer(&offer, now, confirmed)
        .map_err(|e| e.to_string())?
    {
        Ok(record) => {
            answer.outcome = "purchased";
            answer.message = format!("paid {}", offer.price());
            answer.token = Some(record.token.clone());
            answer.wallet = Some(wallet.to_json());
        }
        Err(decision) => {
            answer.message = decision.to_string();
            match decision {
                Decision::AlreadyPaid(paid) => {
                    answer.outcome = if paid.receipt.is_some() {
                        "paid"
                    } else {
                        "pending"
                    };
                    answer.reason = Some(paid.code().to_owned());
                    answer.receipt = paid.receipt.as_ref().map(SignedReceipt::to_token);
                }
                Decision::NeedsConfirmation { threshold, .. } => {
                    answer.outcome = "needs-confirmation";
                    answer.threshold = Some(threshold.to_string());
                }
                other => {
                    let (_, reason) = state_of(&other);
                    answer.outcome = "refused";
                    answer.reason = reason;
                }
            }
        }
    }
    Ok(answer)
}

/// The answer to a receipt.
#[derive(Debug, Default, Serialize)]
pub struct ReceiptAnswer {
    /// The new state to store (accepted receipts only).
    pub wallet: Option<String>,
    /// The rejection's code.
    pub rejection: Option<&'static str>,
    /// Until when (Unix seconds) the receipt grants access.
    pub access_until: Option<i64>,
}

/// Checks and stores `token`, a receipt that came in the response from `response_url`.
pub fn accept_receipt(
    wallet: &str,
    token: &str,
    response_url: &str,
    now: i64,
) -> Result<ReceiptAnswer, String> {
    let mut wallet = WalletState::from_json(wallet)?;
    let response_url = Url::parse(response_url).map_err(|e| format!("response URL: {e}"))?;
    Ok(
        match wallet.accept_receipt_from_response(token, &response_url, instant(now)?) {
            Ok(receipt) => ReceiptAnswer {
                wallet: Some(wallet.to_json()),
                rejection: None,
                access_until: Some(receipt.receipt().access_until_unix()),
            },
            Err(rejection) => ReceiptAnswer {
                rejection: Some(rejection.code()),
                ..ReceiptAnswer::default()
            },
        },
    )
}

/// A wallet export, read and written again (the form the extension stores).
pub fn import_wallet(text: &str) -> Result<String, String> {
    Ok(WalletState::from_json(text)?.to_json())
}

/// The wallet with `policy` (the policy document) in place of its policy.
pub fn set_policy(wallet: &str, policy: &str) -> Result<String, String> {
    let mut wallet = WalletState::from_json(wallet)?;
    let policy: Policy = serde_json::from_str(policy).map_err(|e| format!("policy: {e}"))?;
    wallet.set_policy(policy);
    Ok(wallet.to_json())
}

/// One spend, for the options page.
#[derive(Debug, Serialize)]
pub struct SpendView {
    id: i64,
    merchant_origin: String,
    scope: String,
    price: String,
    issued_at: i64,
    access_until: Option<i64>,
    receipt_access_until: Option<i64>,
}

/// What the options page shows: the policy, the spends with their receipts, the trusted keys.
#[derive(Debug, Serialize)]
pub struct WalletView {
    policy: Policy,
    history: Vec<SpendView>,
    trusted_keys: Vec<(String, String)>,
}

/// The view of a stored wallet.
pub fn describe_wallet(wallet: &str) -> Result<WalletView, String> {
    let wallet = WalletState::from_json(wallet)?;
    Ok(WalletView {
        policy: wallet.policy().clone(),
        history: wallet
            .history()
            .iter()
            .map(|e| {
                let r = e.spend.request();
                SpendView {
                    id: e.spend.id,
                    merchant_origin: r.merchant_origin().to_string(),
                    scope: r.scope().to_string(),
                    price: r.price().to_string(),
                    issued_at: r.issued_at_unix(),
                    access_until: e.spend.access_until.map(OffsetDateTime::unix_timestamp),
                    receipt_access_until: e
                        .receipt
                        .as_ref()
                        .map(|r| r.receipt().access_until_unix()),
                }
            })
            .collect(),
        trusted_keys: wallet
            .trusted_keys()
            .iter()
            .map(|k| (k.merchant_origin.to_string(), k.trust.code().to_owned()))
            .collect(),
    })
}

#[cfg(test)]
#[path = "wallet_tests.rs"]
mod tests;
