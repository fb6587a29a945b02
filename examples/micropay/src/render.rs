//! `micropay render FILE`: canonical per-fee-link markup for a link description.

use std::process::ExitCode;

use crate::Failure;
use crate::cli::RenderArgs;

/// `micropay render`.
pub(crate) fn run(args: &RenderArgs) -> Result<ExitCode, Failure> {
    Err(Failure::Usage(format!(
        "{}: render is not available yet",
        args.file.display()
    )))
}
