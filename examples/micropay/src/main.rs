//! `micropay`: the publisher CLI. Checks per-fee-link markup, extracts links as JSON, renders
//! canonical markup and explains the diagnostic codes.
//!
//! Exit codes: 0 no errors, 1 errors found (or warnings with `--deny-warnings`), 2 bad usage or
//! unreadable input. A closed output pipe (`micropay check | head -1`) ends the run quietly.

mod check;
mod checked;
mod cli;
mod config;
mod escape;
mod explain;
mod explanations;
mod get_cmd;
mod github;
mod human;
mod input_limit;
mod inputs;
mod json;
mod location;
mod merchant_cmd;
mod passphrase;
mod receipt_verify;
mod render;
mod sarif;
mod serve_cmd;
mod suggest;
mod wallet_cmd;
mod wallet_export;
mod wallet_io;

use std::process::ExitCode;

use clap::Parser;

/// Why a command stopped before its normal end.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad usage, an unreadable input or an unwritable output: one line on stderr, exit 2.
    Usage(String),
    /// Whoever read standard output went away: stop quietly.
    Closed,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Usage(message)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::Closed
        } else {
            Failure::Usage(format!("cannot write the output: {error}"))
        }
    }
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let result = match cli.command {
        cli::Command::Check(args) => check::run(&args),
        cli::Command::Extract(args) => check::extract(&args),
        cli::Command::Render(args) => render::run(&args),
        cli::Command::Explain(args) => explain::run(&args),
        cli::Command::Wallet(command) => wallet_cmd::run(command).map_err(Failure::from),
        cli::Command::Buy(args) => wallet_cmd::buy(&args).map_err(Failure::from),
        cli::Command::Merchant(command) => merchant_cmd::run(&command).map_err(Failure::from),
        cli::Command::Verify(args) => merchant_cmd::verify(&args).map_err(Failure::from),
        cli::Command::Serve(args) => serve_cmd::run(&args).map_err(Failure::from),
        cli::Command::Get(args) => get_cmd::run(&args).map_err(Failure::from),
    };
    match result {
        Ok(code) => code,
        // Like other filters, a closed pipe is not a failure of ours.
        Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            // Messages may quote file names and page text.
            eprintln!("micropay: {}", escape::terminal(&message));
            ExitCode::from(2)
        }
    }
}

/// Help and version go to stdout with exit 0; a usage error is one line on stderr, exit 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        // Printing help can only fail on a closed pipe, which is no error of ours.
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let rendered = error.render().to_string();
    let first = rendered
        .lines()
        .next()
        .unwrap_or("bad usage")
        .trim_start_matches("error: ");
    eprintln!(
        "micropay: {} (see `micropay --help`)",
        escape::terminal(first)
    );
    ExitCode::from(2)
}
