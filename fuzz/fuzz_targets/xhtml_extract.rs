//! XHTML extraction from arbitrary bytes: never panics; a document that is not well-formed has
//! exactly one fault and no links; the bytes handed over (`extract_owned`) give the same
//! document as the bytes lent.
#![no_main]

#[path = "../common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use micropay_markup::{Code, Extractor, Syntax, Url};

fuzz_target!(|data: &[u8]| {
    let url = Url::parse("https://merchant.example/page.xhtml").expect("a valid URL");
    let extractor = Extractor::new().document_url(url).syntax(Syntax::Xhtml);
    let Ok(doc) = extractor.extract(data) else {
        return;
    };
    common::assert_owned_gives(&doc, &extractor, data);
    let faults = doc
        .diagnostics()
        .iter()
        .filter(|d| d.code() == Code::XmlNotWellFormed)
        .count();
    assert!(faults <= 1, "XML processors stop at the first fatal error");
    if faults == 1 {
        assert!(
            doc.links().is_empty(),
            "no links from a document that is not well-formed"
        );
    }
    for d in doc.diagnostics() {
        assert!(d.line() >= 1 && d.column() >= 1);
    }
});
