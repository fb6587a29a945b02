use proptest::option::of as opt;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::{Extractor, PerFeeLink};

fn describe(value: Value) -> LinkDescription {
    serde_json::from_value(value).unwrap()
}

fn minimal() -> Value {
    json!({
        "price": "0.01USD",
        "textlink": "Today's cartoon",
        "requesturl": "https://news.example/cartoon.html",
        "paymentsystems": ["https://ps.example/"],
    })
}

/// The one link of `markup`, which must carry no error.
fn extract_one(markup: &str) -> PerFeeLink {
    let doc = Extractor::new().extract_str(markup).unwrap();
    let errors: Vec<_> = doc
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?} in\n{markup}");
    assert_eq!(doc.links().len(), 1, "{markup}");
    doc.links()[0].clone()
}

fn resolved(url: Option<&Url>) -> Option<LinkUrl> {
    url.cloned().map(LinkUrl::Resolved)
}

/// Field for field, the extracted link is the description.
fn assert_same(link: &PerFeeLink, d: &LinkDescription) {
    assert_eq!(link.price(), Some(d.price()));
    assert_eq!(link.textlink(), Some(d.textlink()));
    assert_eq!(link.requesturl(), resolved(Some(d.requesturl())).as_ref());
    assert_eq!(link.paymentsystems(), d.paymentsystems());
    assert_eq!(link.title(), d.title());
    assert_eq!(link.imagelink(), resolved(d.imagelink()).as_ref());
    assert_eq!(link.buyid(), resolved(d.buyid()).as_ref());
    assert_eq!(link.baseurl(), resolved(d.baseurl()).as_ref());
    assert_eq!(link.longdesc(), resolved(d.longdesc()).as_ref());
    assert_eq!(link.merchantname(), d.merchantname());
    assert_eq!(link.duration(), d.duration());
    assert_eq!(link.expiration(), d.expiration());
    assert_eq!(link.target(), d.target());
    assert_eq!(link.hreflang(), d.hreflang());
    assert_eq!(link.type_(), d.type_());
    assert_eq!(link.accesskey(), d.accesskey());
    assert_eq!(link.charset(), d.charset());
    assert_eq!(link.extdata(), d.extdata());
    assert_eq!(link.extdataparam(), d.extdataparam());
    assert_eq!(link.extensions(), d.extensions());
    assert_eq!(
        link.fallback_href(),
        resolved(Some(d.requesturl())).as_ref()
    );
    assert!(link.is_valid());
}

#[test]
fn renders_fields_in_canonical_order_with_canonical_values() {
    let d = describe(json!({
        "price": {"amount": "+4.250E0", "currency": "USD"},
        "textlink": "  Fish & chips <today> \"special\"  ",
        "baseurl": "https://news.example/food/",
        "requesturl": "fish.html",
        "paymentsystems": [{"id": "https://ps.example", "info": "shop=1"}, "https://other.example/"],
        "title": "",
        "duration": 3600,
        "expiration": "1999-12-31",
        "extensions": [["x-colour", "red"]],
    }));
    assert_eq!(
        render(&d),
        concat!(
            "<object type=\"application/x-per-fee-link\">\n",
            "  <param name=\"price\" value=\"4.25USD\">\n",
            "  <param name=\"textlink\" value=\"Fish &amp; chips &lt;today&gt; &quot;special&quot;\">\n",
            "  <param name=\"requesturl\" value=\"https://news.example/food/fish.html\">\n",
            "  <param name=\"paymentsystem\" value=\"https://ps.example/ shop=1\">\n",
            "  <param name=\"paymentsystem\" value=\"https://other.example/\">\n",
            "  <param name=\"baseurl\" value=\"https://news.example/food/\">\n",
            "  <param name=\"duration\" value=\"3600\">\n",
            "  <param name=\"expiration\" value=\"1999-12-31\">\n",
            "  <param name=\"x-colour\" value=\"red\">\n",
            "  <a href=\"https://news.example/food/fish.html\">Fish &amp; chips &lt;today&gt; &quot;special&quot;</a>\n",
            "</object>\n",
        )
    );
    assert_same(&extract_one(&render(&d)), &d);
}

#[test]
fn non_ascii_stays_utf8_and_cr_survives() {
    let mut value = minimal();
    value["textlink"] = json!("Café\r\ncrème €");
    let d = describe(value);
    let markup = render(&d);
    assert!(markup.contains("value=\"Café&#13;\ncrème €\""));
    assert_same(&extract_one(&markup), &d);
}

#[test]
fn descriptions_that_would_not_extract_cleanly_are_refused() {
    let refused = |key: &str, value: Value| {
        let mut description = minimal();
        description[key] = value;
        serde_json::from_value::<LinkDescription>(description)
            .unwrap_err()
            .to_string()
    };
    assert!(refused("prise", json!("1USD")).contains("unknown field `prise`"));
    assert!(refused("price", json!("-1USD")).contains("negative"));
    assert!(refused("textlink", json!(" \t")).contains("textlink"));
    assert!(refused("requesturl", json!("cartoon.html")).contains("requesturl"));
    assert!(refused("requesturl", json!("javascript:alert(1)")).contains("requesturl"));
    assert!(refused("baseurl", json!("/food/")).contains("baseurl"));
    assert!(refused("paymentsystems", json!([])).contains("at least one"));
    assert!(
        refused(
            "paymentsystems",
            json!(["https://a.example/", "https://a.example/ x"])
        )
        .contains("twice")
    );
    assert!(refused("extensions", json!([["BuyUrl", "x"]])).contains("buyid"));
    assert!(refused("title", json!("a\u{0}b")).contains("U+0000"));
    assert!(
        refused("duration", json!("1h")).contains("duration")
            || refused("duration", json!("1h")).contains("seconds")
    );
}

#[test]
fn an_expiration_renders_by_its_instant() {
    let rendered = |written: &str| {
        let mut value = minimal();
        value["expiration"] = json!(written);
        describe(value).values(Field::Expiration).remove(0)
    };
    assert_eq!(rendered("2030-12-31"), "2030-12-31");
    assert_eq!(rendered("2030-12-31T23:59:59.999999999Z"), "2030-12-31");
    assert_eq!(
        rendered("2030-12-31T12:00:00+02:00"),
        "2030-12-31T10:00:00Z"
    );
}

#[test]
fn an_extracted_link_can_be_rendered_again() {
    let page = render(&describe(minimal()));
    let doc = Extractor::new().extract_str(&page).unwrap();
    let json = serde_json::to_value(&doc.links()[0]).unwrap();
    let again: LinkDescription = serde_json::from_value(json).unwrap();
    assert_eq!(render(&again), page);
}

fn text() -> impl Strategy<Value = String> {
    // Printable ASCII (with & < > " '), whitespace inside and around, and non-ASCII.
    "[ -~\t\r\néü€\u{a0}\u{1F600}]{0,24}"
}

fn nonempty_text() -> impl Strategy<Value = String> {
    text().prop_filter("non-empty once trimmed", |t| !trim_ascii(t).is_empty())
}

fn web_url() -> impl Strategy<Value = String> {
    (
        "[a-z]{1,8}",
        "[a-zA-Z0-9/._~-]{0,12}",
        proptest::option::of("[a-z0-9=&\"<> ]{0,8}"),
    )
        .prop_map(|(host, path, query)| match query {
            Some(q) => format!("https://{host}.example/{path}?{q}"),
            None => format!("https://{host}.example/{path}"),
        })
}

fn price() -> impl Strategy<Value = Value> {
    let currency = prop::sample::select(vec!["USD", "EUR", "JPY", "GBP", "CHF", "FRF"]);
    (0u64..10_000_000, 0u32..6, currency, any::<bool>()).prop_map(|(units, scale, code, object)| {
        let amount = rust_decimal::Decimal::new(i64::try_from(units).unwrap(), scale).to_string();
        if object {
            json!({"amount": amount, "currency": code})
        } else {
            json!(format!("{amount}{code}"))
        }
    })
}

fn paymentsystems() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (any::<bool>(), proptest::option::of("[!-~][ -~]{0,10}")),
        1..4,
    )
    .prop_map(|systems| {
        let list: Vec<Value> = systems
            .into_iter()
            .enumerate()
            .map(|(i, (object, info))| {
                let id = format!("https://ps{i}.example/");
                match (object, info) {
                    (true, info) => json!({"id": id, "info": info}),
                    (false, Some(info)) => json!(format!("{id} {info}")),
                    (false, None) => json!(id),
                }
            })
            .collect();
        Value::Array(list)
    })
}

fn expiration() -> impl Strategy<Value = String> {
    (
        1970i32..2100,
        1u8..=12,
        1u8..=28,
        0u8..24,
        0u8..60,
        0u8..60,
        any::<bool>(),
    )
        .prop_map(|(y, mo, d, h, mi, s, date_only)| {
            if date_only {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
            }
        })
}

/// A valid description as JSON, with every optional key present or not.
fn description() -> impl Strategy<Value = Value> {
    let core = (
        price(),
        nonempty_text(),
        web_url(),
        paymentsystems(),
        opt(text()),
    );
    let urls = (
        opt(web_url()),
        opt(web_url()),
        opt(web_url()),
        opt(web_url()),
    );
    let more = (
        opt(text()),
        opt(any::<u64>()),
        opt(expiration()),
        opt(prop::sample::select(vec!["_blank", "_top", "main-frame"])),
        opt(prop::sample::select(vec!["en", "en-GB", "zh-Hant"])),
        opt(prop::sample::select(vec!["text/html", "image/gif; q=1"])),
        opt("[a-z0-9é]"),
        opt(prop::sample::select(vec!["utf-8", "iso-8859-1"])),
        opt(text()),
        opt(text()),
    );
    let extensions = prop::collection::vec(("x-[a-z]{3,8}", text()), 0..3);
    (core, urls, more, extensions).prop_map(|(core, urls, more, extensions)| {
        let (price, textlink, requesturl, paymentsystems, title) = core;
        let (imagelink, buyid, baseurl, longdesc) = urls;
        let (
            merchantname,
            duration,
            expiration,
            target,
            hreflang,
            type_,
            accesskey,
            charset,
            extdata,
            extdataparam,
        ) = more;
        json!({
            "price": price, "textlink": textlink, "requesturl": requesturl,
            "paymentsystems": paymentsystems, "title": title, "imagelink": imagelink,
            "buyid": buyid, "baseurl": baseurl.map(|b| format!("{b}/")), "longdesc": longdesc,
            "merchantname": merchantname, "duration": duration, "expiration": expiration,
            "target": target, "hreflang": hreflang, "type": type_, "accesskey": accesskey,
            "charset": charset, "extdata": extdata, "extdataparam": extdataparam,
            "extensions": extensions,
        })
    })
}

#[test]
fn text_html_cannot_carry_is_refused_in_payment_system_info_too() {
    // Found by the render_roundtrip fuzz target: U+0000 in the system-specific text.
    let value = json!({
        "price": "1USD", "textlink": "x", "requesturl": "https://m.example/",
        "paymentsystems": ["https://ps.example/ acct\u{0}=1"],
    });
    let error = serde_json::from_value::<LinkDescription>(value).unwrap_err();
    assert!(error.to_string().contains("U+0000"), "{error}");
}

proptest! {
    #[test]
    fn render_then_extract_gives_the_description_back(value in description()) {
        let d: LinkDescription = serde_json::from_value(value).unwrap();
        let markup = render(&d);
        assert_same(&extract_one(&markup), &d);
    }
}
