//! The conformance suite: runs every case of the language-neutral `spec-fixtures/` corpus
//! through the micropay crates. `cargo test -p micropay-conformance -- price` runs the cases
//! whose name contains `price`.

pub mod case;
pub mod compare;
pub mod coverage;
pub mod schema;
pub mod xfail;

pub use case::{Case, corpus_root, discover};
pub use compare::compare;
