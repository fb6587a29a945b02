//! `micropay wallet export --ledger DB`: the whole wallet as one JSON document (master
//! secret, policy, spends with their receipts, trusted merchant keys), the document the
//! browser extension imports (docs/browser.md) and exports back. It holds the master secret
//! in the clear: whoever has the file can spend from the wallet.

use std::process::ExitCode;

use micropay_wallet::WalletState;

use crate::passphrase;
use crate::wallet_cmd::LedgerArg;

/// Prints the export document of the ledger; an encrypted ledger is unlocked first (the
/// passphrase from MICROPAY_PASSPHRASE, else asked on the terminal).
pub(crate) fn export(args: &LedgerArg) -> Result<ExitCode, String> {
    let path = &args.ledger;
    if !path.exists() {
        return Err(format!("there is no ledger at {}", path.display()));
    }
    let ledger = micropay_wallet::Ledger::open_read_only(path)
        .map_err(|e| format!("cannot open the ledger {}: {e}", path.display()))?;
    let failed = |e: micropay_wallet::Error| format!("cannot read the ledger: {e}");
    let master = if ledger.is_encrypted().map_err(failed)? {
        ledger
            .unlock(&passphrase::current(path)?)
            .map_err(|e| format!("cannot unlock the ledger: {e}"))?
    } else {
        ledger.master_secret().map_err(failed)?
    };
    let state = WalletState::from_parts(
        master,
        ledger.policy().map_err(failed)?,
        ledger.history().map_err(failed)?,
        ledger.trusted_keys().map_err(failed)?,
    );
    println!("{}", state.to_json());
    Ok(ExitCode::SUCCESS)
}
