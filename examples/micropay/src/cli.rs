//! The command line, as docs/cli.md describes it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use micropay_markup::{Syntax, Url, time::OffsetDateTime};
use serde::Deserialize;

use crate::input_limit::LimitArg;
use crate::wallet_io::parse_instant;

/// Check, extract and render per-fee-link markup (W3C WD-Micropayment-Markup-19990825).
#[derive(Debug, Parser)]
#[command(name = "micropay", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check pages for per-fee-link problems (no path: the current directory).
    Check(CheckArgs),
    /// Print the per-fee-links of one document as JSON.
    Extract(ExtractArgs),
    /// Print canonical per-fee-link markup for a link description (.json, .toml or `-`), or for
    /// every link of what `extract` or `check --format json` printed.
    Render(RenderArgs),
    /// Explain a diagnostic code (no code: list them all).
    Explain(ExplainArgs),
    /// The user's wallet: create it, set its policy, list its history, store receipts.
    #[command(subcommand)]
    Wallet(crate::wallet_cmd::WalletCommand),
    /// Buy a per-fee-link of a page with the wallet (JSON answer; exit 3: confirm, 4: refused).
    Buy(crate::wallet_cmd::BuyArgs),
    /// The merchant's key.
    #[command(subcommand)]
    Merchant(crate::merchant_cmd::MerchantCommand),
    /// Verify a purchase token against a page, as the merchant (exit 4: rejected).
    Verify(crate::merchant_cmd::VerifyArgs),
    /// Serve a directory as a merchant's site: its per-fee-links price its URLs (HTTP 402).
    Serve(crate::serve_cmd::ServeArgs),
    /// Fetch a URL, buying it with the wallet when it is sold (exit 3: confirm, 4: refused).
    Get(crate::get_cmd::GetArgs),
}

/// How a document is read.
#[derive(Debug, Args)]
pub(crate) struct DocumentOptions {
    /// The URL the page is served from (relative URLs resolve against it). Default: the
    /// file's file:// URL. For files found under a directory, the file's path relative to
    /// that directory is resolved against it.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<Url>,
    /// The charset the server declares (as from HTTP Content-Type); beats <meta charset>. A
    /// label of the WHATWG Encoding Standard (utf-8, iso-8859-1, shift_jis ...).
    #[arg(long, value_name = "LABEL", value_parser = parse_charset)]
    pub(crate) charset: Option<String>,
    /// The evaluation instant for expired offers (RFC 3339). Default: now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_instant)]
    pub(crate) now: Option<OffsetDateTime>,
    /// Parse as HTML or XHTML. Default: by extension (.xhtml is XHTML).
    #[arg(long, value_enum)]
    pub(crate) syntax: Option<SyntaxArg>,
    #[command(flatten)]
    pub(crate) limit: LimitArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SyntaxArg {
    Html,
    Xhtml,
}

impl From<SyntaxArg> for Syntax {
    fn from(s: SyntaxArg) -> Syntax {
        match s {
            SyntaxArg::Html => Syntax::Html,
            SyntaxArg::Xhtml => Syntax::Xhtml,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Files, directories (searched for *.html, *.htm, *.xhtml, honouring .gitignore) or `-`
    /// for standard input. No path: the current directory.
    pub(crate) paths: Vec<PathBuf>,
    /// Output format. Default: the `format` of micropay.toml, else human.
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// Exit with 1 when there are warnings, too (beats `deny_warnings` of micropay.toml).
    #[arg(long, overrides_with = "no_deny_warnings")]
    pub(crate) deny_warnings: bool,
    /// Exit with 0 despite warnings, whatever micropay.toml says.
    #[arg(long, overrides_with = "deny_warnings")]
    pub(crate) no_deny_warnings: bool,
    /// Report errors only (and warnings when they fail the run, see --deny-warnings).
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Use this configuration file for every path instead of the nearest micropay.toml (`-`:
    /// standard input; its paths are relative to the current directory).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore micropay.toml files.
    #[arg(long)]
    pub(crate) no_config: bool,
    #[command(flatten)]
    pub(crate) document: DocumentOptions,
}

impl CheckArgs {
    /// `--deny-warnings` / `--no-deny-warnings`, if either was given.
    pub(crate) fn deny_warnings(&self) -> Option<bool> {
        if self.deny_warnings {
            Some(true)
        } else if self.no_deny_warnings {
            Some(false)
        } else {
            None
        }
    }
}

/// How `check` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    /// `path:line:column: severity[code]: message`, the source line and a caret.
    Human,
    /// The JSON report described in docs/cli.md.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the changed lines).
    Github,
}

#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    /// The document, or `-` for standard input.
    pub(crate) path: PathBuf,
    #[command(flatten)]
    pub(crate) document: DocumentOptions,
}

#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// A link description: JSON (keys of the link object of `extract`) or TOML (same keys); or
    /// the output of `extract` or `check --format json` (one block of markup per link); `-`
    /// for standard input.
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) limit: LimitArg,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A diagnostic code such as `invalid-price`.
    pub(crate) code: Option<String>,
}

/// A charset label is checked once, before any page is read (P-10: a label the Encoding
/// Standard does not know names no encoding).
fn parse_charset(label: &str) -> Result<String, String> {
    match micropay_markup::check_charset(label) {
        None => Ok(label.to_owned()),
        Some(_) => Err(format!(
            "`{label}` is not an encoding label of the WHATWG Encoding Standard (e.g. utf-8, iso-8859-1, shift_jis)"
        )),
    }
}
