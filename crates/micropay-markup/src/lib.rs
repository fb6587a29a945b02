//! Per-fee-links (W3C "Common Markup for micropayment per-fee-links", WD 1999-08-25) out of
//! real HTML and XHTML, into validated types, with diagnostics that carry line and column.

pub mod diagnostic;
pub mod position;
pub mod value;

pub use diagnostic::{Code, Diagnostic, Finding, Severity};
pub use position::Position;
