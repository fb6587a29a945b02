//! Inputs no fuzzer generates by chance: huge values and deep trees. They must give the right
//! answer (nothing lost), never a panic or a stack overflow; a page beyond the limits of P-1.8
//! gets its diagnostic and no links.

use micropay_markup::{Code, Diagnostic, Extractor, Syntax, Url};

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
        .filter(|d| d.code() == Code::InvalidPrice)
        .collect();
    assert_eq!(invalid.len(), 1);
    // The price param's own `<` is found even though the value before it is full of lookalikes.
    let expected_column =
        u32::try_from(page.rfind("<param name=price value=x>").unwrap() + 1).unwrap();
    assert_eq!(
        (invalid[0].line(), invalid[0].column()),
        (1, expected_column)
    );
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

/// `n` distinct attribute names, each `prefix` and a number.
fn names(prefix: &str, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(prefix);
        out.push_str(&i.to_string());
    }
    out
}

const LINK: &str = "<object><param name=price value=1USD><param name=textlink value=t></object>";

/// The codes of P-1.8 among a document's diagnostics, and how many links it has.
fn outcome(page: &str) -> (Vec<Code>, usize) {
    let doc = extractor(Syntax::Html).extract(page.as_bytes()).unwrap();
    let codes = (doc.diagnostics().iter())
        .map(Diagnostic::code)
        .filter(|c| c.rule() == "P-1.8")
        .collect();
    (codes, doc.links().len())
}

#[test]
fn a_deep_html_tree_stops_with_its_diagnostic() {
    let page = format!("{}{LINK}", "<span>".repeat(5_000));
    let doc = extractor(Syntax::Html).extract(page.as_bytes()).unwrap();
    assert!(doc.links().is_empty());
    let [d] = doc.diagnostics() else {
        panic!("{:?}", doc.diagnostics())
    };
    assert_eq!(d.code(), Code::NestingTooDeep);
    assert!(d.link().is_none() && d.field().is_none());
    // html and body, then the 255th span is the 257th element deep.
    assert_eq!((d.line(), d.column()), (1, 1 + 6 * 254));
}

/// The pages of the issue that found the limits wanting (in CPU seconds then: more than 30,
/// 27, 12.6), each a few hundred kilobytes.
#[test]
fn the_pages_that_stalled_the_parser_get_their_diagnostics() {
    let names = names(" a", 200_000);
    for (page, code) in [
        (
            format!("{LINK}{}", "<dl><dd>".repeat(60_000)),
            Code::NestingTooDeep,
        ),
        (
            format!("{}{LINK}", "<div>".repeat(100_000)),
            Code::NestingTooDeep,
        ),
        (format!("<object{names}>{LINK}"), Code::TooManyAttributes),
    ] {
        assert_eq!(outcome(&page), (vec![code], 0), "{}", &page[..60]);
    }
}

/// Every element kind the tree builder scopes, nested: each is cut at the same depth.
#[test]
fn every_kind_of_nesting_is_cut_at_the_limit() {
    for unit in [
        "<div>",
        "<span>",
        "<dl><dd>",
        "<ul><li>",
        "<ol><li><div>",
        "<table><tr><td>",
        "<a><div>",
        "<b><i><u>",
        "<nobr><div>",
        "<font color=red>",
        "<template>",
        "<svg><g>",
        "<math><mi>",
        "<object>",
        "<applet>",
        "<marquee>",
        "<blockquote>",
        "<table><caption>",
        "<svg><foreignObject><div>",
        "<table><td><div>",
        "<form><fieldset>",
    ] {
        let page = format!("{LINK}{}", unit.repeat(2_000));
        assert_eq!(outcome(&page), (vec![Code::NestingTooDeep], 0), "{unit}");
    }
}

#[test]
fn template_contents_are_as_deep_as_the_template() {
    // Each template's contents are a fragment of their own in the tree, but the tree builder
    // keeps every template open on its stack: they count as nested.
    let page = format!("{}{LINK}", "<template><div>".repeat(200));
    assert_eq!(outcome(&page), (vec![Code::NestingTooDeep], 0));
    let page = format!(
        "{}{}{LINK}",
        "<template>".repeat(200),
        "</template>".repeat(200)
    );
    assert_eq!(outcome(&page), (vec![], 1));
}

#[test]
fn elements_closed_again_never_add_up() {
    let page = format!("{}{LINK}", "<div><span></span></div>".repeat(100_000));
    assert_eq!(outcome(&page), (vec![], 1));
}

#[test]
fn attributes_count_in_start_and_end_tags_but_not_in_text() {
    let names = |n: usize| names(" n", n);
    assert_eq!(outcome(&format!("<p{}>{LINK}", names(1024))), (vec![], 1));
    assert_eq!(
        outcome(&format!("<p{}>{LINK}", names(1025))),
        (vec![Code::TooManyAttributes], 0)
    );
    assert_eq!(
        outcome(&format!("{LINK}</p{}>", names(1025))),
        (vec![Code::TooManyAttributes], 0)
    );
    // Where no tag is read: a comment, raw text, an attribute value.
    for inert in [
        format!("<!-- <p{} -->", names(5000)),
        format!("<script>if (a <b{}) {{}}</script>", names(5000)),
        format!("<textarea><p{}></textarea>", names(5000)),
        format!("<p title=\"<p{}>\">", names(5000)),
        format!("<svg><![CDATA[\0<p{}>]]></svg>", names(5000)),
    ] {
        assert_eq!(
            outcome(&format!("{inert}{LINK}")),
            (vec![], 1),
            "{}",
            &inert[..30]
        );
    }
    // A repeated name counts once.
    let repeated = format!("<p{}{}>{LINK}", names(1000), " n1".repeat(100_000));
    assert_eq!(outcome(&repeated), (vec![], 1));
}

#[test]
fn a_tag_longer_than_a_piece_is_counted_as_it_is_read() {
    // 300,000 attributes, several pieces of html5ever's input long: stopped within the
    // first pieces (the work counters of `tests/linear.rs` show how early).
    let names = names(" x", 300_000);
    let page = format!("{LINK}<p{names}>");
    assert_eq!(outcome(&page), (vec![Code::TooManyAttributes], 0));
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
