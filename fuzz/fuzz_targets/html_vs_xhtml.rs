//! Differential: one structured page written as HTML and as XHTML must give the same links and
//! the same findings (P-1.6 and P-1.7 apply the same rules), whatever the structure.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use micropay_markup::{Extractor, Syntax, Url};

const FIELDS: &[&str] = &[
    "price",
    "textlink",
    "requesturl",
    "paymentsystem",
    "title",
    "imagelink",
    "buyid",
    "buyurl",
    "baseurl",
    "longdesc",
    "merchantname",
    "duration",
    "expiration",
    "target",
    "hreflang",
    "type",
    "accesskey",
    "charset",
    "extdata",
    "mp1.mpname",
    "Price",
    "prise",
    "x-colour",
];

const VALUES: &[&str] = &[
    "0.01USD",
    "1 USD",
    "-1USD",
    "0FRF",
    "Today's cartoon",
    "cartoon.html",
    "javascript:x()",
    "https://ps.example/ acct=1",
    "https://ps.example/",
    "3600",
    "1999-12-31",
    "_blank",
    "en-GB",
    "text/html",
    "k",
    "utf-8",
    "",
    "$5",
    "https://merchant.example/dir/",
    "../up.html",
];

#[derive(Arbitrary, Debug)]
enum Node {
    Text(u8, String),
    Span(Vec<Node>),
    Div(Vec<Node>),
    Object {
        params: Vec<(u8, u8, Option<String>)>,
        fallback: Vec<Node>,
        href: Option<u8>,
    },
    Param(u8, u8),
}

/// Characters both syntaxes read the same way in text and in attribute values.
fn clean(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(40) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn write(node: &Node, xml: bool, depth: usize, out: &mut String) {
    if depth > 12 {
        return;
    }
    let end = if xml { "/>" } else { ">" };
    match node {
        Node::Text(pick, text) => {
            out.push_str(&clean(VALUES[*pick as usize % VALUES.len()]));
            out.push_str(&clean(text));
        }
        Node::Span(children) | Node::Div(children) => {
            let tag = if matches!(node, Node::Span(_)) {
                "span"
            } else {
                "div"
            };
            out.push_str(&format!("<{tag}>"));
            for child in children.iter().take(8) {
                write(child, xml, depth + 1, out);
            }
            out.push_str(&format!("</{tag}>\n"));
        }
        Node::Object {
            params,
            fallback,
            href,
        } => {
            out.push_str("<object type=\"application/x-micropayment\">\n");
            for (name, value, extra) in params.iter().take(12) {
                let value = match extra {
                    Some(text) => clean(text),
                    None => clean(VALUES[*value as usize % VALUES.len()]),
                };
                out.push_str(&format!(
                    "<param name=\"{}\" value=\"{value}\"{end}\n",
                    FIELDS[*name as usize % FIELDS.len()]
                ));
            }
            if let Some(href) = href {
                out.push_str(&format!(
                    "<a href=\"{}\">buy</a>",
                    clean(VALUES[*href as usize % VALUES.len()])
                ));
            }
            for child in fallback.iter().take(4) {
                write(child, xml, depth + 1, out);
            }
            out.push_str("</object>\n");
        }
        Node::Param(name, value) => out.push_str(&format!(
            "<param name=\"{}\" value=\"{}\"{end}\n",
            FIELDS[*name as usize % FIELDS.len()],
            clean(VALUES[*value as usize % VALUES.len()])
        )),
    }
}

fn page(nodes: &[Node], xml: bool) -> String {
    let mut out = String::from(if xml {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
    } else {
        "<!DOCTYPE html>\n<html><meta charset=\"utf-8\"/>"
    });
    out.push_str("<head><title>t</title></head><body>\n");
    for node in nodes.iter().take(16) {
        write(node, xml, 0, &mut out);
    }
    out.push_str("</body></html>\n");
    out
}

fuzz_target!(|nodes: Vec<Node>| {
    let url = Url::parse("https://merchant.example/page").expect("a valid URL");
    let extract = |syntax, text: &str| {
        Extractor::new()
            .document_url(url.clone())
            .syntax(syntax)
            .extract(text.as_bytes())
            .expect("in-memory extraction does not fail")
    };
    let html = extract(Syntax::Html, &page(&nodes, false));
    let xhtml = extract(Syntax::Xhtml, &page(&nodes, true));
    let strip = |doc: &micropay_markup::Document| {
        let links: Vec<_> = doc
            .links()
            .iter()
            .map(|l| {
                let mut v = serde_json::to_value(l).expect("links serialise");
                v["line"] = serde_json::Value::Null;
                v["column"] = serde_json::Value::Null;
                v
            })
            .collect();
        let mut findings: Vec<_> = doc
            .diagnostics()
            .iter()
            .map(|d| (d.code(), d.link(), d.field().map(str::to_owned)))
            .collect();
        findings.sort();
        (links, findings)
    };
    assert_eq!(strip(&html), strip(&xhtml), "HTML and XHTML disagree");
});
