//! P-1.6: extraction agrees with the tree a browser builds for the same bytes.

use micropay_markup::{Code, Diagnostic, Document, Extractor, Url};

fn extract(page: &str) -> Document {
    Extractor::new()
        .document_url(Url::parse("https://merchant.example/page.html").unwrap())
        .extract(page.as_bytes())
        .unwrap()
}

/// A complete link whose textlink is `text`.
fn link(text: &str) -> String {
    format!(
        "<object type=\"application/x-micropayment\"><param name=price value=0.05USD>\
         <param name=textlink value=\"{text}\"><param name=requesturl value=a.html>\
         <param name=paymentsystem value=https://ps.example/><a href=a.html>buy</a></object>"
    )
}

fn texts(doc: &Document) -> Vec<&str> {
    doc.links()
        .iter()
        .map(|l| l.textlink().unwrap_or(""))
        .collect()
}

fn positions(doc: &Document) -> Vec<(u32, u32)> {
    doc.links()
        .iter()
        .map(|l| (l.position().line, l.position().column))
        .collect()
}

fn codes(doc: &Document) -> Vec<Code> {
    doc.diagnostics().iter().map(Diagnostic::code).collect()
}

#[test]
fn two_objects_on_one_line_get_their_own_columns() {
    let page = format!("<p>{}{}", link("one"), link("two"));
    let doc = extract(&page);
    assert_eq!(texts(&doc), ["one", "two"]);
    let first = 4;
    let second = first + u32::try_from(link("one").chars().count()).unwrap();
    assert_eq!(positions(&doc), [(1, first), (1, second)]);
}

#[test]
fn an_object_in_a_table_outside_a_cell_is_foster_parented_but_keeps_its_position() {
    let page = format!(
        "<table><tr><td>cell</td></tr>\n  {}</table>",
        link("fostered")
    );
    let doc = extract(&page);
    assert_eq!(texts(&doc), ["fostered"]);
    assert_eq!(positions(&doc), [(2, 3)]);
}

#[test]
fn foster_parenting_puts_the_object_before_the_table_in_tree_order() {
    let page = format!(
        "<table><tr><td>{}</td></tr>{}</table>",
        link("in cell"),
        link("fostered")
    );
    let doc = extract(&page);
    // The fostered object is inserted before the table, so it comes first in tree order.
    assert_eq!(texts(&doc), ["fostered", "in cell"]);
}

#[test]
fn objects_in_svg_or_mathml_are_never_links() {
    let page = format!("<svg>{}</svg><math>{}</math>", link("svg"), link("math"));
    let doc = extract(&page);
    assert!(doc.links().is_empty(), "{:?}", texts(&doc));
}

#[test]
fn an_object_after_svg_closes_is_html_again() {
    let page = format!("<svg><circle/></svg>{}", link("after"));
    assert_eq!(texts(&extract(&page)), ["after"]);
}

#[test]
fn html_breakout_tags_leave_foreign_content() {
    // A <p> start tag inside <svg> pops back out to HTML; the object after it is HTML.
    let page = format!("<svg><p>{}</svg>", link("broke out"));
    assert_eq!(texts(&extract(&page)), ["broke out"]);
}

#[test]
fn nothing_inside_raw_text_comments_or_templates_is_a_link() {
    for wrapper in [
        ("<!--", "-->"),
        ("<script>", "</script>"),
        ("<style>", "</style>"),
        ("<noscript>", "</noscript>"),
        ("<textarea>", "</textarea>"),
        ("<title>", "</title>"),
        ("<template>", "</template>"),
        ("<xmp>", "</xmp>"),
        ("<iframe>", "</iframe>"),
        ("<noembed>", "</noembed>"),
        ("<noframes>", "</noframes>"),
    ] {
        let page = format!("<body>{}{}{}", wrapper.0, link("hidden"), wrapper.1);
        let doc = extract(&page);
        assert!(
            doc.links().is_empty(),
            "inside {}: {:?}",
            wrapper.0,
            texts(&doc)
        );
    }
}

#[test]
fn plaintext_swallows_the_rest_of_the_document() {
    let page = format!("<plaintext>{}", link("text"));
    assert!(extract(&page).links().is_empty());
}

#[test]
fn an_unclosed_object_at_end_of_file_is_still_a_link() {
    let page = "<p><object><param name=price value=1USD><param name=textlink value=x>";
    let doc = extract(page);
    assert_eq!(texts(&doc), ["x"]);
    assert!(codes(&doc).contains(&Code::MissingFallback));
}

#[test]
fn an_unquoted_value_ending_in_slash_keeps_the_slash() {
    let page = "<object><param name=textlink value=abc/><param name=price value=1USD/></object>";
    let doc = extract(page);
    assert_eq!(texts(&doc), ["abc/"]);
    assert!(doc.links()[0].price().is_none());
    assert!(codes(&doc).contains(&Code::InvalidPrice));
}

#[test]
fn the_first_of_duplicate_attributes_wins() {
    let page = "<object><param name=textlink value=first value=second name=price></object>";
    let doc = extract(page);
    assert_eq!(texts(&doc), ["first"]);
}

#[test]
fn character_references_with_and_without_semicolon() {
    let page = "<object>\
        <param name=textlink value=\"Fish &amp; chips &eacute;t&eacute; &#x20AC;5 &#8364;\">\
        <param name=title value=\"a&ampb &amp=c &copy 1999 &notit;\"></object>";
    let doc = extract(page);
    let link = &doc.links()[0];
    assert_eq!(
        link.textlink(),
        Some("Fish & chips \u{e9}t\u{e9} \u{20ac}5 \u{20ac}")
    );
    // In attribute values a reference without `;` followed by an alphanumeric or `=` stays as
    // written; `&copy ` (followed by a space) is decoded; so `&notit;` stays as written too.
    assert_eq!(link.title(), Some("a&ampb &amp=c \u{a9} 1999 &notit;"));
}

#[test]
fn upper_case_markup_of_1999() {
    let page = "<OBJECT CLASSID=\"java:PerFeeLink.class\">\n\
        <PARAM NAME=\"PRICE\" VALUE=\"0.10USD\">\n<PARAM NAME=TEXTLINK VALUE=\"Article\">\n\
        <A HREF=\"a.html\">Article</A></OBJECT>";
    let doc = extract(page);
    assert_eq!(texts(&doc), ["Article"]);
    assert_eq!(
        doc.links()[0].object_attributes().classid.as_deref(),
        Some("java:PerFeeLink.class")
    );
}

#[test]
fn an_applet_is_a_carrier_too() {
    let page = "<applet code=PFL.class><param name=price value=1USD><param name=textlink value=x></applet>";
    let doc = extract(page);
    assert_eq!(texts(&doc), ["x"]);
    assert_eq!(doc.links()[0].element(), micropay_markup::Carrier::Applet);
}

#[test]
fn plugin_objects_without_a_core_field_are_not_links() {
    let page = "<object data=movie.swf><param name=movie value=movie.swf><param name=title value=x>\
        <param name=type value=a/b></object>";
    let doc = extract(page);
    assert!(doc.links().is_empty());
    assert!(doc.diagnostics().is_empty(), "{:?}", codes(&doc));
}

#[test]
fn only_direct_param_children_count() {
    let page =
        "<object><div><param name=price value=1USD></div><param name=textlink value=x></object>";
    let doc = extract(page);
    assert_eq!(texts(&doc), ["x"]);
    assert!(doc.links()[0].price().is_none());
    let misplaced: Vec<_> = doc
        .diagnostics()
        .iter()
        .filter(|d| d.code() == Code::MisplacedParam)
        .collect();
    assert_eq!(misplaced.len(), 1);
    assert_eq!((misplaced[0].line(), misplaced[0].column()), (1, 14));
    assert_eq!(misplaced[0].link(), None);
    assert_eq!(misplaced[0].field(), Some("price"));
}

#[test]
fn a_link_in_another_ones_fallback_is_nested() {
    let page = format!(
        "<object><param name=price value=1USD><param name=textlink value=outer>{}</object>",
        link("inner")
    );
    let doc = extract(&page);
    assert_eq!(texts(&doc), ["outer", "inner"]);
    let nested: Vec<_> = doc
        .diagnostics()
        .iter()
        .filter(|d| d.code() == Code::NestedPerFeeLink)
        .map(Diagnostic::link)
        .collect();
    assert_eq!(nested, [Some(1)]);
}

#[test]
fn positions_follow_crlf_and_multibyte_text() {
    let page = format!("<meta charset=utf-8>\u{e9}\u{e9}\r\n\u{20ac} {}", link("x"));
    let doc = extract(&page);
    assert_eq!(positions(&doc), [(2, 3)]);
}

#[test]
fn a_thousand_links_are_all_extracted_with_their_own_positions() {
    let mut page = String::from("<!doctype html><title>many</title>\n");
    for i in 0..1000 {
        page.push_str(&link(&format!("item {i}")));
        page.push('\n');
    }
    let doc = extract(&page);
    assert_eq!(doc.links().len(), 1000);
    for (i, l) in doc.links().iter().enumerate() {
        assert_eq!(l.index(), i);
        assert_eq!(l.position().line as usize, i + 2);
        assert_eq!(l.position().column, 1);
        assert_eq!(l.textlink(), Some(format!("item {i}").as_str()));
    }
}

#[test]
fn hostile_input_never_panics() {
    let inputs = [
        "<object".to_owned(),
        "<object><param".to_owned(),
        "<param name=price value='".to_owned() + &"<param ".repeat(5000),
        "<object>".repeat(2000),
        // Depth costs the tree builder quadratic time; benchmarks measure deeper trees.
        "<div>".repeat(3000) + &link("deep"),
        "\u{0}<object>\u{0}<param name=\u{0}price value=\u{0}>".to_owned(),
        "<object><param name=price value=1USD></object>".repeat(3) + "</object></param>",
    ];
    for input in inputs {
        let _ = extract(&input);
    }
}
