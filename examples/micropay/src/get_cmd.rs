//! `micropay get URL --ledger DB [--link N] [--yes] [-o FILE]`: what a reader runs for a
//! priced page (docs/http.md). Fetches URL; when it is sold, buys it with the wallet (or
//! presents the stored receipt) and fetches it again. The JSON answer is `buy`'s with the
//! URL and status added; the content goes to `-o FILE`, or to standard output when there is
//! no `-o` and standard output is not a terminal (the JSON answer then goes to standard
//! error). Exit codes as `buy`: 0 served (free, paid or already paid), 3 needs
//! confirmation, 4 refused by the wallet or the merchant, 2 bad usage or transport failure.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use micropay_cli::report::BuyReport;
use micropay_http::{Client, FetchOutcome, Fetched};
use micropay_markup::Url;
use micropay_wallet::{Ledger, SignedPurchaseRequest, SignedReceipt, WalletController};
use serde::Serialize;

use crate::wallet_io::{DONE, NEEDS_CONFIRMATION, REFUSED};

/// `micropay get`.
#[derive(Debug, Args)]
pub(crate) struct GetArgs {
    /// The URL: the priced URL itself (its 402 carries the offer), or with --link a page
    /// that offers per-fee-links.
    pub(crate) url: Url,
    /// The wallet's ledger (an SQLite file).
    #[arg(long, value_name = "DB")]
    pub(crate) ledger: PathBuf,
    /// Buy this per-fee-link of the page at URL (its index, from 0 in document order).
    #[arg(long, value_name = "N")]
    pub(crate) link: Option<usize>,
    /// The user confirms a price above the confirmation threshold.
    #[arg(long)]
    pub(crate) yes: bool,
    /// Write the content to FILE.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// The answer of `get`: `buy`'s, then where the content came from.
#[derive(Serialize)]
struct GetReport {
    /// `free`, `paid`, `already-paid`, `needs-confirmation`, `refused` (the wallet) or
    /// `rejected` (the merchant refused the credential).
    decision: &'static str,
    /// The refusal's or rejection's code; `receipt` or `pending-purchase` for
    /// `already-paid`; `null` otherwise.
    reason: Option<String>,
    token: Option<String>,
    payment_system: Option<Url>,
    price: Option<micropay_markup::Price>,
    receipt: Option<String>,
    /// The URL of the last response.
    url: Url,
    /// Its HTTP status.
    status: u16,
    /// Whether that response came over https or loopback http.
    authenticated_channel: bool,
    /// The size of the content, when there is content.
    content_bytes: Option<usize>,
    /// Where the content was written (`-` for standard output).
    content: Option<String>,
}

/// Runs `micropay get`.
pub(crate) fn run(args: &GetArgs) -> Result<ExitCode, String> {
    if !matches!(args.url.scheme(), "http" | "https") {
        return Err(format!(
            "{}: micropay get fetches http and https URLs",
            args.url
        ));
    }
    let ledger = Ledger::open(&args.ledger).map_err(|e| e.to_string())?;
    let mut wallet = WalletController::open(ledger).map_err(|e| e.to_string())?;
    let client = Client::new().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    let fetched = runtime
        .block_on(async {
            match args.link {
                Some(index) => {
                    client
                        .fetch_link(&mut wallet, &args.url, index, args.yes)
                        .await
                }
                None => client.fetch(&mut wallet, &args.url, args.yes).await,
            }
        })
        .map_err(|e| e.to_string())?;
    if matches!(fetched.outcome, FetchOutcome::Free) && fetched.content.is_none() {
        return Err(format!(
            "{} answered {}",
            fetched.channel.url, fetched.status
        ));
    }
    let (mut report, code) = report(&fetched);
    let to_stdout = args.output.is_none() && !std::io::stdout().is_terminal();
    if let Some(content) = &fetched.content {
        report.content_bytes = Some(content.len());
        if let Some(path) = &args.output {
            std::fs::write(path, content)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            report.content = Some(path.display().to_string());
        } else if to_stdout {
            let mut out = std::io::stdout().lock();
            out.write_all(content)
                .and_then(|()| out.flush())
                .map_err(|e| format!("cannot write to standard output: {e}"))?;
            report.content = Some("-".to_owned());
        }
    }
    let mut text = serde_json::to_string_pretty(&report)
        .map_err(|e| format!("cannot write the answer as JSON: {e}"))?;
    text.push('\n');
    let written = if report.content.as_deref() == Some("-") {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    written.map_err(|e| format!("cannot write the answer: {e}"))?;
    Ok(ExitCode::from(code))
}

/// The report of a fetch and its exit code.
fn report(fetched: &Fetched) -> (GetReport, u8) {
    let offered = fetched.offer.as_ref().map(|o| *o.price());
    let of_token = |token: &str| SignedPurchaseRequest::from_token(token).ok();
    let mut report = GetReport {
        decision: "free",
        reason: None,
        token: None,
        payment_system: None,
        price: offered,
        receipt: None,
        url: fetched.channel.url.clone(),
        status: fetched.status,
        authenticated_channel: fetched.channel.authenticated,
        content_bytes: None,
        content: None,
    };
    let mut fill = |token: &str, receipt: Option<&SignedReceipt>| {
        report.token = Some(token.to_owned());
        if let Some(purchase) = of_token(token) {
            report.payment_system = Some(purchase.request().payment_system().clone());
            report.price = Some(*purchase.request().price());
        }
        report.receipt = receipt.map(|r| r.token().to_owned());
    };
    let code = match &fetched.outcome {
        FetchOutcome::Paid { token, receipt } => {
            fill(token, receipt.as_ref().ok());
            report.decision = "paid";
            if let Err(why) = receipt {
                report.reason = Some(why.code().to_owned());
            }
            DONE
        }
        FetchOutcome::AlreadyPaid { token, receipt } => {
            fill(token, receipt.as_ref());
            report.decision = "already-paid";
            report.reason = Some(
                if receipt.is_some() {
                    "receipt"
                } else {
                    "pending-purchase"
                }
                .to_owned(),
            );
            DONE
        }
        FetchOutcome::NotPurchased(decision) => {
            let buy = BuyReport::of_decision(decision, offered.as_ref());
            report.decision = buy.decision;
            report.reason = buy.reason.map(str::to_owned);
            report.token = buy.token;
            report.payment_system = buy.payment_system;
            report.price = buy.price;
            report.receipt = buy.receipt;
            if buy.decision == "needs-confirmation" {
                NEEDS_CONFIRMATION
            } else {
                REFUSED
            }
        }
        FetchOutcome::Refused { token, problem } => {
            if let Some(token) = token {
                fill(token, None);
            }
            report.decision = "rejected";
            report.reason = Some(problem.code.clone());
            REFUSED
        }
        _ => DONE,
    };
    (report, code)
}
