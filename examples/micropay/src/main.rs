//! `micropay`: the publisher CLI. Checks per-fee-link markup, extracts links as JSON.
//!
//! Exit codes: 0 no errors, 1 errors found (or warnings with `--deny-warnings`), 2 bad usage or
//! unreadable input.

mod check;
mod cli;
mod human;
mod inputs;
mod json;
mod merchant_cmd;
mod wallet_cmd;
mod wallet_io;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Check(args) => check::run(&args),
        cli::Command::Extract(args) => check::extract(&args),
        cli::Command::Wallet(command) => wallet_cmd::run(command),
        cli::Command::Buy(args) => wallet_cmd::buy(&args),
        cli::Command::Merchant(command) => merchant_cmd::run(&command),
        cli::Command::Verify(args) => merchant_cmd::verify(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("micropay: {error}");
            ExitCode::from(2)
        }
    }
}
