//! The wire format (docs/http.md): the `Micropay` authentication scheme of RFC 9110 §11,
//! its challenge, its credentials, and the problem details (RFC 9457) of a refusal.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderMap;
use http::header::{ACCEPT, AUTHORIZATION};
use micropay_wallet::OfferDigest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The authentication scheme.
pub const SCHEME: &str = "Micropay";
/// The response header carrying the receipt of the token that paid for the content.
pub const RECEIPT_HEADER: &str = "micropay-receipt";
/// The response header carrying the layer's outcome for a priced URL: `paid`, `retry`,
/// `receipt`, or the code of its own answer (`payment-required`, a rejection code ...), so
/// that logs and HTML clients see it too.
pub const CODE_HEADER: &str = "micropay-code";
/// The media type of a refusal's body.
pub const PROBLEM_JSON: &str = "application/problem+json";
/// The `type` of a problem is this prefix followed by its code (an RFC 4151 tag URI).
pub const PROBLEM_TYPE_PREFIX: &str = "tag:micropay,2026:";
/// The longest credential value read (a purchase token is about 1 KiB; a receipt less).
const MAX_CREDENTIAL: usize = 16 * 1024;

/// A credential of the `Micropay` scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credential {
    /// `Micropay token="..."`: a purchase token.
    Token(String),
    /// `Micropay receipt="..."`: a receipt token from an earlier purchase.
    Receipt(String),
}

impl Credential {
    /// The `Authorization` header value.
    pub fn header_value(&self) -> String {
        match self {
            Credential::Token(token) => format!("{SCHEME} token=\"{token}\""),
            Credential::Receipt(token) => format!("{SCHEME} receipt=\"{token}\""),
        }
    }

    /// The credential of a request: `None` when it has no `Authorization` header of the
    /// `Micropay` scheme (another scheme is for someone else), `Some(Err)` when the
    /// header is of this scheme but is not exactly one `token` or `receipt` parameter.
    pub(crate) fn of(headers: &HeaderMap) -> Option<Result<Credential, String>> {
        let mut found = None;
        for value in headers.get_all(AUTHORIZATION) {
            let Ok(text) = value.to_str() else { continue };
            let text = text.trim();
            let (scheme, rest) = text.split_once(' ').unwrap_or((text, ""));
            // RFC 9110 §11.1: the scheme name is case-insensitive.
            if !scheme.eq_ignore_ascii_case(SCHEME) {
                continue;
            }
            if found.is_some() {
                return Some(Err("more than one Micropay credential".to_owned()));
            }
            found = Some(parse_credential(rest.trim()));
        }
        found
    }
}

/// `token="..."` or `receipt="..."` (the value may also be a bare token68-like word).
fn parse_credential(params: &str) -> Result<Credential, String> {
    if params.len() > MAX_CREDENTIAL {
        return Err(format!(
            "the credential is longer than {MAX_CREDENTIAL} bytes"
        ));
    }
    let (name, value) = params
        .split_once('=')
        .ok_or_else(|| "expected token=\"...\" or receipt=\"...\"".to_owned())?;
    let value = value.trim();
    let value = match value.strip_prefix('"') {
        Some(inner) => inner
            .strip_suffix('"')
            .filter(|v| !v.contains('"') && !v.contains('\\'))
            .ok_or_else(|| "the quoted value is not closed, or holds a quote".to_owned())?,
        None => value,
    };
    // Tokens are base64url: anything else (commas, spaces, a second parameter) is malformed.
    if value.is_empty()
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err("the value is not a base64url token".to_owned());
    }
    match name.trim().to_ascii_lowercase().as_str() {
        "token" => Ok(Credential::Token(value.to_owned())),
        "receipt" => Ok(Credential::Receipt(value.to_owned())),
        other => Err(format!("unknown parameter `{other}`")),
    }
}

/// The `WWW-Authenticate` value for one offer.
pub(crate) fn challenge(realm: &str, digest: OfferDigest) -> String {
    format!(
        "{SCHEME} realm=\"{realm}\", offer=\"{}\"",
        URL_SAFE_NO_PAD.encode(digest.0)
    )
}

/// Whether the request prefers an HTML page to JSON: `text/html` is listed with a higher
/// quality than `application/problem+json` and `application/json` (RFC 9110 §12.5.1; an
/// absent header prefers neither, so JSON).
pub(crate) fn prefers_html(headers: &HeaderMap) -> bool {
    let mut html = 0u16;
    let mut json = 0u16;
    for value in headers.get_all(ACCEPT) {
        let Ok(text) = value.to_str() else { continue };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            // Thousandths, as RFC 9110 writes qvalues.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let q = (quality.clamp(0.0, 1.0) * 1000.0) as u16;
            match media.as_str() {
                "text/html" | "application/xhtml+xml" => html = html.max(q),
                "application/problem+json" | "application/json" => json = json.max(q),
                _ => {}
            }
        }
    }
    html > json
}

/// The body of a refusal or challenge (RFC 9457 problem details), with the members of
/// docs/http.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// [`PROBLEM_TYPE_PREFIX`] followed by the code.
    #[serde(rename = "type")]
    pub type_: String,
    /// A short human-readable summary.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What happened, for a person.
    pub detail: String,
    /// The stable code (`payment-required`, a rejection code, ...).
    pub code: String,
    /// The URL asked for, which is also the document URL of the offers below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_url: Option<String>,
    /// The offers of the URL: the link objects of `micropay extract`, as found in the HTML
    /// 402 page served at `document_url`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Value>,
}

impl Problem {
    /// A problem with `code`; `title` and `detail` say it for a person.
    pub(crate) fn new(status: u16, code: &str, title: &str, detail: String) -> Self {
        Problem {
            type_: format!("{PROBLEM_TYPE_PREFIX}{code}"),
            title: title.to_owned(),
            status,
            detail,
            code: code.to_owned(),
            document_url: None,
            offers: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(name: &http::header::HeaderName, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(name.clone(), HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn credentials_parse_and_print_back() {
        for credential in [
            Credential::Token("AbC-_9".into()),
            Credential::Receipt("xyz".into()),
        ] {
            let map = headers(&AUTHORIZATION, &[&credential.header_value()]);
            assert_eq!(Credential::of(&map), Some(Ok(credential)));
        }
        let lower = headers(&AUTHORIZATION, &["micropay TOKEN=abc"]);
        assert_eq!(
            Credential::of(&lower),
            Some(Ok(Credential::Token("abc".into())))
        );
    }

    #[test]
    fn other_schemes_are_ignored_and_bad_credentials_are_malformed() {
        assert_eq!(
            Credential::of(&headers(&AUTHORIZATION, &["Basic abc"])),
            None
        );
        assert_eq!(Credential::of(&HeaderMap::new()), None);
        for bad in [
            "Micropay",
            "Micropay token=",
            "Micropay token=\"abc",
            "Micropay nonce=\"abc\"",
            "Micropay token=\"a,b\"",
            "Micropay token=\"a\", receipt=\"b\"",
        ] {
            let got = Credential::of(&headers(&AUTHORIZATION, &[bad]));
            assert!(matches!(got, Some(Err(_))), "{bad}: {got:?}");
        }
        let two = headers(&AUTHORIZATION, &["Micropay token=a", "Micropay token=b"]);
        assert!(matches!(Credential::of(&two), Some(Err(_))));
        let long = format!("Micropay token={}", "a".repeat(MAX_CREDENTIAL + 1));
        assert!(matches!(
            Credential::of(&headers(&AUTHORIZATION, &[&long])),
            Some(Err(_))
        ));
    }

    #[test]
    fn html_only_when_preferred() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(&headers(&ACCEPT, &[browser])));
        assert!(!prefers_html(&headers(&ACCEPT, &["*/*"])));
        assert!(!prefers_html(&HeaderMap::new()));
        assert!(!prefers_html(&headers(
            &ACCEPT,
            &["text/html;q=0.5, application/problem+json"]
        )));
    }

    #[test]
    fn the_challenge_names_realm_and_offer() {
        let value = challenge("https://shop.example", OfferDigest([0; 32]));
        assert_eq!(
            value,
            "Micropay realm=\"https://shop.example\", offer=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\""
        );
    }
}
