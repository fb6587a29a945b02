//! The user's side: `micropay wallet init|policy|history|receipt|trust|trusted` and
//! `micropay buy`
//! (docs/wallet.md). Every answer is one JSON object on standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use micropay_cli::report::{
    BuyReport, HistoryReport, ReceiptReport, TrustedKeyReport, TrustedKeysReport,
};
use micropay_markup::time::OffsetDateTime;
use micropay_markup::{Price, Url};
use micropay_wallet::parse_blocked_origin;
use micropay_wallet::{
    Budget, BudgetScope, Decision, Ledger, MerchantOrigin, Policy, PurchaseOutcome, VerifyingKey,
    Wallet, WalletController, public_key_from_hex,
};
use serde::Serialize;

use crate::passphrase;
use crate::wallet_io::parse_instant;
use crate::wallet_io::{
    DONE, NEEDS_CONFIRMATION, REFUSED, answer, instant_or_now, parse_price, read_page,
    token_argument,
};

/// `micropay wallet ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum WalletCommand {
    /// Create a new ledger with a fresh master secret (file mode 0600; never overwrites).
    Init(InitArgs),
    /// Amend the stored policy (or start again with --reset) and print it.
    Policy(PolicyArgs),
    /// Print every recorded spend with its receipt.
    History(LedgerArg),
    /// Check a merchant's receipt and store it (only under a trusted merchant key).
    Receipt(ReceiptArgs),
    /// Trust a merchant's public key for its origin (as `merchant init` prints it).
    Trust(TrustArgs),
    /// List the trusted merchant keys and how each came to be trusted.
    Trusted(LedgerArg),
    /// Set, change or remove the passphrase that encrypts the master secret.
    Passphrase(PassphraseArgs),
    /// Print the whole wallet as JSON (master secret in the clear, policy, history, trusted
    /// keys): the document the browser extension imports.
    Export(LedgerArg),
}

/// `micropay wallet init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// Encrypt the master secret under a passphrase (from MICROPAY_PASSPHRASE, else asked
    /// twice on the terminal); only `buy` needs it afterwards.
    #[arg(long)]
    pub(crate) encrypt: bool,
}

/// `micropay wallet passphrase`.
#[derive(Debug, Args)]
pub(crate) struct PassphraseArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// Store the master secret in the clear again.
    #[arg(long)]
    pub(crate) remove: bool,
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
    /// The receipt token the merchant returned, exactly (`-`: read it from standard input,
    /// where one final line ending is dropped).
    #[arg(long, value_name = "STRING")]
    pub(crate) receipt: String,
    /// The merchant's public key (64 hex digits, as `micropay merchant init` prints it): the
    /// receipt must be signed by it, and it becomes trusted for the receipt's origin. Without
    /// it the receipt's key must be trusted already.
    #[arg(long, value_name = "KEY", value_parser = parse_key)]
    pub(crate) merchant_key: Option<VerifyingKey>,
}

/// `micropay wallet trust`.
#[derive(Debug, Args)]
pub(crate) struct TrustArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// The merchant origin (any URL of the merchant may be given).
    #[arg(value_name = "ORIGIN", value_parser = parse_origin)]
    pub(crate) origin: MerchantOrigin,
    /// The merchant's public key: 64 hex digits, as `micropay merchant init` prints it.
    #[arg(value_name = "KEY", value_parser = parse_key)]
    pub(crate) key: VerifyingKey,
}

/// `micropay buy`.
#[derive(Debug, Args)]
pub(crate) struct BuyArgs {
    #[command(flatten)]
    pub(crate) ledger: LedgerArg,
    /// The page holding the per-fee-link (`-`: standard input).
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
    pub(crate) limit: crate::input_limit::LimitArg,
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

fn parse_key(text: &str) -> Result<VerifyingKey, String> {
    public_key_from_hex(text).map_err(|e| {
        format!("not a merchant public key (64 hex digits of a canonical Ed25519 key): {e}")
    })
}

/// Runs `micropay wallet ...`.
pub(crate) fn run(command: WalletCommand) -> Result<ExitCode, String> {
    match command {
        WalletCommand::Init(args) => init(&args),
        WalletCommand::Policy(args) => policy(args),
        WalletCommand::History(args) => history(&args),
        WalletCommand::Receipt(args) => receipt(&args),
        WalletCommand::Trust(args) => trust(&args),
        WalletCommand::Trusted(args) => trusted(&args),
        WalletCommand::Passphrase(args) => change_passphrase(&args),
        WalletCommand::Export(args) => crate::wallet_export::export(&args),
    }
}

/// The ledger, for a command that may write to it.
fn open(ledger: &LedgerArg) -> Result<Ledger, String> {
    open_with(ledger, Ledger::open)
}

/// The ledger, for a command that only reads it: nothing is written to the file.
fn open_read_only(ledger: &LedgerArg) -> Result<Ledger, String> {
    open_with(ledger, Ledger::open_read_only)
}

fn open_with(
    ledger: &LedgerArg,
    open: impl FnOnce(&std::path::Path) -> Result<Ledger, micropay_wallet::Error>,
) -> Result<Ledger, String> {
    let path = &ledger.ledger;
    if !path.exists() {
        return Err(format!(
            "there is no ledger at {0}; create one with `micropay wallet init --ledger {0}`",
            path.display()
        ));
    }
    open(path).map_err(|e| format!("cannot open the ledger {}: {e}", path.display()))
}

/// The answer of `wallet init`.
#[derive(Serialize)]
struct Created {
    ledger: String,
    encrypted: bool,
    policy: Policy,
}

fn init(args: &InitArgs) -> Result<ExitCode, String> {
    let path = &args.ledger.ledger;
    let ledger = if args.encrypt {
        if path.exists() {
            // Before asking for a passphrase.
            return Err(micropay_wallet::Error::AlreadyExists(path.clone()).to_string());
        }
        let passphrase = passphrase::new(passphrase::PASSPHRASE_VAR)?;
        Ledger::create_encrypted(path, &passphrase)
    } else {
        Ledger::create(path)
    }
    .map_err(|e| e.to_string())?;
    let policy = ledger.policy().map_err(|e| e.to_string())?;
    let created = Created {
        ledger: path.display().to_string(),
        encrypted: args.encrypt,
        policy,
    };
    answer(&created, DONE)
}

/// The answer of `wallet passphrase`.
#[derive(Serialize)]
struct Sealed {
    ledger: String,
    encrypted: bool,
}

fn change_passphrase(args: &PassphraseArgs) -> Result<ExitCode, String> {
    let path = &args.ledger.ledger;
    let mut ledger = open(&args.ledger)?;
    let encrypted = ledger.is_encrypted().map_err(|e| e.to_string())?;
    if encrypted || !args.remove {
        let current = encrypted.then(|| passphrase::current(path)).transpose()?;
        let new = (!args.remove)
            .then(|| passphrase::new(passphrase::NEW_PASSPHRASE_VAR))
            .transpose()?;
        ledger
            .change_passphrase(current.as_ref(), new.as_ref())
            .map_err(|e| format!("{e}; nothing was changed"))?;
    }
    let sealed = Sealed {
        ledger: path.display().to_string(),
        encrypted: !args.remove,
    };
    answer(&sealed, DONE)
}

fn policy(args: PolicyArgs) -> Result<ExitCode, String> {
    if args.only_prints() {
        let ledger = open_read_only(&args.ledger)?;
        return answer(&ledger.policy().map_err(|e| e.to_string())?, DONE);
    }
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

impl PolicyArgs {
    /// Whether no option amends the policy: the command only prints it.
    fn only_prints(&self) -> bool {
        !self.reset
            && self.accept.is_empty()
            && self.max_per_link.is_empty()
            && self.budget.is_empty()
            && self.merchant_budget.is_empty()
            && self.confirm_above.is_empty()
            && !self.require_https
            && !self.allow_http
            && self.block.is_empty()
            && self.unblock.is_empty()
    }
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
    let ledger = open_read_only(args)?;
    let history = ledger.history().map_err(|e| e.to_string())?;
    answer(&HistoryReport::of(&history), DONE)
}

fn receipt(args: &ReceiptArgs) -> Result<ExitCode, String> {
    let token = token_argument(&args.receipt, "receipt")?;
    let mut wallet = WalletController::open(open(&args.ledger)?).map_err(|e| e.to_string())?;
    let result = match &args.merchant_key {
        Some(key) => wallet.accept_receipt_under_key(&token, key),
        None => wallet.accept_receipt(&token),
    }
    .map_err(|e| e.to_string())?;
    let code = if result.is_ok() { DONE } else { REFUSED };
    answer(&ReceiptReport::of(&result), code)
}

fn trust(args: &TrustArgs) -> Result<ExitCode, String> {
    let mut ledger = open(&args.ledger)?;
    let trusted = ledger
        .trust_merchant_key(&args.origin, &args.key)
        .map_err(|e| e.to_string())?;
    answer(&TrustedKeyReport::of(&trusted), DONE)
}

fn trusted(args: &LedgerArg) -> Result<ExitCode, String> {
    let ledger = open_read_only(args)?;
    let keys = ledger.trusted_keys().map_err(|e| e.to_string())?;
    answer(&TrustedKeysReport::of(&keys), DONE)
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
    if wallet.is_locked() {
        let passphrase = passphrase::current(&args.ledger.ledger)?;
        wallet.unlock(&passphrase).map_err(|e| e.to_string())?;
    }
    let now = instant_or_now(args.now);
    let outcome = wallet
        .purchase(link, &args.base_url, now, args.yes)
        .map_err(|e| e.to_string())?;
    let code = match &outcome {
        PurchaseOutcome::Purchased(_)
        | PurchaseOutcome::NotPurchased(Decision::AlreadyPaid(_) | Decision::Pay { .. }) => DONE,
        PurchaseOutcome::NotPurchased(Decision::NeedsConfirmation { .. }) => NEEDS_CONFIRMATION,
        // A refusal, or an outcome this build does not know: nothing was bought.
        _ => REFUSED,
    };
    // Why, in the page's own words: the errors of an invalid link, the warnings a buyer
    // should see before paying.
    let report =
        BuyReport::of(&outcome, link.price()).with_findings(args.link, document.diagnostics());
    answer(&report, code)
}
