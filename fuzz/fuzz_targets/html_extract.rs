//! HTML extraction from arbitrary bytes: never panics, what it returns is coherent, and the
//! bytes handed over (`extract_owned`) give the same document as the bytes lent.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use micropay_markup::{Extractor, Severity, Url};

fuzz_target!(|data: &[u8]| {
    let url = Url::parse("https://merchant.example/dir/page.html").expect("a valid URL");
    let extractor = Extractor::new().document_url(url);
    let Ok(doc) = extractor.extract(data) else {
        return;
    };
    common::assert_owned_gives(&doc, &extractor, data);
    for d in doc.diagnostics() {
        assert!(
            d.line() >= 1 && d.column() >= 1,
            "positions are 1-based: {d:?}"
        );
        // Every position found in the text can be shown: its line and the byte offset of its
        // column, which is where walking the line's characters to the column ends.
        let (line, at) = doc
            .source_at(d.position())
            .unwrap_or_else(|| panic!("no source for {d:?}"));
        let walked = line
            .char_indices()
            .nth(d.column() as usize - 1)
            .map_or(line.len(), |(i, _)| i);
        assert_eq!(at, walked, "{d:?}");
        assert_eq!(d.severity(), d.code().severity());
        if let Some(link) = d.link() {
            assert!(link < doc.links().len(), "diagnostic names link {link}");
        }
    }
    for (i, link) in doc.links().iter().enumerate() {
        assert_eq!(link.index(), i);
        // P-9: valid exactly when no error-level diagnostic is attached.
        let has_error = doc
            .diagnostics_of(i)
            .any(|d| d.severity() == Severity::Error);
        assert_eq!(link.is_valid(), !has_error);
    }
});
