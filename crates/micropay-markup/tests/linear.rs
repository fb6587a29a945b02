//! Hostile input costs work linear in its length: for every shape that once made the parsers
//! quadratic (deep nesting of each kind of element html5ever's tree builder scopes, tags with
//! many attributes distinct or repeated, XHTML entity chains and fan-out), the work a page
//! costs, counted step by step (`work_support`, never a clock), stays under a constant per
//! byte. The limits of P-1.8 and the expansion budget of P-1.7 are what make that constant;
//! without the limits the same pages cost thousands of steps per byte.

use std::fmt::Write;

use micropay_markup::work_support::{self, Work};
use micropay_markup::{Code, Extractor, Syntax, Url};
use proptest::prelude::*;

/// The most steps a byte of HTML may cost. A token is at least 3 bytes (`<a>`); it costs a
/// few walks of the stack of open elements, which P-1.8 keeps at most 256 deep, a depth check
/// as long, and attribute comparisons with at most the 1,024 names a tag may keep. What
/// ordinary pages cost is far below (see `an_ordinary_page_costs_few_steps_per_byte`).
const HTML_STEPS_PER_BYTE: u64 = 400;

/// What the one tag that goes past the attribute limit may cost on top: html5ever's tokenizer
/// reads it to the end of the piece of input it was given (at most 32 KiB, `html/mod.rs`)
/// before the driver looks, comparing each name with every one kept: at most 16 Ki names
/// (two bytes each), each with at most 16 Ki others. A constant: reading stops there.
const ONE_TAG_PAST_THE_LIMIT: u64 = 1 << 28;

/// The most steps a byte of XHTML may cost, beyond the expansion budget (which a page of a
/// few bytes can spend whole, and no more).
const XHTML_STEPS_PER_BYTE: u64 = 16;

/// The expansion budget of P-1.7 (4 Mi characters, `xhtml/entities.rs`).
const EXPANSION_BUDGET: u64 = 1 << 22;

const LINK: &str = "<object><param name=price value=1USD><param name=textlink value=t></object>";

fn html_bound(page: &str) -> u64 {
    HTML_STEPS_PER_BYTE * page.len() as u64
}

/// The work of an HTML page, checked against the bound; returns it.
fn html_work(page: &str, what: &str) -> Work {
    let (_, work) = work_support::html(page);
    assert!(
        work.total() <= html_bound(page),
        "{what}: {} steps for {} bytes ({} per byte): {work:?}",
        work.total(),
        page.len(),
        work.total() / page.len() as u64
    );
    work
}

fn xhtml_work(page: &str, what: &str) -> Work {
    let (_, work) = work_support::xhtml(page);
    let bound = XHTML_STEPS_PER_BYTE * page.len() as u64 + EXPANSION_BUDGET;
    assert!(
        work.total() <= bound,
        "{what}: {} steps for {} bytes: {work:?}",
        work.total(),
        page.len()
    );
    work
}

/// Start tags that nest, one per kind of element the tree builder treats its own way in a
/// scope check, an implied end tag, a list item, a table, a select, the adoption agency, a
/// marker of the list of active formatting elements, a template, foreign content.
const NESTING: &[&str] = &[
    "<div>",
    "<span>",
    "<dl><dd>",
    "<dl><dt>",
    "<dd>",
    "<ul><li>",
    "<ol><li><div>",
    "<li>",
    "<p>",
    "<p><span>",
    "<button>",
    "<button><div>",
    "<select><option>",
    "<option>",
    "<optgroup>",
    "<select><optgroup><option>",
    "<table><tr><td>",
    "<table><tbody><tr><th>",
    "<table><caption>",
    "<table><td><div>",
    "<table><div>",
    "<table><b>",
    "<b>",
    "<i>",
    "<b><i><u><s>",
    "<a>",
    "<a><div>",
    "<a href=x><p>",
    "<b><p>",
    "<b><div>",
    "<nobr>",
    "<nobr><div>",
    "<font color=red>",
    "<em><strong><code>",
    "<object>",
    "<applet>",
    "<marquee>",
    "<object><b>",
    "<template>",
    "<template><div>",
    "<svg><g>",
    "<math><mi>",
    "<svg><foreignObject><div>",
    "<math><annotation-xml encoding=text/html><div>",
    "<blockquote>",
    "<h1>",
    "<form><fieldset>",
    "<ruby><rb>",
    "<center><address><article>",
];

/// What follows the nesting in the deepest page within the limits: tokens each of which makes
/// the tree builder walk the stack (an end tag with no open element of its name, an element
/// whose start tag closes a `p` or a list item, formatting elements to reconstruct).
const AT_DEPTH: &[&str] = &[
    "<div></div>",
    "</p>",
    "</li>",
    "</dd>",
    "</b>",
    "</a>",
    "</span>",
    "</table>",
    "</td>",
    "</option>",
    "</select>",
    "</button>",
    "</template>",
    "</h1>",
    "</form>",
    "<p>x",
    "<li>",
    "<dd>",
    "<b>x</b>",
    "<a>x</a>",
    "<b><p>x</b>",
    "<option>",
    "x",
];

/// How deep one `unit` goes (elements it opens: its start tags).
fn depth_of(unit: &str) -> usize {
    unit.matches('<').count()
}

#[test]
fn deep_nesting_of_every_kind_costs_a_constant_per_byte() {
    for unit in NESTING {
        // Past the limit (the page stops there), in three sizes.
        for n in [1_000, 4_000, 16_000] {
            html_work(&format!("{LINK}{}", unit.repeat(n)), unit);
        }
        // As deep as the limits allow, then many tokens at that depth.
        let prefix = unit.repeat(250 / depth_of(unit));
        for filler in AT_DEPTH {
            let page = format!("{prefix}{}{LINK}", filler.repeat(100));
            html_work(&page, &format!("{unit} then {filler}"));
        }
    }
}

/// The counters measure what the limits prevent: without them, nesting costs its square.
#[test]
fn without_the_limits_nesting_costs_its_square() {
    let page = format!("{}{LINK}", "<div>".repeat(6_000));
    let (_, work) = work_support::html_unlimited(&page);
    assert!(work.total() > 3 * html_bound(&page), "{work:?}");
    let (_, limited) = work_support::html(&page);
    assert!(limited.total() * 100 < work.total(), "{limited:?}");
}

#[test]
fn an_ordinary_page_costs_few_steps_per_byte() {
    let page = ordinary_page(200_000);
    let (nodes, work) = work_support::html(&page);
    assert!(nodes.is_ok());
    assert!(work.total() < 10 * page.len() as u64, "{work:?}");
}

/// A page as pages are: headings, paragraphs, lists, a table, links and a per-fee-link, in
/// sections, to about `size` bytes.
fn ordinary_page(size: usize) -> String {
    let section = "<section><h2>Heading</h2><p>Some <b>bold</b> and <i>italic</i> text with \
        <a href=\"/x\">a link</a>.</p><ul><li>one</li><li>two</li></ul><table><tr><td>1</td>\
        <td>2</td></tr></table><div class=\"note\"><p>More text.</p></div></section>\n";
    let mut page = String::from("<!DOCTYPE html><html><head><title>t</title></head><body>");
    while page.len() < size {
        page.push_str(section);
        page.push_str(LINK);
    }
    page.push_str("</body></html>");
    page
}

/// `n` distinct attribute names, each ` ` `prefix` and a number.
fn names(prefix: &str, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        write!(out, " {prefix}{i}").unwrap();
    }
    out
}

#[test]
fn attributes_cost_a_constant_per_byte() {
    for (what, page) in [
        (
            "distinct, past the limit",
            format!("<object{}>{LINK}", names("a", 200_000)),
        ),
        (
            "distinct, at the limit",
            format!("{}{LINK}", format!("<p{}>", names("a", 1024)).repeat(50)),
        ),
        (
            "distinct, in an end tag",
            format!("{LINK}</p{}>", names("a", 200_000)),
        ),
        // Each repeat is compared with every name kept (the last one kept is repeated).
        (
            "repeated",
            format!("<p{}{}>{LINK}", names("a", 1023), " a1022".repeat(200_000)),
        ),
        (
            "repeated, one name",
            format!("<p{}>{LINK}", " a".repeat(500_000)),
        ),
        (
            "repeated, in a carrier",
            format!(
                "<object{}{}>{LINK}",
                names("a", 1000),
                " a999=1".repeat(100_000)
            ),
        ),
        ("many tags", "<p a b c d e f g>".repeat(50_000)),
    ] {
        html_work(&page, what);
    }
}

/// An internal DTD subset declaring `entities` and a root element whose content is `body`.
fn xhtml_page(entities: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><!DOCTYPE html [{entities}]>\
         <html xmlns=\"http://www.w3.org/1999/xhtml\"><body>{body}\
         <object><param name=\"price\" value=\"1USD\"/><param name=\"textlink\" value=\"t\"/>\
         </object></body></html>"
    )
}

/// A chain: `e0` is `x`, each `e{i}` is `x` and a reference to `e{i-1}`.
fn chain(n: usize) -> String {
    let mut out = String::from("<!ENTITY e0 \"x\">");
    for i in 1..n {
        write!(out, "<!ENTITY e{i} \"x&e{};\">", i - 1).unwrap();
    }
    out
}

/// Fan-out: `f0` is `x`, each `f{i}` refers to `f{i-1}` `width` times.
fn fan_out(levels: usize, width: usize) -> String {
    let mut out = String::from("<!ENTITY f0 \"x\">");
    for i in 1..levels {
        write!(
            out,
            "<!ENTITY f{i} \"{}\">",
            format!("&f{};", i - 1).repeat(width)
        )
        .unwrap();
    }
    out
}

#[test]
fn entity_expansion_costs_a_constant_per_byte_and_the_budget() {
    let last = |n: usize| format!("&e{};", n - 1);
    for (what, page) in [
        (
            "a chain used many times",
            xhtml_page(&chain(5_000), &last(5_000).repeat(1_000)),
        ),
        (
            "a chain used in attributes",
            xhtml_page(
                &chain(5_000),
                &format!("<p title=\"{}\"/>", last(5_000)).repeat(1_000),
            ),
        ),
        (
            "a long chain used once",
            xhtml_page(&chain(50_000), &last(50_000)),
        ),
        ("fan-out", xhtml_page(&fan_out(40, 10), "&f39;")),
        ("wide fan-out", xhtml_page(&fan_out(3, 10_000), "&f2;")),
        (
            "empty entities",
            xhtml_page(
                &format!("<!ENTITY z \"\"><!ENTITY y \"{}\">", "&z;".repeat(100_000)),
                &"&y;".repeat(100_000),
            ),
        ),
    ] {
        xhtml_work(&page, what);
    }
}

/// The pages of the issue that found the parsers quadratic (in CPU seconds then: more than
/// 30, 27, 12.6, more than 30): each gets its diagnostic, no links, and costs at most the
/// constant per byte.
#[test]
fn the_pages_that_stalled_the_parsers() {
    let html = |page: &str| {
        Extractor::new()
            .document_url(Url::parse("https://merchant.example/p").unwrap())
            .syntax(Syntax::Html)
            .extract(page.as_bytes())
            .unwrap()
    };
    for (page, code) in [
        (
            format!("{LINK}{}", "<dl><dd>".repeat(60_000)),
            Code::NestingTooDeep,
        ),
        (
            format!("{}{LINK}", "<div>".repeat(100_000)),
            Code::NestingTooDeep,
        ),
        (
            format!("<object{}>{LINK}", names("a", 200_000)),
            Code::TooManyAttributes,
        ),
    ] {
        let doc = html(&page);
        let codes: Vec<Code> = doc
            .diagnostics()
            .iter()
            .map(micropay_markup::Diagnostic::code)
            .collect();
        assert_eq!(
            (codes, doc.links().len()),
            (vec![code], 0),
            "{}",
            &page[..40]
        );
        html_work(&page, &page[..40]);
    }
    let page = xhtml_page(&chain(5_000), &"&e4999;".repeat(1_000));
    let doc = Extractor::new()
        .syntax(Syntax::Xhtml)
        .extract(page.as_bytes())
        .unwrap();
    let codes: Vec<Code> = doc
        .diagnostics()
        .iter()
        .map(micropay_markup::Diagnostic::code)
        .collect();
    assert_eq!(
        (codes, doc.links().len()),
        (vec![Code::XmlNotWellFormed], 0)
    );
    assert!(doc.diagnostics()[0].message().contains("limit"));
    xhtml_work(&page, "the entity chain");
}

/// Tokens the tree builder handles each its own way.
fn soup_token() -> impl Strategy<Value = &'static str> {
    let mut tokens: Vec<&'static str> = NESTING.to_vec();
    tokens.extend_from_slice(AT_DEPTH);
    tokens.extend_from_slice(&[
        "</div>",
        "</ul>",
        "</dl>",
        "</tr>",
        "</object>",
        "</marquee>",
        "</svg>",
        "</math>",
        "<tr>",
        "<td>",
        "<th>",
        "<tbody>",
        "<col>",
        "<html>",
        "<body>",
        "<frameset>",
        "<hr>",
        "<br>",
        "</br>",
        "<image>",
        "<input type=hidden>",
        "<textarea>x</textarea>",
        "<noscript>",
        "<plaintext>",
        "<isindex>",
        "<caption>",
        "<colgroup>",
        "<frame>",
        "<head>",
        "</body>",
        "</html>",
        "<selectedcontent>",
        "<param>",
    ]);
    prop::sample::select(tokens)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any mix of those tokens, repeated in runs: a constant per byte.
    #[test]
    fn any_mix_of_scoped_tokens_costs_a_constant_per_byte(
        runs in prop::collection::vec((soup_token(), 1usize..400), 1..40),
    ) {
        let page: String = runs.iter().map(|(t, n)| t.repeat(*n)).collect();
        let (_, work) = work_support::html(&page);
        prop_assert!(work.total() <= html_bound(&page), "{:?} for {:?}", work, runs);
    }

    /// Any tag of distinct and repeated names: a constant per byte.
    #[test]
    fn any_tag_of_many_attributes_costs_a_constant_per_byte(
        distinct in 0usize..3_000,
        repeats in 0usize..20_000,
        repeated in 0usize..3_000,
        end_tag in any::<bool>(),
        carrier in any::<bool>(),
    ) {
        let name = if carrier { "object" } else { "p" };
        let slash = if end_tag { "/" } else { "" };
        let again = format!(" a{}", repeated.min(distinct.saturating_sub(1)));
        let page = format!(
            "<{slash}{name}{}{}>{LINK}",
            names("a", distinct),
            again.repeat(repeats)
        );
        let (_, work) = work_support::html(&page);
        prop_assert!(work.total() <= html_bound(&page) + ONE_TAG_PAST_THE_LIMIT, "{:?}", work);
    }

    /// Any chain or fan-out of entities, used any number of times: a constant per byte and
    /// the budget.
    #[test]
    fn any_entity_graph_costs_a_constant_per_byte_and_the_budget(
        levels in 1usize..2_000,
        width in 1usize..50,
        uses in 1usize..2_000,
        in_attribute in any::<bool>(),
    ) {
        let declarations = if width == 1 { chain(levels) } else { fan_out(levels.min(30), width) };
        let top = if width == 1 { format!("&e{};", levels - 1) } else { format!("&f{};", levels.min(30) - 1) };
        let body = if in_attribute {
            format!("<p title=\"{top}\"/>").repeat(uses)
        } else {
            top.repeat(uses)
        };
        let page = xhtml_page(&declarations, &body);
        let (_, work) = work_support::xhtml(&page);
        let bound = XHTML_STEPS_PER_BYTE * page.len() as u64 + EXPANSION_BUDGET;
        prop_assert!(work.total() <= bound, "{:?}", work);
    }
}
