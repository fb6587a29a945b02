//! Render then extract: any description that loads renders to markup whose extraction gives
//! the very same link, with no error-level diagnostic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use micropay_markup::{Extractor, LinkUrl, Severity};
use micropay_markup::{LinkDescription, render};
use serde_json::{Value, json};

const PRICES: &[&str] = &["0.01USD", "+4.250E0EUR", "1E-3JPY", ".5GBP", "0FRF", "7XTS"];
const URLS: &[&str] = &[
    "https://merchant.example/a/b.html",
    "http://Merchant.Example:80/x?q=1&r=2#f",
    "https://xn--bcher-kva.example/\u{e9}",
    "urn:isbn:0451450523",
    "relative/path.html",
];
const SYSTEMS: &[&str] = &[
    "https://ps.example/",
    "https://ps.example/ acct=1 & more",
    "urn:x:y",
];
const TEXTS: &[&str] = &[
    "Today's cartoon",
    "a & b < c > \"d\"",
    "  padded  ",
    "\u{a0}nbsp",
    "é€😀",
];

/// A seed value, or raw fuzzer text.
#[derive(Arbitrary, Debug)]
struct Pick(u8, String);

impl Pick {
    fn from(&self, seeds: &[&str]) -> String {
        if self.0 % 2 == 0 {
            seeds[usize::from(self.0 / 2) % seeds.len()].to_owned()
        } else {
            self.1.clone()
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    price: Pick,
    textlink: Pick,
    requesturl: Pick,
    paymentsystems: Vec<Pick>,
    optional_texts: [Option<Pick>; 10],
    optional_urls: [Option<Pick>; 4],
    duration: Option<u64>,
    expiration: Option<Pick>,
    extensions: Vec<(String, Pick)>,
}

fn description(input: &Input) -> Value {
    let text = |i: usize| input.optional_texts[i].as_ref().map(|p| p.from(TEXTS));
    let url = |i: usize| input.optional_urls[i].as_ref().map(|p| p.from(URLS));
    json!({
        "price": input.price.from(PRICES),
        "textlink": input.textlink.from(TEXTS),
        "requesturl": input.requesturl.from(URLS),
        "paymentsystems": input.paymentsystems.iter().take(4).map(|p| p.from(SYSTEMS)).collect::<Vec<_>>(),
        "title": text(0), "merchantname": text(1), "target": text(2), "hreflang": text(3),
        "type": text(4), "accesskey": text(5), "charset": text(6), "extdata": text(7),
        "extdataparam": text(8),
        "imagelink": url(0), "buyid": url(1), "baseurl": url(2), "longdesc": url(3),
        "duration": input.duration,
        "expiration": input.expiration.as_ref().map(|p| p.from(&["1999-12-31", "2026-11-22T10:00:00.5+01:00"])),
        "extensions": input.extensions.iter().take(3).map(|(n, v)| json!([n, v.from(TEXTS)])).collect::<Vec<_>>(),
    })
}

fn url_of(link: Option<&LinkUrl>) -> Option<&str> {
    link.and_then(LinkUrl::as_url).map(url::Url::as_str)
}

fuzz_target!(|input: Input| {
    let Ok(d) = serde_json::from_value::<LinkDescription>(description(&input)) else {
        return;
    };
    let markup = render(&d);
    let doc = Extractor::new()
        .extract_str(&markup)
        .expect("in-memory extraction does not fail");
    let errors: Vec<_> = doc
        .diagnostics()
        .iter()
        .filter(|x| x.severity() == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{markup}\n{errors:#?}");
    let [link] = doc.links() else {
        panic!("one link expected from {markup}");
    };
    assert_eq!(link.price(), Some(d.price()), "{markup}");
    assert_eq!(link.textlink(), Some(d.textlink()), "{markup}");
    assert_eq!(
        url_of(link.requesturl()),
        Some(d.requesturl().as_str()),
        "{markup}"
    );
    assert_eq!(link.paymentsystems(), d.paymentsystems(), "{markup}");
    assert_eq!(link.title(), d.title(), "{markup}");
    assert_eq!(link.merchantname(), d.merchantname(), "{markup}");
    assert_eq!(
        url_of(link.imagelink()),
        d.imagelink().map(url::Url::as_str),
        "{markup}"
    );
    assert_eq!(
        url_of(link.buyid()),
        d.buyid().map(url::Url::as_str),
        "{markup}"
    );
    assert_eq!(
        url_of(link.baseurl()),
        d.baseurl().map(url::Url::as_str),
        "{markup}"
    );
    assert_eq!(
        url_of(link.longdesc()),
        d.longdesc().map(url::Url::as_str),
        "{markup}"
    );
    assert_eq!(link.duration(), d.duration(), "{markup}");
    assert_eq!(link.expiration(), d.expiration(), "{markup}");
    assert_eq!(link.target(), d.target(), "{markup}");
    assert_eq!(link.hreflang(), d.hreflang(), "{markup}");
    assert_eq!(link.type_(), d.type_(), "{markup}");
    assert_eq!(link.accesskey(), d.accesskey(), "{markup}");
    assert_eq!(link.charset(), d.charset(), "{markup}");
    assert_eq!(link.extdata(), d.extdata(), "{markup}");
    assert_eq!(link.extdataparam(), d.extdataparam(), "{markup}");
    assert_eq!(link.extensions(), d.extensions(), "{markup}");
});
