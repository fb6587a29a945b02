//! `micropay verify --token RECEIPT`: a receipt token is checked as the merchant checks a
//! receipt presented over HTTP (`micropay_http::check_receipt`: this merchant's key, its
//! signature, a scope of the page's offers, its access window at the instant), instead of
//! being called a malformed purchase token.

use std::process::ExitCode;

use micropay_cli::report::rfc3339;
use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Document, Url};
use micropay_wallet::{Offer, SignedReceipt};
use serde::Serialize;

use crate::wallet_io::{DONE, REFUSED, answer};

/// The answer of `verify` for a receipt token.
#[derive(Serialize)]
struct ReceiptVerdict {
    /// Always `receipt`: what the token is.
    kind: &'static str,
    /// `accepted` or `rejected`.
    verdict: &'static str,
    /// The refusal's code, `null` when accepted.
    reason: Option<&'static str>,
    /// What the receipt covers, when it decodes.
    scope: Option<Url>,
    /// Until when (exclusive) it grants access, when it decodes.
    access_until: Option<String>,
}

/// `Some` answer when `token` is a receipt token (it decodes as one), `None` otherwise.
pub(crate) fn verify(
    token: &str,
    merchant_key: &[u8; 32],
    scopes: &[Url],
    now: OffsetDateTime,
) -> Option<Result<ExitCode, String>> {
    let decoded = SignedReceipt::from_token(token).ok()?;
    let receipt = decoded.receipt();
    let result = micropay_http::check_receipt(token, merchant_key, |s| scopes.contains(s), now);
    let verdict = ReceiptVerdict {
        kind: "receipt",
        verdict: if result.is_ok() {
            "accepted"
        } else {
            "rejected"
        },
        reason: result
            .as_ref()
            .err()
            .map(micropay_http::ReceiptRefusal::code),
        scope: Some(receipt.scope().clone()),
        access_until: Some(rfc3339(receipt.access_until())),
    };
    Some(answer(
        &verdict,
        if result.is_ok() { DONE } else { REFUSED },
    ))
}

/// The scopes of the page's offers (`buyid`, else `requesturl`; P-9: valid links only).
pub(crate) fn page_scopes(document: &Document, document_url: &Url) -> Vec<Url> {
    document
        .links()
        .iter()
        .filter_map(|link| Offer::from_link(link, document_url).ok())
        .map(|offer| offer.scope().clone())
        .collect()
}
