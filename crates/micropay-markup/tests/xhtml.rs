//! XHTML (P-1.7) and XML decoding (P-10) through the public API: links and positions from
//! well-formed documents, one `xml-not-well-formed` diagnostic at the first fault otherwise.

use micropay_markup::{Code, Document, Extractor, Syntax};

const XHTML: &str = "http://www.w3.org/1999/xhtml";

fn extractor() -> Extractor {
    Extractor::new()
        .syntax(Syntax::Xhtml)
        .document_url("https://merchant.example/news/".parse().unwrap())
}

fn xhtml(doc: &str) -> Document {
    extractor().extract(doc.as_bytes()).unwrap()
}

fn xhtml_bytes(doc: &[u8]) -> Document {
    extractor().extract(doc).unwrap()
}

/// A page in the XHTML namespace with `body` as the content of its `body`, starting on line 2.
fn page(body: &str) -> String {
    format!("<html xmlns=\"{XHTML}\"><head><title>t</title></head>\n<body>{body}</body></html>")
}

/// A complete per-fee-link, with the object's start tag first.
const LINK: &str = "<object type=\"application/x-micropayment\">\
<param name=\"price\" value=\"0.01USD\"/>\
<param name=\"textlink\" value=\"Today's cartoon\"/>\
<param name=\"title\" value=\"Cartoon\"/>\
<param name=\"requesturl\" value=\"cartoon.html\"/>\
<param name=\"paymentsystem\" value=\"https://ps.example/\"/>\
<a href=\"cartoon.html\">Today's cartoon</a></object>";

/// The single fault of `doc`: (line, column, message). Asserts that it is alone and that no
/// link was reported.
fn fault(doc: &str) -> (u32, u32, String) {
    fault_of(&xhtml(doc))
}

fn fault_of(document: &Document) -> (u32, u32, String) {
    assert!(
        document.links().is_empty(),
        "no links from a broken document"
    );
    let faults: Vec<_> = document
        .diagnostics()
        .iter()
        .filter(|d| d.code() == Code::XmlNotWellFormed)
        .collect();
    assert_eq!(faults.len(), 1, "{:#?}", document.diagnostics());
    let d = faults[0];
    assert!(d.link().is_none() && d.field().is_none());
    (d.line(), d.column(), d.message().to_owned())
}

fn at(doc: &str) -> (u32, u32) {
    let (line, column, _) = fault(doc);
    (line, column)
}

fn codes(document: &Document) -> Vec<(&'static str, Option<usize>, Option<String>)> {
    let mut v: Vec<_> = document
        .diagnostics()
        .iter()
        .map(|d| (d.code().as_str(), d.link(), d.field().map(str::to_owned)))
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------------
// Well-formed documents

#[test]
fn extracts_a_link_with_exact_positions() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n\
         <html xmlns=\"{XHTML}\">\n\
         <body>\n\
         \u{a0}\u{a0}<p>Caf\u{e9} \u{20ac}\u{1f600}</p>{LINK}\n\
         </body>\n\
         </html>\n"
    );
    let document = xhtml(&doc);
    assert_eq!(
        document.diagnostics(),
        &[],
        "a complete link has no findings"
    );
    assert_eq!(document.encoding(), "utf-8");
    let link = &document.links()[0];
    // Line 5: two no-break spaces, `<p>Café €😀</p>` (14 characters), then the object.
    assert_eq!((link.position().line, link.position().column), (5, 17));
    assert_eq!(link.price().unwrap().to_string(), "0.01USD");
    assert_eq!(link.textlink(), Some("Today's cartoon"));
    assert_eq!(
        link.requesturl().unwrap().as_str(),
        "https://merchant.example/news/cartoon.html"
    );
    assert_eq!(
        link.fallback_href().unwrap().as_str(),
        "https://merchant.example/news/cartoon.html"
    );
    assert_eq!(
        link.object_attributes().type_.as_deref(),
        Some("application/x-micropayment")
    );
}

#[test]
fn two_elements_on_one_line_after_multibyte_text() {
    // Misplaced params are reported at their own `<`, in characters.
    let doc = page(
        "<div>\u{e9}\u{20ac}\u{1f600}<param name=\"price\" value=\"1USD\"/>\t<param name=\"textlink\" value=\"x\"/></div>",
    );
    let document = xhtml(&doc);
    let positions: Vec<_> = document
        .diagnostics()
        .iter()
        .map(|d| (d.code(), d.line(), d.column(), d.field()))
        .collect();
    // `<body><div>` is 11 characters, then 3 characters of text.
    assert_eq!(
        positions,
        [
            (Code::MisplacedParam, 2, 15, Some("price")),
            (Code::MisplacedParam, 2, 50, Some("textlink")),
        ]
    );
}

#[test]
fn positions_of_diagnostics_follow_the_element() {
    let doc = page(
        "\n  <object>\n    <param name=\"price\" value=\"1USD\"/>\n    <param name=\"requesturl\" value=\"a.html\"/>\n  </object>\n",
    );
    let document = xhtml(&doc);
    assert_eq!(document.links().len(), 1);
    let link = &document.links()[0];
    assert_eq!((link.position().line, link.position().column), (3, 3));
    let mut missing: Vec<_> = document
        .diagnostics()
        .iter()
        .filter(|d| d.code() == Code::MissingRequiredField)
        .map(|d| (d.line(), d.column(), d.field().unwrap().to_owned()))
        .collect();
    missing.sort();
    assert_eq!(
        missing,
        [
            (3, 3, "paymentsystem".to_owned()),
            (3, 3, "textlink".to_owned())
        ]
    );
}

#[test]
fn names_are_case_sensitive() {
    let upper = LINK.replace("object", "OBJECT");
    assert!(
        xhtml(&page(&upper)).links().is_empty(),
        "<OBJECT> is no object in XML"
    );
    let upper_params = LINK.replace("<param", "<PARAM");
    let document = xhtml(&page(&upper_params));
    assert!(document.links().is_empty(), "<PARAM> is no param");
    assert!(document.diagnostics().is_empty());
    // Attribute names too: NAME is not name.
    let doc = page("<object><param NAME=\"price\" value=\"1USD\"/></object>");
    assert!(xhtml(&doc).links().is_empty());
}

#[test]
fn only_the_xhtml_namespace_counts() {
    // No namespace: a generic XML document, no per-fee-links (as in a browser).
    let doc = format!("<html><body>{LINK}</body></html>");
    let document = xhtml(&doc);
    assert!(document.links().is_empty());
    assert!(document.diagnostics().is_empty());
    // A prefix bound to the XHTML namespace works like the default namespace.
    let prefixed = LINK
        .replace("<object", "<h:object")
        .replace("</object", "</h:object");
    let prefixed = prefixed
        .replace("<param", "<h:param")
        .replace("<a ", "<h:a ")
        .replace("</a>", "</h:a>");
    let doc = format!("<h:html xmlns:h=\"{XHTML}\"><h:body>{prefixed}</h:body></h:html>");
    let document = xhtml(&doc);
    assert_eq!(document.links().len(), 1, "{:#?}", document.diagnostics());
    assert!(
        document.diagnostics().is_empty(),
        "{:#?}",
        document.diagnostics()
    );
    // An object in SVG is not one; one in foreignObject, back in XHTML, is.
    let doc = page(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{LINK}<foreignObject><div xmlns=\"{XHTML}\">{LINK}</div></foreignObject></svg>"
    ));
    let document = xhtml(&doc);
    assert_eq!(document.links().len(), 1);
    let line = document.source_line(2).unwrap();
    let second = line.match_indices("<object").nth(1).unwrap().0;
    let expected = u32::try_from(line[..second].chars().count() + 1).unwrap();
    assert_eq!(document.links()[0].position().column, expected);
    assert_eq!(
        expected,
        7 + 40 + u32::try_from(LINK.len()).unwrap() + 15 + 42
    );
    // MathML likewise.
    let doc = page(&format!(
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">{LINK}</math>"
    ));
    assert!(xhtml(&doc).links().is_empty());
}

#[test]
fn prefixed_attributes_are_not_their_local_name() {
    let doc = page(
        "<object xmlns:x=\"urn:x\" x:type=\"a/b\" xml:lang=\"fr\"><param name=\"price\" value=\"1USD\"/></object>",
    );
    let document = xhtml(&doc);
    assert_eq!(document.links()[0].object_attributes().type_, None);
    let doc = page("<object xmlns:x=\"urn:x\"><param x:name=\"price\" value=\"1USD\"/></object>");
    assert!(xhtml(&doc).links().is_empty(), "x:name is not name");
}

#[test]
fn references_and_entities_in_values_and_text() {
    let doc = format!(
        "<!DOCTYPE html [\n<!ENTITY shop \"Caf&#233; Lumi&#232;re\">\n<!ENTITY eacute \"&#233;\">\n]>\n\
         <html xmlns=\"{XHTML}\"><body>\
         <object><param name=\"price\" value=\"&#48;.5EUR\"/>\
         <param name=\"textlink\" value=\"&shop; &amp; caf&eacute;&#x20;&lt;3\"/>\
         <param name=\"requesturl\" value=\"a.html?x=1&amp;y=2\"/>\
         <param name=\"paymentsystem\" value=\"https://ps.example/\"/>\
         <param name=\"title\" value=\"line&#10;break and\ttab\"/>\
         <![CDATA[<a href=\"not a link\">]]></object></body></html>"
    );
    let document = xhtml(&doc);
    let link = &document.links()[0];
    assert_eq!(link.price().unwrap().to_string(), "0.5EUR");
    assert_eq!(
        link.textlink(),
        Some("Caf\u{e9} Lumi\u{e8}re & caf\u{e9} <3")
    );
    assert_eq!(
        link.requesturl().unwrap().as_str(),
        "https://merchant.example/news/a.html?x=1&y=2"
    );
    // Attribute-value normalisation: a literal tab becomes a space, `&#10;` stays.
    assert_eq!(link.title(), Some("line\nbreak and tab"));
    // The CDATA section is text: fallback content, but no link in it.
    let found = codes(&document);
    assert!(
        !found.iter().any(|(code, _, _)| *code == "missing-fallback"),
        "{found:?}"
    );
    assert_eq!(link.fallback_href(), None);
}

#[test]
fn template_contents_are_not_searched_but_noscript_is_a_tree() {
    let doc = page(&format!("<template>{LINK}</template>"));
    assert!(xhtml(&doc).links().is_empty());
    // In XML, noscript holds elements, not text: the object is in the DOM.
    let doc = page(&format!("<noscript>{LINK}</noscript>"));
    assert_eq!(xhtml(&doc).links().len(), 1);
}

#[test]
fn deep_nesting_uses_no_call_stack() {
    let depth = 50_000;
    let doc = page(&format!(
        "{}{LINK}{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    ));
    let document = xhtml(&doc);
    assert_eq!(document.links().len(), 1);
    assert_eq!(
        document.links()[0].position().column,
        u32::try_from(7 + 5 * depth).unwrap()
    );
    // Beyond quick-xml's namespace-scope limit: a fault, not a crash.
    let depth = 70_000;
    let doc = page(&format!(
        "{}{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    ));
    let (_, _, message) = fault(&doc);
    assert!(message.contains("limit"), "{message}");
}

#[test]
fn comments_processing_instructions_and_doctype_are_fine() {
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!-- top -->\n<?xml-stylesheet href=\"a.css\" type=\"text/css\"?>\n\
         <!DOCTYPE html>\n<html xmlns=\"{XHTML}\"><body><!-- inside --><?pi x?>{LINK}</body></html>\n<!-- end -->\n"
    );
    let document = xhtml(&doc);
    assert_eq!(document.links().len(), 1);
    assert!(
        document.diagnostics().is_empty(),
        "{:#?}",
        document.diagnostics()
    );
}

#[test]
fn extract_str_with_a_byte_order_mark() {
    let doc = format!("\u{feff}<?xml version=\"1.0\"?>\n{}", page(LINK));
    let document = extractor().extract_str(&doc).unwrap();
    assert_eq!(document.links().len(), 1);
    assert_eq!(document.links()[0].position().line, 3);
    assert_eq!(document.links()[0].position().column, 7);
}

// ---------------------------------------------------------------------------------------------
// Faults: one diagnostic, at the first one

#[test]
fn mismatched_and_unclosed_tags() {
    let (line, column, message) = fault(&page("<div>\n  <p>text</div>"));
    assert_eq!((line, column), (3, 10));
    assert!(
        message.contains("`</div>`") && message.contains("`<p>`"),
        "{message}"
    );
    assert!(message.contains("line 3, column 3"), "{message}");
    // Never closed: reported at the start tag left open.
    let (line, column, message) = fault(&format!(
        "<html xmlns=\"{XHTML}\">\n<body>\n  <div>\n  text"
    ));
    assert_eq!((line, column), (3, 3));
    assert!(message.contains("`<div>` is never closed"), "{message}");
    // A tag that never ends.
    assert_eq!(
        at(&format!("<html xmlns=\"{XHTML}\">\n <a href=\"x\"")),
        (2, 2)
    );
    assert_eq!(
        at(&format!("<html xmlns=\"{XHTML}\">\n <a href=\"x>")),
        (2, 2)
    );
    // An end tag with nothing open.
    assert_eq!(
        at(&format!("<html xmlns=\"{XHTML}\"></html></body>")),
        (1, 51)
    );
    // An unclosed comment.
    assert_eq!(at(&page("<!-- open")), (2, 7));
    // An empty document.
    let (line, column, message) = fault("");
    assert_eq!((line, column), (1, 1));
    assert!(message.contains("no root element"), "{message}");
    assert_eq!(at("\n  <!-- only a comment -->\n"), (3, 1));
}

#[test]
fn bad_character_references() {
    for (reference, column) in [
        ("&#0;", 12),
        ("&#xD800;", 12),
        ("&#xZZ;", 12),
        ("&#x110000;", 12),
        ("&#1;", 12),
        ("&#X41;", 12),
    ] {
        let (line, col, message) = fault(&page(&format!("<p>ab{reference}</p>")));
        assert_eq!((line, col), (2, column), "{reference}");
        assert!(message.contains(reference), "{message}");
        // And in an attribute value.
        let (line, col, _) = fault(&page(&format!("<p title=\"ab{reference}\">x</p>")));
        assert_eq!((line, col), (2, 19), "{reference}");
    }
    // A lone ampersand.
    let (line, column, message) = fault(&page("<p>fish & chips</p>"));
    assert_eq!((line, column), (2, 15));
    assert!(message.contains("`&`"), "{message}");
    assert_eq!(at(&page("<p title=\"fish & chips\">x</p>")), (2, 22));
    assert_eq!(at(&page("<p>a &b c; d</p>")), (2, 12));
}

#[test]
fn html_entities_are_not_xml() {
    let (line, column, message) = fault(&page("<p>caf&eacute;</p>"));
    assert_eq!((line, column), (2, 13));
    assert!(
        message.contains("`&eacute;` is an HTML entity, not one of XML's five predefined entities; write `&#233;` or declare it in the DTD"),
        "{message}"
    );
    let (_, _, message) = fault(&page("<p title=\"a&nbsp;b\">x</p>"));
    assert!(message.contains("write `&#160;`"), "{message}");
    // With the XHTML DOCTYPE the entity is declared, but only in the external DTD.
    let doc = format!(
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n{}",
        page("<p>caf&eacute;</p>")
    );
    let (line, column, message) = fault(&doc);
    assert_eq!((line, column), (3, 13));
    assert!(message.contains("external XHTML DTD"), "{message}");
    assert!(message.contains("does not read external DTDs"), "{message}");
    // Declared in the internal subset: fine.
    let doc = format!(
        "<!DOCTYPE html [ <!ENTITY eacute \"&#233;\"> ]>\n{}",
        page("<p>caf&eacute;</p>")
    );
    assert!(xhtml(&doc).diagnostics().is_empty());
    // Not an HTML entity either.
    let (_, _, message) = fault(&page("<p>&nosuch;</p>"));
    assert!(message.contains("`&nosuch;` is not declared"), "{message}");
}

#[test]
fn namespace_faults() {
    // Undeclared prefixes, on elements and attributes.
    let (line, column, message) = fault(&page("<p>\n <svg:rect/></p>"));
    assert_eq!((line, column), (3, 3));
    assert!(message.contains("prefix `svg`"), "{message}");
    assert_eq!(at(&page("<p x:title=\"t\">a</p>")), (2, 10));
    // The same attribute twice, literally or through two prefixes.
    let (line, column, message) = fault(&page("<p title=\"a\" title=\"b\">x</p>"));
    assert_eq!((line, column), (2, 20));
    assert!(message.contains("twice"), "{message}");
    let (line, column, message) = fault(&page(
        "<p xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:t=\"1\" b:t=\"2\">x</p>",
    ));
    assert_eq!((line, column), (2, 50));
    assert!(
        message.contains("`b:t`") && message.contains("`a:t`"),
        "{message}"
    );
    // Reserved bindings, found by quick-xml or by the reader.
    assert_eq!(at(&page("<p xmlns:xml=\"urn:x\">x</p>")), (2, 10));
    assert_eq!(at(&page("<p xmlns:xmlns=\"urn:x\">x</p>")), (2, 10));
    assert_eq!(at(&page("<p xmlns:a=\"\">x</p>")), (2, 19));
    // Invalid qualified names.
    assert_eq!(at(&page("<a:b:c/>")), (2, 8));
    assert_eq!(at(&page("<xmlns:p/>")), (2, 8));
}

#[test]
fn outside_the_root_element() {
    let (line, column, message) = fault(&format!("\nhello <html xmlns=\"{XHTML}\"/>"));
    assert_eq!((line, column), (2, 1));
    assert!(message.contains("before the root element"), "{message}");
    let (line, column, message) = fault(&format!("<html xmlns=\"{XHTML}\"/>\n  trailing"));
    assert_eq!((line, column), (2, 3));
    assert!(
        message.contains("after the end of the root element"),
        "{message}"
    );
    let (line, column, message) = fault(&format!("<html xmlns=\"{XHTML}\"/>\n<html/>"));
    assert_eq!((line, column), (2, 1));
    assert!(message.contains("second root element"), "{message}");
    assert_eq!(at(&format!("<html xmlns=\"{XHTML}\"/>&amp;")), (1, 45));
    assert_eq!(
        at(&format!("<![CDATA[x]]><html xmlns=\"{XHTML}\"/>")),
        (1, 1)
    );
    assert_eq!(
        at(&format!("<html xmlns=\"{XHTML}\"/>\n<!DOCTYPE html>")),
        (2, 1)
    );
}

#[test]
fn attribute_syntax() {
    // `<` in a value, an unquoted value, an attribute without a value, no space between.
    let (line, column, message) = fault(&page("<p title=\"a < b\">x</p>"));
    assert_eq!((line, column), (2, 19));
    assert!(message.contains("`<`"), "{message}");
    assert_eq!(at(&page("<p title=a>x</p>")), (2, 16));
    let (line, column, message) = fault(&page("<input checked/>"));
    assert_eq!((line, column), (2, 14));
    assert!(message.contains("no value"), "{message}");
    assert_eq!(at(&page("<p a=\"1\"b=\"2\">x</p>")), (2, 15));
    assert_eq!(at(&page("<p 1a=\"1\">x</p>")), (2, 10));
    assert_eq!(at(&page("< p>x</p>")), (2, 7));
    assert_eq!(at(&page("<p>1 < 2</p>")), (2, 12));
}

#[test]
fn comments_and_declarations() {
    let (line, column, message) = fault(&page("<!-- a -- b -->"));
    assert_eq!((line, column), (2, 14));
    assert!(message.contains("`--`"), "{message}");
    // The XML declaration must come first, not even after white space.
    let (line, column, message) = fault(&format!(
        " <?xml version=\"1.0\"?><html xmlns=\"{XHTML}\"/>"
    ));
    assert_eq!((line, column), (1, 2));
    assert!(message.contains("very start"), "{message}");
    assert_eq!(
        at(&format!(
            "<!-- c --><?xml version=\"1.0\"?><html xmlns=\"{XHTML}\"/>"
        )),
        (1, 11)
    );
    assert_eq!(
        at(&format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<?xml version=\"1.0\"?>\n<html xmlns=\"{XHTML}\"/>"
        )),
        (2, 1)
    );
    assert_eq!(
        at(&format!(
            "<?xml encoding=\"utf-8\"?><html xmlns=\"{XHTML}\"/>"
        )),
        (1, 7)
    );
    assert_eq!(
        at(&format!("<?XML version=\"1.0\"?><html xmlns=\"{XHTML}\"/>")),
        (1, 1)
    );
    assert_eq!(
        at(&format!("<!doctype html><html xmlns=\"{XHTML}\"/>")),
        (1, 1)
    );
    assert_eq!(at(&page("<p>a ]]> b</p>")), (2, 12));
}

#[test]
fn the_first_fault_wins() {
    // An illegal character before a structural fault.
    let (line, column, message) = fault(&page("<p>\u{1}</div>"));
    assert_eq!((line, column), (2, 10));
    assert!(message.contains("U+0001"), "{message}");
    // A structural fault before an illegal character.
    assert_eq!(at(&page("<p></div>\u{1}")), (2, 10));
    // An illegal character before the end of a document left open.
    assert_eq!(
        at(&format!("<html xmlns=\"{XHTML}\">\n<div>\n\u{b}")),
        (3, 1)
    );
    // Two faults on one line: the first.
    assert_eq!(at(&page("<p a=\"&#0;\" a=\"1\">x</p>")), (2, 13));
}

// ---------------------------------------------------------------------------------------------
// Encodings (P-10)

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

#[test]
fn the_declaration_names_the_encoding() {
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n".to_vec();
    bytes.extend(
        page(&LINK.replace("Today's cartoon\"/>", "Caf\u{e9}\"/>"))
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap()),
    );
    let document = xhtml_bytes(&bytes);
    assert_eq!(document.encoding(), "windows-1252");
    assert_eq!(document.links()[0].textlink(), Some("Caf\u{e9}"));
    assert_eq!(document.links()[0].position().line, 3);
}

#[test]
fn the_byte_order_mark_wins() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n{}",
        page(&LINK.replace("Today's", "Caf\u{e9}"))
    );
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(doc.as_bytes());
    let document = xhtml_bytes(&bytes);
    assert_eq!(document.encoding(), "utf-8");
    assert_eq!(document.links()[0].textlink(), Some("Caf\u{e9} cartoon"));
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(utf16le(&doc));
    let document = xhtml_bytes(&bytes);
    assert_eq!(document.encoding(), "utf-16le");
    assert_eq!(document.links()[0].textlink(), Some("Caf\u{e9} cartoon"));
    assert_eq!(
        (
            document.links()[0].position().line,
            document.links()[0].position().column
        ),
        (3, 7)
    );
}

#[test]
fn utf16_without_a_byte_order_mark() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n{}",
        page(LINK)
    );
    for (bytes, name) in [(utf16le(&doc), "utf-16le"), (utf16be(&doc), "utf-16be")] {
        let document = xhtml_bytes(&bytes);
        assert_eq!(document.encoding(), name);
        assert_eq!(document.links().len(), 1);
        assert!(document.diagnostics().is_empty());
    }
}

#[test]
fn without_a_declaration_it_is_utf8_and_the_transport_charset_is_ignored() {
    let doc = page(&LINK.replace("Today's", "Caf\u{e9}"));
    let document = extractor()
        .charset("windows-1252")
        .extract(doc.as_bytes())
        .unwrap();
    assert_eq!(document.encoding(), "utf-8");
    assert_eq!(document.links()[0].textlink(), Some("Caf\u{e9} cartoon"));
    // Latin-1 bytes without a declaration: replaced and reported, still well-formed.
    let latin1: Vec<u8> = doc
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let document = xhtml_bytes(&latin1);
    assert_eq!(document.links().len(), 1);
    assert_eq!(document.links()[0].textlink(), Some("Caf\u{fffd} cartoon"));
    assert_eq!(
        codes(&document),
        [("decoding-error", None, None)],
        "{:#?}",
        document.diagnostics()
    );
}

#[test]
fn an_unknown_encoding_is_a_fatal_error() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"klingon\"?>\n{}",
        page(LINK)
    );
    let document = xhtml(&doc);
    assert_eq!(document.encoding(), "utf-8");
    let (line, column, message) = fault_of(&document);
    assert_eq!((line, column), (1, 31));
    assert!(message.contains("`klingon`"), "{message}");
    // The Encoding Standard's `replacement` is refused the same way.
    assert_eq!(
        at(&format!(
            "<?xml version=\"1.0\" encoding=\"iso-2022-kr\"?><html xmlns=\"{XHTML}\"/>"
        )),
        (1, 31)
    );
}

// ---------------------------------------------------------------------------------------------
// Any input: no panic, at most one fault, positions inside the document

mod any_input {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "a",
        "object",
        "param",
        "html",
        " ",
        "\n",
        "\r",
        "\"",
        "'",
        "=",
        "&",
        ";",
        "#",
        "x",
        "0",
        "D800",
        "amp",
        "eacute",
        "<!--",
        "--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<?",
        "?>",
        "<?xml version='1.0'?>",
        "<!DOCTYPE html [",
        "<!ENTITY e 'v&e;'>",
        "<!ENTITY f \"&#60;\">",
        "]>",
        "%",
        "xmlns",
        "xmlns:p='urn:p'",
        "p:",
        ":",
        "\u{e9}",
        "\u{1f600}",
        "\u{1}",
        "\u{feff}",
        "name='price' value='1USD'",
        "<html xmlns='http://www.w3.org/1999/xhtml'>",
        "<object>",
        "</object>",
        "<param ",
        "&e;",
        "&f;",
        "&#x41;",
    ];

    fn check(document: &Document) -> Result<(), TestCaseError> {
        let faults = document
            .diagnostics()
            .iter()
            .filter(|d| d.code() == Code::XmlNotWellFormed)
            .count();
        prop_assert!(faults <= 1);
        if faults == 1 {
            prop_assert!(document.links().is_empty());
        }
        for d in document.diagnostics() {
            let line = document.source_line(d.line());
            prop_assert!(line.is_some(), "line {} outside the document", d.line());
            let width = line.map_or(0, |l| l.chars().count());
            prop_assert!(d.column() >= 1 && d.column() as usize <= width + 1);
        }
        Ok(())
    }

    /// Text with the three characters XML reserves in content escaped, and without the
    /// characters XML does not allow.
    fn escape(s: &str) -> String {
        s.chars()
            .filter(|&c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..))
            .map(|c| match c {
                '&' => "&amp;".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '"' => "&quot;".to_owned(),
                c => c.to_string(),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn markup_soup(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..60)) {
            check(&xhtml(&pieces.concat()))?;
        }

        #[test]
        fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            check(&xhtml_bytes(&bytes))?;
        }

        /// Balanced elements, escaped text and attribute values, links: always well-formed,
        /// and every link is found.
        #[test]
        fn well_formed_documents_have_no_fault(
            items in prop::collection::vec((0u8..4, ".*"), 0..40)
        ) {
            let mut body = String::new();
            let mut depth = 0;
            let mut links = 0;
            for (kind, text) in &items {
                match kind {
                    0 => {
                        body.push_str("<div title=\"");
                        body.push_str(&escape(text));
                        body.push_str("\">");
                        depth += 1;
                    }
                    1 if depth > 0 => {
                        body.push_str("</div>");
                        depth -= 1;
                    }
                    2 => {
                        body.push_str(LINK);
                        links += 1;
                    }
                    _ => body.push_str(&escape(text)),
                }
            }
            body.push_str(&"</div>".repeat(depth));
            let document = xhtml(&page(&body));
            prop_assert_eq!(fault_count(&document), 0, "{:#?}", document.diagnostics());
            prop_assert_eq!(document.links().len(), links);
        }
    }

    fn fault_count(document: &Document) -> usize {
        document
            .diagnostics()
            .iter()
            .filter(|d| d.code() == Code::XmlNotWellFormed)
            .count()
    }
}

#[test]
fn a_second_byte_order_mark_is_content_not_a_shift_of_every_offset() {
    // Found by the xhtml_extract fuzz target: a UTF-16LE BOM, then U+FEFF twice, U+1101, U+0000.
    let bytes = [0xff, 0xfe, 0xff, 0xfe, 0xff, 0xfe, 0x01, 0x11, 0x00, 0x00];
    let doc = micropay_markup::Extractor::new()
        .syntax(micropay_markup::Syntax::Xhtml)
        .extract(&bytes)
        .unwrap();
    let faults: Vec<_> = doc
        .diagnostics()
        .iter()
        .filter(|d| d.code() == micropay_markup::Code::XmlNotWellFormed)
        .collect();
    assert_eq!(faults.len(), 1, "{:?}", doc.diagnostics());
    assert!(doc.links().is_empty());
}
