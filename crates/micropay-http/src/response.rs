//! What a response holds for the wallet: its problem details, its page, the offers of a 402.

use bytes::Bytes;
use micropay_markup::{Extractor, LinkDescription, Syntax};
use micropay_wallet::{MerchantOrigin, Offer};
use url::Url;

use crate::error::Error;
use crate::wire::{PROBLEM_JSON, Problem};

/// One response, read within the cap.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) url: Url,
    pub(crate) content_type: Option<String>,
    pub(crate) receipt: Option<String>,
    pub(crate) body: Bytes,
}

/// The problem details of a response, if its body is one.
pub(crate) fn problem_of(answer: &Answer) -> Option<Problem> {
    let json = answer
        .content_type
        .as_deref()
        .is_some_and(|t| media_type(t) == PROBLEM_JSON);
    json.then(|| serde_json::from_slice(&answer.body).ok())
        .flatten()
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The `charset` parameter of a `Content-Type` value.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// A page from a response: its HTTP charset is the transport charset (it beats
/// `<meta charset>`), XHTML when served as such.
pub(crate) fn extract(
    answer: &Answer,
    document_url: &Url,
) -> Result<micropay_markup::Document, Error> {
    let mut extractor = Extractor::new().document_url(document_url.clone());
    if let Some(content_type) = &answer.content_type {
        if let Some(label) = charset(content_type) {
            extractor = extractor.charset(label);
        }
        if media_type(content_type) == "application/xhtml+xml" {
            extractor = extractor.syntax(Syntax::Xhtml);
        }
    }
    Ok(extractor.extract(&answer.body)?)
}

/// The offers of a 402 of the merchant origin of `answer.url`: from its problem details
/// (each link object rendered to canonical markup and read back at the problem's
/// `document_url`, exactly as the 402 page serves it) or from its HTML page.
pub(crate) fn offers_of(answer: &Answer) -> Result<Vec<Offer>, Error> {
    let origin = MerchantOrigin::of(&answer.url);
    let mut offers = Vec::new();
    if let Some(problem) = problem_of(answer) {
        let document_url = problem
            .document_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
            .filter(|u| u.origin() == answer.url.origin())
            .unwrap_or_else(|| answer.url.clone());
        for object in problem.offers {
            let Ok(description) = serde_json::from_value::<LinkDescription>(object) else {
                continue;
            };
            let markup = micropay_markup::render(&description);
            let document = Extractor::new()
                .document_url(document_url.clone())
                .extract_str(&markup)?;
            offers.extend(
                document
                    .links()
                    .iter()
                    .filter_map(|l| Offer::from_link(l, &document_url).ok()),
            );
        }
    } else {
        let document = extract(answer, &answer.url)?;
        offers.extend(
            document
                .links()
                .iter()
                .filter_map(|l| Offer::from_link(l, &answer.url).ok()),
        );
    }
    offers.retain(|o| Some(o.merchant_origin()) == origin.as_ref());
    Ok(offers)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &[u8] = b"<object type=\"application/x-per-fee-link\">
<param name=\"price\" value=\"0.05USD\">
<param name=\"textlink\" value=\"Caf\xe9 story\">
<param name=\"requesturl\" value=\"story\">
<param name=\"paymentsystem\" value=\"https://pay.example/\">
<a href=\"story\">Caf\xe9 story</a></object>";

    fn answer(url: &str, content_type: &str, body: Vec<u8>) -> Answer {
        Answer {
            status: 402,
            url: Url::parse(url).unwrap(),
            content_type: Some(content_type.to_owned()),
            receipt: None,
            body: Bytes::from(body),
        }
    }

    #[test]
    fn the_http_charset_decodes_the_page_and_json_gives_the_same_offer() {
        let url = "http://127.0.0.1:8402/story";
        let html = answer(url, "text/html; Charset=\"windows-1252\"", LINK.to_vec());
        let from_html = offers_of(&html).unwrap();
        assert_eq!(from_html.len(), 1);
        assert_eq!(from_html[0].fields().textlink, "Caf\u{e9} story");
        // The same page as problem details: the link object, rendered and read back.
        let document = extract(&html, &html.url).unwrap();
        let mut problem = Problem::new(402, "payment-required", "Payment Required", String::new());
        problem.document_url = Some(url.to_owned());
        problem.offers = vec![serde_json::to_value(&document.links()[0]).unwrap()];
        let json = answer(
            url,
            "application/problem+json",
            serde_json::to_vec(&problem).unwrap(),
        );
        let from_json = offers_of(&json).unwrap();
        assert_eq!(from_json[0].digest(), from_html[0].digest());
    }

    #[test]
    fn offers_of_another_origin_are_dropped() {
        let html = answer(
            "http://127.0.0.1:9999/elsewhere",
            "text/html",
            LINK.to_vec(),
        );
        // The link resolves against the 402's own URL: same origin, kept.
        assert_eq!(offers_of(&html).unwrap().len(), 1);
        let foreign = String::from_utf8_lossy(LINK)
            .replace("value=\"story\"", "value=\"https://bank.example/pay\"");
        let html = answer("http://127.0.0.1:9999/x", "text/html", foreign.into_bytes());
        assert!(offers_of(&html).unwrap().is_empty());
    }
}
