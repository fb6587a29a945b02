//! The baselines extraction is compared with, shared by `extract.rs`, `memory.rs` and `once.rs`.

#![allow(dead_code)] // each user takes part of it

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::RcDom;
use scraper::{ElementRef, Html, Selector};

use crate::corpus;

/// The encoding of the charset the page is served with (ISO-8859-1 is windows-1252 to a
/// browser).
pub fn encoding(page: &corpus::Page) -> &'static encoding_rs::Encoding {
    encoding_rs::Encoding::for_label(page.charset.as_bytes()).expect("a known charset")
}

/// The text a browser decodes from the page (the floors and `scraper-naive` start from it).
pub fn decoded(page: &corpus::Page) -> String {
    encoding(page)
        .decode_without_bom_handling(&page.bytes)
        .0
        .into_owned()
}

/// The floor: a bare parse into the standard tree, as browsers build it (scripting on).
pub fn floor_rcdom(text: &str) -> RcDom {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: true,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    parse_document(RcDom::default(), opts).one(text)
}

/// A per-fee-link as a naive extractor sees it: the params of a carrier and its fallback href.
pub struct NaiveLink {
    pub params: Vec<(String, String)>,
    pub fallback_href: Option<String>,
}

pub struct Naive {
    carriers: Selector,
    link: Selector,
}

impl Naive {
    pub fn new() -> Self {
        Naive {
            carriers: Selector::parse("object, applet").expect("a valid selector"),
            link: Selector::parse("a[href]").expect("a valid selector"),
        }
    }

    /// `scraper-bytes`: the naive way from the bytes as served, as micropay is given them:
    /// decoded by encoding_rs with the charset the server declared (for UTF-8, a validation
    /// that borrows the bytes), then [`Naive::extract`]. scraper takes only text, so this is
    /// the least a user must write to extract from a page in any charset.
    pub fn extract_bytes(
        &self,
        bytes: &[u8],
        charset: &'static encoding_rs::Encoding,
    ) -> Vec<NaiveLink> {
        self.extract(&charset.decode(bytes).0)
    }

    /// `scraper-naive`: the naive way from the decoded text.
    pub fn extract(&self, text: &str) -> Vec<NaiveLink> {
        let html = Html::parse_document(text);
        let core = ["price", "textlink", "requesturl", "paymentsystem"];
        html.select(&self.carriers)
            .filter_map(|carrier| {
                let params: Vec<(String, String)> = carrier
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|child| child.value().name() == "param")
                    .filter_map(|param| {
                        let name = param.attr("name")?.to_ascii_lowercase();
                        let value = param.attr("value").unwrap_or("").trim().to_owned();
                        Some((name, value))
                    })
                    .collect();
                params
                    .iter()
                    .any(|(name, _)| core.contains(&name.as_str()))
                    .then(|| NaiveLink {
                        fallback_href: carrier
                            .select(&self.link)
                            .next()
                            .and_then(|a| a.attr("href"))
                            .map(str::to_owned),
                        params,
                    })
            })
            .collect()
    }
}
