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

pub use page::{PageInput, mark_page};

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

/// The per-fee-links of one page's carriers: `input` is a [`PageInput`] as JSON; the answer is
/// one `{"link": …, "diagnostics": […]}` per carrier, in order (link `null` for an object that
/// is no per-fee-link), the objects being those of `micropay extract`.
#[wasm_bindgen(js_name = markPage)]
pub fn mark_page_json(input: &str) -> String {
    json_or_error(
        serde_json::from_str::<PageInput>(input)
            .map_err(|e| format!("page input: {e}"))
            .and_then(|input| mark_page(&input)),
    )
}
