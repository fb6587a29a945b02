//! P-1.7: the same per-fee-link page written as HTML and as XHTML gives the same links and the
//! same findings. Each pair under `spec-fixtures/pairs/` is `NAME.html` and `NAME.xhtml`, laid
//! out line for line so that every element that positions are reported for starts at the same
//! line and column in both; positions are therefore compared too.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use micropay_markup::{Code, Document, Extractor, Syntax};
use serde_json::Value;

fn pairs_dir() -> PathBuf {
    // tests/pages is the repository's spec-fixtures/, whose pages the package carries.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages/pairs")
}

/// Every pair: name -> (html path, xhtml path).
fn pairs() -> BTreeMap<String, (PathBuf, PathBuf)> {
    let mut found = BTreeMap::new();
    for entry in fs::read_dir(pairs_dir()).expect("spec-fixtures/pairs exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("html") {
            let twin = path.with_extension("xhtml");
            assert!(twin.exists(), "{} has no XHTML twin", path.display());
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            found.insert(name, (path, twin));
        }
    }
    for entry in fs::read_dir(pairs_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("xhtml") {
            assert!(
                path.with_extension("html").exists(),
                "{} has no HTML twin",
                path.display()
            );
        }
    }
    found
}

fn extract(path: &Path, syntax: Syntax, name: &str) -> Document {
    let url = format!("https://merchant.example/pages/{name}.html");
    Extractor::new()
        .syntax(syntax)
        .document_url(url.parse().unwrap())
        .extract(&fs::read(path).unwrap())
        .unwrap()
}

/// One finding: code, link, field, line, column.
type Finding = (String, Option<usize>, Option<String>, u32, u32);

/// The findings of a document, sorted: their multiset with positions.
fn findings(document: &Document) -> Vec<Finding> {
    let mut all: Vec<_> = document
        .diagnostics()
        .iter()
        .map(|d| {
            (
                d.code().as_str().to_owned(),
                d.link(),
                d.field().map(str::to_owned),
                d.line(),
                d.column(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn there_are_enough_pairs() {
    assert!(pairs().len() >= 8, "{:?}", pairs().keys());
}

#[test]
fn html_and_xhtml_twins_agree() {
    for (name, (html_path, xhtml_path)) in pairs() {
        let html = extract(&html_path, Syntax::Html, &name);
        let xhtml = extract(&xhtml_path, Syntax::Xhtml, &name);
        assert!(
            !xhtml
                .diagnostics()
                .iter()
                .any(|d| d.code() == Code::XmlNotWellFormed),
            "{name}.xhtml is not well-formed: {:#?}",
            xhtml.diagnostics()
        );
        assert_eq!(html.encoding(), xhtml.encoding(), "{name}: encodings");
        // Links: equal field for field, positions included.
        let html_links = serde_json::to_value(html.links()).unwrap();
        let xhtml_links = serde_json::to_value(xhtml.links()).unwrap();
        assert_eq!(html_links, xhtml_links, "{name}: links differ");
        // Findings: the same (code, link, field) multiset, at the same places.
        let (h, x) = (findings(&html), findings(&xhtml));
        let strip = |v: &[Finding]| {
            v.iter()
                .map(|(c, l, f, _, _)| (c.clone(), *l, f.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&h), strip(&x), "{name}: findings differ");
        assert_eq!(h, x, "{name}: positions of findings differ");
        // Not vacuous: every pair says something.
        assert!(
            html_links.as_array().is_some_and(|a| !a.is_empty()) || !h.is_empty(),
            "{name}: nothing to compare"
        );
    }
}

/// What the pairs are meant to show, so that a change to a fixture that makes both twins
/// agree on nothing is noticed.
#[test]
fn the_pairs_cover_what_they_are_named_for() {
    let check = |name: &str, expect: &dyn Fn(&Document, &[Value])| {
        let (_, xhtml_path) = &pairs()[name];
        let document = extract(xhtml_path, Syntax::Xhtml, name);
        let links = serde_json::to_value(document.links()).unwrap();
        expect(&document, links.as_array().unwrap());
    };
    let has = |d: &Document, code: Code| d.diagnostics().iter().any(|x| x.code() == code);
    check("cartoon-1999", &|d, links| {
        assert_eq!(d.encoding(), "windows-1252");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0]["merchantname"], "Caf\u{e9} Cartoons S.A.");
        assert_eq!(
            (links[0]["line"].as_u64(), links[0]["column"].as_u64()),
            (Some(10), Some(1))
        );
    });
    check("modern-article", &|_, links| {
        assert_eq!(links.len(), 2);
        assert_eq!(
            links[0]["requesturl"],
            "https://merchant.example/articles/per-fee-link/full.html?ref=teaser&format=html"
        );
        assert_eq!(links[0]["extensions"][0][0], "x-campaign");
    });
    check("nested-links", &|d, links| {
        assert_eq!(links.len(), 2);
        assert!(has(d, Code::NestedPerFeeLink));
    });
    check("misplaced-params", &|d, links| {
        assert_eq!(links.len(), 1);
        let misplaced = d
            .diagnostics()
            .iter()
            .filter(|x| x.code() == Code::MisplacedParam)
            .count();
        assert_eq!(misplaced, 3);
    });
    check("aliases", &|d, _| {
        assert!(has(d, Code::AliasFieldName));
        assert!(has(d, Code::LegacyPaymentsystemName));
    });
    check("invalid-values", &|d, links| {
        assert_eq!(links.len(), 2);
        assert!(links.iter().all(|l| l["valid"] == false));
        assert!(has(d, Code::DuplicateField));
    });
    check("applet-legacy", &|_, links| {
        assert_eq!(links.len(), 2);
        assert_eq!(links[0]["element"], "applet");
    });
    check("svg-foreign", &|d, links| {
        assert_eq!(links.len(), 1);
        assert_eq!(links[0]["line"], 11);
        assert!(!has(d, Code::MisplacedParam), "a param in SVG is not HTML");
    });
    check("entities", &|_, links| {
        assert_eq!(links[0]["textlink"], "Caf\u{e9} cr\u{e8}me & croissant");
        assert_eq!(
            links[0]["title"],
            "Le petit d\u{e9}jeuner\u{a0}\u{2013} 1,20\u{a0}\u{20ac}"
        );
    });
}
