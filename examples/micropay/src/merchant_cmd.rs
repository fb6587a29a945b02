//! The merchant's side: `micropay merchant init` and `micropay verify` (docs/wallet.md).

use std::io::Write;
use std::path::Path;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use micropay_cli::report::{VerifyReport, hex};
use micropay_markup::Url;
use micropay_markup::time::OffsetDateTime;
use micropay_wallet::{MerchantKey, ReplayStoreConfig, Verifier};
use serde::Serialize;

use crate::input_limit::{Line, Lines};
use crate::wallet_io::parse_instant;
use crate::wallet_io::{DONE, REFUSED, answer, instant_or_now, read_page, token_argument};

/// How far (seconds) a request's issued-at may be from the verifier's clock by default.
const DEFAULT_SKEW: u64 = 300;

/// `micropay merchant ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum MerchantCommand {
    /// Create the merchant's signing key (file mode 0600; never overwrites).
    Init(KeyArgs),
}

/// `micropay merchant init`.
#[derive(Debug, Args)]
pub(crate) struct KeyArgs {
    /// The key file.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,
}

/// `micropay verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The merchant's key file (from `micropay merchant init`).
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,
    /// The replay store: nonces already accepted (created on first use). A path is an
    /// SQLite file; a postgres:// or postgresql:// URL a PostgreSQL database.
    #[arg(long, value_name = "STORE")]
    pub(crate) replay: ReplayStoreConfig,
    /// The merchant's page whose valid per-fee-links are the offers on sale (`-`: standard
    /// input, unless the tokens are read from it).
    #[arg(long, value_name = "FILE")]
    pub(crate) page: PathBuf,
    /// The URL the page is served from (its document URL).
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Url,
    /// The purchase token the wallet sent, exactly (`-`: read it from standard input, where
    /// one final line ending is dropped).
    #[arg(
        long,
        value_name = "TOKEN",
        required_unless_present = "tokens",
        conflicts_with = "tokens"
    )]
    pub(crate) token: Option<String>,
    /// A file of purchase tokens, one per line (`-`: standard input), read and verified a
    /// batch at a time: the nonces of a batch are committed together before its verdicts are
    /// printed. Each line is a token without its line ending (`\n` or `\r\n`); empty lines
    /// are skipped; spaces are part of a token.
    #[arg(long, value_name = "FILE")]
    pub(crate) tokens: Option<PathBuf>,
    /// The instant of verification (RFC 3339). Default: now.
    #[arg(long, value_name = "T", value_parser = parse_instant)]
    pub(crate) now: Option<OffsetDateTime>,
    /// How far (in seconds) the request's issued-at may be from now.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_SKEW)]
    pub(crate) skew: u64,
    #[command(flatten)]
    pub(crate) limit: crate::input_limit::LimitArg,
}

/// The answer of `merchant init`.
#[derive(Serialize)]
struct Created {
    key: String,
    public_key: String,
}

/// Runs `micropay merchant ...`.
pub(crate) fn run(command: &MerchantCommand) -> Result<ExitCode, String> {
    match command {
        MerchantCommand::Init(args) => {
            let key = MerchantKey::generate().map_err(|e| e.to_string())?;
            key.save_new(&args.key).map_err(|e| e.to_string())?;
            answer(
                &Created {
                    key: args.key.display().to_string(),
                    public_key: hex(key.public_key().as_bytes()),
                },
                DONE,
            )
        }
    }
}

/// The longest line of a file of tokens: a token is a few hundred bytes; a longer line is
/// skipped unread and gets the verdict of a malformed token.
const MAX_TOKEN_LINE: usize = 64 * 1024;

/// How many tokens of a file are verified, and their nonces committed, together.
const BATCH: usize = 256;

/// Runs `micropay verify`.
pub(crate) fn verify(args: &VerifyArgs) -> Result<ExitCode, String> {
    let stdin = Path::new("-");
    if args.page == stdin && args.tokens.as_deref() == Some(stdin) {
        return Err("--page - and --tokens - cannot both read standard input".to_owned());
    }
    let limit = args.limit.or_default();
    // Open the tokens before anything is opened, so a missing file changes nothing.
    let tokens = args
        .tokens
        .as_deref()
        .map(|path| Lines::open(path, MAX_TOKEN_LINE, limit))
        .transpose()?;
    let key = MerchantKey::load(&args.key).map_err(|e| e.to_string())?;
    let document = read_page(&args.page, &args.base_url, limit)?;
    let now = instant_or_now(args.now);
    // The token is taken exactly (`-`: from standard input, less one line ending).
    let token = args
        .token
        .as_deref()
        .map(|token| token_argument(token, "token"))
        .transpose()?;
    // A receipt token is checked as a receipt (no replay store needed).
    if let Some(token) = token.as_deref() {
        let scopes = crate::receipt_verify::page_scopes(&document, &args.base_url);
        let public = key.public_key().to_bytes();
        if let Some(done) = crate::receipt_verify::verify(token, &public, &scopes, now) {
            return done;
        }
    }
    let store = args.replay.open().map_err(|e| e.to_string())?;
    let mut verifier = Verifier::new(key, store, args.skew);
    verifier.publish_document(&document, &args.base_url);
    let Some(tokens) = tokens else {
        let token = token.unwrap_or_default();
        let result = verifier.verify(&token, now).map_err(|e| e.to_string())?;
        let code = if result.is_ok() { DONE } else { REFUSED };
        return answer(&VerifyReport::of(&result), code);
    };
    verify_lines(&mut verifier, tokens, now)
}

/// `verify --tokens`: one verdict per token, in the order of the file, as the JSON object
/// `{"verdicts": [...]}`, written a batch at a time so that memory stays flat however many
/// tokens come. Empty lines are skipped. If the file cannot be read to its end (or goes
/// beyond the input size limit), the verdicts given so far stand (their nonces are
/// committed), the object is closed and the command ends with exit 2.
fn verify_lines(
    verifier: &mut Verifier,
    mut lines: Lines,
    now: OffsetDateTime,
) -> Result<ExitCode, String> {
    let stdout = std::io::stdout();
    let mut out = Verdicts::start(std::io::BufWriter::new(stdout.lock()))?;
    let mut batch: Vec<String> = Vec::with_capacity(BATCH);
    let mut all_accepted = true;
    let mut unread = None;
    loop {
        let line = lines.next_line().unwrap_or_else(|e| {
            unread = Some(e);
            None
        });
        let end = line.is_none();
        match line {
            // A token is the line without its line ending, taken exactly (spaces included).
            Some(Line::Text(text)) if !text.is_empty() => batch.push(text),
            // The verifier refuses the empty token as malformed.
            Some(Line::TooLong) => batch.push(String::new()),
            _ => {}
        }
        if batch.len() == BATCH || (end && !batch.is_empty()) {
            let results = verifier
                .verify_batch(&batch, now)
                .map_err(|e| e.to_string())?;
            for result in &results {
                all_accepted &= result.is_ok();
                out.push(&VerifyReport::of(result))?;
            }
            batch.clear();
        }
        if end {
            break;
        }
    }
    out.finish()?;
    if let Some(message) = unread {
        return Err(message);
    }
    Ok(ExitCode::from(if all_accepted { DONE } else { REFUSED }))
}

/// Writes `{"verdicts": [...]}` one verdict at a time, exactly as serde_json prints the whole
/// object pretty.
struct Verdicts<W: Write> {
    out: W,
    written: usize,
}

impl<W: Write> Verdicts<W> {
    fn start(mut out: W) -> Result<Self, String> {
        out.write_all(b"{\n  \"verdicts\": [")
            .map_err(write_error)?;
        Ok(Verdicts { out, written: 0 })
    }

    fn push(&mut self, report: &VerifyReport) -> Result<(), String> {
        let verdict = serde_json::to_string_pretty(report)
            .map_err(|e| format!("cannot write the answer as JSON: {e}"))?;
        let separator = if self.written == 0 { "\n" } else { ",\n" };
        self.out
            .write_all(separator.as_bytes())
            .map_err(write_error)?;
        // An element of an array inside an object: four spaces deeper.
        for (i, line) in verdict.lines().enumerate() {
            let newline = if i == 0 { "" } else { "\n" };
            write!(self.out, "{newline}    {line}").map_err(write_error)?;
        }
        self.written += 1;
        Ok(())
    }

    /// Closes the object; gives the writer back.
    fn finish(mut self) -> Result<W, String> {
        let close: &[u8] = if self.written == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        };
        self.out
            .write_all(close)
            .and_then(|()| self.out.flush())
            .map_err(write_error)?;
        Ok(self.out)
    }
}

#[allow(clippy::needless_pass_by_value)] // the shape `map_err` wants
fn write_error(e: std::io::Error) -> String {
    format!("cannot write to standard output: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_written_as_serde_json_writes_them_whole() {
        #[derive(Serialize)]
        struct Whole<'a> {
            verdicts: &'a [VerifyReport],
        }
        let report = |accepted: bool| VerifyReport {
            verdict: if accepted { "accepted" } else { "rejected" },
            reason: (!accepted).then_some("replayed-nonce"),
            receipt: accepted.then(|| "r".to_owned()),
            access_until: None,
        };
        for n in 0..4 {
            let reports: Vec<VerifyReport> = (0..n).map(|i| report(i % 2 == 0)).collect();
            let mut out = Verdicts::start(Vec::new()).unwrap();
            for r in &reports {
                out.push(r).unwrap();
            }
            let written = out.finish().unwrap();
            let whole = serde_json::to_string_pretty(&Whole { verdicts: &reports }).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), whole + "\n");
        }
    }
}
