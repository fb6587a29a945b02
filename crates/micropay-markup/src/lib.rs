//! Per-fee-links (W3C "Common Markup for micropayment per-fee-links", WD 1999-08-25) out of
//! real HTML and XHTML, into validated types, with diagnostics that carry line and column.
//!
//! # Extract and check a page
//!
//! [`extract`] reads a page with the defaults; an [`Extractor`] sets the document URL (the
//! base of relative URLs), the transport charset, the instant against which expiration is
//! checked, and HTML or XHTML. The [`Document`] holds the links, each a [`PerFeeLink`] of
//! validated values ([`Price`], [`PaymentSystem`], [`Expiration`]…), and the diagnostics of
//! the page: each a stable [`Code`] with its [`Severity`], the rule of the profile it comes
//! from, a message, often a hint, and the line and column it is about.
//!
//! ```
//! use micropay_markup::{Code, Extractor, Severity, Url, time::macros::datetime};
//!
//! let page = r#"<p>Today's cartoon: <object type="application/x-micropayment">
//!   <param name="price" value="0.01USD">
//!   <param name="textlink" value="Today's cartoon">
//!   <param name="requesturl" value="cartoon/today.html">
//!   <param name="paymentsystem" value="https://ps.example/">
//!   <param name="expiration" value="1999-12-31T23:59:59Z">
//!   <a href="cartoon/today.html">Today's cartoon</a></object>"#;
//! let doc = Extractor::new()
//!     .document_url(Url::parse("https://merchant.example/")?)
//!     .now(datetime!(2026-03-01 12:00 UTC))
//!     .extract_str(page)?;
//!
//! let link = &doc.links()[0];
//! assert_eq!(link.price().unwrap().to_string(), "0.01USD");
//! assert_eq!(
//!     link.requesturl().unwrap().as_str(),
//!     "https://merchant.example/cartoon/today.html"
//! );
//! // The offer expired before the evaluation instant: a warning, at the param that says so.
//! let expired = doc.diagnostics().iter().find(|d| d.code() == Code::ExpiredOffer).unwrap();
//! assert_eq!(expired.severity(), Severity::Warning);
//! assert_eq!((expired.line(), expired.column()), (6, 3));
//! // No error: the link is valid.
//! assert_eq!(doc.count(Severity::Error), 0);
//! assert!(link.is_valid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Write a link
//!
//! [`render`] writes the canonical markup of a [`LinkDescription`], read from JSON or TOML or
//! taken from an extracted link; extracting the rendering gives the same link back.
//!
//! ```
//! use micropay_markup::{LinkDescription, render};
//!
//! let page = r#"<object type="application/x-micropayment">
//!   <param name="price" value="0.25EUR">
//!   <param name="textlink" value="The long read">
//!   <param name="requesturl" value="https://news.example/long-read">
//!   <param name="paymentsystem" value="https://ps.example/">
//!   <a href="https://news.example/long-read">The long read</a></object>"#;
//! let doc = micropay_markup::extract(page, None)?;
//! let description = LinkDescription::try_from(&doc.links()[0])?;
//! let again = micropay_markup::extract(render(&description), None)?;
//! assert_eq!(again.links()[0].price(), doc.links()[0].price());
//! assert!(again.links()[0].is_valid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
mod carrier;
mod checks;
mod decode;
mod diagnostic;
mod dom;
mod element;
mod error;
mod extract;
mod field;
mod field_map;
#[cfg(test)]
mod fixture_pages;
mod html;
mod link;
mod live_dom;
mod node_id;
mod position;
mod prescan;
mod render;
mod url_ref;
mod value;
mod work;
mod xhtml;

pub use diagnostic::{Code, Diagnostic, Finding, Severity};
pub use error::Error;
pub use extract::{Document, Extractor, Syntax, extract};
pub use field::{Field, Level};
pub use link::{Carrier, ObjectAttributes, PerFeeLink};
pub use live_dom::{DomCarrier, DomLink, extract_dom};
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

/// The work reading a page costs, counted step by step (`tests/linear.rs`); not part of the
/// API, may change at any time.
#[doc(hidden)]
pub mod work_support {
    pub use crate::work::Work;

    /// Parses `text` (decoded) as HTML within the limits of P-1.8, as extraction does:
    /// the number of nodes of its tree, or the limit it went beyond; and the work.
    pub fn html(text: &str) -> (Result<usize, String>, Work) {
        html_within(text, crate::html::Limits::PROFILE)
    }

    /// [`html`] without the limits of P-1.8: what they prevent.
    pub fn html_unlimited(text: &str) -> (Result<usize, String>, Work) {
        html_within(text, crate::html::Limits::NONE)
    }

    fn html_within(text: &str, limits: crate::html::Limits) -> (Result<usize, String>, Work) {
        let (tree, work) = crate::html::parse_counting(text, limits);
        (
            tree.map(|dom| dom.len())
                .map_err(|stop| format!("{stop:?}")),
            work,
        )
    }

    /// Parses `text` (decoded) as XHTML: the number of nodes of its tree, or the message of
    /// its first well-formedness fault; and the work.
    pub fn xhtml(text: &str) -> (Result<usize, String>, Work) {
        let lines = crate::position::LineIndex::new();
        let (tree, work) = crate::xhtml::build_counting(text, &lines);
        (tree.map(|dom| dom.len()).map_err(|f| f.message), work)
    }
}

/// The README's example is compiled and run as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
pub use url::Url;
pub use url_ref::LinkUrl;
pub use value::amount::Amount;
pub use value::currency::{Currency, CurrencyStatus};
pub use value::displayed::{DisplayedAmount, displayed_amounts};
pub use value::duration::Duration;
pub use value::expiration::Expiration;
pub use value::paymentsystem::PaymentSystem;
pub use value::presentation::check_charset;
pub use value::price::Price;
