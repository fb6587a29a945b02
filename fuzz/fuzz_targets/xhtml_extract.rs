//! XHTML extraction from arbitrary bytes: never panics; a document that is not well-formed has
//! exactly one fault and no links.
#![no_main]

use libfuzzer_sys::fuzz_target;
use micropay_markup::{Code, Extractor, Syntax, Url};

fuzz_target!(|data: &[u8]| {
    let url = Url::parse("https://merchant.example/page.xhtml").expect("a valid URL");
    let Ok(doc) = Extractor::new()
        .document_url(url)
        .syntax(Syntax::Xhtml)
        .extract(data)
    else {
        return;
    };
    let faults = doc
        .diagnostics()
        .iter()
        .filter(|d| d.code == Code::XmlNotWellFormed)
        .count();
    assert!(faults <= 1, "XML processors stop at the first fatal error");
    if faults == 1 {
        assert!(doc.links().is_empty(), "no links from a document that is not well-formed");
    }
    for d in doc.diagnostics() {
        assert!(d.line >= 1 && d.column >= 1);
    }
});
