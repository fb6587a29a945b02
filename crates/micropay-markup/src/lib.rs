//! Per-fee-links (W3C "Common Markup for micropayment per-fee-links", WD 1999-08-25) out of
//! real HTML and XHTML, into validated types, with diagnostics that carry line and column.

mod build;
mod carrier;
mod checks;
mod decode;
pub mod diagnostic;
mod dom;
mod element;
mod error;
mod extract;
pub mod field;
mod field_map;
mod html;
mod link;
pub mod position;
mod prescan;
pub mod render;
mod url_ref;
pub mod value;
mod xhtml;

pub use diagnostic::{Code, Diagnostic, Finding, Severity};
pub use error::Error;
pub use extract::{Document, Extractor, Syntax, extract};
pub use field::{Field, Level};
pub use link::{Carrier, ObjectAttributes, PerFeeLink};
pub use position::{Position, Span};
pub use render::{LinkDescription, OBJECT_TYPE, render};
pub use rust_decimal::Decimal;
pub use time;

/// Internals the benchmarks compare against; not part of the API, may change at any time.
#[doc(hidden)]
pub mod bench_support {
    /// Parses `text` as HTML into the crate's own arena tree, with no extraction (the baseline
    /// "our tree builder alone" of benches/extract.rs). Returns the number of nodes, 0 for a
    /// page beyond the limits of P-1.8.
    pub fn html_tree_nodes(text: &str) -> usize {
        crate::html::parse_within(text, crate::html::Limits::PROFILE).map_or(0, |dom| dom.len())
    }
}

/// Internals the fuzz targets check; not part of the API, may change at any time.
#[doc(hidden)]
pub mod fuzz_support {
    /// The HTML tree of `text` as extraction builds it, with named character references
    /// respelled (`html/respell.rs`), and as written: node by node, both summed up as text.
    /// They must be equal.
    pub fn html_trees_respelled_and_as_written(text: &str) -> (Vec<String>, Vec<String>) {
        let summary = |tree: Result<crate::dom::Dom, crate::html::Stop>| match tree {
            Ok(dom) => dom.summary(),
            Err(stop) => vec![format!("{stop:?}")],
        };
        (
            summary(crate::html::parse_within(
                text,
                crate::html::Limits::PROFILE,
            )),
            summary(crate::html::parse_as_written(text)),
        )
    }
}

/// The README's example is compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
pub use url::Url;
pub use url_ref::LinkUrl;
pub use value::amount::Amount;
pub use value::currency::Currency;
pub use value::duration::Duration;
pub use value::expiration::Expiration;
pub use value::paymentsystem::PaymentSystem;
pub use value::price::Price;
