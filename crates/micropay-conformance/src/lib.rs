//! The conformance suite: runs every case of the language-neutral `spec-fixtures/` corpus
//! through the micropay crates, the fixture pages through the parser and the wallet
//! scenarios (`spec-fixtures/wallet/scenarios/`) through the wallet controller and the
//! merchant's verifier. `cargo test -p micropay-conformance -- price` runs the cases whose
//! name contains `price`; `-- wallet::` the wallet scenarios.

pub mod case;
pub mod compare;
pub mod coverage;
pub mod schema;
pub mod wallet_build;
pub mod wallet_scenario;
pub mod xfail;

pub use case::{Case, corpus_root, discover};
pub use compare::compare;

/// The repository README's example is compiled and run as a doctest (the published crates test
/// their own READMEs).
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
