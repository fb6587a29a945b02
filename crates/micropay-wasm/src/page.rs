//! A page's carriers, as the content script reads them from the live DOM, through the parser
//! ([`micropay_markup::extract_dom`]): the same grammar as for a page's bytes.

use micropay_markup::{Diagnostic, DomCarrier, PerFeeLink, extract_dom};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use url::Url;

/// What the content script reads from a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageInput {
    /// The document's URL (`document.URL`).
    pub document_url: Option<String>,
    /// The `href` attribute of the document's first `base[href]`, as written.
    #[serde(default)]
    pub base_href: Option<String>,
    /// The instant, in Unix seconds, against which expirations are checked (P-7).
    pub now: i64,
    /// The carriers, in document order.
    pub carriers: Vec<CarrierInput>,
}

/// One `object` or `applet` element.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarrierInput {
    /// Its direct `param` children: `[name, value]`.
    pub params: Vec<(String, String)>,
    /// Whether it has content other than its params.
    #[serde(default)]
    pub has_fallback: bool,
    /// The `href` of the first `a[href]` of that content, as written.
    #[serde(default)]
    pub fallback_href: Option<String>,
}

/// What one carrier is.
#[derive(Debug, Serialize)]
pub struct CarrierOutput {
    /// The link (`null`: the object is no per-fee-link).
    pub link: Option<PerFeeLink>,
    /// Its diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// The links of the carriers of `input`, one answer per carrier.
pub fn mark_page(input: &PageInput) -> Result<Vec<CarrierOutput>, String> {
    let document_url = input
        .document_url
        .as_deref()
        .map(Url::parse)
        .transpose()
        .map_err(|e| format!("document URL: {e}"))?;
    let now = OffsetDateTime::from_unix_timestamp(input.now)
        .map_err(|e| format!("instant {}: {e}", input.now))?;
    let carriers: Vec<DomCarrier> = input
        .carriers
        .iter()
        .map(|c| DomCarrier {
            params: c.params.clone(),
            has_fallback: c.has_fallback,
            fallback_href: c.fallback_href.clone(),
        })
        .collect();
    let links = extract_dom(
        &carriers,
        document_url.as_ref(),
        input.base_href.as_deref(),
        Some(now),
    )
    .map_err(|e| e.to_string())?;
    Ok(links
        .into_iter()
        .map(|l| CarrierOutput {
            link: l.link,
            diagnostics: l.diagnostics,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_is_marked_through_json() {
        let input = r#"{"document_url": "https://shop.example/", "now": 1767225600,
            "carriers": [
              {"params": [["price", "0.05USD"], ["textlink", "Item"], ["requesturl", "item"],
                          ["paymentsystem", "https://ps.example/"]],
               "has_fallback": true, "fallback_href": "item"},
              {"params": [["movie", "a.swf"]]},
              {"params": [["price", "5 USD"], ["textlink", "Bad"], ["requesturl", "bad"],
                          ["paymentsystem", "https://ps.example/"]]}]}"#;
        let out: serde_json::Value = serde_json::from_str(&crate::mark_page_json(input)).unwrap();
        assert_eq!(out[0]["link"]["valid"], true);
        assert_eq!(out[0]["link"]["requesturl"], "https://shop.example/item");
        assert!(out[1]["link"].is_null());
        assert_eq!(out[2]["link"]["valid"], false);
        let codes: Vec<_> = out[2]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"invalid-price"), "{codes:?}");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for input in ["", "{", r#"{"now": 1, "carriers": 3}"#, r#"{"now": 1e300}"#] {
            let out: serde_json::Value =
                serde_json::from_str(&crate::mark_page_json(input)).unwrap();
            assert!(out["error"].is_string(), "{input}: {out}");
        }
        let out = crate::mark_page_json(r#"{"now": 99999999999999, "carriers": []}"#);
        assert!(out.contains("error"), "{out}");
    }
}
