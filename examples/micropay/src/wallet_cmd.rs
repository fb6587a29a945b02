//! The user's side: `micropay wallet init|policy|history|receipt` and `micropay buy`
//! (docs/wallet.md). Every answer is one JSON object on standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Price, Url};
use micropay_wallet::policy::parse_blocked_origin;
use micropay_wallet::report::{BuyReport, HistoryReport, ReceiptReport};
use micropay_wallet::{
    Budget, BudgetScope, Decision, Ledger, MerchantOrigin, Policy, PurchaseOutcome, Wallet,
    WalletController,
};
use serde::Serialize;

use crate::cli::parse_instant;
use crate::wallet_io::{
    DONE, NEEDS_CONFIRMATION, REFUSED, answer, instant_or_now, parse_price, read_page,
};

/// `micropay wallet ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum WalletCommand {
    /// Create a new ledger with a fresh master secret (file mode 0600; never overwrites).
    Init(LedgerArg),
    /// Amend the stored policy (or start again with --reset) and print it.
    Policy(PolicyArgs),
    /// Print every recorded spend with its receipt.
    History(LedgerArg),
    /// Check a merchant's receipt and store it.
    Receipt(ReceiptArgs),
}

/// The ledger a command works on.
#[derive(Debug, Args)]
pub(crate) struct LedgerArg {
    /// The wallet's ledger (an SQLite file).
    #[arg(long, value_name = "DB")]
    pub(crate) ledger: PathBuf,
}

/// `micropay wallet policy`: each option amends the stored policy.
#[derive(Debug, Args)]
pub(crate) struct PolicyArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// Start from the empty policy (no wallet, https required) instead of the stored one.
    #[arg(long)]
    pub(crate) reset: bool,
    /// Hold a wallet of this payment system, after those already held: `URI` (any
    /// currency), `URI=USD,EUR` (those only) or `URI=*`. Given again for a payment system
    /// already held, it replaces that wallet's currencies and keeps its place.
    #[arg(long, value_name = "URI[=CODES]", value_parser = parse_wallet)]
    pub(crate) accept: Vec<Wallet>,
    /// The most one link may cost, per currency (e.g. 0.05USD).
    #[arg(long, value_name = "PRICE", value_parser = parse_price)]
    pub(crate) max_per_link: Vec<Price>,
    /// At most PRICE within any SECONDS, all merchants together (e.g. 1USD/86400).
    #[arg(long, value_name = "PRICE/SECONDS", value_parser = parse_overall_budget)]
    pub(crate) budget: Vec<Budget>,
    /// At most PRICE within any SECONDS with each merchant origin.
    #[arg(long, value_name = "PRICE/SECONDS", value_parser = parse_merchant_budget)]
    pub(crate) merchant_budget: Vec<Budget>,
    /// Ask before paying more than PRICE for one link (per currency).
    #[arg(long, value_name = "PRICE", value_parser = parse_price)]
    pub(crate) confirm_above: Vec<Price>,
    /// Refuse links whose requesturl is not https, or whose page is neither https nor a
    /// local file (the default of a new wallet).
    #[arg(long, conflicts_with = "allow_http")]
    pub(crate) require_https: bool,
    /// Pay http links too.
    #[arg(long)]
    pub(crate) allow_http: bool,
    /// Never pay this merchant origin (any URL of the merchant may be given).
    #[arg(long, value_name = "ORIGIN", value_parser = parse_origin)]
    pub(crate) block: Vec<MerchantOrigin>,
    /// Stop blocking this merchant origin.
    #[arg(long, value_name = "ORIGIN", value_parser = parse_origin)]
    pub(crate) unblock: Vec<MerchantOrigin>,
}

/// `micropay wallet receipt`.
#[derive(Debug, Args)]
pub(crate) struct ReceiptArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// The receipt token the merchant returned.
    #[arg(long, value_name = "STRING")]
    pub(crate) receipt: String,
}

/// `micropay buy`.
#[derive(Debug, Args)]
pub(crate) struct BuyArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// The page holding the per-fee-link.
    #[arg(long, value_name = "FILE")]
    pub(crate) page: PathBuf,
    /// The URL the page was served from (its document URL).
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Url,
    /// Which per-fee-link of the page (its index, from 0 in document order).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) link: usize,
    /// The instant of the purchase (RFC 3339). Default: now.
    #[arg(long, value_name = "T", value_parser = parse_instant)]
    pub(crate) now: Option<OffsetDateTime>,
    /// The user confirms a price above the confirmation threshold.
    #[arg(long)]
    pub(crate) yes: bool,
    #[command(flatten)]
    pub(crate) limit: crate::cli::LimitArg,
}

fn parse_wallet(text: &str) -> Result<Wallet, String> {
    Wallet::parse(text).map_err(|e| e.to_string())
}

fn parse_overall_budget(text: &str) -> Result<Budget, String> {
    Budget::parse(text, BudgetScope::Overall).map_err(|e| e.to_string())
}

fn parse_merchant_budget(text: &str) -> Result<Budget, String> {
    Budget::parse(text, BudgetScope::PerMerchant).map_err(|e| e.to_string())
}

fn parse_origin(text: &str) -> Result<MerchantOrigin, String> {
    parse_blocked_origin(text).map_err(|e| e.to_string())
}

/// Runs `micropay wallet ...`.
pub(crate) fn run(command: WalletCommand) -> Result<ExitCode, String> {
    match command {
        WalletCommand::Init(args) => init(&args),
        WalletCommand::Policy(args) => policy(args),
        WalletCommand::History(args) => history(&args),
        WalletCommand::Receipt(args) => receipt(&args),
    }
}

fn open(ledger: &LedgerArg) -> Result<Ledger, String> {
    let path = &ledger.ledger;
    if !path.exists() {
        return Err(format!(
            "there is no ledger at {0}; create one with `micropay wallet init --ledger {0}`",
            path.display()
        ));
    }
    Ledger::open(path).map_err(|e| format!("cannot open the ledger {}: {e}", path.display()))
}

/// The answer of `wallet init`.
#[derive(Serialize)]
struct Created {
    ledger: String,
    policy: Policy,
}

fn init(args: &LedgerArg) -> Result<ExitCode, String> {
    let ledger = Ledger::create(&args.ledger).map_err(|e| e.to_string())?;
    let policy = ledger.policy().map_err(|e| e.to_string())?;
    let ledger = args.ledger.display().to_string();
    answer(&Created { ledger, policy }, DONE)
}

fn policy(args: PolicyArgs) -> Result<ExitCode, String> {
    let mut ledger = open(&args.ledger)?;
    let stored = ledger
        .update_policy(|stored| {
            amend(
                if args.reset {
                    Policy::default()
                } else {
                    stored
                },
                args,
            )
        })
        .map_err(|e| e.to_string())?;
    answer(&stored, DONE)
}

/// Applies the options to `policy`, in the order the help lists them.
fn amend(mut policy: Policy, args: PolicyArgs) -> Policy {
    for wallet in args.accept {
        policy.accept(wallet);
    }
    for cap in args.max_per_link {
        policy = policy.with_link_cap(cap);
    }
    for budget in args.budget.into_iter().chain(args.merchant_budget) {
        policy = policy.with_budget(budget);
    }
    for threshold in args.confirm_above {
        policy = policy.with_confirmation_above(threshold);
    }
    if args.require_https {
        policy = policy.with_require_https(true);
    }
    if args.allow_http {
        policy = policy.with_require_https(false);
    }
    for origin in args.block {
        policy = policy.with_blocked_origin(origin);
    }
    for origin in &args.unblock {
        policy = policy.without_blocked_origin(origin);
    }
    policy
}

fn history(args: &LedgerArg) -> Result<ExitCode, String> {
    let ledger = open(args)?;
    let history = ledger.history().map_err(|e| e.to_string())?;
    answer(&HistoryReport::of(&history), DONE)
}

fn receipt(args: &ReceiptArgs) -> Result<ExitCode, String> {
    let mut wallet = WalletController::open(open(&args.ledger)?).map_err(|e| e.to_string())?;
    let result = wallet
        .accept_receipt(args.receipt.trim())
        .map_err(|e| e.to_string())?;
    let code = if result.is_ok() { DONE } else { REFUSED };
    answer(&ReceiptReport::of(&result), code)
}

/// Runs `micropay buy`.
pub(crate) fn buy(args: &BuyArgs) -> Result<ExitCode, String> {
    let ledger = open(&args.ledger)?;
    let document = read_page(&args.page, &args.base_url, args.limit.or_default())?;
    let links = document.links();
    let link = links.get(args.link).ok_or_else(|| match links.len() {
        0 => format!("{} has no per-fee-link", args.page.display()),
        n => format!(
            "{} has no link {} (it has {n}: --link 0 to {})",
            args.page.display(),
            args.link,
            n - 1
        ),
    })?;
    let mut wallet = WalletController::open(ledger).map_err(|e| e.to_string())?;
    let now = instant_or_now(args.now);
    let outcome = wallet
        .purchase(link, &args.base_url, now, args.yes)
        .map_err(|e| e.to_string())?;
    let code = match &outcome {
        PurchaseOutcome::Purchased(_)
        | PurchaseOutcome::NotPurchased(Decision::AlreadyPaid(_) | Decision::Pay { .. }) => DONE,
        PurchaseOutcome::NotPurchased(Decision::NeedsConfirmation { .. }) => NEEDS_CONFIRMATION,
        PurchaseOutcome::NotPurchased(Decision::Refuse(_)) => REFUSED,
    };
    answer(&BuyReport::of(&outcome, link.price()), code)
}
