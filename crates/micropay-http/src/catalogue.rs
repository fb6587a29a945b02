//! The merchant's catalogue: which URLs of the site are priced, by which offers, and the
//! 402 page of each.
//!
//! Every valid per-fee-link of the merchant's own pages whose resolved `requesturl` lies on
//! the site prices that URL (P-9: invalid links make no offer). The offer is known twice:
//! as found on the page that links to it (its document URL is that page's: what a wallet
//! buying from the page signs), and as found on the URL's own 402 page, which holds the
//! link's canonical markup (`micropay_markup::render`) and is served at the URL (its
//! document URL is the URL: what a wallet that fetched the URL first signs). Both are
//! offers of this URL and of no other: a token is checked against the offers of the URL
//! it is sent to, so a token bought for a cheaper URL never unlocks a dearer one.

use std::collections::{BTreeMap, HashMap, HashSet};

use micropay_markup::{Document, Extractor, LinkDescription, PerFeeLink};
use micropay_wallet::{Offer, OfferDigest, Verifier};
use serde_json::Value;
use url::Url;

/// What one priced URL is sold by.
#[derive(Debug)]
pub(crate) struct Priced {
    /// The offers a token for this URL may name: those of the pages and of the 402 page.
    pub(crate) accepted: HashSet<OfferDigest>,
    /// What a receipt for this URL may cover: the offers' scopes (`buyid`, else the URL).
    pub(crate) scopes: HashSet<Url>,
    /// The offers of the 402 page, in its order: one challenge each.
    pub(crate) challenges: Vec<OfferDigest>,
    /// The links of the 402 page as `extract` prints them (problem+json `offers`).
    pub(crate) links: Vec<Value>,
    /// The 402 page.
    pub(crate) html: String,
}

/// The links found on the site's pages, by the URL they price, before the 402 pages exist.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    by_url: BTreeMap<String, Vec<(Offer, LinkDescription)>>,
}

/// The URL as the catalogue keys it: without its fragment.
pub(crate) fn key(url: &Url) -> String {
    let mut url = url.clone();
    url.set_fragment(None);
    url.into()
}

/// Whether `url` lies on the site at `site`: same origin, path under the site's path.
pub(crate) fn on_site(url: &Url, site: &Url) -> bool {
    url.origin() == site.origin() && url.path().starts_with(site.path())
}

impl Collected {
    /// Publishes the valid links of a page of the site in `verifier` and keeps those that
    /// price a URL of the site. Returns how many links priced a URL.
    pub(crate) fn page(
        &mut self,
        verifier: &mut Verifier,
        document: &Document,
        document_url: &Url,
        site: &Url,
    ) -> usize {
        let mut priced = 0;
        for link in document.links() {
            let Ok(offer) = Offer::from_link(link, document_url) else {
                continue;
            };
            if !on_site(&offer.fields().requesturl, site) {
                continue;
            }
            let Some(description) = describe(link) else {
                continue;
            };
            verifier.publish(offer.clone());
            priced += 1;
            self.by_url
                .entry(key(&offer.fields().requesturl))
                .or_default()
                .push((offer, description));
        }
        priced
    }

    /// The 402 page of every priced URL, its offers published in `verifier`.
    pub(crate) fn finish(self, verifier: &mut Verifier) -> HashMap<String, Priced> {
        let mut catalogue = HashMap::new();
        for (url_key, offers) in self.by_url {
            let Ok(url) = Url::parse(&url_key) else {
                continue;
            };
            let mut seen = HashSet::new();
            let markup: Vec<String> = offers
                .iter()
                .map(|(_, description)| micropay_markup::render(description))
                .filter(|m| seen.insert(m.clone()))
                .collect();
            let html = page_402(&markup, &offers[0].0);
            let mut priced = Priced {
                accepted: offers.iter().map(|(offer, _)| offer.digest()).collect(),
                scopes: offers.iter().map(|(o, _)| o.scope().clone()).collect(),
                challenges: Vec::new(),
                links: Vec::new(),
                html,
            };
            // The 402 page is served at the URL: its links' document URL is the URL.
            if let Ok(document) = Extractor::new()
                .document_url(url.clone())
                .extract_str(&priced.html)
            {
                for link in document.links() {
                    let Ok(offer) = Offer::from_link(link, &url) else {
                        continue;
                    };
                    priced.accepted.insert(offer.digest());
                    priced.scopes.insert(offer.scope().clone());
                    priced.challenges.push(offer.digest());
                    priced
                        .links
                        .push(serde_json::to_value(link).unwrap_or(Value::Null));
                    verifier.publish(offer);
                }
            }
            catalogue.insert(url_key, priced);
        }
        catalogue
    }
}

/// The link's description for `render`: its JSON as `extract` prints it, read back.
fn describe(link: &PerFeeLink) -> Option<LinkDescription> {
    serde_json::to_value(link)
        .ok()
        .and_then(|json| serde_json::from_value(json).ok())
}

/// The HTML 402 page: the canonical markup of each offer (with its fallback link) and the
/// price in words for a reader without a wallet.
fn page_402(markup: &[String], first: &Offer) -> String {
    let fields = first.fields();
    let what = escape(&fields.textlink);
    let price = escape(&fields.price.to_string());
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Payment required: {what}</title>\n</head>\n<body>\n\
         <h1>Payment required</h1>\n<p>{what} costs {price}. \
         A micropayment wallet buys it from the link below.</p>\n"
    );
    for m in markup {
        page.push_str(m);
    }
    page.push_str("</body>\n</html>\n");
    page
}

/// Text for HTML content.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
