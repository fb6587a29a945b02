//! What the wallet and merchant commands share: option value parsers, reading a page,
//! printing one JSON answer, and the exit codes of docs/wallet.md.

use std::path::Path;
use std::process::ExitCode;

use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Document, Extractor, Finding, Price, Syntax, Url};
use serde::Serialize;

use crate::input_limit::{self, InputLimit};

/// The decision or verdict was given (paid, already paid, accepted, stored).
pub(crate) const DONE: u8 = 0;
/// The user must confirm (`buy` without `--yes` above the confirmation threshold).
pub(crate) const NEEDS_CONFIRMATION: u8 = 3;
/// Refused (wallet) or rejected (merchant, receipt).
pub(crate) const REFUSED: u8 = 4;

/// A price in the profile's syntax (P-3), e.g. `0.05USD`.
pub(crate) fn parse_price(text: &str) -> Result<Price, String> {
    Price::parse(text).map_err(|finding| describe(&finding))
}

/// A finding as one line: message, then the hint.
pub(crate) fn describe(finding: &Finding) -> String {
    match &finding.hint {
        Some(hint) => format!("{}; {hint}", finding.message),
        None => finding.message.clone(),
    }
}

/// The instant given, or the clock's.
pub(crate) fn instant_or_now(now: Option<OffsetDateTime>) -> OffsetDateTime {
    now.unwrap_or_else(OffsetDateTime::now_utc)
}

/// Reads and extracts a page served at `document_url` (XHTML when the file name ends in
/// `.xhtml`, else HTML).
pub(crate) fn read_page(
    path: &Path,
    document_url: &Url,
    limit: InputLimit,
) -> Result<Document, String> {
    let bytes = input_limit::read_file(path, limit)?;
    let xhtml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xhtml"));
    Extractor::new()
        .document_url(document_url.clone())
        .syntax(if xhtml { Syntax::Xhtml } else { Syntax::Html })
        .extract_owned(bytes)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Prints `answer` as pretty JSON on standard output and returns `code`.
pub(crate) fn answer(answer: &impl Serialize, code: u8) -> Result<ExitCode, String> {
    let mut text = serde_json::to_string_pretty(answer)
        .map_err(|e| format!("cannot write the answer as JSON: {e}"))?;
    text.push('\n');
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, text.as_bytes())
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| format!("cannot write to standard output: {e}"))?;
    Ok(ExitCode::from(code))
}
