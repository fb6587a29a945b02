//! The merchant's side: `micropay merchant init` and `micropay verify` (docs/wallet.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use micropay_markup::Url;
use micropay_markup::time::OffsetDateTime;
use micropay_wallet::report::{VerifyReport, hex};
use micropay_wallet::{MerchantKey, Verifier};
use serde::Serialize;

use crate::cli::parse_instant;
use crate::wallet_io::{
    DONE, REFUSED, answer, instant_or_now, read_page, token_argument, without_line_ending,
};

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
    /// The replay store: nonces already accepted (created on first use).
    #[arg(long, value_name = "DB")]
    pub(crate) replay: PathBuf,
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
    /// A file of purchase tokens, one per line (`-`: standard input), verified as one batch
    /// whose nonces are committed together. Each line is a token without its line ending
    /// (`\n` or `\r\n`); empty lines are skipped; spaces are part of a token.
    #[arg(long, value_name = "FILE")]
    pub(crate) tokens: Option<PathBuf>,
    /// The instant of verification (RFC 3339). Default: now.
    #[arg(long, value_name = "T", value_parser = parse_instant)]
    pub(crate) now: Option<OffsetDateTime>,
    /// How far (in seconds) the request's issued-at may be from now.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_SKEW)]
    pub(crate) skew: u64,
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

/// The answer of `verify --tokens`: one verdict per token, in the order of the file.
#[derive(Serialize)]
struct Verdicts {
    verdicts: Vec<VerifyReport>,
}

/// Runs `micropay verify`.
pub(crate) fn verify(args: &VerifyArgs) -> Result<ExitCode, String> {
    let stdin = Path::new("-");
    if args.page == stdin && args.tokens.as_deref() == Some(stdin) {
        return Err("--page - and --tokens - cannot both read standard input".to_owned());
    }
    // Read the tokens before anything is opened, so a bad file changes nothing.
    let batch = args.tokens.as_deref().map(read_tokens).transpose()?;
    let key = MerchantKey::load(&args.key).map_err(|e| e.to_string())?;
    let document = read_page(&args.page, &args.base_url)?;
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
    let mut verifier =
        Verifier::open_or_create(key, &args.replay, args.skew).map_err(|e| e.to_string())?;
    verifier.publish_document(&document, &args.base_url);
    let Some(tokens) = batch else {
        let token = token.unwrap_or_default();
        let result = verifier.verify(&token, now).map_err(|e| e.to_string())?;
        let code = if result.is_ok() { DONE } else { REFUSED };
        return answer(&VerifyReport::of(&result), code);
    };
    let results = verifier
        .verify_batch(&tokens, now)
        .map_err(|e| e.to_string())?;
    let code = if results.iter().all(Result::is_ok) {
        DONE
    } else {
        REFUSED
    };
    let verdicts = results.iter().map(VerifyReport::of).collect();
    answer(&Verdicts { verdicts }, code)
}

/// The tokens of `path` (`-`: standard input), one per line without its line ending (`\n` or
/// `\r\n`); empty lines are skipped, and nothing else is trimmed.
fn read_tokens(path: &Path) -> Result<Vec<String>, String> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("cannot read tokens from standard input: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    Ok(text
        .split_inclusive('\n')
        .map(without_line_ending)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}
