//! The parser and the wallet controller of micropay compiled to WebAssembly, for the browser
//! extension of the repository (`extension/`, built by `scripts/build-extension.sh`).
//!
//! Every export takes and returns JSON text: the extension's scripts hold plain objects, and
//! the JSON forms are those of the crates (the link and diagnostic objects of `micropay
//! extract`, the policy document of `micropay wallet policy`, the wallet export of `micropay
//! wallet export`). A call that cannot be carried out returns `{"error": "..."}`; no input
//! makes an export panic.
//!
//! The exports are plain functions of their arguments: the extension's service worker keeps
//! the wallet's state and is its single writer (docs/browser.md).

mod page;
mod wallet;

pub use page::{CarrierInput, CarrierOutput, PageInput, mark_page};
pub use wallet::{
    MarkedLink, Purchase, ReceiptAnswer, WalletView, accept_receipt, describe_wallet,
    import_wallet, mark_links, purchase, set_policy,
};

use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

/// `{"error": message}`: what every export returns for a call that could not be carried out.
#[derive(Serialize)]
struct Failure<'a> {
    error: &'a str,
}

/// `value` as JSON, or the failure to write it as one.
fn json_or_error(value: Result<impl Serialize, String>) -> String {
    match value {
        Ok(value) => serde_json::to_string(&value).unwrap_or_else(|e| failure(&e.to_string())),
        Err(message) => failure(&message),
    }
}

fn failure(message: &str) -> String {
    serde_json::to_string(&Failure { error: message })
        .unwrap_or_else(|_| r#"{"error":"unprintable error"}"#.to_owned())
}

fn page_input(input: &str) -> Result<PageInput, String> {
    serde_json::from_str::<PageInput>(input).map_err(|e| format!("page input: {e}"))
}

/// The wallet's state of every carrier of a page ([`mark_links`]): `input` is a
/// [`PageInput`] as JSON, `wallet` the stored wallet (empty: none imported yet).
#[wasm_bindgen(js_name = markLinks)]
pub fn mark_links_json(input: &str, wallet: &str) -> String {
    let wallet = Some(wallet).filter(|w| !w.is_empty());
    json_or_error(page_input(input).and_then(|input| mark_links(&input, wallet)))
}

/// A click on carrier `index` of the page `input` ([`purchase`]).
#[wasm_bindgen(js_name = purchase)]
pub fn purchase_json(wallet: &str, input: &str, index: usize, confirmed: bool) -> String {
    json_or_error(page_input(input).and_then(|input| purchase(wallet, &input, index, confirmed)))
}

/// A receipt from the response to a purchase ([`accept_receipt`]); `now` in Unix seconds
/// (a JavaScript number: whole seconds within ±2^53).
#[wasm_bindgen(js_name = acceptReceipt)]
pub fn accept_receipt_json(wallet: &str, token: &str, response_url: &str, now: f64) -> String {
    json_or_error(
        whole_seconds(now).and_then(|now| accept_receipt(wallet, token, response_url, now)),
    )
}

/// A JavaScript number of seconds as an integer, refused unless it is one exactly.
fn whole_seconds(now: f64) -> Result<i64, String> {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    if now.fract() == 0.0 && now.abs() < LIMIT {
        #[allow(clippy::cast_possible_truncation)]
        Ok(now as i64)
    } else {
        Err(format!("instant {now} is not a whole number of seconds"))
    }
}

/// A wallet export checked and written again: `{"wallet": "…"}` ([`import_wallet`]).
#[wasm_bindgen(js_name = importWallet)]
pub fn import_wallet_json(text: &str) -> String {
    json_or_error(import_wallet(text).map(|wallet| Stored { wallet }))
}

/// The wallet with another policy: `{"wallet": "…"}` ([`set_policy`]).
#[wasm_bindgen(js_name = setPolicy)]
pub fn set_policy_json(wallet: &str, policy: &str) -> String {
    json_or_error(set_policy(wallet, policy).map(|wallet| Stored { wallet }))
}

/// What the options page shows of a wallet ([`describe_wallet`]).
#[wasm_bindgen(js_name = describeWallet)]
pub fn describe_wallet_json(wallet: &str) -> String {
    json_or_error(describe_wallet(wallet))
}

/// A wallet to store.
#[derive(Serialize)]
struct Stored {
    wallet: String,
}

/// The per-fee-links of one page's carriers: `input` is a [`PageInput`] as JSON; the answer is
/// one `{"link": …, "diagnostics": […]}` per carrier, in order (link `null` for an object that
/// is no per-fee-link), the objects being those of `micropay extract`.
#[wasm_bindgen(js_name = markPage)]
pub fn mark_page_json(input: &str) -> String {
    json_or_error(page_input(input).and_then(|input| mark_page(&input)))
}
