//! What `micropay explain CODE` says about each diagnostic code: the rule of docs/profile.md in
//! plain words, the smallest page that triggers it, and the usual fix. The SARIF rules carry
//! the same text. A unit test checks every example against the parser.

mod errors;
mod explanation;
mod warnings;

pub(crate) use explanation::Explanation;

/// Every code, in the order of docs/profile.md's table: the errors, then the warnings.
pub(crate) fn all() -> impl Iterator<Item = &'static Explanation> {
    errors::ERRORS.iter().chain(warnings::WARNINGS)
}

/// The explanation of `code`, by its kebab-case name.
pub(crate) fn find(code: &str) -> Option<&'static Explanation> {
    all().find(|e| e.code == code)
}
