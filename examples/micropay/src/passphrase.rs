//! Passphrases of encrypted ledgers (docs/wallet.md): from the environment, else asked on
//! the terminal without echo; with neither, the command stops (exit 2) before changing
//! anything.

use std::io::IsTerminal as _;
use std::path::Path;

use micropay_wallet::Passphrase;

/// The passphrase of an encrypted ledger (also the new one of `wallet init --encrypt`).
pub(crate) const PASSPHRASE_VAR: &str = "MICROPAY_PASSPHRASE";
/// The new passphrase of `wallet passphrase`.
pub(crate) const NEW_PASSPHRASE_VAR: &str = "MICROPAY_NEW_PASSPHRASE";

/// The passphrase of `ledger`'s master secret.
pub(crate) fn current(ledger: &Path) -> Result<Passphrase, String> {
    if let Some(passphrase) = from_env(PASSPHRASE_VAR)? {
        return Ok(passphrase);
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "the master secret of {} is encrypted: set {PASSPHRASE_VAR}, or run on a terminal to be asked",
            ledger.display()
        ));
    }
    prompt(&format!("Passphrase of {}: ", ledger.display()))
}

/// A new passphrase: from `var`, else asked twice on the terminal. Never empty.
pub(crate) fn new(var: &str) -> Result<Passphrase, String> {
    let passphrase = if let Some(passphrase) = from_env(var)? {
        passphrase
    } else if std::io::stdin().is_terminal() {
        let first = prompt("New passphrase: ")?;
        let again = prompt("The new passphrase again: ")?;
        if !first.same_as(&again) {
            return Err("the two passphrases differ; nothing was changed".into());
        }
        first
    } else {
        return Err(format!(
            "a new passphrase is needed: set {var}, or run on a terminal to be asked"
        ));
    };
    if passphrase.is_empty() {
        return Err("the passphrase is empty; nothing was changed".into());
    }
    Ok(passphrase)
}

/// The value of the environment variable `var`, if set.
fn from_env(var: &str) -> Result<Option<Passphrase>, String> {
    match std::env::var(var) {
        Ok(text) => Ok(Some(Passphrase::new(text))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{var} is not UTF-8")),
    }
}

/// Asks on the terminal, without echo.
fn prompt(question: &str) -> Result<Passphrase, String> {
    rpassword::prompt_password(question)
        .map(Passphrase::new)
        .map_err(|e| format!("cannot read the passphrase from the terminal: {e}"))
}
