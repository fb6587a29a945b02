use super::*;
use proptest::prelude::*;

#[test]
fn targets() {
    for ok in ["_blank", "_SELF", "_Parent", "_top", "main", "frame_1", "x"] {
        assert_eq!(check_target(ok), None, "{ok}");
    }
    let f = check_target("_new").unwrap();
    assert_eq!(f.code, Code::InvalidTarget);
    assert!(f.message.contains("_new"));
    assert_eq!(f.hint.as_deref(), Some("did you mean _blank?"));
    assert_eq!(
        check_target("_tpo").unwrap().hint.as_deref(),
        Some("did you mean _top?")
    );
    assert_eq!(check_target("").unwrap().message, "the target is empty");
}

#[test]
fn language_tags() {
    for ok in [
        "en",
        "EN-us",
        "de-CH-1996",
        "zh-Hant-TW",
        "zh-yue-HK",
        "sr-Latn-RS",
        "es-419",
        "sl-rozaj-biske",
        "de-DE-u-co-phonebk",
        "en-a-bbb-x-a-ccc",
        "x-whatever",
        "qaa-Qaaa-QM-x-southern",
        "i-klingon",
        "EN-gb-OED",
        "zh-min-nan",
        "art-lojban",
        "ar-afb-afb-afb",
        "en-US-x-twain",
        "tlh",
        "abcde",
        "de-1901",
        "en-b-ab-cd-c-ef",
    ] {
        assert_eq!(check_hreflang(ok), None, "{ok}");
    }
    for bad in [
        "",
        "e",
        "englishlanguage",
        "en-",
        "-en",
        "en--US",
        "en-US-",
        "de-419-DE",
        "a-DE",
        "ar-a-aaa-b-bbb-a-ccc-",
        "en-a",
        "en-a-x-y",
        "x",
        "x-",
        "x-toolongsubtag",
        "ar-afb-afb-afb-afb",
        "en-US-u",
        "en_US",
        "12",
        "en-Latn-Latn",
        "en-ü",
    ] {
        let f = check_hreflang(bad);
        assert_eq!(f.map(|f| f.code), Some(Code::InvalidHreflang), "{bad:?}");
    }
    let f = check_hreflang("en_US").unwrap();
    assert!(f.message.contains("en_US"));
    assert_eq!(
        f.hint.as_deref(),
        Some("separate subtags with hyphens: en-US")
    );
    assert!(
        check_hreflang("123")
            .unwrap()
            .hint
            .unwrap()
            .contains("en-US")
    );
}

#[test]
fn mime_types() {
    for ok in [
        "text/html",
        "TEXT/HTML",
        "text/html;charset=utf-8",
        "text/html; charset=\"utf-8\"",
        "application/vnd.ms-excel",
        "image/svg+xml",
        " text/plain ",
        "text/plain ;a=b",
        "text/plain;a=\"x;y\";b=c",
        "text/plain;a=\"\\\"\"",
        "text/html;",
        "text/html; ;a=b",
    ] {
        assert_eq!(check_type(ok), None, "{ok}");
    }
    for bad in [
        "",
        "text",
        "text/",
        "/html",
        "te xt/html",
        "text/ht ml",
        "text/html;charset",
        "text/html;=utf-8",
        "text/html;charset=",
        "text/html;charset=\"utf-8",
        "text/html;charset=\"a\"b",
        "text/html;charset=utf 8",
        "tëxt/html",
        "text/html;a=\"\u{100}\"",
        "text/html;a=\"x\\",
    ] {
        assert_eq!(
            check_type(bad).map(|f| f.code),
            Some(Code::InvalidType),
            "{bad:?}"
        );
    }
    assert!(
        check_type("html")
            .unwrap()
            .hint
            .unwrap()
            .contains("text/html")
    );
    assert!(check_type("text/").unwrap().message.contains("\"text/\""));
}

#[test]
fn access_keys() {
    for ok in ["p", "P", "1", "é", "😀"] {
        assert_eq!(check_accesskey(ok), None, "{ok}");
    }
    assert_eq!(
        check_accesskey("").unwrap().message,
        "the accesskey is empty"
    );
    let f = check_accesskey("ab").unwrap();
    assert_eq!(f.code, Code::InvalidAccesskey);
    assert!(f.message.contains("\"ab\" has 2 characters"));
    // A decomposed é is two scalar values.
    assert!(check_accesskey("e\u{301}").is_some());
}

#[test]
fn charsets() {
    for ok in [
        "utf-8",
        "UTF8",
        "iso-8859-1",
        "latin1",
        "windows-1252",
        "Shift_JIS",
        "x-user-defined",
    ] {
        assert_eq!(check_charset(ok), None, "{ok}");
    }
    for bad in ["", "utf-9", "klingon", "iso-8859-99"] {
        let f = check_charset(bad).unwrap();
        assert_eq!(f.code, Code::InvalidCharset);
        assert!(f.message.contains(&format!("\"{bad}\"")));
    }
}

proptest! {
    #[test]
    fn never_panic(s in any::<String>()) {
        let _ = (check_target(&s), check_hreflang(&s), check_type(&s), check_accesskey(&s), check_charset(&s));
    }

    #[test]
    fn generated_language_tags_are_well_formed(
        language in "[a-zA-Z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8}",
        script in proptest::option::of("[A-Z][a-z]{3}"),
        region in proptest::option::of("[A-Z]{2}|[0-9]{3}"),
        variants in proptest::collection::vec("[a-z0-9]{5,8}|[0-9][a-z0-9]{3}", 0..3),
        extensions in proptest::collection::vec("[a-wyz0-9](-[a-z0-9]{2,8}){1,3}", 0..3),
        private in proptest::option::of("x(-[a-z0-9]{1,8}){1,3}"),
    ) {
        let mut tag = language;
        for part in script.into_iter().chain(region).chain(variants).chain(extensions).chain(private) {
            tag.push('-');
            tag.push_str(&part);
        }
        prop_assert_eq!(check_hreflang(&tag), None, "{}", tag);
    }

    #[test]
    fn generated_mime_types_are_well_formed(
        kind in "[a-z]{1,8}",
        subtype in "[a-z0-9][a-z0-9.+-]{0,10}",
        params in proptest::collection::vec(("[a-z]{1,6}", "[a-z0-9-]{1,6}|\"[ -!#-\\[\\]-~]{0,6}\""), 0..3),
    ) {
        let mut value = format!("{kind}/{subtype}");
        for (name, v) in params {
            value = format!("{value}; {name}={v}");
        }
        prop_assert_eq!(check_type(&value), None, "{}", value);
    }
}
