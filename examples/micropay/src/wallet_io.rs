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
/// `.xhtml`, else HTML; `-` is standard input), at most `limit` bytes.
pub(crate) fn read_page(
    path: &Path,
    document_url: &Url,
    limit: InputLimit,
) -> Result<Document, String> {
    let bytes = input_limit::read_named(path, limit)?;
    let xhtml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xhtml"));
    Extractor::new()
        .document_url(document_url.clone())
        .syntax(if xhtml { Syntax::Xhtml } else { Syntax::Html })
        .extract_owned(bytes)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The most bytes a token read from standard input may have (a token of the protocol is
/// at most 8,192 characters; docs/wallet-protocol.md).
const MAX_TOKEN_INPUT: u64 = 16 * 1024;

/// A token given as an option's value: exactly the text given, or with `-` the text of
/// standard input less one final line ending (`\n` or `\r\n`). Nothing else is trimmed: any
/// other character is part of the token, which then does not decode (docs/wallet.md).
pub(crate) fn token_argument(value: &str, what: &str) -> Result<String, String> {
    if value != "-" {
        return Ok(value.to_owned());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(std::io::stdin().lock(), MAX_TOKEN_INPUT + 1),
        &mut text,
    )
    .map_err(|e| format!("cannot read the {what} from standard input: {e}"))?;
    if text.len() as u64 > MAX_TOKEN_INPUT {
        return Err(format!(
            "the {what} on standard input is longer than {MAX_TOKEN_INPUT} bytes"
        ));
    }
    Ok(without_line_ending(&text).to_owned())
}

/// `text` less one final `\n` or `\r\n`.
pub(crate) fn without_line_ending(text: &str) -> &str {
    text.strip_suffix('\n')
        .map_or(text, |rest| rest.strip_suffix('\r').unwrap_or(rest))
}

/// Prints `answer` as pretty JSON on standard output and returns `code`.
pub(crate) fn answer(answer: &impl Serialize, code: u8) -> Result<ExitCode, String> {
    // The answer may quote page text: control characters are escaped (see `escape`).
    let mut text = Vec::new();
    crate::escape::write_json(&mut text, answer, true)
        .map_err(|e| format!("cannot write the answer as JSON: {e}"))?;
    text.push(b'\n');
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, &text)
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| format!("cannot write to standard output: {e}"))?;
    Ok(ExitCode::from(code))
}

/// An instant in RFC 3339, for the options that set the clock (`--now`, `--at`).
pub(crate) fn parse_instant(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("not an RFC 3339 instant ({e}); e.g. 1999-08-25T12:00:00Z"))
}
