//! Extract and check a page: its per-fee-links, and every diagnostic with its line and column.
//!
//! `cargo run -p micropay-markup --example check_page -- PAGE [URL]`
//!
//! PAGE is a file (HTML, or XHTML when its name ends in `.xhtml`); URL is where the page is
//! served from, the base of its relative URLs. Exits with 1 when the page has an error.

use std::process::ExitCode;

use micropay_markup::{Extractor, Severity, Syntax, Url};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: check_page PAGE [URL]");
        return Ok(ExitCode::from(2));
    };
    let mut extractor = Extractor::new();
    if let Some(url) = args.next() {
        extractor = extractor.document_url(Url::parse(&url)?);
    }
    let xhtml = std::path::Path::new(&path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xhtml"));
    if xhtml {
        extractor = extractor.syntax(Syntax::Xhtml);
    }
    // The bytes as served: the extractor finds the encoding as a browser would.
    let doc = extractor.extract_owned(std::fs::read(&path)?)?;

    for link in doc.links() {
        let at = link.position();
        let price = link.price().map_or("?".to_owned(), ToString::to_string);
        let text = link.textlink().unwrap_or("?");
        let url = link.requesturl().map_or("?", |u| u.as_str());
        let valid = if link.is_valid() { "valid" } else { "invalid" };
        println!(
            "{path}:{}:{}: {valid} link, {price} for {text:?} at {url}",
            at.line, at.column
        );
    }
    for d in doc.diagnostics() {
        println!(
            "{path}:{}:{}: {} [{}] {}",
            d.line(),
            d.column(),
            d.severity(),
            d.code(),
            d.message()
        );
        if let Some(hint) = d.hint() {
            println!("    hint: {hint}");
        }
    }
    Ok(if doc.count(Severity::Error) > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
