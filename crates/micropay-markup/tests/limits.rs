//! Inputs no fuzzer generates by chance: huge values and deep trees. They must give the right
//! answer (nothing lost), never a panic or a stack overflow.

use micropay_markup::{Code, Extractor, Syntax, Url};

fn extractor(syntax: Syntax) -> Extractor {
    Extractor::new()
        .document_url(Url::parse("https://merchant.example/p").unwrap())
        .syntax(syntax)
}

#[test]
fn a_ten_megabyte_value_is_kept_whole() {
    let big = "x".repeat(10 * 1024 * 1024);
    let page = format!(
        "<p>\n  <object><param name=price value=1USD><param name=textlink value=\"{big}\"></object>"
    );
    let doc = extractor(Syntax::Html).extract(page.as_bytes()).unwrap();
    let link = &doc.links()[0];
    assert_eq!(link.textlink().map(str::len), Some(big.len()));
    assert_eq!((link.position().line, link.position().column), (2, 3));
}

#[test]
fn a_huge_value_full_of_lookalike_tags_still_locates_its_param() {
    let lookalikes = "<param name=price ".repeat(50_000);
    let page = format!(
        "<object><param name=textlink value=\"{lookalikes}\"><param name=price value=x></object>"
    );
    let doc = extractor(Syntax::Html).extract(page.as_bytes()).unwrap();
    let invalid: Vec<_> = doc
        .diagnostics()
        .iter()
        .filter(|d| d.code == Code::InvalidPrice)
        .collect();
    assert_eq!(invalid.len(), 1);
    // The price param's own `<` is found even though the value before it is full of lookalikes.
    let expected_column =
        u32::try_from(page.rfind("<param name=price value=x>").unwrap() + 1).unwrap();
    assert_eq!((invalid[0].line, invalid[0].column), (1, expected_column));
}

#[test]
fn a_ten_megabyte_xhtml_value_is_kept_whole() {
    let big = "y".repeat(10 * 1024 * 1024);
    let page = format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><object>\
         <param name=\"price\" value=\"1USD\"/><param name=\"textlink\" value=\"{big}\"/>\
         </object></body></html>"
    );
    let doc = extractor(Syntax::Xhtml).extract(page.as_bytes()).unwrap();
    assert_eq!(doc.links()[0].textlink().map(str::len), Some(big.len()));
}

#[test]
fn deep_html_trees_do_not_overflow() {
    let depth = 5_000;
    let page = format!(
        "{}<object><param name=price value=1USD><param name=textlink value=deep></object>",
        "<span>".repeat(depth)
    );
    let doc = extractor(Syntax::Html).extract(page.as_bytes()).unwrap();
    assert_eq!(doc.links()[0].textlink(), Some("deep"));
}

#[test]
fn deep_xhtml_trees_do_not_overflow() {
    let depth = 20_000;
    let page = format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>{}<object><param name=\"price\" value=\"1USD\"/>\
         <param name=\"textlink\" value=\"deep\"/></object>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let doc = extractor(Syntax::Xhtml).extract(page.as_bytes()).unwrap();
    assert_eq!(doc.links()[0].textlink(), Some("deep"));
}
